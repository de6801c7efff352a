/**
 * What a channel does when the merchant uploads a fix list, simulated on the channel's export so tests can check
 * that re-importing the updated export clears the gaps (and nothing else moves). The semantics, per channel:
 *
 *  - every fix-list row names one listing by the channel's update key: Shopify `Handle` + option values (or
 *    `Variant SKU`), WooCommerce `ID` (else `SKU`), Google `id`, Amazon `seller-sku`;
 *  - only the columns present in the fix list are written, and an empty cell means "leave as is";
 *  - Shopify product fields (Title, Body, Product Category, Type, Image Src, option names, …) land on the Handle's
 *    first row, where the export keeps them; variant fields on the variant's row;
 *  - a column the export does not have yet is added (the channel stores the attribute from now on);
 *  - a row that names no listing, or a key that matches several, is an error (a real upload would create or
 *    duplicate a product: never what a fix list means).
 *
 * Cells are read exactly as written, as the channels read them: an apostrophe before a value would be kept in it.
 * Exports: Shopify and WooCommerce CSV, Google Merchant Center TSV or RSS/Atom XML, Amazon TSV; UTF-8 with or
 * without BOM, UTF-16 with BOM, or Windows-1252; the updated export keeps the original's encoding and line ends.
 */
import { readFile, writeFile } from 'node:fs/promises';
import iconv from 'iconv-lite';
import Papa from 'papaparse';
import type { ChannelFormat } from '../../api/contract.js';
import { ConcordError } from '../../model/errors.js';
import { decodeEntities } from '../../normalize/html.js';
import { keyFunction } from './rawCells.js';

/** The formats a fix list is written in: a channel's own export (the contract's list). */
export type FixFormat = ChannelFormat;

export interface ApplyResult {
  /** Fix-list rows applied. */
  rows: number;
  /** Export cells whose value changed. */
  cells: number;
  /** Columns added to the export. */
  addedColumns: string[];
}

interface Decoded {
  text: string;
  encoding: 'utf8' | 'utf16le' | 'windows-1252';
  bom: boolean;
}

function decode(buf: Buffer): Decoded {
  if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf)
    return { text: buf.toString('utf8', 3), encoding: 'utf8', bom: true };
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe)
    return { text: buf.toString('utf16le', 2), encoding: 'utf16le', bom: true };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(buf), encoding: 'utf8', bom: false };
  } catch {
    return { text: iconv.decode(buf, 'windows-1252'), encoding: 'windows-1252', bom: false };
  }
}

function encode(d: Decoded, text: string): Buffer {
  if (d.encoding === 'utf16le')
    return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
  if (d.encoding === 'windows-1252') return iconv.encode(text, 'windows-1252');
  return Buffer.from((d.bom ? '\ufeff' : '') + text, 'utf8');
}

function parseTable(text: string, delimiter: string): string[][] {
  const rows = Papa.parse<string[]>(text, { delimiter, header: false, skipEmptyLines: false }).data;
  while (rows.length > 0 && rows[rows.length - 1].length === 1 && rows[rows.length - 1][0] === '') rows.pop();
  return rows;
}

/** A fix list: its header and its rows as column -> value (empty cells left out). */
interface FixFile {
  header: string[];
  rows: Map<string, string>[];
}

function readFixList(text: string, delimiter: string): FixFile {
  const table = parseTable(text, delimiter);
  if (table.length === 0) return { header: [], rows: [] };
  const header = table[0].map((h) => h.replace(/^\ufeff/, '').trim());
  const rows = table.slice(1).map((cells) => {
    const row = new Map<string, string>();
    header.forEach((h, i) => {
      const v = cells[i] ?? '';
      if (v.trim().length > 0) row.set(h, v);
    });
    return row;
  });
  return { header, rows };
}

function quoted(delimiter: string): (v: string) => string {
  const special = delimiter === ',' ? /[",\r\n]/ : /["\t\r\n]/;
  return (v) => {
    if (v.length === 0) return v;
    const edge = v.charCodeAt(0) <= 32 || v.charCodeAt(v.length - 1) <= 32;
    return edge || special.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
  };
}

/** Amazon's report: unquoted; tabs and line breaks become spaces; a leading quote is quoted. */
function rawTsvCell(v: string): string {
  let s = v.replace(/[\t\r\n]+/g, ' ');
  if (s.startsWith('"')) s = `"${s.replace(/"/g, '""')}"`;
  return s;
}

function fail(file: string, message: string): never {
  throw new ConcordError('BAD_INPUT', `${file}: ${message}`, { file });
}

const SHOPIFY_PRODUCT_COLUMNS = new Set([
  'title',
  'body (html)',
  'description',
  'vendor',
  'product category',
  'standard product type',
  'type',
  'custom product type',
  'tags',
  'published',
  'published on online store',
  'status',
  'option1 name',
  'option2 name',
  'option3 name',
  'image src',
  'product image url',
  'gift card',
  'seo title',
  'seo description',
]);

function isShopifyProductColumn(key: string): boolean {
  return SHOPIFY_PRODUCT_COLUMNS.has(key) || key.startsWith('google shopping /');
}

