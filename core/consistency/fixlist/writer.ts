/** What every channel's fix-list writer shares: its contract and the bookkeeping of one gap's cell changes. */
import type Database from 'better-sqlite3';
import type { ChannelFormat } from '../../api/contract.js';
import type { FixGap, FixGolden, FixRecord } from './load.js';
import type { RawReader, RowCells } from './rawCells.js';
import type { FixRow, FixTable } from './table.js';

/** A gap whose record and golden record were found. */
export type LoadedGap = FixGap & { record: FixRecord; golden: FixGolden };

export interface WriterContext {
  db: Database.Database;
  table: FixTable;
  raw: RawReader;
  channel: string;
  /** The channel's own category for a golden (reference taxonomy) category, or null when none is known. */
  categoryFor(reference: string): string | null;
}

export interface ChannelWriter {
  format: ChannelFormat;
  /** What the file is, for messages. */
  label: string;
  extension: 'csv' | 'tsv' | 'txt';
  mimeType: string;
  delimiter: ',' | '\t';
  /** Start the file with a UTF-8 byte order mark (as the channel's own export does). */
  bom: boolean;
  /** The key columns (as the channel spells them by default), for a file without rows. */
  keyColumns: readonly string[];
  /** Value columns in the order the file lists them (as the channel spells them by default). */
  columns: readonly string[];
  /** A writer for one fix list. */
  start(ctx: WriterContext): RecordFixer;
}

export interface RecordFixer {
  /** Adds the cells that correct one record's gaps (all of one record at once: regular and sale price go together). */
  fix(record: FixRecord, cells: RowCells, gaps: readonly LoadedGap[]): void;
  /** After every record: rows the channel needs beside the changed ones. */
  finish?(): void;
}

/** One cell a gap changes: the row, the column, the new text, and whether the export already says the same. */
export interface CellChange {
  row: FixRow;
  column: string;
  value: string;
  /** The export already holds this value (compared after normalization): nothing to write. */
  same: boolean;
}

/**
 * The channel's own category for the golden record's, through the category mapping; null (and the gap skipped with
 * the reason) when the golden record has none or the mapping knows none for this channel.
 */
export function channelCategory(ctx: WriterContext, gap: LoadedGap): string | null {
  const reference = gap.golden.category;
  if (reference === null) {
    ctx.table.skip(gap.id, REASONS.noCategory);
    return null;
  }
  const value = ctx.categoryFor(reference);
  if (value === null) ctx.table.skip(gap.id, REASONS.unmappedCategory(ctx.channel, reference));
  return value;
}

/**
 * Records a gap's changes: every needed cell set -> corrected; a cell another gap set differently -> skipped with
 * that reason; nothing differs from the export -> skipped (the gap is stale or comes from elsewhere).
 */
export function applyChanges(ctx: WriterContext, gap: { id: number }, changes: readonly CellChange[]): void {
  const needed = changes.filter((c) => !c.same);
  if (needed.length === 0) {
    const shown = changes.map((c) => `${c.column} "${c.value}"`).join(', ');
    ctx.table.skip(
      gap.id,
      `the export already has ${shown || 'the expected value'} (re-run \`concord gaps\` after the latest import)`,
    );
    return;
  }
  for (const c of needed) {
    const conflict = ctx.table.set(c.row, c.column, c.value, gap.id);
    if (conflict !== null) {
      ctx.table.skip(gap.id, conflict);
      return;
    }
  }
  ctx.table.correct(gap.id);
}

/** Skips the gap with `reason` when the value its fix needs is null; true when it did (the fix stops there). */
export function skipWhenNull<T>(
  table: FixTable,
  gap: { id: number },
  value: T | null,
  reason: string,
): value is null {
  if (value !== null) return false;
  table.skip(gap.id, reason);
  return true;
}

/** How a tab-separated fix list is written (no byte order mark). */
export const TSV = { mimeType: 'text/tab-separated-values', delimiter: '\t', bom: false } as const;

/** `start` for a writer that fixes each record on its own, keeping nothing across records. */
export function perRecord(
  fix: (record: FixRecord, cells: RowCells, gaps: readonly LoadedGap[], ctx: WriterContext) => void,
): ChannelWriter['start'] {
  return (ctx) => ({ fix: (record, cells, gaps) => fix(record, cells, gaps, ctx) });
}

/** Same text after trimming and case folding. */
export function sameText(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

export const REASONS = {
  noPrice: 'no record of the product has a price',
  noSalePrice: 'the product has no sale price to copy',
  noAvailability: 'no record of the product says whether it is in stock',
  noWeight: 'no record of the product has a weight',
  noGtin: 'no record of the product has a valid GTIN',
  noImage: 'no record of the product has an image',
  noTitle: 'no expected title',
  noCategory: 'no record of the product has a category',
  noStock: (channel: string) =>
    `no stock count is known for the product (it is in stock elsewhere without a count): set the quantity in ${channel}`,
  unmappedCategory: (channel: string, reference: string) =>
    `no ${channel} category is known to correspond to "${reference}": map one on the Categories page, then export again`,
} as const;
