import { extname } from 'node:path';
import { canonicalEncoding, detectEncoding, type EncodingGuess, type FileSample } from './decode.js';

/** How a file's rows are laid out. */
export type Container = 'delimited' | 'xml' | 'jsonl';

/** The encoding to read with: the one the user named (then only its BOM is skipped), else detected from the sample. */
export function guessEncoding(
  sample: FileSample,
  name: string,
  requested: string | undefined,
): EncodingGuess {
  const head = sample.head;
  if (!requested) return detectEncoding(head, name, sample.body);
  const encoding = canonicalEncoding(requested, name);
  return { encoding, confidence: 1, bomLength: bomLength(head, encoding) };
}

/** The start of the file as text, enough to see the delimiter on the first line. */
export function decodeStart(head: Buffer, guess: EncodingGuess): string {
  const body = head.subarray(guess.bomLength, 8192);
  if (guess.encoding === 'utf-8') return body.toString('utf8');
  if (guess.encoding === 'utf-16le') return body.toString('utf16le');
  if (guess.encoding === 'utf-16be')
    return Buffer.from(body.subarray(0, body.length - (body.length % 2)))
      .swap16()
      .toString('utf16le');
  return body.toString('latin1');
}

export function containerByExtension(name: string): Container | null {
  const ext = extname(name).toLowerCase();
  if (ext === '.xml' || ext === '.rss' || ext === '.atom') return 'xml';
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  if (ext === '.csv' || ext === '.tsv' || ext === '.txt') return 'delimited';
  return null;
}

/** An XML declaration, a comment, or a feed's root element (RSS, Atom) at the start of the text. */
const XML_START = /^<(?:\?xml|!--|(?:rss|feed)[\s>/])/i;
const BOM = /^\uFEFF/;

/** True when the text starts (after a BOM and blank space) as an XML document or an RSS/Atom feed does. */
export function looksLikeXml(start: string): boolean {
  return XML_START.test(start.replace(BOM, '').trimStart());
}

/**
 * How a file's rows are laid out. A format the user names decides first (`--format jsonl` reads JSON Lines,
 * `--format gmc` reads XML when the content is XML and a TSV feed otherwise, every other format a delimited
 * table). Else the content: `<?xml`, `<rss` or `<feed` at the start is XML whatever the file is called (Merchant
 * Center feeds are often saved as `.txt`). Else the extension, else the first character (`<` XML, `{` JSON Lines).
 */
export function containerOf(name: string, head: Buffer, guess: EncodingGuess, format?: string): Container {
  const start = decodeStart(head, guess).replace(BOM, '').trimStart();
  const xml = looksLikeXml(start);
  if (format === 'jsonl') return 'jsonl';
  if (format === 'gmc')
    return xml || (start.startsWith('<') && containerByExtension(name) === 'xml') ? 'xml' : 'delimited';
  if (format !== undefined) return 'delimited';
  if (xml) return 'xml';
  const byName = containerByExtension(name);
  if (byName) return byName;
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
