/**
 * A record's row as its export file had it (core/store/rawRows.ts keeps every row verbatim), read by column name
 * the way the format's importer names columns. Fix lists need the cells Concord does not normalize into records:
 * Shopify's Handle and option values, WooCommerce's ID and Parent, which category attribute a Google feed used,
 * an Amazon listing's fulfillment channel, and the current text of the cells a fix overwrites.
 */
import type Database from 'better-sqlite3';
import Papa from 'papaparse';
import { headerKey, HeaderIndex } from '../../ingest/formats/common.js';
import { gmcKey } from '../../ingest/formats/gmc.js';
import { rawRow, rawRows } from '../../store/rawRows.js';

/** One source (export file) of a channel. */
export interface FixSource {
  id: number;
  /** shopify | woocommerce | gmc | amazon | csv | jsonl */
  format: string;
  fileName: string;
  header: string[];
  /** The export writes prices and weights with a decimal comma (the importer warned `decimal_comma`). */
  decimalComma: boolean;
}

export interface RowCells {
  /** The cell of the first of `keys` (importer lookup keys, e.g. `variant sku`) the source has; '' when none. */
  get(...keys: string[]): string;
  /** The header as the export spells it for the first of `keys` the source has, or null. */
  column(...keys: string[]): string | null;
}

const AMAZON_UNDERSCORE = /_/g;

/** The importer's header lookup key of a format. */
export function keyFunction(format: string): (h: string) => string {
  if (format === 'gmc') return gmcKey;
  if (format === 'amazon') return (h) => headerKey(h).replace(AMAZON_UNDERSCORE, '-');
  return headerKey;
}

/** Delimiters to try, the format's usual one first. */
function delimiters(format: string): string[] {
  return format === 'amazon' || format === 'gmc' ? ['\t', ',', ';'] : [',', '\t', ';'];
}

class DelimitedRow implements RowCells {
  constructor(
    private readonly index: HeaderIndex,
    private readonly cells: readonly string[],
  ) {}

  get(...keys: string[]): string {
    const i = this.index.find(...keys);
    return i < 0 ? '' : (this.cells[i] ?? '');
  }

  column(...keys: string[]): string | null {
    const i = this.index.find(...keys);
    return i < 0 ? null : this.index.name(i, keys[0]);
  }
}

/** A Google XML feed item: its raw text is the JSON list of its elements (core/ingest/xml.ts). */
class XmlItem implements RowCells {
  private readonly values = new Map<string, string>();

  constructor(elements: [string, string][]) {
    const plain = new Map<string, string>();
    for (const [name, value] of elements) {
      const colon = name.indexOf(':');
      const local = colon < 0 ? name : name.slice(colon + 1);
      if (colon >= 0) {
        if (!this.values.has(local)) this.values.set(local, value);
      } else if (!plain.has(local)) plain.set(local, value === '' ? '' : value);
    }
    // Plain RSS/Atom elements (title, link, description/summary) count when the g: form is absent.
    for (const [local, value] of plain) {
      const key = local === 'summary' ? 'description' : local;
      if (!this.values.has(key)) this.values.set(key, value);
    }
  }

  get(...keys: string[]): string {
    for (const k of keys) {
      const v = this.values.get(k);
      if (v !== undefined) return v;
    }
    return '';
  }

  column(...keys: string[]): string | null {
    return keys[0] ?? null;
  }
}

/** Reads records' raw rows by source and line, parsed once. */
export class RawReader {
  private readonly indexes = new Map<number, HeaderIndex>();
  private readonly cache = new Map<string, RowCells | null>();
  private readonly texts = new Map<string, string>();

  constructor(private readonly db: Database.Database) {}

  /**
   * Reads many rows of a source in one pass over its stored blocks (a lookup by line decodes the row's whole
   * block, so thousands of lookups would decode each block many times).
   */
  prefetch(source: FixSource, lines: readonly number[]): void {
    if (lines.length < 32) return;
    const wanted = new Set(lines);
    const last = lines.reduce((a, b) => (b > a ? b : a), 0);
    for (const row of rawRows(this.db, source.id)) {
      if (wanted.has(row.line)) this.texts.set(`${source.id}:${row.line}`, row.text);
      if (row.line >= last) break;
    }
  }

  row(source: FixSource, line: number): RowCells | null {
    const key = `${source.id}:${line}`;
    let cells = this.cache.get(key);
    if (cells === undefined) {
      cells = this.parse(source, line);
      this.cache.set(key, cells);
    }
    return cells;
  }

  /** The header of the source, as the importer looks columns up. */
  header(source: FixSource): HeaderIndex {
    let index = this.indexes.get(source.id);
    if (index === undefined) {
      index = new HeaderIndex(source.header, keyFunction(source.format));
      this.indexes.set(source.id, index);
    }
    return index;
  }

  private parse(source: FixSource, line: number): RowCells | null {
    const key = `${source.id}:${line}`;
    const text = this.texts.get(key) ?? rawRow(this.db, source.id, line);
    this.texts.delete(key);
    if (text === null) return null;
    if (source.format === 'gmc' && text.startsWith('[')) {
      try {
        return new XmlItem(JSON.parse(text) as [string, string][]);
      } catch {
        // not an XML item after all: a TSV row that starts with '['
      }
    }
    const width = source.header.length;
    let best: string[] = [];
    for (const delimiter of delimiters(source.format)) {
      const parsed = Papa.parse<string[]>(text, { delimiter, header: false });
      const cells = parsed.data[0] ?? [];
      if (cells.length === width) return new DelimitedRow(this.header(source), cells);
      if (Math.abs(cells.length - width) < Math.abs(best.length - width)) best = cells;
    }
    return new DelimitedRow(this.header(source), best);
  }
}
