import { Readable } from 'node:stream';
import Papa from 'papaparse';
import { badInput, cancelled } from '../model/errors.js';
import { countNewlines, type TextStream } from './decode.js';
import type { RawRow } from './types.js';

/** A row that grows past this without ending is an error, so memory stays flat (a 50 MB field, a lost quote). */
export const MAX_ROW_CHARS = 8 * 1024 * 1024;

export interface TableCallbacks {
  file: string;
  signal?: AbortSignal;
  maxRowChars?: number;
  onHeader(header: string[], line: number): void;
  onRow(row: RawRow): void;
  /** Awaited before each chunk of text is parsed: lets a consumer slow the reader down (backpressure). */
  pace?(): Promise<void>;
}

/** Picks `,`, `;` or tab from the first line of the file. */
export function sniffDelimiter(firstText: string): string {
  const end = firstText.indexOf('\n');
  const first = end === -1 ? firstText : firstText.slice(0, end);
  const counts = ['\t', ',', ';'].map((d) => [d, first.split(d).length - 1] as const);
  counts.sort((a, b) => b[1] - a[1]);
  return counts[0][1] > 0 ? counts[0][0] : ',';
}

/**
 * Streams CSV/TSV rows. Papaparse does the parsing (RFC 4180 quoting); this keeps the text it was given so each
 * row keeps its verbatim text and the file line it starts on, and turns parse problems into errors that name
 * file, line and column.
 */
export async function readDelimited(text: TextStream, delimiter: string, cb: TableCallbacks): Promise<void> {
  const maxRow = cb.maxRowChars ?? MAX_ROW_CHARS;
  let buf = '';
  let bufStart = 0; // global offset of buf[0]
  let rowStart = 0; // global offset where the next row begins
  let line = 1; // file line where the next row begins
  let header: string[] | null = null;
  let failure: Error | null = null;

  async function* feed(): AsyncGenerator<string> {
    for await (const chunk of text.chunks) {
      if (cb.signal?.aborted) throw cancelled();
      if (cb.pace) await cb.pace();
      // Checked before adding the next chunk, once the parser has consumed the previous one.
      if (buf.length - (rowStart - bufStart) > maxRow) throw rowTooLarge();
      // Keep only the unparsed tail before appending: slicing a concatenated string flattens (copies) all of it,
      // so a long-lived buffer would be copied again for every chunk.
      buf = buf.slice(rowStart - bufStart) + chunk;
      bufStart = rowStart;
      yield chunk;
    }
  }

  function rowTooLarge(): Error {
    const pending = buf.slice(rowStart - bufStart, rowStart - bufStart + 65536);
    const preview = Papa.parse<string[]>(pending, { delimiter, preview: 1 }).data[0] ?? [];
    const column = Math.max(1, preview.length);
    const field = header?.[column - 1];
    return badInput(
      { file: cb.file, line, column, ...(field ? { field } : {}) },
      `row is larger than ${Math.round(maxRow / 1024 / 1024)} MB without ending: a field this large is not a product export value (or a quote is never closed)`,
    );
  }

  function onStep(result: Papa.ParseStepResult<string[]>, parser: Papa.Parser): void {
    if (failure) return;
    try {
      const end = result.meta.cursor;
      let raw = buf.slice(rowStart - bufStart, end - bufStart);
      const rowLine = line;
      line += countNewlines(raw);
      rowStart = end;
      if (raw.endsWith('\n')) raw = raw.slice(0, raw.endsWith('\r\n') ? -2 : -1);
      else if (raw.endsWith('\r')) raw = raw.slice(0, -1);
      const cells = result.data;
      if (result.errors.length > 0) throw quoteError(result.errors[0], cells, rowLine);
      if (raw === '' || (cells.length === 1 && cells[0] === '' && raw.trim() === '')) return; // blank line
      if (header === null) {
        header = cells.map((c) => c.trim());
        cb.onHeader(header, rowLine);
        return;
      }
      if (cells.length > header.length) {
        throw badInput(
          { file: cb.file, line: rowLine, column: header.length + 1 },
          `${cells.length} fields where the header has ${header.length} (it ends at "${header[header.length - 1]}"): a row longer than its header, e.g. an unquoted ${delimiter === '\t' ? 'tab' : `"${delimiter}"`} inside a value`,
        );
      }
      if (cells.length < header.length) {
        // Exporters drop trailing empty cells (a 31-column Amazon header over 29-field rows): read them as empty.
        const padded = header.length - cells.length;
        for (let i = 0; i < padded; i++) cells.push('');
        cb.onRow({ line: rowLine, raw, cells, padded });
        return;
      }
      cb.onRow({ line: rowLine, raw, cells });
    } catch (err) {
      failure = err as Error;
      parser.abort();
    }
  }

  function quoteError(e: Papa.ParseError, cells: string[], rowLine: number): Error {
    const column = Math.max(1, cells.length);
    const field = header?.[column - 1];
    const where = { file: cb.file, line: rowLine, column, ...(field ? { field } : {}) };
    if (e.code === 'MissingQuotes')
      return badInput(where, 'quoted field is never closed (unterminated quote)');
    if (e.code === 'InvalidQuotes') return badInput(where, 'text after the closing quote of a quoted field');
    return badInput(where, e.message);
  }

  await new Promise<void>((resolve, reject) => {
    Papa.parse<string[]>(Readable.from(feed(), { highWaterMark: 1 }) as unknown as File, {
      delimiter,
      quoteChar: '"',
      step: onStep,
      complete: () => (failure ? reject(failure) : resolve()),
      error: (err: Error) => reject(failure ?? err),
    });
  });
  if (header === null) throw badInput({ file: cb.file, line: 1 }, 'file has no header row (it is empty)');
}
