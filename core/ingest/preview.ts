import { basename } from 'node:path';
import type { ImportPreview } from '../api/contract.js';
import { toApiError } from '../api/toApiError.js';
import { badInput, ConcordError } from '../model/errors.js';
import { readText, sniffFile, type EncodingGuess } from './decode.js';
import { containerByExtension, containerOf, decodeStart, guessEncoding } from './sniff.js';
import { readDelimited, sniffDelimiter, type TableCallbacks } from './delimited.js';
import { DETECT_THRESHOLD, detectFormat } from './formats/index.js';
import { readJsonLines } from './jsonl.js';
import { readGmcXml } from './xml.js';

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
 * (NOT_FOUND) or a path that is not a regular file this process may read (BAD_INPUT) throws.
 */
export async function previewFile(file: string, options: PreviewOptions): Promise<ImportPreview> {
  const name = options.displayName ?? basename(file);
  const sample = await sniffFile(file, name);
  const { head, size } = sample;
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
    const guess = guessEncoding(sample, name, options.encoding);
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
