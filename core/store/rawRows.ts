import type Database from 'better-sqlite3';
import { endianness } from 'node:os';

/**
 * Raw rows are stored verbatim in blocks of consecutive rows: one SQLite row per block instead of per file row
 * makes an import several times cheaper, and a row is still found by its line in one indexed lookup.
 * A block holds each row's first line number and its UTF-8 length (int32 little-endian) and the rows' text, UTF-8,
 * concatenated.
 */
export interface RawBlock {
  firstLine: number;
  lastLine: number;
  lines: Uint8Array;
  /** UTF-8 byte length of each row. */
  lengths: Uint8Array;
  /** The rows' text, UTF-8, concatenated. Bytes (not a JS string) so a block moves between threads without a copy. */
  data: Uint8Array;
}

export interface RawRowText {
  line: number;
  text: string;
}

if (endianness() !== 'LE')
  throw new Error('raw row blocks are stored little-endian; this platform is big-endian');

const utf8 = new TextEncoder();

export function packRawBlock(lines: number[], texts: string[]): RawBlock {
  const n = lines.length;
  // Each array owns its ArrayBuffer (never a pooled Buffer slice), so a block can be transferred between threads.
  const lineArr = Int32Array.from(lines);
  const lengthArr = new Int32Array(n);
  for (let i = 0; i < n; i++) lengthArr[i] = Buffer.byteLength(texts[i], 'utf8');
  return {
    firstLine: lines[0],
    lastLine: lines[n - 1],
    lines: new Uint8Array(lineArr.buffer),
    lengths: new Uint8Array(lengthArr.buffer),
    data: utf8.encode(texts.join('')),
  };
}

/** The ArrayBuffers of a block, for postMessage's transfer list. */
export function rawBlockTransferables(b: RawBlock): ArrayBuffer[] {
  return [b.lines.buffer as ArrayBuffer, b.lengths.buffer as ArrayBuffer, b.data.buffer as ArrayBuffer];
}

export function rawBlockInserter(db: Database.Database): (sourceId: number, block: RawBlock) => void {
  const insert = db.prepare(
    'INSERT INTO raw_blocks (source_id, first_line, last_line, lines, lengths, data) VALUES (?, ?, ?, ?, ?, ?)',
  );
  return (sourceId, b) => {
    insert.run(sourceId, b.firstLine, b.lastLine, toBuffer(b.lines), toBuffer(b.lengths), toBuffer(b.data));
  };
}

/** Blocks that crossed a thread boundary arrive as plain Uint8Arrays; SQLite wants Buffers for BLOBs. */
function toBuffer(a: Uint8Array): Buffer {
  return Buffer.isBuffer(a) ? a : Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

interface BlockRow {
  first_line: number;
  lines: Buffer;
  lengths: Buffer;
  data: Buffer;
}

function* unpack(block: BlockRow): Generator<RawRowText> {
  let at = 0;
  for (let i = 0; i < block.lines.length / 4; i++) {
    const len = block.lengths.readInt32LE(4 * i);
    yield { line: block.lines.readInt32LE(4 * i), text: block.data.toString('utf8', at, at + len) };
    at += len;
  }
}

/** The verbatim text of the row that starts on `line`, or null. */
export function rawRow(db: Database.Database, sourceId: number, line: number): string | null {
  const block = db
    .prepare(
      'SELECT first_line, lines, lengths, data FROM raw_blocks WHERE source_id = ? AND first_line <= ? ORDER BY first_line DESC LIMIT 1',
    )
    .get(sourceId, line) as BlockRow | undefined;
  if (!block) return null;
  for (const row of unpack(block)) if (row.line === line) return row.text;
  return null;
}

/** Every raw row of a source, in file order. */
export function* rawRows(db: Database.Database, sourceId: number): Generator<RawRowText> {
  const blocks = db
    .prepare(
      'SELECT first_line, lines, lengths, data FROM raw_blocks WHERE source_id = ? ORDER BY first_line',
    )
    .iterate(sourceId) as Iterable<BlockRow>;
  for (const block of blocks) yield* unpack(block);
}

export function countRawRows(db: Database.Database, sourceId: number): number {
  return (
    db
      .prepare('SELECT coalesce(sum(length(lines)) / 4, 0) AS n FROM raw_blocks WHERE source_id = ?')
      .get(sourceId) as { n: number }
  ).n;
}
