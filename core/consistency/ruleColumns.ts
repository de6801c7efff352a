/**
 * Raw cells that assortment rules test (`{"column": "<raw header>"}`), read from the verbatim rows kept in the
 * workspace: only the sources of the channels whose rules name columns, one pass over each.
 */
import type Database from 'better-sqlite3';
import { extname } from 'node:path';
import Papa from 'papaparse';
import { containerByExtension, type Container } from '../ingest/sniff.js';
import { rawRows } from '../store/rawRows.js';
import { recordLines } from '../store/records.js';

interface SourceRow {
  id: number;
  channel: string;
  format: string;
  file_name: string;
  header: string;
}

/**
 * records.id → lower-cased header → the cell's text, for the records of the given channels (matched
 * case-insensitively) whose sources have any of the given columns. Empty cells are left out: absent and empty are
 * the same to a rule. Records may share one cells map (a Shopify product's variants): treat the maps as read-only.
 */
export function loadRuleColumns(
  db: Database.Database,
  columns: Map<string /* channel */, string[] /* raw headers */>,
): Map<number, Map<string, string>> {
  const wanted = new Map<string, Set<string>>();
  for (const [channel, headers] of columns) {
    const key = channel.trim().toLowerCase();
    const set = wanted.get(key) ?? new Set<string>();
    for (const h of headers) set.add(h.trim().toLowerCase());
    wanted.set(key, set);
  }
  const out = new Map<number, Map<string, string>>();
  if (wanted.size === 0) return out;

  const sources = db
    .prepare(`SELECT id, channel, format, file_name, header FROM sources WHERE kind = 'products' ORDER BY id`)
    .all() as SourceRow[];
  for (const source of sources) {
    const want = wanted.get(source.channel.trim().toLowerCase());
    if (want === undefined || want.size === 0) continue;
    const reader = rowReader(source, want);
    if (reader === null) continue;
    const byLine = new Map<number, number[]>();
    for (const [line, id] of recordLines(db, source.id)) {
      const ids = byLine.get(line);
      if (ids) ids.push(id);
      else byLine.set(line, [id]);
    }
    if (byLine.size === 0) continue;
    for (const { line, text } of rawRows(db, source.id)) {
      const ids = byLine.get(line);
      if (ids === undefined && !reader.everyRow) continue;
      const cells = reader.read(text, ids ?? NO_IDS);
      if (cells === null || cells.size === 0 || ids === undefined) continue;
      for (const id of ids) out.set(id, cells);
    }
    for (const [id, cells] of reader.finish()) out.set(id, cells);
  }
  return out;
}

interface RowReader {
  /** Whether rows without a record matter too (a WooCommerce parent row, whose cells its variations inherit). */
  everyRow: boolean;
  /** The wanted cells of a row whose records are `ids` (none for a row without a record). */
  read(raw: string, ids: readonly number[]): Map<string, string> | null;
  /** Records settled only once every row was seen (a variation listed before its parent). */
  finish(): Iterable<[number, Map<string, string>]>;
}

type CellReader = (raw: string) => Map<string, string> | null;

const NO_IDS: readonly number[] = [];
const NONE: Map<string, string> = new Map();

function simpleReader(read: CellReader): RowReader {
  return { everyRow: false, read, finish: () => [] };
}

/** Files without a telling extension: what the stored rows look like (as the import saw their first character). */
function containerByContent(firstRow: string): Container {
  const start = firstRow.trimStart();
  if (start.startsWith('[')) return 'xml';
  if (start.startsWith('{')) return 'jsonl';
  return 'delimited';
}