/** The table of an export and the column lookup the channel's importer uses. */
class ExportTable {
  readonly keyOf: (h: string) => string;
  private readonly at = new Map<string, number>();
  readonly added: string[] = [];
  changed = 0;

  constructor(
    readonly header: string[],
    readonly rows: string[][],
    format: FixFormat,
  ) {
    this.keyOf = keyFunction(format);
    header.forEach((h, i) => {
      const k = this.keyOf(h);
      if (!this.at.has(k)) this.at.set(k, i);
    });
  }

  find(...names: string[]): number {
    for (const n of names) {
      const i = this.at.get(this.keyOf(n));
      if (i !== undefined) return i;
    }
    return -1;
  }

  /** The column for a fix-list header, added when the export lacks it. */
  column(name: string): number {
    let i = this.find(name);
    if (i < 0) {
      i = this.header.length;
      this.header.push(name);
      this.at.set(this.keyOf(name), i);
      this.added.push(name);
      for (const r of this.rows) while (r.length < this.header.length) r.push('');
    }
    return i;
  }

  set(row: string[], column: number, value: string): void {
    while (row.length <= column) row.push('');
    if (row[column] !== value) {
      row[column] = value;
      this.changed++;
    }
  }

  cell(row: readonly string[], column: number): string {
    return column < 0 ? '' : (row[column] ?? '').trim();
  }
}

/** Row indexes by the value of a key column. */
function indexBy(t: ExportTable, column: number): Map<string, number[]> {
  const out = new Map<string, number[]>();
  if (column < 0) return out;
  t.rows.forEach((r, i) => {
    const k = t.cell(r, column);
    if (k.length === 0) return;
    const l = out.get(k);
    if (l) l.push(i);
    else out.set(k, [i]);
  });
  return out;
}

function only(list: number[] | undefined, what: string, fixFile: string): number {
  if (list === undefined || list.length === 0) fail(fixFile, `no listing in the export has ${what}`);
  if (list.length > 1) fail(fixFile, `${list.length} listings in the export have ${what}`);
  return list[0];
}

function applyShopify(t: ExportTable, fix: FixFile, fixFile: string): number {
  const handle = t.find('handle', 'url handle');
  const sku = t.find('variant sku', 'sku');
  const options = [1, 2, 3].map((k) => t.find(`option${k} value`));
  if (handle < 0) fail(fixFile, 'the export has no Handle column');
  const byHandle = indexBy(t, handle);
  const keyColumns = new Set([
    'handle',
    'url handle',
    'variant sku',
    'sku',
    'option1 value',
    'option2 value',
    'option3 value',
  ]);
  const fixKey = (row: Map<string, string>, ...names: string[]): string => {
    for (const [h, v] of row) if (names.includes(t.keyOf(h))) return v.trim();
    return '';
  };
  for (const row of fix.rows) {
    const h = fixKey(row, 'handle', 'url handle');
    if (h.length === 0) fail(fixFile, 'a row has no Handle');
    const rows = byHandle.get(h);
    if (rows === undefined) fail(fixFile, `no product in the export has Handle "${h}"`);
    const first = rows[0];
    const s = fixKey(row, 'variant sku', 'sku');
    const values = [1, 2, 3].map((k) => fixKey(row, `option${k} value`));
    let target = first;
    if (s.length > 0) {
      target = only(
        rows.filter((i) => t.cell(t.rows[i], sku) === s),
        `Handle "${h}" and Variant SKU "${s}"`,
        fixFile,
      );
    } else if (values.some((v) => v.length > 0)) {
      target = only(
        rows.filter((i) => values.every((v, k) => t.cell(t.rows[i], options[k]) === v)),
        `Handle "${h}" and options ${values.filter((v) => v).join(' / ')}`,
        fixFile,
      );
    }
    for (const [name, value] of row) {
      const key = t.keyOf(name);
      if (keyColumns.has(key)) continue;
      const c = t.column(name);
      t.set(t.rows[isShopifyProductColumn(key) ? first : target], c, value);
    }
  }
  return fix.rows.length;
}

/** WooCommerce (ID, else SKU), Google TSV (id), Amazon (seller-sku): one key per row. */
function applyKeyed(t: ExportTable, fix: FixFile, fixFile: string, format: FixFormat): number {
  const keys: { name: string; column: number }[] =
    format === 'woocommerce'
      ? [
          { name: 'ID', column: t.find('id') },
          { name: 'SKU', column: t.find('sku') },
        ]
      : format === 'gmc'
        ? [{ name: 'id', column: t.find('id') }]
        : [{ name: 'seller-sku', column: t.find('seller-sku') }];
  const keyNames = new Set(keys.map((k) => t.keyOf(k.name)));
  if (format === 'amazon') keyNames.add('sku');
  const indexes = keys.map((k) => indexBy(t, k.column));
  for (const row of fix.rows) {
    let target = -1;
    for (let k = 0; k < keys.length && target < 0; k++) {
      let value = '';
      for (const [h, v] of row) {
        const hk = t.keyOf(h);
        if (hk === t.keyOf(keys[k].name) || (format === 'amazon' && hk === 'sku')) value = v.trim();
      }
      if (value.length === 0) continue;
      target = only(indexes[k].get(value), `${keys[k].name} "${value}"`, fixFile);
    }
    if (target < 0)
      fail(fixFile, `a row names no listing (${keys.map((k) => k.name).join(' or ')} is empty)`);
    for (const [name, value] of row) {
      if (keyNames.has(t.keyOf(name))) continue;
      t.set(t.rows[target], t.column(name), value);
    }
  }
  return fix.rows.length;
}

