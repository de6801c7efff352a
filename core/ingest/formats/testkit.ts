/**
 * Test support for the format adapters: reads a checked-in sample from fixtures/samples with papaparse
 * (the streaming readers are tested on their own) and runs an adapter over it, collecting records,
 * warnings and the lines that yielded no record.
 */
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import type { NormalizedRecord, RowWarning } from '../../model/record.js';
import type { BindOptions, FormatAdapter, RawRow, RowContext } from '../types.js';

const SAMPLES = new URL('../../../fixtures/samples/', import.meta.url);

export interface SampleTable {
  header: string[];
  rows: RawRow[];
}

/** Parses a UTF-8 CSV/TSV sample: header plus rows with their first physical line numbers. */
export function readSample(name: string): SampleTable {
  let text = readFileSync(new URL(name, SAMPLES), 'utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return parseTable(text, name.endsWith('.tsv') ? '\t' : undefined);
}

/** Parses delimited text (delimiter guessed when not given). */
export function parseTable(text: string, delimiter?: string): SampleTable {
  const rows: RawRow[] = [];
  let header: string[] | null = null;
  let cursor = 0;
  let line = 1;
  Papa.parse<string[]>(text, {
    delimiter: delimiter ?? '',
    skipEmptyLines: true,
    step(result) {
      const end = result.meta.cursor;
      const raw = text.slice(cursor, end);
      const lead = raw.length - raw.trimStart().length;
      const startLine = line + countNewlines(raw.slice(0, lead));
      line += countNewlines(raw);
      cursor = end;
      if (header === null) header = result.data;
      else rows.push({ line: startLine, raw: raw.trim(), cells: result.data });
    },
  });
  return { header: header ?? [], rows };
}

function countNewlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

export interface AdapterRun {
  records: NormalizedRecord[];
  warnings: RowWarning[];
  /** Lines of rows that yielded no record (image rows, parents). */
  skipped: number[];
  byId: Map<string, NormalizedRecord>;
  /** The record with this id; throws when the run has none. */
  rec(id: string): NormalizedRecord;
}

/** Binds the adapter to the table's header and maps every row. */
export function runAdapter(
  adapter: FormatAdapter,
  table: SampleTable,
  options: Partial<BindOptions> = {},
): AdapterRun {
  const mapper = adapter.bind(table.header, { file: 'sample', ...options });
  const warnings: RowWarning[] = [];
  const ctx: RowContext = {
    file: options.file ?? 'sample',
    line: 0,
    warn(field, code, message) {
      warnings.push({ line: ctx.line, field, code, message });
    },
  };
  const records: NormalizedRecord[] = [];
  const skipped: number[] = [];
  for (const row of table.rows) {
    ctx.line = row.line;
    const rec = mapper.map(row, ctx);
    if (rec === null) skipped.push(row.line);
    else records.push(rec);
  }
  const byId = new Map(records.map((r) => [r.recordId, r]));
  const rec = (id: string): NormalizedRecord => {
    const r = byId.get(id);
    if (r === undefined) throw new Error(`no record ${id}`);
    return r;
  };
  return { records, warnings, skipped, byId, rec };
}

/** Builds a one-off table from a header and rows of cells (for hand-made cases and XML feeds). */
export function table(header: string[], ...rows: string[][]): SampleTable {
  return { header, rows: rows.map((cells, i) => ({ line: i + 2, raw: cells.join(','), cells })) };
}