function rowReader(source: SourceRow, want: Set<string>): RowReader | null {
  const header = JSON.parse(source.header) as string[];
  const at: [string, number][] = [];
  header.forEach((h, i) => {
    const key = h.trim().toLowerCase();
    if (want.has(key) && !at.some(([k]) => k === key)) at.push([key, i]);
  });
  const build = (container: Container): RowReader => {
    // An XML item keeps every element, also those that are not table columns; so any column may be there.
    if (container === 'xml') return simpleReader(xmlReader(want));
    if (at.length === 0) return simpleReader(() => null);
    if (container === 'jsonl') return simpleReader(jsonlReader(at.map(([k]) => k)));
    return delimitedReader(source, header, at);
  };
  const known = containerByExtension(source.file_name);
  if (known !== null) return known !== 'xml' && at.length === 0 ? null : build(known);
  // No telling extension: decided on the first row, which every format reads (everyRow until then).
  let reader: RowReader | null = null;
  return {
    get everyRow() {
      return reader?.everyRow ?? true;
    },
    read(raw, ids) {
      reader ??= build(containerByContent(raw));
      return reader.read(raw, ids);
    },
    finish: () => reader?.finish() ?? [],
  };
}

/** XML items are stored as a JSON list of [element name as written, text]; `g:price` is the column `price`. */
function xmlReader(want: Set<string>): CellReader {
  return (raw) => {
    let elements: unknown;
    try {
      elements = JSON.parse(raw);
    } catch {
      return null;
    }
    if (!Array.isArray(elements)) return null;
    const cells = new Map<string, string>();
    const prefixed = new Set<string>();
    for (const el of elements as unknown[]) {
      if (!Array.isArray(el) || typeof el[0] !== 'string' || typeof el[1] !== 'string') continue;
      const name = el[0];
      const colon = name.lastIndexOf(':');
      const local = name.slice(colon + 1).toLowerCase();
      if (!want.has(local) || el[1] === '') continue;
      // As at import: the g: form wins over a plain RSS/Atom element of the same name; repeats are joined.
      const isPrefixed = colon !== -1;
      const seen = cells.get(local);
      if (seen === undefined || (isPrefixed && !prefixed.has(local))) {
        cells.set(local, el[1]);
        if (isPrefixed) prefixed.add(local);
      } else if (isPrefixed === prefixed.has(local)) {
        cells.set(local, `${seen},${el[1]}`);
      }
    }
    return cells;
  };
}

function jsonlReader(keys: string[]): CellReader {
  return (raw) => {
    let obj: unknown;
    try {
      obj = JSON.parse(raw);
    } catch {
      return null;
    }
    if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return null;
    const cells = new Map<string, string>();
    for (const [k, v] of Object.entries(obj as Record<string, unknown>)) {
      const key = k.trim().toLowerCase();
      if (!keys.includes(key) || v === null || v === undefined) continue;
      const text = typeof v === 'object' ? JSON.stringify(v) : String(v);
      if (text !== '') cells.set(key, text);
    }
    return cells;
  };
}

const DELIMITERS = ['\t', ',', ';'];

function delimitedReader(source: SourceRow, header: string[], at: [string, number][]): RowReader {
  // The import's delimiter is not stored: the one that splits a row into as many cells as the header has is it.
  // Tab first (commas are common inside values, tabs are not), except in a .csv file.
  const candidates = extname(source.file_name).toLowerCase() === '.csv' ? [',', '\t', ';'] : DELIMITERS;
  let delimiter: string | null = null;
  const split = (raw: string): string[] | null => {
    if (delimiter === null) {
      for (const d of candidates) {
        const cells = splitRow(raw, d);
        if (cells.length === header.length) {
          delimiter = d;
          return cells;
        }
      }
      return null;
    }
    const cells = splitRow(raw, delimiter);
    return cells.length === header.length ? cells : null;
  };
  const own = (cells: string[]): Map<string, string> | null => {
    let out: Map<string, string> | null = null;
    for (const [key, i] of at) {
      const v = cells[i];
      if (v !== '' && v.trim() !== '') (out ??= new Map()).set(key, v);
    }
    return out;
  };
  if (source.format === 'shopify') return shopifyInheritance(header, split, own);
  if (source.format === 'woocommerce') return wooInheritance(header, split, own);
  return simpleReader((raw) => {
    const cells = split(raw);
    return cells === null ? null : own(cells);
  });
}

