/**
 * Helpers the format adapters share: header lookup (done once in bind), detection scores, and the
 * normalize-and-warn steps every adapter repeats (GTIN, prices, weights, availability).
 */
import { badInput } from '../../model/errors.js';
import type { Availability, NormalizedRecord } from '../../model/record.js';
import type { FormatName } from '../../model/record.js';
import type { FormatAdapter, RawRow, RowContext, RowMapper } from '../types.js';
import { parseStock } from '../../normalize/availability.js';
import { brandDisplay, brandKey } from '../../normalize/brand.js';
import { decodeEntities } from '../../normalize/html.js';
import { normalizeText } from '../../normalize/text.js';
import { normalizeGtin } from '../../normalize/gtin.js';
import { parsePrice, type ParsedPrice } from '../../normalize/price.js';
import { parseWeight } from '../../normalize/units.js';

const BOM = /^\ufeff/;
const SPACES = /\s+/g;
const HAS_ENTITY = /&(?:[a-z]+|#\d+|#x[0-9a-f]+);/i;

/** Header cell -> lookup key: BOM and outer spaces removed, inner spaces collapsed, lower case. */
export function headerKey(h: string): string {
  return h.replace(BOM, '').replace(SPACES, ' ').trim().toLowerCase();
}

/** Case- and spacing-insensitive column lookup over one file's header. First occurrence wins. */
export class HeaderIndex {
  readonly keys: string[];
  private readonly at = new Map<string, number>();

  constructor(
    readonly header: readonly string[],
    keyOf: (h: string) => string = headerKey,
  ) {
    this.keys = header.map(keyOf);
    this.keys.forEach((k, i) => {
      if (!this.at.has(k)) this.at.set(k, i);
    });
  }

  /** Index of the first of `names` present (names given as lookup keys), or -1. */
  find(...names: string[]): number {
    for (const n of names) {
      const i = this.at.get(n);
      if (i !== undefined) return i;
    }
    return -1;
  }

  has(name: string): boolean {
    return this.at.has(name);
  }

  /** The header cell as written in the file (for warnings and errors). */
  name(i: number, fallback: string): string {
    return i >= 0 ? this.header[i].replace(BOM, '').trim() : fallback;
  }
}

/** The keys of a columns object that hold one column index. */
type IndexKey<C> = { [K in keyof C]: C[K] extends number ? K : never }[keyof C];

/**
 * A format told apart by its header: `detect` scores the header against the signature, `bind` reads
 * the header once through `keyOf` and hands the index to the format's own `bind`.
 */
export function headerFormat(format: {
  name: FormatName;
  label: string;
  keyOf?: (header: string) => string;
  anchors: string[][];
  signature: string[][];
  bind(h: HeaderIndex, file: string): RowMapper;
}): FormatAdapter {
  const keyOf = format.keyOf ?? headerKey;
  return {
    name: format.name,
    label: format.label,
    detect: signatureDetector(keyOf, format.anchors, format.signature),
    bind: (header, options) => format.bind(new HeaderIndex(header, keyOf), options.file),
  };
}

/**
 * A format's row mapper over the columns its `bind` found: `c` holds their indexes, `h` the header
 * (for the column names warnings and errors give), `file` the file being read.
 */
export abstract class ColumnMapper<C> implements RowMapper {
  constructor(
    protected readonly c: C,
    protected readonly h: HeaderIndex,
    protected readonly file: string,
  ) {}

  abstract map(row: RawRow, ctx: RowContext): NormalizedRecord | null;

  /** Columns as the file names them (for warnings), each with the name to give when the file lacks it. */
  protected columnNames<K extends IndexKey<C>>(fallbacks: Record<K, string>): Record<K, string> {
    const names = {} as Record<K, string>;
    for (const k of Object.keys(fallbacks) as K[]) names[k] = this.h.name(this.c[k] as number, fallbacks[k]);
    return names;
  }

  /** BAD_INPUT for a row that yields no record identity, naming its line and the identity column. */
  protected noIdentity(row: RawRow, field: string, message: string): Error {
    return badInput({ file: this.file, line: row.line, field }, message);
  }
}

/**
 * A bounded cache for normalizations whose inputs repeat across rows (vendors, category paths, types):
 * the first 4096 distinct inputs are kept, then the cache starts over. Values must not be mutated.
 */
export class Memo<T> {
  private readonly map = new Map<string, T>();

  constructor(
    private readonly fn: (s: string) => T,
    private readonly max = 4096,
  ) {}

  get(s: string): T {
    let v = this.map.get(s);
    if (v === undefined && !this.map.has(s)) {
      if (this.map.size >= this.max) this.map.clear();
      v = this.fn(s);
      this.map.set(s, v);
    }
    return v as T;
  }
}

/** Display form and key of a brand cell, memoized by the caller. */
export interface BrandPair {
  brand: string | null;
  key: string | null;
}

export function brandPair(s: string): BrandPair {
  return { brand: brandDisplay(s), key: brandKey(s) };
}

/**
 * An identifier or barcode cell without a spreadsheet's text marker: a leading apostrophe (`'7350177880121`,
 * `'1`) keeps a spreadsheet from turning the value into a number and is no part of it. Real Shopify exports
 * carry it on barcodes and SKUs; every format strips it from GTINs, SKUs and record ids. A lone `'` stays.
 */
export function withoutTextMarker(s: string): string {
  let i = 0;
  while (i < s.length && (s.charCodeAt(i) === 32 || s.charCodeAt(i) === 9)) i++;
  return s.charCodeAt(i) === 39 && i + 1 < s.length ? s.slice(i + 1) : s;
}

/** Cell i of a row, '' when the column is absent. */
export function cell(cells: readonly string[], i: number): string {
  if (i < 0) return '';
  return cells[i] ?? '';
}

/**
 * Detection score 0..1: the share of signature groups (each a list of alternative lookup keys) the
 * header has. Without every anchor group the score is scaled down below 0.5, so a header that merely
 * shares common words (title, price) with a format is not taken for it.
 */
export function signatureScore(
  keys: ReadonlySet<string>,
  anchors: string[][],
  signature: string[][],
): number {
  if (signature.length === 0) return 0;
  let hits = 0;
  for (const group of signature) if (group.some((k) => keys.has(k))) hits++;
  let score = hits / signature.length;
  for (const group of anchors) {
    if (!group.some((k) => keys.has(k))) {
      score *= 0.4;
      break;
    }
  }
  return Math.round(score * 1000) / 1000;
}

/** A format's `detect`: the signature score of the header, each name read through the format's key function. */
export function signatureDetector(
  key: (header: string) => string,
  anchors: string[][],
  signature: string[][],
): (header: string[]) => number {
  return (header) => signatureScore(new Set(header.map(key)), anchors, signature);
}

/** Throws BAD_INPUT naming the column a format needs. */
export function missingColumn(
  file: string,
  column: string,
  format: string,
  header: readonly string[],
): Error {
  const shown = header.slice(0, 12).join(', ') + (header.length > 12 ? ', …' : '');
  return badInput(
    { file, line: 1, field: column },
    `${format}: the header has no "${column}" column (header: ${shown})`,
  );
}

/** One-line text that may carry entities but never markup (titles, names): `Tom &amp; Jerry` -> `Tom & Jerry`. */
export function plainText(s: string): string | null {
  if (s.length === 0) return null;
  return normalizeText(HAS_ENTITY.test(s) ? decodeEntities(s) : s);
}

/** Splits `tag1, tag2,tag3` into normalized, de-duplicated values (order kept). */
export function splitList(s: string, separator = ','): string[] {
  if (s.length === 0) return [];
  const out: string[] = [];
  for (const part of s.split(separator)) {
    const t = normalizeText(part);
    if (t !== null && !out.includes(t)) out.push(t);
  }
  return out;
}

/** Fills gtin, gtinRaw, gtinStatus (a spreadsheet's text marker removed); warns on an Excel-mangled or wrong barcode. */
export function applyGtin(rec: NormalizedRecord, raw: string, ctx: RowContext, field: string): void {
  const g = normalizeGtin(withoutTextMarker(raw));
  rec.gtin = g.gtin;
  rec.gtinRaw = g.raw;
  rec.gtinStatus = g.status;
  if (g.status === 'mangled') {
    ctx.warn(
      field,
      'gtin_scientific_notation',
      `"${g.raw}" is a barcode a spreadsheet turned into scientific notation; its digits are lost (kept as written)`,
    );
  } else if (g.status === 'invalid') {
    ctx.warn(field, 'gtin_check_digit', `"${g.raw}" is not a valid GTIN/UPC/EAN (check digit or length)`);
  }
}

/** Parses a price cell; blank -> null silently; junk -> null with `unparsed_price`; decimal comma warned. */
export function readPrice(
  raw: string,
  ctx: RowContext,
  field: string,
  defaultCurrency: string | null = null,
): ParsedPrice | null {
  if (raw.length === 0) return null;
  const p = parsePrice(raw, defaultCurrency);
  if (p === null) {
    if (raw.trim().length > 0) ctx.warn(field, 'unparsed_price', `"${raw}" is not a price`);
    return null;
  }
  if (p.decimalComma)
    ctx.warn(field, 'decimal_comma', `"${raw}" uses a decimal comma; read as ${p.minor} minor units`);
  if (p.unknownCurrency !== null)
    ctx.warn(field, 'unknown_currency', `"${p.unknownCurrency}" in "${raw}" is not an ISO 4217 currency`);
  return p;
}

/**
 * Regular and sale price from a pair of cells. When the "sale" amount is not below the regular one it
 * is not a sale and is dropped. Currency: the first cell that names one, else `defaultCurrency`.
 */
export function applyPrices(
  rec: NormalizedRecord,
  regular: ParsedPrice | null,
  sale: ParsedPrice | null,
): void {
  rec.priceMinor = regular?.minor ?? sale?.minor ?? null;
  rec.salePriceMinor = regular !== null && sale !== null && sale.minor < regular.minor ? sale.minor : null;
  rec.currency = regular?.currency ?? sale?.currency ?? null;
}

/** Weight in grams from a cell (unit in the value, or `defaultUnit`); warns `unparsed_weight`. */
export function readWeightG(
  raw: string,
  ctx: RowContext,
  field: string,
  defaultUnit?: string,
): number | null {
  if (raw.trim().length === 0) return null;
  const m = parseWeight(raw, defaultUnit);
  if (m === null) {
    ctx.warn(field, 'unparsed_weight', `"${raw}" is not a weight${defaultUnit ? ` in ${defaultUnit}` : ''}`);
    return null;
  }
  if (m.decimalComma) ctx.warn(field, 'decimal_comma', `"${raw}" uses a decimal comma; read as ${m.value} g`);
  return m.value;
}

/** Stock count from a cell; blank -> null silently; anything else not a count -> null, warned as `what`. */
export function readStock(
  raw: string,
  ctx: RowContext,
  field: string,
  what = 'a stock quantity',
): number | null {
  const stock = parseStock(raw);
  if (stock === null && raw.trim().length > 0) {
    ctx.warn(field, 'unknown_availability', `"${raw}" is not ${what}`);
  }
  return stock;
}

/** An availability cell read by the format's `map`; a value it does not know is null, warned as `what`. */
export function readAvailability(
  raw: string,
  map: (s: string) => Availability | null,
  ctx: RowContext,
  field: string,
  what: string,
): Availability | null {
  const availability = map(raw);
  if (availability === null) ctx.warn(field, 'unknown_availability', `"${raw}" is not ${what}`);
  return availability;
}

/** The availability a cell states (readAvailability), or `otherwise` when the cell is blank. */
export function availabilityOrElse(
  raw: string,
  read: (raw: string) => Availability | null,
  otherwise: () => Availability | null,
): Availability | null {
  return raw.trim().length > 0 ? read(raw) : otherwise();
}

/** Lower-cased normalized word, or null (`Active` -> `active`). */
export function lowerWord(s: string): string | null {
  const t = normalizeText(s);
  return t === null ? null : t.toLowerCase();
}
