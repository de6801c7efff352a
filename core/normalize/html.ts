/**
 * HTML to plain text for descriptions (Shopify `Body (HTML)`, WooCommerce `Description`, feeds).
 * A single linear scan: tags are dropped, the contents of script/style-like elements are dropped,
 * block elements become line breaks, table cells spaces, entities are decoded (html-entities).
 * Nothing is ever evaluated or rendered.
 */
import { decode } from 'html-entities';
import { normalizeMultiline } from './text.js';

/** Elements whose contents are never text a shopper reads. */
const DROP_CONTENT = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'iframe',
  'object',
  'svg',
  'math',
  'head',
  'textarea',
  'select',
]);

/** Elements that start or end a line. */
const BLOCK = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'br',
  'caption',
  'dd',
  'details',
  'div',
  'dl',
  'dt',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'form',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'li',
  'main',
  'nav',
  'ol',
  'p',
  'pre',
  'section',
  'summary',
  'table',
  'tbody',
  'tfoot',
  'thead',
  'tr',
  'ul',
  'body',
  'html',
]);

/** Elements that separate words without breaking the line. */
const SPACED = new Set(['td', 'th', 'img', 'input', 'button', 'label', 'option', 'wbr']);

const HAS_MARKUP = /[<&]/;
const AMPERSAND = /&/g;

function isNameStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}

function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 57) || c === 45 || c === 58;
}

/** Index just past the '>' closing a tag that starts at `from`, skipping quoted attribute values. */
function endOfTag(s: string, from: number): number {
  let quote = 0;
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (quote !== 0) {
      if (c === quote) quote = 0;
    } else if (c === 34 || c === 39) {
      // a quote only opens a value right after '='
      let j = i - 1;
      while (j > from && (s.charCodeAt(j) === 32 || s.charCodeAt(j) === 9 || s.charCodeAt(j) === 10)) j--;
      if (s.charCodeAt(j) === 61) quote = c;
    } else if (c === 62) {
      return i + 1;
    }
  }
  return s.length;
}

/** Index of the start of `</name` (case-insensitive) at or after `from`, or s.length. */
function findClosing(s: string, name: string, from: number): number {
  let i = s.indexOf('</', from);
  while (i !== -1) {
    const after = s.charCodeAt(i + 2 + name.length);
    if (
      s.slice(i + 2, i + 2 + name.length).toLowerCase() === name &&
      (Number.isNaN(after) || !isNameChar(after))
    ) {
      return i;
    }
    i = s.indexOf('</', i + 2);
  }
  return s.length;
}

/** Strips tags and decodes entities, without collapsing whitespace (see htmlToText). */
export function stripHtml(html: string): string {
  if (!HAS_MARKUP.test(html)) return html;
  if (html.indexOf('<') === -1) return decode(html, { level: 'html5' });
  const out: string[] = [];
  let textStart = 0;
  let i = html.indexOf('<');
  while (i !== -1 && i < html.length) {
    const next = html.charCodeAt(i + 1);
    let isTag = false;
    let end = i + 1;
    if (next === 33) {
      // <!-- comment -->, <!DOCTYPE>, <![CDATA[ ... ]]>
      isTag = true;
      if (html.startsWith('<!--', i)) {
        const close = html.indexOf('-->', i + 4);
        end = close === -1 ? html.length : close + 3;
      } else if (html.startsWith('<![CDATA[', i)) {
        const close = html.indexOf(']]>', i + 9);
        const stop = close === -1 ? html.length : close;
        if (i > textStart) out.push(html.slice(textStart, i));
        out.push(html.slice(i + 9, stop).replace(AMPERSAND, '&amp;'));
        end = close === -1 ? html.length : close + 3;
        textStart = end;
        i = html.indexOf('<', end);
        continue;
      } else {
        end = endOfTag(html, i + 2);
      }
    } else if (next === 63) {
      // <? processing instruction ?>
      isTag = true;
      end = endOfTag(html, i + 2);
    } else if (isNameStart(next) || (next === 47 && isNameStart(html.charCodeAt(i + 2)))) {
      const closing = next === 47;
      let j = closing ? i + 2 : i + 1;
      const nameStart = j;
      while (j < html.length && isNameChar(html.charCodeAt(j))) j++;
      const name = html.slice(nameStart, j).toLowerCase();
      end = endOfTag(html, j);
      if (i > textStart) out.push(html.slice(textStart, i));
      if (BLOCK.has(name)) out.push('\n');
      else if (SPACED.has(name)) out.push(' ');
      if (!closing && DROP_CONTENT.has(name) && html.charCodeAt(end - 2) !== 47) {
        const close = findClosing(html, name, end);
        end = close >= html.length ? html.length : endOfTag(html, close + 2);
      }
      textStart = end;
      i = html.indexOf('<', end);
      continue;
    }
    if (isTag) {
      if (i > textStart) out.push(html.slice(textStart, i));
      textStart = end;
      i = html.indexOf('<', end);
    } else {
      i = html.indexOf('<', i + 1);
    }
  }
  if (textStart < html.length) out.push(html.slice(textStart));
  const text = out.join('');
  return text.indexOf('&') === -1 ? text : decode(text, { level: 'html5' });
}

/** HTML (or plain text) to normalized plain text: blocks on their own lines, whitespace collapsed. */
export function htmlToText(html: string | null | undefined): string | null {
  if (html == null || html.length === 0) return null;
  return normalizeMultiline(stripHtml(html));
}

/** Plain-text values that may carry entities (`Tom &amp; Jerry`): decoded, never tag-stripped, so a
 * title containing `<script>` stays visible text. */
export function decodeEntities(s: string): string {
  return s.indexOf('&') === -1 ? s : decode(s, { level: 'html5' });
}
