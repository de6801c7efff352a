import { SaxesParser } from 'saxes';
import { badInput, cancelled } from '../model/errors.js';
import { countNewlines, type TextStream } from './decode.js';
import type { TableCallbacks } from './delimited.js';

const GOOGLE_NS = 'http://base.google.com/ns/1.0';

/**
 * XML forbids U+0000, so a NUL byte is handed to the parser as this noncharacter (Unicode keeps U+FDD0–U+FDEF for
 * a program's internal use; XML allows them in text, not in names) and turned back into NUL in values, where the
 * row pipeline removes it with a warning like in any other file (rowPipeline.ts). In a tag it stays malformed XML.
 */
const NUL_STAND_IN = '\uFDD0';
const fromParser = (t: string): string => (t.includes(NUL_STAND_IN) ? t.replaceAll(NUL_STAND_IN, '\0') : t);
const toParser = (t: string): string => (t.includes('\0') ? t.replaceAll('\0', NUL_STAND_IN) : t);

/**
 * Elements nested deeper than this are refused. Feeds nest about five levels (rss > channel > item > g:shipping >
 * g:country). The cap also keeps parsing linear: saxes resolves each element's namespace prefix by walking the
 * stack of open elements, so without it a feed nested 200,000 levels deep takes minutes.
 */
export const MAX_XML_DEPTH = 64;

/** Attributes a Google Merchant Center feed item may carry; the table header for XML feeds. */
export const GMC_ATTRIBUTES = [
  'id',
  'title',
  'description',
  'link',
  'image_link',
  'additional_image_link',
  'availability',
  'availability_date',
  'price',
  'sale_price',
  'sale_price_effective_date',
  'brand',
  'gtin',
  'mpn',
  'identifier_exists',
  'condition',
  'item_group_id',
  'shipping_weight',
  'product_weight',
  'product_type',
  'google_product_category',
  'color',
  'size',
  'size_type',
  'size_system',
  'material',
  'pattern',
  'gender',
  'age_group',
  'adult',
  'multipack',
  'is_bundle',
  'unit_pricing_measure',
  'unit_pricing_base_measure',
  'energy_efficiency_class',
  'product_length',
  'product_width',
  'product_height',
  'custom_label_0',
  'custom_label_1',
  'custom_label_2',
  'custom_label_3',
  'custom_label_4',
  'mobile_link',
  'shipping',
  'tax',
  'expiration_date',
  'excluded_destination',
  'included_destination',
] as const;

/**
 * Streams the items of a Google Merchant Center RSS 2.0 (`<item>`) or Atom (`<entry>`) feed as table rows.
 * Each item's raw text is a JSON list of its elements as written (prefixed name, text), so nothing is lost;
 * elements Concord does not know are kept there too.
 */
