import { badInput } from '../model/errors.js';
import type { WarningCode } from '../model/record.js';
import { packRawBlock, type RawBlock } from '../store/rawRows.js';
import { packRecord, RECORD_ID_AT, RECORD_WIDTH } from '../store/records.js';
import { bindBehaviour, type BehaviourKind } from './behaviour.js';
import type { TableCallbacks } from './delimited.js';
import { detectFormat, DETECT_THRESHOLD, FORMAT_ADAPTERS } from './formats/index.js';
import type { Container } from './sniff.js';
import { RecordIdGuard, type OnDuplicate } from './recordIds.js';
import type { RawRow, RowContext } from './types.js';

import type { SourceKind } from '../api/contract.js';
export type { SourceKind };

/** Record columns filled by the pipeline, in order (core/store/records.ts, the writer adds source_id and channel). */
export { RECORD_VALUE_COLUMNS } from '../store/records.js';
export const WARNING_VALUE_COLUMNS = ['line', 'field', 'code', 'message'] as const;
/** Behavioural rows (interactions, orders, reviews); the writer adds source_id and kind in front. */
export const EVENT_VALUE_COLUMNS = [
  'line',
  'user_id',
  'item_id',
  'event',
  'ts',
  'channel',
  'value',
  'rating',
  'text',
] as const;

export interface PipelineOptions {
  /** The file's name as shown in messages. */
  file: string;
  kind: SourceKind;
  container: Container;
  /** The format the user named, if any. */
  format?: string;
  mapping?: Record<string, string>;
  /** Rows repeating a record id (default warn): core/ingest/recordIds.ts. */
  onDuplicate?: OnDuplicate;
}

export interface HeaderInfo {
  header: string[];
  line: number;
  format: string;
  formatConfidence: number;
}

/** One raw block with the records, warnings and events of its rows. Values are flat, row after row. */
export interface Batch {
  block: RawBlock;
  records: unknown[];
  warnings: unknown[];
  events: unknown[];
  /** Record ids of this source whose records (written with an earlier batch) a later row replaced: remove them first. */
  superseded: string[];
}

/** What a file gave, counted as it was read. */
export interface PipelineCounts {
  rows: number;
  records: number;
  warnings: number;
  /** Row warnings by kind (code). */
  warningsByKind: Record<string, number>;
  /** Rows whose record id an earlier row had. */
  duplicates: number;
}

export interface PipelineSink {
  header(info: HeaderInfo): void;
  batch(batch: Batch): void;
}

const BLOCK_ROWS = 512;
const BLOCK_CHARS = 1 << 20;
const NUL = '\0';

/**
 * Turns rows into batches ready to write: format detection and binding on the header, then per row the raw
 * text, the normalized record and its warnings (record ids are checked by the writer). Touches no database,
 * so it runs as well in a worker thread as in the importing thread.
 */
