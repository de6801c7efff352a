import { createHash } from 'node:crypto';
import { constants, createReadStream, type Stats } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import chardet from 'chardet';
import iconv from 'iconv-lite';
import { badInput, ConcordError } from '../model/errors.js';

/** Encodings Concord reads (DESIGN.md "Formats it reads"), by canonical name. */
export const SUPPORTED_ENCODINGS = ['utf-8', 'utf-16le', 'utf-16be', 'windows-1252', 'gb18030'] as const;
export type EncodingName = string;

/** The start of the file read for byte-order marks, binary checks and the delimiter. */
const SNIFF_BYTES = 64 * 1024;
/** Beyond the start, this many chunks spread evenly to the end (the last is the tail) are read for the encoding. */
const SAMPLE_CHUNKS = 8;
const SAMPLE_BYTES = 16 * 1024;

export interface EncodingGuess {
  encoding: EncodingName;
  /** 0..1 */
  confidence: number;
  /** Bytes of byte-order mark to skip. */
  bomLength: number;
}

/** Normalizes user spellings (`UTF8`, `cp1252`, `gbk`) to a name iconv-lite knows, or throws BAD_INPUT. */
export function canonicalEncoding(name: string, file: string): EncodingName {
  const n = name.trim().toLowerCase().replace(/_/g, '-');
  const aliases: Record<string, string> = {
    utf8: 'utf-8',
    'utf-8': 'utf-8',
    'utf-8-bom': 'utf-8',
    utf16le: 'utf-16le',
    'utf-16le': 'utf-16le',
    'utf-16': 'utf-16le',
    utf16be: 'utf-16be',
    'utf-16be': 'utf-16be',
    cp1252: 'windows-1252',
    'windows-1252': 'windows-1252',
    'win-1252': 'windows-1252',
    latin1: 'windows-1252',
    'iso-8859-1': 'windows-1252',
    gbk: 'gb18030',
    gb2312: 'gb18030',
    gb18030: 'gb18030',
  };
  const canonical = aliases[n] ?? n;
  if (!iconv.encodingExists(canonical)) {
    throw badInput({ file }, `unknown encoding "${name}" (supported: ${SUPPORTED_ENCODINGS.join(', ')})`);
  }
  return canonical;
}

/** What encoding detection reads of a file: its start, and chunks from across the rest of it. */
export interface FileSample {
  head: Buffer;
  /** Up to SAMPLE_CHUNKS chunks between the end of `head` and the end of the file, in file order (tail last). */
  body: Buffer[];
  size: number;
}

/** What a file that is not a regular file is, for messages. */
function fileKind(info: Stats): string {
  if (info.isDirectory()) return 'a directory';
  if (info.isFIFO()) return 'a named pipe (FIFO)';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isSocket()) return 'a socket';
  return 'not a file';
}

/**
 * Opens an input file for reading. Only a regular file that this process may read is an export: a directory, a
 * pipe or a device (`/dev/zero` has no end, a FIFO blocks until something writes) is BAD_INPUT, as is a file it
 * may not read; a missing file is NOT_FOUND. The file is opened without blocking and checked through the open
 * handle, so a FIFO cannot stall the open and nothing can swap the file between the check and the read.
 */
export async function openInputFile(file: string, name: string = basename(file)): Promise<FileHandle> {
  let handle: FileHandle;
  try {
    handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR')
      throw new ConcordError('NOT_FOUND', `${name}: no such file`, { file: name });
    if (code === 'EACCES' || code === 'EPERM')
      throw badInput({ file: name }, 'cannot be read: permission denied');
    if (code === 'EISDIR') throw badInput({ file: name }, 'not a regular file (a directory)');
    throw err;
  }
  const info = await handle.stat();
  if (!info.isFile()) {
    await handle.close();
    throw badInput(
      { file: name },
      `not a regular file (${fileKind(info)}): import an export saved as a file`,
    );
  }
  return handle;
}

/**
 * Reads the start of a file and a bounded sample across the rest (at most 64 KiB + 8 × 16 KiB, whatever the size),
 * so an encoding whose first non-ASCII byte is deep in the file is still seen. `name` is the file as errors name it.
 */
