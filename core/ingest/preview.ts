import { basename, extname } from 'node:path';
import type { ImportPreview } from '../api/contract.js';
import { toApiError } from '../api/toApiError.js';
import { badInput, ConcordError } from '../model/errors.js';
import { canonicalEncoding, detectEncoding, readText, sniffFile, type EncodingGuess } from './decode.js';
import { readDelimited, sniffDelimiter, type TableCallbacks } from './delimited.js';
import { DETECT_THRESHOLD, detectFormat } from './formats/index.js';
import { readJsonLines } from './jsonl.js';
import { readGmcXml } from './xml.js';

export type Container = ImportPreview['container'];

export interface PreviewOptions {
  /** Overrides encoding detection (`--encoding`). */
  encoding?: string;
  /** How many data rows to return. */
  rows: number;
  /** The name shown in the preview and in errors (an upload's original file name); default the file's base name. */
  displayName?: string;
}

/** Thrown from a row callback once enough rows are in, to stop the reader early; never leaves this module. */
class EnoughRows extends Error {}

/**
 * What an import of `file` would see, without writing anything: encoding, container, the format ranking, the
 * header and the first rows' cells. Reading stops once enough rows are in. A file that cannot be read gives a
 * preview with `error` (naming file and line) and whatever was read before the problem; only a missing file
 * throws (NOT_FOUND).
 */
export async function previewFile(file: string, options: PreviewOptions): Promise<ImportPreview> {
  const name = options.displayName ?? basename(file);
  const { head, size } = await sniffFile(file).catch((err: NodeJS.ErrnoException) => {
    throw err.code === 'ENOENT'
      ? new ConcordError('NOT_FOUND', `${name}: no such file`, { file: name })
      : err;
  });
  const preview: ImportPreview = {
    file: name,
    sizeBytes: size,
    container: containerByExtension(name) ?? 'delimited',
    encoding: '',
    encodingConfidence: 0,
    format: null,
    formatConfidence: 0,
    ranking: [],
    header: [],
    rows: [],
  };
  try {
    if (size === 0) throw badInput({ file: name, line: 1 }, 'file is empty');
    const guess = guessEncoding(head, name, options.encoding);
    preview.encoding = guess.encoding;
    preview.encodingConfidence = guess.confidence;
    preview.container = containerOf(name, head, guess);
    await readFirstRows(file, name, head, guess, preview, options.rows);
    if (preview.rows.length === 0)
      throw badInput({ file: name, line: 2 }, 'file has a header but no data rows');
  } catch (err) {
    if (err instanceof ConcordError) preview.error = toApiError(err);
    else throw err;
  }
  return preview;
}

async function readFirstRows(
  file: string,
  name: string,
  head: Buffer,
  guess: EncodingGuess,
  preview: ImportPreview,
  limit: number,
): Promise<void> {
  const text = readText(file, guess.encoding, guess.bomLength, undefined, name);
  const cb: TableCallbacks = {
    file: name,
    onHeader(header) {
      preview.header = header;
      const detected = detectFormat(header);
      preview.ranking = detected.ranking.map((r) => ({ format: r.format, confidence: r.confidence }));
      if (preview.container === 'xml') {
        preview.format = 'gmc';
        preview.formatConfidence = 1;
      } else if (detected.confidence >= DETECT_THRESHOLD) {
        preview.format = detected.format;
        preview.formatConfidence = detected.confidence;
      }
    },
    onRow(row) {
      preview.rows.push({ line: row.line, cells: row.cells });
      if (preview.rows.length >= limit) throw new EnoughRows();
    },
  };
  try {
    if (preview.container === 'xml') await readGmcXml(text, cb);
    else if (preview.container === 'jsonl') await readJsonLines(text, cb);
    else await readDelimited(text, sniffDelimiter(decodeStart(head, guess)), cb);
  } catch (err) {
    if (!(err instanceof EnoughRows)) throw err;
  } finally {
    // Closes the file: the generator's loop ends and with it the read stream.
    await text.chunks.return(undefined).catch(() => {});
  }
}

function guessEncoding(head: Buffer, name: string, requested: string | undefined): EncodingGuess {
  if (!requested) return detectEncoding(head, name);
  const encoding = canonicalEncoding(requested, name);
  return { encoding, confidence: 1, bomLength: bomLength(head, encoding) };
}

/** The start of the file as text, enough to see the delimiter on the first line. */
function decodeStart(head: Buffer, guess: EncodingGuess): string {
  const body = head.subarray(guess.bomLength, 8192);
  if (guess.encoding === 'utf-8') return body.toString('utf8');
  if (guess.encoding === 'utf-16le') return body.toString('utf16le');
  if (guess.encoding === 'utf-16be')
    return Buffer.from(body.subarray(0, body.length - (body.length % 2)))
      .swap16()
      .toString('utf16le');
  return body.toString('latin1');
}

function containerByExtension(name: string): Container | null {
  const ext = extname(name).toLowerCase();
  if (ext === '.xml' || ext === '.rss' || ext === '.atom') return 'xml';
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  if (ext === '.csv' || ext === '.tsv' || ext === '.txt') return 'delimited';
  return null;
}

/** The container by file extension, else by the first non-blank character (`<` XML, `{` JSON Lines). */
export function containerOf(name: string, head: Buffer, guess: EncodingGuess): Container {
  const byName = containerByExtension(name);
  if (byName) return byName;
  const start = decodeStart(head, guess).trimStart();
  if (start.startsWith('<')) return 'xml';
  if (start.startsWith('{')) return 'jsonl';
  return 'delimited';
}

function bomLength(head: Buffer, encoding: string): number {
  if (encoding === 'utf-8' && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 3;
  if (encoding === 'utf-16le' && head[0] === 0xff && head[1] === 0xfe) return 2;
  if (encoding === 'utf-16be' && head[0] === 0xfe && head[1] === 0xff) return 2;
  return 0;
}
