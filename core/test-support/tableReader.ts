import { readText, type TextStream } from '../ingest/decode.js';
import type { TableCallbacks } from '../ingest/delimited.js';
import type { RawRow } from '../ingest/types.js';

/** What a table reader gave: the header and every row, in order. */
export interface ReadTable {
  header: string[];
  rows: RawRow[];
}

/**
 * Runs one of the streaming table readers over a UTF-8 file, collecting what it reports; `file` is the name the
 * reader gives in its errors, `options` any other reader setting.
 */
export async function readTable(
  reader: (text: TextStream, callbacks: TableCallbacks) => Promise<unknown>,
  path: string,
  file: string,
  options: Partial<TableCallbacks> = {},
): Promise<ReadTable> {
  const table: ReadTable = { header: [], rows: [] };
  await reader(readText(path, 'utf-8', 0), {
    file,
    ...options,
    onHeader: (h) => (table.header = h),
    onRow: (r) => table.rows.push(r),
  });
  return table;
}