export async function sniffFile(file: string, name: string = basename(file)): Promise<FileSample> {
  const handle = await openInputFile(file, name);
  try {
    const { size } = await handle.stat();
    const read = async (position: number, length: number): Promise<Buffer> => {
      const buf = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buf, 0, length, position);
      return buf.subarray(0, bytesRead);
    };
    const head = await read(0, Math.min(SNIFF_BYTES, size));
    const rest = size - head.length;
    const body: Buffer[] = [];
    if (rest > SAMPLE_CHUNKS * SAMPLE_BYTES) {
      const step = (rest - SAMPLE_BYTES) / (SAMPLE_CHUNKS - 1);
      for (let k = 0; k < SAMPLE_CHUNKS; k++)
        body.push(await read(head.length + Math.round(k * step), SAMPLE_BYTES));
    } else if (rest > 0) {
      body.push(await read(head.length, rest));
    }
    return { head, body, size };
  } finally {
    await handle.close();
  }
}

/**
 * The encoding of a file from its start (byte-order mark, UTF-16 NUL pattern, binary data) and, for the choice
 * between UTF-8 and a legacy encoding, from `body` too: UTF-8 only when every chunk is valid UTF-8, else the
 * legacy encoding the non-ASCII chunks look like.
 */
export function detectEncoding(head: Buffer, file: string, body: readonly Buffer[] = []): EncodingGuess {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf)
    return { encoding: 'utf-8', confidence: 1, bomLength: 3 };
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', confidence: 1, bomLength: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', confidence: 1, bomLength: 2 };

  if (head.includes(0)) {
    // UTF-16 without a BOM has a NUL in every other byte for ASCII text.
    const utf16 = utf16WithoutBom(head);
    if (utf16) return { encoding: utf16, confidence: 0.8, bomLength: 0 };
  }
  // Binary is decided on the start of the file by the share of control bytes, NUL counted among them: an image or
  // a spreadsheet is full of them, a text export is not. A few stray NUL bytes in text (at any offset) are no
  // reason to refuse the file: the row pipeline removes them from the values with a warning (rowPipeline.ts).
  const control = countControlBytes(head);
  if (control > head.length * 0.01 + 2) {
    throw badInput(
      { file, line: 1 },
      `binary data (${control} control bytes in the first ${head.length} bytes): not a text export`,
    );
  }
  if (isUtf8(head) && body.every(isUtf8Chunk)) {
    const nonAscii = hasHighBytes(head) || body.some(hasHighBytes);
    return { encoding: 'utf-8', confidence: nonAscii ? 0.95 : 0.9, bomLength: 0 };
  }

  // Only chunks with non-ASCII bytes tell legacy encodings apart; ASCII around them would only dilute the evidence.
  const evidence = Buffer.concat([head, ...body].filter(hasHighBytes));
  const candidates = chardet.analyse(evidence);
  for (const c of candidates) {
    const name = c.name.toLowerCase();
    if (name === 'gb18030' || name === 'gbk' || name === 'gb2312')
      return { encoding: 'gb18030', confidence: c.confidence / 100, bomLength: 0 };
    if (name === 'windows-1252' || name === 'iso-8859-1' || name === 'iso-8859-15')
      return { encoding: 'windows-1252', confidence: c.confidence / 100, bomLength: 0 };
    if (iconv.encodingExists(name) && !name.startsWith('utf'))
      return { encoding: name, confidence: c.confidence / 100, bomLength: 0 };
  }
  return { encoding: 'windows-1252', confidence: 0.3, bomLength: 0 };
}

function utf16WithoutBom(head: Buffer): EncodingName | null {
  let evenNul = 0;
  let oddNul = 0;
  const n = head.length - (head.length % 2);
  for (let i = 0; i < n; i += 2) {
    if (head[i] === 0) evenNul++;
    if (head[i + 1] === 0) oddNul++;
  }
  const pairs = n / 2;
  if (oddNul > pairs * 0.4 && evenNul < pairs * 0.05) return 'utf-16le';
  if (evenNul > pairs * 0.4 && oddNul < pairs * 0.05) return 'utf-16be';
  return null;
}