function xmlText(v: string): string {
  return v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Google RSS/Atom feed: each fix row rewrites (or adds) the elements of the item with its id. */
function applyGmcXml(
  text: string,
  fix: FixFile,
  fixFile: string,
): { text: string; rows: number; cells: number; added: string[] } {
  const prefix = /xmlns:([\w.-]+)\s*=\s*["']http:\/\/base\.google\.com\/ns\/1\.0["']/.exec(text)?.[1] ?? 'g';
  const key = keyFunction('gmc');
  const byId = new Map<string, Map<string, string>>();
  for (const row of fix.rows) {
    let id = '';
    const values = new Map<string, string>();
    for (const [h, v] of row) {
      const k = key(h);
      if (k === 'id') id = v.trim();
      else values.set(k, v);
    }
    if (id.length === 0) fail(fixFile, 'a row has no id');
    if (byId.has(id)) fail(fixFile, `id "${id}" is in more than one row`);
    byId.set(id, values);
  }
  const seen = new Set<string>();
  const added = new Set<string>();
  let cells = 0;
  const element = (name: string, p: string): RegExp =>
    new RegExp(
      `<${escapeRegExp(p)}${escapeRegExp(name)}(?:\\s[^>]*)?(?:/>|>[\\s\\S]*?</${escapeRegExp(p)}${escapeRegExp(name)}\\s*>)`,
    );
  const out = text.replace(
    /<(item|entry)(\s[^>]*)?>([\s\S]*?)<\/\1\s*>/g,
    (whole, tag: string, attrs: string | undefined, body: string) => {
      const idMatch = element('id', `${prefix}:`).exec(body) ?? element('id', '').exec(body);
      if (idMatch === null) return whole;
      const id = decodeEntities(idMatch[0].replace(/^<[^>]*>/, '').replace(/<\/[^>]*>$/, '')).trim();
      const values = byId.get(id);
      if (values === undefined) return whole;
      seen.add(id);
      let b = body;
      for (const [name, value] of values) {
        const written = `<${prefix}:${name}>${xmlText(value)}</${prefix}:${name}>`;
        const g = element(name, `${prefix}:`);
        const plain = element(name, '');
        if (g.test(b)) b = b.replace(g, written);
        else if (plain.test(b)) b = b.replace(plain, `<${name}>${xmlText(value)}</${name}>`);
        else {
          b = b.endsWith('\n') ? `${b}${written}\n` : `${b}\n${written}\n`;
          added.add(name);
        }
        cells++;
      }
      return `<${tag}${attrs ?? ''}>${b}</${tag}>`;
    },
  );
  for (const id of byId.keys()) if (!seen.has(id)) fail(fixFile, `no item in the feed has id "${id}"`);
  return { text: out, rows: byId.size, cells, added: [...added] };
}

/**
 * Applies a fix list to a channel export as the channel's import would, and writes the updated export to
 * `outPath` (which may be the export itself).
 */
export async function applyFixList(
  exportPath: string,
  fixListPath: string,
  format: FixFormat,
  outPath: string,
): Promise<ApplyResult> {
  const source = decode(await readFile(exportPath));
  const fixText = decode(await readFile(fixListPath)).text;
  const fixDelimiter = format === 'shopify' || format === 'woocommerce' ? ',' : '\t';
  const fix = readFixList(fixText, fixDelimiter);

  if (format === 'gmc' && source.text.trimStart().startsWith('<')) {
    const r = applyGmcXml(source.text, fix, fixListPath);
    await writeFile(outPath, encode(source, r.text));
    return { rows: r.rows, cells: r.cells, addedColumns: r.added };
  }

  const firstLine = source.text.slice(0, source.text.indexOf('\n') + 1 || undefined);
  const eol = firstLine.endsWith('\r\n') ? '\r\n' : '\n';
  const delimiter = format === 'shopify' || format === 'woocommerce' ? ',' : '\t';
  const table = parseTable(source.text, delimiter);
  if (table.length === 0) fail(exportPath, 'the export is empty');
  const header = table[0];
  const t = new ExportTable(header, table.slice(1), format);
  const rows =
    format === 'shopify' ? applyShopify(t, fix, fixListPath) : applyKeyed(t, fix, fixListPath, format);

  const cell = format === 'amazon' ? rawTsvCell : quoted(delimiter);
  const lines = [t.header, ...t.rows].map((r) => r.map(cell).join(delimiter));
  const trailing = /\r?\n$/.test(source.text);
  await writeFile(outPath, encode(source, lines.join(eol) + (trailing ? eol : '')));
  return { rows, cells: t.changed, addedColumns: t.added };
}