/** `own`'s cells, then the product's for those it leaves empty. */
function inherit(own: Map<string, string> | null, product: Map<string, string>): Map<string, string> {
  if (own === null) return product;
  for (const [k, v] of product) if (!own.has(k)) own.set(k, v);
  return own;
}

/** A Shopify product's first row carries its product fields; its variant rows leave them empty and inherit. */
function shopifyInheritance(
  header: string[],
  split: (raw: string) => string[] | null,
  own: (cells: string[]) => Map<string, string> | null,
): RowReader {
  const handleAt = headerIndex(header, ['handle', 'url handle']);
  let handle: string | null = null;
  let product = NONE;
  return simpleReader((raw) => {
    const cells = split(raw);
    if (cells === null) return null;
    const mine = own(cells);
    const h = handleAt < 0 ? '' : cells[handleAt].trim();
    if (h === '') return mine;
    if (h === handle) return inherit(mine, product);
    handle = h;
    product = mine ?? NONE;
    return product;
  });
}

/**
 * A WooCommerce variable product's row is a container, not a record: its variations (`Parent` = `id:<ID>` or the
 * parent's SKU) leave its fields empty and inherit them.
 */
function wooInheritance(
  header: string[],
  split: (raw: string) => string[] | null,
  own: (cells: string[]) => Map<string, string> | null,
): RowReader {
  const typeAt = headerIndex(header, ['type']);
  const idAt = headerIndex(header, ['id']);
  const skuAt = headerIndex(header, ['sku']);
  const parentAt = headerIndex(header, ['parent']);
  const parents = new Map<string, Map<string, string>>();
  const late: { ids: readonly number[]; mine: Map<string, string> | null; parent: string }[] = [];
  const parentKey = (ref: string): string => {
    const r = ref.trim();
    return r.slice(0, 3).toLowerCase() === 'id:' ? `id:${r.slice(3).trim()}` : `sku:${r.toLowerCase()}`;
  };
  return {
    everyRow: true,
    read(raw, ids) {
      const cells = split(raw);
      if (cells === null) return null;
      const mine = own(cells);
      if (typeAt >= 0 && /\bvariable\b/i.test(cells[typeAt])) {
        const id = idAt < 0 ? '' : cells[idAt].trim();
        const sku = skuAt < 0 ? '' : cells[skuAt].trim();
        if (id !== '') parents.set(`id:${id}`, mine ?? NONE);
        if (sku !== '') parents.set(`sku:${sku.toLowerCase()}`, mine ?? NONE);
      }
      const ref = parentAt < 0 ? '' : cells[parentAt].trim();
      if (ref === '' || ids.length === 0) return mine;
      const parent = parents.get(parentKey(ref));
      if (parent !== undefined) return inherit(mine, parent);
      late.push({ ids, mine, parent: parentKey(ref) });
      return mine;
    },
    *finish() {
      for (const { ids, mine, parent } of late) {
        const product = parents.get(parent);
        if (product === undefined || product.size === 0) continue;
        const cells = inherit(mine === null ? null : new Map(mine), product);
        for (const id of ids) yield [id, cells] as [number, Map<string, string>];
      }
    },
  };
}

function headerIndex(header: string[], names: string[]): number {
  return header.findIndex((h) => names.includes(h.trim().toLowerCase()));
}

/** One row's cells; rows without a quote (most) need no CSV parser. */
function splitRow(raw: string, delimiter: string): string[] {
  if (!raw.includes('"')) return raw.split(delimiter);
  const parsed = Papa.parse<string[]>(raw, { delimiter, quoteChar: '"', newline: detectNewline(raw) });
  return parsed.data[0] ?? [];
}

function detectNewline(raw: string): '\r\n' | '\n' | '\r' {
  if (raw.includes('\r\n')) return '\r\n';
  if (raw.includes('\r')) return '\r';
  return '\n';
}