function countControlBytes(head: Buffer): number {
  let n = 0;
  for (const b of head) if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) n++;
  return n;
}

function hasHighBytes(head: Buffer): boolean {
  for (const b of head) if (b >= 0x80) return true;
  return false;
}

function isUtf8(head: Buffer): boolean {
  // The sniffed block may end in the middle of a multi-byte character: decode in stream mode.
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/** A chunk cut from the middle of a file is UTF-8 when it is after the continuation bytes it may start inside of. */
function isUtf8Chunk(chunk: Buffer): boolean {
  let start = 0;
  while (start < 3 && start < chunk.length && (chunk[start] & 0xc0) === 0x80) start++;
  return isUtf8(chunk.subarray(start));
}

export interface TextStream {
  encoding: EncodingName;
  /** Decoded text chunks, BOM removed. */
  chunks: AsyncGenerator<string>;
  /** Bytes read so far (for progress). */
  bytesRead(): number;
  /** sha256 of the whole file's bytes; valid once `chunks` is exhausted. */
  sha256(): string;
}

/** Streams a file as decoded text. Invalid bytes for the encoding are an error naming the line, never silently replaced. */
export function readText(
  file: string,
  encoding: EncodingName,
  bomLength: number,
  signal?: AbortSignal,
  displayName: string = basename(file),
): TextStream {
  const hash = createHash('sha256');
  let bytes = 0;
  let digest = '';
  async function* chunks(): AsyncGenerator<string> {
    const stream = createReadStream(file, { highWaterMark: 1 << 20, signal });
    const decode = makeDecoder(encoding);
    let linesBefore = 1;
    let skip = bomLength;
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      hash.update(chunk);
      bytes += chunk.length;
      const body = skip > 0 ? chunk.subarray(skip) : chunk;
      skip = Math.max(0, skip - chunk.length);
      let text: string;
      try {
        text = decode.write(body);
      } catch {
        throw invalidBytesError(displayName, encoding, body, linesBefore);
      }
      linesBefore += countNewlines(text);
      if (text.length > 0) yield text;
    }
    let tail: string;
    try {
      tail = decode.end();
    } catch {
      throw badInput(
        { file: displayName, line: linesBefore },
        `the file ends in the middle of a ${encoding.toUpperCase()} character (cut off?)`,
      );
    }
    if (tail) yield tail;
    digest = hash.digest('hex');
  }
  return {
    encoding,
    chunks: chunks(),
    bytesRead: () => bytes,
    sha256: () => digest,
  };
}

interface Decoder {
  write(buf: Buffer): string;
  end(): string;
}

function makeDecoder(encoding: EncodingName): Decoder {
  if (encoding === 'utf-8') {
    const d = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    return { write: (b) => d.decode(b, { stream: true }), end: () => d.decode() };
  }
  const d = iconv.getDecoder(encoding, { stripBOM: false });
  return { write: (b) => d.write(b), end: () => d.end() ?? '' };
}

function invalidBytesError(file: string, encoding: string, chunk: Buffer, linesBefore: number) {
  const lenient = new TextDecoder('utf-8').decode(chunk);
  const at = lenient.indexOf('\uFFFD');
  const line = linesBefore + countNewlines(lenient.slice(0, Math.max(0, at)));
  const detected = chardet.analyse(chunk)[0]?.name.toLowerCase();
  const guess =
    detected === 'iso-8859-1' || detected === 'iso-8859-15'
      ? 'windows-1252'
      : detected === 'gbk' || detected === 'gb2312'
        ? 'gb18030'
        : detected;
  const known = guess && guess !== encoding ? guess : null;
  return badInput(
    { file, line },
    `bytes that are not valid ${encoding.toUpperCase()}${known ? ` (it looks like ${known})` : ''}`,
    known ? { do: 'encoding', encoding: known } : undefined,
  );
}

export function countNewlines(text: string): number {
  let n = 0;
  let i = text.indexOf('\n');
  while (i !== -1) {
    n++;
    i = text.indexOf('\n', i + 1);
  }
  return n;
}