export async function readGmcXml(text: TextStream, cb: TableCallbacks): Promise<void> {
  const index = new Map<string, number>(GMC_ATTRIBUTES.map((a, i) => [a, i]));
  const header = [...GMC_ATTRIBUTES];
  const parser = new SaxesParser({ xmlns: true, position: true });
  let rootSeen = false;
  let itemDepth = -1;
  let depth = 0;
  let itemLine = 0;
  let cells: string[] = [];
  let elements: [string, string][] = [];
  let childName: string | null = null; // direct child of the item being read
  let childText = '';
  let error: Error | null = null;
  let rows = 0;

  const openTags: { name: string; line: number }[] = []; // for errors: where an unclosed element began
  // Blank lines before the XML declaration (feeds saved by hand often have them) are not XML: skipped, counted.
  let skippedLines = 0;
  let started = false;
  const line = (): number => parser.line + skippedLines;

  parser.on('opentagstart', (tag) => {
    // Before saxes resolves the element's namespace (the costly part), and thrown so the parser stops at once.
    if (depth >= MAX_XML_DEPTH) {
      const path = openTags.slice(0, 3).map((t) => `<${t.name}>`);
      throw badInput(
        { file: cb.file, line: line(), field: tag.name },
        `<${tag.name}> is nested ${depth + 1} elements deep (${path.join(' > ')} > …): a product feed nests ` +
          `a few levels, Concord reads at most ${MAX_XML_DEPTH}`,
      );
    }
  });
  parser.on('opentag', (tag) => {
    depth++;
    openTags.push({ name: tag.name, line: line() });
    if (!rootSeen) {
      rootSeen = true;
      if (tag.local !== 'rss' && tag.local !== 'feed') {
        error = badInput(
          { file: cb.file, line: line() },
          `root element <${tag.name}> is not an RSS <rss> or Atom <feed> product feed`,
        );
      }
      cb.onHeader(header, line());
      return;
    }
    if (itemDepth === -1 && (tag.local === 'item' || tag.local === 'entry')) {
      itemDepth = depth;
      itemLine = line();
      cells = new Array<string>(header.length).fill('');
      elements = [];
      return;
    }
    if (itemDepth !== -1 && depth === itemDepth + 1) {
      childName = tag.name;
      childText = '';
      if (tag.local === 'link' && tag.uri !== GOOGLE_NS && tag.attributes.href) {
        const href = tag.attributes.href;
        childText = fromParser(typeof href === 'string' ? href : href.value);
      }
    } else if (itemDepth !== -1 && depth > itemDepth + 1) {
      // nested (g:shipping > g:country …): keep as "name:value" parts of the direct child
      if (childText && !childText.endsWith(':')) childText += ':';
    }
  });
  parser.on('text', (t) => {
    if (childName !== null) childText += fromParser(t);
  });
  parser.on('cdata', (t) => {
    if (childName !== null) childText += fromParser(t);
  });
  parser.on('closetag', (tag) => {
    openTags.pop();
    if (itemDepth !== -1 && depth === itemDepth + 1 && childName !== null) {
      const value = childText.trim();
      elements.push([childName, value]);
      const local = tag.local;
      const isGoogle = tag.uri === GOOGLE_NS;
      const at = index.get(local);
      // Plain RSS/Atom elements (title, link, description/summary) count when the g: form is absent.
      const plainAlias = local === 'summary' ? index.get('description') : at;
      if (at !== undefined && (isGoogle || cells[at] === '')) {
        cells[at] =
          cells[at] && isGoogle && (local === 'additional_image_link' || local === 'shipping')
            ? `${cells[at]},${value}`
            : value;
      } else if (!isGoogle && plainAlias !== undefined && cells[plainAlias] === '') {
        cells[plainAlias] = value;
      }
      childName = null;
    } else if (depth === itemDepth) {
      rows++;
      cb.onRow({ line: itemLine, raw: JSON.stringify(elements), cells });
      itemDepth = -1;
    }
    depth--;
  });
  parser.on('error', (e) => {
    if (error) return;
    const problem = e.message.replace(/^.*?\d+:\d+: /, '');
    const unclosed = /^unclosed tag: (.+)$/.exec(problem);
    const innermost = openTags[openTags.length - 1];
    if (unclosed && innermost) {
      // The parser only notices at the end of the file; the element that never closed is the useful place.
      error = badInput(
        { file: cb.file, line: innermost.line, field: innermost.name },
        `malformed XML: <${innermost.name}> is never closed (an unescaped "&" or "<" in its text?)`,
      );
    } else {
      error = badInput(
        { file: cb.file, line: line(), column: parser.column + 1 },
        `malformed XML: ${problem}`,
      );
    }
  });

  for await (const chunk of text.chunks) {
    if (cb.signal?.aborted) throw cancelled();
    if (cb.pace) await cb.pace();
    if (!started) {
      const body = chunk.trimStart();
      skippedLines += countNewlines(chunk.slice(0, chunk.length - body.length));
      if (body.length === 0) continue;
      started = true;
      parser.write(toParser(body));
    } else parser.write(toParser(chunk));
    if (error) throw error;
  }
  parser.close();
  if (error) throw error;
  if (!rootSeen) throw badInput({ file: cb.file, line: 1 }, 'no XML root element');
  if (rows === 0) throw badInput({ file: cb.file, line: line() }, 'feed has no <item> or <entry> elements');
}