export function createRowPipeline(
  opts: PipelineOptions,
  sink: PipelineSink,
): Pick<TableCallbacks, 'onHeader' | 'onRow'> & {
  finish(): void;
  counts(): PipelineCounts;
} {
  let lines: number[] = [];
  let texts: string[] = [];
  let chars = 0;
  let records: unknown[] = [];
  let warnings: unknown[] = [];
  let events: unknown[] = [];
  let superseded: string[] = [];
  let guard: RecordIdGuard | null = null;
  let rows = 0;
  let recordCount = 0;
  let warningCount = 0;
  const byKind = new Map<string, number>();
  let header: string[] = [];
  let handle: (row: RawRow) => void = () => {
    throw new Error('row before header');
  };
  // What a NUL in a value looks like in the raw text (a quick test before looking at each cell): XML rows keep
  // their elements as JSON, which writes it as `\u0000`.
  const nulInRaw = opts.container === 'xml' ? '\\u0000' : NUL;
  const warn = (line: number, field: string, code: WarningCode, message: string): void => {
    warnings.push(line, field, code, message);
    warningCount++;
    byKind.set(code, (byKind.get(code) ?? 0) + 1);
  };

  const flush = () => {
    if (lines.length === 0) return;
    sink.batch({ block: packRawBlock(lines, texts), records, warnings, events, superseded });
    lines = [];
    texts = [];
    chars = 0;
    records = [];
    warnings = [];
    events = [];
    superseded = [];
  };

  function onHeader(names: string[], line: number): void {
    header = names;
    stripNulBytes(header, line);
    const info = resolveFormat(opts, header, line);
    sink.header(info);
    if (opts.kind !== 'products') {
      const map = bindBehaviour(opts.kind as BehaviourKind, header, opts.mapping, opts.file);
      handle = (row) => {
        const b = map(row.cells, row.line);
        events.push(row.line, b.userId, b.itemId, b.event, b.timestamp, b.channel, b.value, b.rating, b.text);
        recordCount++;
      };
      return;
    }
    const adapter = FORMAT_ADAPTERS.find((a) => a.name === info.format);
    if (!adapter) throw badInput({ file: opts.file }, `unknown format "${info.format}"`);
    const mapper = adapter.bind(header, { file: opts.file, mapping: opts.mapping });
    const ctx: RowContext = {
      file: opts.file,
      line: 0,
      warn(field: string, code: WarningCode, message: string) {
        warn(ctx.line, field, code, message);
      },
    };
    const ids = new RecordIdGuard(opts.onDuplicate ?? 'warn', opts.file, mapper, warn);
    guard = ids;
    handle = (row) => {
      ctx.line = row.line;
      const rec = mapper.map(row, ctx);
      if (rec === null) return;
      const admission = ids.admit(rec, row);
      if (!admission.keep) return;
      if (admission.supersedes !== null) supersede(admission.supersedes.recordId, admission.supersedes.line);
      packRecord(records, row.line, rec);
      recordCount++;
    };
  }

  function onRow(row: RawRow): void {
    rows++;
    lines.push(row.line);
    texts.push(row.raw);
    chars += row.raw.length;
    if (row.padded !== undefined) warnShortRow(row, row.padded);
    if (row.raw.includes(nulInRaw)) stripNulBytes(row.cells, row.line);
    handle(row);
    if (lines.length >= BLOCK_ROWS || chars >= BLOCK_CHARS) flush();
  }

  /** Removes the record with this id from `line`: from the pending batch if it is still there, else from the store. */
  function supersede(recordId: string, line: number): void {
    recordCount--;
    for (let at = 0; at < records.length; at += RECORD_WIDTH) {
      if (records[at] === line && records[at + RECORD_ID_AT] === recordId) {
        records.splice(at, RECORD_WIDTH);
        return;
      }
    }
    superseded.push(recordId);
  }

  /**
   * NUL bytes are not text. The rule, the same at any offset: a file whose start is mostly control bytes is refused
   * as binary (decode.ts detectEncoding); in any other file a NUL in a value is removed from it, with a `nul_bytes`
   * warning naming the row and the field, and the raw row keeps its bytes as they were. (A NUL where the container
   * has structure, between JSON tokens or in an XML tag, is malformed input: jsonl.ts, xml.ts.)
   */
  function stripNulBytes(cells: string[], line: number): void {
    for (let i = 0; i < cells.length; i++) {
      const value = cells[i];
      if (!value.includes(NUL)) continue;
      const kept = value.replaceAll(NUL, '');
      const removed = value.length - kept.length;
      cells[i] = kept;
      warn(
        line,
        header[i] ?? `column ${i + 1}`,
        'nul_bytes',
        `${removed === 1 ? 'a NUL byte' : `${removed} NUL bytes`} removed from the value (text exports hold none)`,
      );
    }
  }

  function warnShortRow(row: RawRow, padded: number): void {
    const missing = header.slice(header.length - padded);
    const named =
      missing
        .slice(0, 3)
        .map((h) => `"${h}"`)
        .join(', ') + (missing.length > 3 ? ', …' : '');
    warn(
      row.line,
      missing[0],
      'short_row',
      `${header.length - padded} fields where the header has ${header.length}: the missing last ${padded === 1 ? 'cell' : `${padded} cells`} (${named}) read as empty`,
    );
  }

  return {
    onHeader,
    onRow,
    finish: flush,
    counts: () => ({
      rows,
      records: recordCount,
      warnings: warningCount,
      warningsByKind: Object.fromEntries(byKind),
      duplicates: guard?.duplicates ?? 0,
    }),
  };
}

function resolveFormat(opts: PipelineOptions, header: string[], line: number): HeaderInfo {
  if (opts.kind !== 'products')
    return { header, line, format: opts.container === 'jsonl' ? 'jsonl' : 'csv', formatConfidence: 1 };
  if (opts.container === 'xml') return { header, line, format: 'gmc', formatConfidence: 1 };
  if (opts.format) return { header, line, format: opts.format, formatConfidence: 1 };
  const detected = detectFormat(header);
  if (detected.confidence < DETECT_THRESHOLD) {
    const best = detected.ranking
      .slice(0, 2)
      .map((r) => `${r.format} ${(r.confidence * 100).toFixed(0)}%`)
      .join(', ');
    throw badInput({ file: opts.file, line }, `header matches no known export format (closest: ${best})`, {
      do: 'format',
    });
  }
  return { header, line, format: detected.format, formatConfidence: detected.confidence };
}
