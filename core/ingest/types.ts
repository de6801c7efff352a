import type { FormatName, NormalizedRecord, RowWarning } from '../model/record.js';

/** One row as read from a file: its first line number, the verbatim text, and its cells. */
export interface RawRow {
  line: number;
  raw: string;
  cells: string[];
  /** Cells the row lacked at its end (fewer fields than the header), added as empty: set only then. */
  padded?: number;
}

/** Where a mapped value came from, for error messages. */
export interface RowContext {
  file: string;
  line: number;
  warn(field: string, code: RowWarning['code'], message: string): void;
}

/** Binds a format to one file's header; `map` turns rows into records. It may keep state across rows
 * (a Shopify product's fields sit on the first row of its Handle). Returns null for rows that carry no
 * record (Shopify image-only rows). Throws ConcordError (BAD_INPUT) for rows it cannot accept. */
export interface RowMapper {
  map(row: RawRow, ctx: RowContext): NormalizedRecord | null;
  /** The column the record id comes from, as the file names it (for duplicate-id warnings and errors). */
  idColumn?: string;
  /**
   * The identity the format gives a row whose record id the file already had (DESIGN.md "Record identity": Shopify
   * Handle + option values, WooCommerce ID), or null when the format has none. Called only for such rows, after map.
   */
  fallbackId?(row: RawRow): string | null;
}

export interface BindOptions {
  file: string;
  /** Generic formats: target field -> source column (`--map recordId=sku`). */
  mapping?: Record<string, string>;
}

export interface FormatAdapter {
  name: FormatName;
  /** Human name shown in the UI. */
  label: string;
  /** 0..1: how well a header fits this format (1 = every identifying column present). */
  detect(header: string[]): number;
  /** Throws BAD_INPUT naming the missing column when the header lacks what the format needs. */
  bind(header: string[], options: BindOptions): RowMapper;
}
