import { badInput, cancelled } from '../model/errors.js';
import type { TextStream } from './decode.js';
import type { TableCallbacks } from './delimited.js';
import { MAX_ROW_CHARS } from './delimited.js';

/**
 * Streams JSON Lines as table rows. The header is the keys of the first object; later objects may omit keys
 * (empty cells) but may not bring new ones, so every value lands in a known column.
 */
export async function readJsonLines(text: TextStream, cb: TableCallbacks): Promise<void> {
  const maxRow = cb.maxRowChars ?? MAX_ROW_CHARS;
  let pending = '';
  let line = 0;
  let header: string[] | null = null;
  let index = new Map<string, number>();

  // A list or object value is kept as its JSON text; JSON.parse takes any depth, JSON.stringify runs out of stack.
  const nestedText = (v: object, key: string): string => {
    try {
      return JSON.stringify(v);
    } catch (err) {
      if (!(err instanceof RangeError)) throw err;
      throw badInput({ file: cb.file, line, field: key }, 'the value is nested too deeply to keep');
    }
  };

  const handle = (raw: string): void => {
    line++;
    const body = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (body.trim() === '') return;
    let value: unknown;
    try {
      // A raw NUL inside a string becomes the escape JSON allows there, so the value keeps it and the row pipeline
      // removes it with a warning (rowPipeline.ts); anywhere else the escape is a syntax error, as the NUL was.
      value = JSON.parse(body.includes('\0') ? body.replaceAll('\0', '\\u0000') : body);
    } catch (err) {
      const m = /position (\d+)/.exec((err as Error).message);
      throw badInput(
        { file: cb.file, line, ...(m ? { column: Number(m[1]) + 1 } : {}) },
        `not valid JSON (${(err as Error).message})`,
      );
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw badInput({ file: cb.file, line }, 'each line must be one JSON object');
    }
    const obj = value as Record<string, unknown>;
    if (header === null) {
      header = Object.keys(obj);
      index = new Map(header.map((k, i) => [k, i]));
      cb.onHeader(header, line);
    }
    const cells = new Array<string>(header.length).fill('');
    for (const [k, v] of Object.entries(obj)) {
      const at = index.get(k);
      if (at === undefined)
        throw badInput(
          { file: cb.file, line, field: k },
          `key "${k}" is not in the first line's keys (${header.join(', ')})`,
        );
      cells[at] = v === null || v === undefined ? '' : typeof v === 'object' ? nestedText(v, k) : String(v);
    }
    cb.onRow({ line, raw: body, cells });
  };

  for await (const chunk of text.chunks) {
    if (cb.signal?.aborted) throw cancelled();
    if (cb.pace) await cb.pace();
    pending += chunk;
    let nl = pending.indexOf('\n');
    let from = 0;
    while (nl !== -1) {
      handle(pending.slice(from, nl));
      from = nl + 1;
      nl = pending.indexOf('\n', from);
    }
    pending = pending.slice(from);
    if (pending.length > maxRow) {
      throw badInput(
        { file: cb.file, line: line + 1 },
        `line is larger than ${Math.round(maxRow / 1024 / 1024)} MB`,
      );
    }
  }
  if (pending !== '') handle(pending);
  if (header === null) throw badInput({ file: cb.file, line: 1 }, 'file has no JSON objects (it is empty)');
}
