/**
 * Reader of labelled record pairs in the "ditto" text format used by public entity-matching benchmarks:
 * one pair per line, `LEFT<TAB>RIGHT<TAB>LABEL`, where a record is `COL <attr> VAL <value> COL <attr> VAL …`
 * and LABEL is 0 or 1. Values may be empty. Malformed lines fail with the file and line named.
 */
import { readFile } from 'node:fs/promises';
import { badInput, ConcordError } from '../model/errors.js';

export type DittoRecord = Record<string, string>;

export interface DittoPair {
  left: DittoRecord;
  right: DittoRecord;
  label: 0 | 1;
}

const FIELD = /COL (\S+) VAL(?: |$)/g;

/** Parses one record (`COL a VAL x COL b VAL y`); throws a plain Error describing the problem. */
export function parseDittoRecord(text: string): DittoRecord {
  const s = text.trim();
  if (!s.startsWith('COL '))
    throw new Error(`a record must start with "COL <attribute> VAL", got "${s.slice(0, 40)}"`);
  const record: DittoRecord = {};
  const marks: { name: string; start: number; end: number }[] = [];
  for (const m of s.matchAll(FIELD)) marks.push({ name: m[1], start: m.index, end: m.index + m[0].length });
  if (marks.length === 0 || marks[0].start !== 0)
    throw new Error(`a record must start with "COL <attribute> VAL", got "${s.slice(0, 40)}"`);
  for (let k = 0; k < marks.length; k++) {
    const value = s.slice(marks[k].end, k + 1 < marks.length ? marks[k + 1].start : s.length).trim();
    const name = marks[k].name;
    if (name in record) throw new Error(`attribute "${name}" appears twice in one record`);
    record[name] = value;
  }
  return record;
}

/** Parses one line; `file` and `line` (1-based) name the place in errors. */
export function parseDittoLine(text: string, file: string, line: number): DittoPair {
  const parts = text.split('\t');
  if (parts.length !== 3) {
    throw badInput(
      { file, line },
      `expected LEFT<TAB>RIGHT<TAB>LABEL (3 tab-separated fields), got ${parts.length}`,
    );
  }
  const labelText = parts[2].trim();
  if (labelText !== '0' && labelText !== '1')
    throw badInput({ file, line, field: 'label' }, `label must be 0 or 1, got "${labelText.slice(0, 20)}"`);
  const side = (s: string, field: 'left' | 'right') => {
    try {
      return parseDittoRecord(s);
    } catch (err) {
      throw badInput({ file, line, field }, (err as Error).message);
    }
  };
  return { left: side(parts[0], 'left'), right: side(parts[1], 'right'), label: labelText === '1' ? 1 : 0 };
}

/** Parses a whole file's text; blank lines are skipped, CRLF line ends accepted. */
export function parseDitto(text: string, file: string): DittoPair[] {
  const lines = text.split('\n');
  const pairs: DittoPair[] = [];
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i].endsWith('\r') ? lines[i].slice(0, -1) : lines[i];
    if (l.trim().length === 0) continue;
    pairs.push(parseDittoLine(l, file, i + 1));
  }
  return pairs;
}

/** Reads a ditto pair file. Missing or unreadable file -> NOT_FOUND / BAD_INPUT; empty file -> BAD_INPUT. */
export async function readDittoFile(file: string): Promise<DittoPair[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ConcordError('NOT_FOUND', `${file}: no such file`, { file });
    throw new ConcordError('BAD_INPUT', `${file}: cannot read (${(err as Error).message})`, { file });
  }
  if (text.includes('\u0000')) throw badInput({ file }, 'binary data, not a text pair file');
  const pairs = parseDitto(text.startsWith('\ufeff') ? text.slice(1) : text, file);
  if (pairs.length === 0) throw badInput({ file }, 'no pairs (empty file)');
  return pairs;
}
