import { basename, extname, resolve } from 'node:path';
import type Database from 'better-sqlite3';
import { badInput, cancelled, ConcordError } from '../model/errors.js';
import { PRODUCT_FORMATS, type FormatName, type NormalizedRecord, type RowWarning } from '../model/record.js';
import { throttleProgress, type ProgressListener } from '../jobs/progress.js';
import { BatchInsert } from '../store/batchInsert.js';
import { openWorkspace } from '../store/workspace.js';
import { bindBehaviour, type BehaviourKind } from './behaviour.js';
import { canonicalEncoding, detectEncoding, readText, sniffFile } from './decode.js';
import { readDelimited, sniffDelimiter, type TableCallbacks } from './delimited.js';
import { detectFormat, FORMAT_ADAPTERS } from './formats/index.js';
import { readJsonLines } from './jsonl.js';
import type { RawRow, RowContext, RowMapper } from './types.js';
import { readGmcXml } from './xml.js';

export const SOURCE_KINDS = ['products', 'interactions', 'orders', 'reviews'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

export interface ImportRequest {
  /** Workspace file. */
  workspace: string;
  file: string;
  /** The name shown in messages and stored as the source's file name (an upload's original name); default basename(file). */
  displayName?: string;
  /** Channel name; default the format's name. */
  channel?: string;
  format?: FormatName;
  kind?: SourceKind;
  encoding?: string;
  /** Generic formats: target field -> column. */
  mapping?: Record<string, string>;
  /** Replace an earlier import of this file (same name or same content) into the channel. */
  replace?: boolean;
  signal?: AbortSignal;
  onProgress?: ProgressListener;
}

export interface ImportResult {
  sourceId: number;
  channel: string;
  kind: SourceKind;
  format: string;
  formatConfidence: number;
  encoding: string;
  encodingConfidence: number;
  file: string;
  sha256: string;
  rows: number;
  records: number;
  warnings: number;
  replaced: number[];
  seconds: number;
}

type Container = 'delimited' | 'xml' | 'jsonl';

const RECORD_COLUMNS = [
  'source_id', 'line', 'channel', 'record_id', 'parent_id', 'title', 'description', 'brand', 'brand_key', 'gtin',
  'gtin_raw', 'gtin_status', 'mpn', 'sku', 'price_minor', 'sale_price_minor', 'currency', 'availability', 'stock',
  'weight_g', 'category', 'image_url', 'link', 'condition', 'status', 'tags', 'options', 'attributes',
] as const;

/**
 * Imports one export file as one transaction: raw rows verbatim, normalized records, row warnings.
 * Any error or a cancel rolls everything back, so the workspace is exactly as it was.
 */
export async function importFile(req: ImportRequest): Promise<ImportResult> {
  const started = performance.now();
  const file = resolve(req.file);
  const name = req.displayName ?? basename(file);
  const kind = req.kind ?? 'products';
  const { head, size } = await sniffFile(file).catch((err: NodeJS.ErrnoException) => {
    throw err.code === 'ENOENT' ? new ConcordError('NOT_FOUND', `${req.file}: no such file`, { file: req.file }) : err;
  });
  if (size === 0) throw badInput({ file: name, line: 1 }, 'file is empty');
  const guess = req.encoding
    ? { encoding: canonicalEncoding(req.encoding, name), confidence: 1, bomLength: bomLengthFor(head, canonicalEncoding(req.encoding, name)) }
    : detectEncoding(head, name);
  const container = containerOf(name, head, guess.encoding, guess.bomLength);
  if (container === 'xml' && kind === 'products' && req.format && req.format !== 'gmc') {
    throw badInput({ file: name, line: 1 }, `an XML file can only be a Google Merchant Center feed, not --format ${req.format}`);
  }

  const ws = openWorkspace(req.workspace);
  const db = ws.db;
  const progress = throttleProgress(req.onProgress);
  const text = readText(file, guess.encoding, guess.bomLength, req.signal, name);
  let format: string = container === 'xml' ? 'gmc' : (req.format ?? (container === 'jsonl' && req.mapping ? 'jsonl' : ''));
  let formatConfidence = req.format ? 1 : 0;
  let channel = req.channel?.trim() ?? '';
  let sourceId = 0;
  let rows = 0;
  let records = 0;
  let warnings = 0;
  let replaceNames: number[] = [];
  const collisions: { recordId: string; line: number; sourceId: number }[] = [];

  try {
    db.exec('BEGIN IMMEDIATE');
    const raw = new BatchInsert(db, 'raw_rows', ['source_id', 'line', 'data']);
    const recs = new BatchInsert(db, 'records', RECORD_COLUMNS);
    const warns = new BatchInsert(db, 'row_warnings', ['source_id', 'line', 'field', 'code', 'message'], 16);
    const events = new BatchInsert(db, 'interactions', ['source_id', 'line', 'kind', 'user_id', 'item_id', 'event', 'ts', 'channel', 'value', 'rating', 'text']);
    let onRow: (row: RawRow) => void = () => {};
    const seen = new Map<string, number>(); // recordId -> line, this file
    let existing = new Map<string, number>(); // recordId -> source id, other sources of the channel

    const cb: TableCallbacks = {
      file: name,
      signal: req.signal,
      onHeader(header, line) {
        if (kind === 'products') {
          if (!format) {
            const detected = detectFormat(header);
            if (detected.confidence < 0.5) {
              const best = detected.ranking.slice(0, 2).map((r) => `${r.format} ${(r.confidence * 100).toFixed(0)}%`).join(', ');
              throw badInput(
                { file: name, line },
                `header matches no known export format (closest: ${best}). Name one with --format, or map the columns with --format csv --map recordId=<column> …`,
              );
            }
            format = detected.format;
            formatConfidence = detected.confidence;
          } else if (!req.format) {
            formatConfidence = detectFormat(header).ranking.find((r) => r.format === format)?.confidence ?? 1;
          }
        } else {
          format ||= container === 'jsonl' ? 'jsonl' : 'csv';
          formatConfidence = 1;
        }
        channel ||= format;
        ensureChannel(db, channel);
        sourceId = insertSource(db, { channel, kind, format, encoding: guess.encoding, name, file, size, header, mapping: req.mapping });
        replaceNames = req.replace ? sourcesNamed(db, channel, name, sourceId) : [];
        existing = kind === 'products' ? channelRecordIds(db, channel, [sourceId, ...replaceNames]) : new Map();

        if (kind !== 'products') {
          const mapBehaviour = bindBehaviour(kind as BehaviourKind, header, req.mapping, name);
          onRow = (row) => {
            raw.add(sourceId, row.line, row.raw);
            const b = mapBehaviour(row.cells, row.line);
            events.add(sourceId, row.line, kind, b.userId, b.itemId, b.event, b.timestamp, b.channel ?? channel, b.value, b.rating, b.text);
            records++;
          };
          return;
        }
        const adapter = FORMAT_ADAPTERS.find((a) => a.name === format);
        if (!adapter) throw badInput({ file: name }, `unknown format "${format}" (known: ${PRODUCT_FORMATS.join(', ')})`);
        const mapper: RowMapper = adapter.bind(header, { file: name, mapping: req.mapping });
        const ctx: RowContext & { line: number } = {
          file: name,
          line: 0,
          warn(field: string, code: RowWarning['code'], message: string) {
            warns.add(sourceId, ctx.line, field, code, message);
            warnings++;
          },
        };
        onRow = (row) => {
          raw.add(sourceId, row.line, row.raw);
          ctx.line = row.line;
          const rec = mapper.map(row, ctx);
          if (rec === null) return;
          const firstLine = seen.get(rec.recordId);
          if (firstLine !== undefined) {
            throw badInput(
              { file: name, line: row.line, field: 'recordId' },
              `duplicate record id "${rec.recordId}" (first seen on line ${firstLine})`,
            );
          }
          seen.set(rec.recordId, row.line);
          const other = existing.get(rec.recordId);
          if (other !== undefined && collisions.length < 5) collisions.push({ recordId: rec.recordId, line: row.line, sourceId: other });
          insertRecord(recs, sourceId, row.line, channel, rec);
          records++;
        };
      },
      onRow(row) {
        rows++;
        onRow(row);
        if ((rows & 0x3fff) === 0) {
          if (req.signal?.aborted) throw cancelled();
          progress({ done: text.bytesRead(), total: size, phase: 'import', message: `${rows.toLocaleString('en-US')} rows` });
        }
      },
    };

    if (container === 'xml') await readGmcXml(text, cb);
    else if (container === 'jsonl') await readJsonLines(text, cb);
    else await readDelimited(text, sniffDelimiter(head.subarray(guess.bomLength, 8192).toString(guess.encoding === 'utf-8' ? 'utf8' : 'latin1')), cb);
    if (req.signal?.aborted) throw cancelled();
    if (rows === 0) throw badInput({ file: name, line: 2 }, 'file has a header but no data rows');
    raw.flush();
    recs.flush();
    warns.flush();
    events.flush();

    const sha256 = text.sha256();
    const sameContent = sourcesWithSha(db, channel, sha256, sourceId);
    if (sameContent.length > 0 && !req.replace) {
      const prev = sameContent[0];
      throw new ConcordError(
        'CONFLICT',
        `${name} was already imported into channel "${channel}" (source #${prev.id}, ${prev.file_name}, ${prev.imported_at}); use --replace to import it again`,
        { file: name, channel, sourceId: prev.id },
      );
    }
    const replaced = [...new Set([...replaceNames, ...sameContent.map((s) => s.id)])];
    const blocking = collisions.filter((c) => !replaced.includes(c.sourceId));
    if (blocking.length > 0) {
      const c = blocking[0];
      throw new ConcordError(
        'CONFLICT',
        `${name}, line ${c.line}: record id "${c.recordId}" is already in channel "${channel}" from source #${c.sourceId}; import into another channel or use --replace to replace that source`,
        { file: name, line: c.line, field: 'recordId', channel, sourceId: c.sourceId },
      );
    }
    if (replaced.length > 0) {
      const del = db.prepare('DELETE FROM sources WHERE id = ?');
      for (const id of replaced) del.run(id);
    }
    db.prepare('UPDATE sources SET sha256 = ?, rows = ?, records = ?, warnings = ? WHERE id = ?').run(sha256, rows, records, warnings, sourceId);
    db.exec('COMMIT');
    progress({ done: size, total: size, phase: 'import', message: `${rows.toLocaleString('en-US')} rows` });
    return {
      sourceId,
      channel,
      kind,
      format,
      formatConfidence,
      encoding: guess.encoding,
      encodingConfidence: guess.confidence,
      file: name,
      sha256,
      rows,
      records,
      warnings,
      replaced,
      seconds: (performance.now() - started) / 1000,
    };
  } catch (err) {
    if (db.inTransaction) db.exec('ROLLBACK');
    await text.chunks.return(undefined).catch(() => {});
    if (err instanceof ConcordError) throw err;
    if ((err as Error).name === 'AbortError') throw cancelled();
    throw err;
  } finally {
    ws.close();
  }
}

function containerOf(file: string, head: Buffer, encoding: string, bomLength: number): Container {
  const ext = extname(file).toLowerCase();
  if (ext === '.xml' || ext === '.rss' || ext === '.atom') return 'xml';
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  if (ext === '.csv' || ext === '.tsv' || ext === '.txt') return 'delimited';
  const start = (encoding.startsWith('utf-16') ? head.subarray(bomLength).toString(encoding === 'utf-16le' ? 'utf16le' : 'latin1') : head.subarray(bomLength).toString('latin1')).trimStart();
  if (start.startsWith('<')) return 'xml';
  if (start.startsWith('{')) return 'jsonl';
  return 'delimited';
}

function bomLengthFor(head: Buffer, encoding: string): number {
  if (encoding === 'utf-8' && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 3;
  if (encoding === 'utf-16le' && head[0] === 0xff && head[1] === 0xfe) return 2;
  if (encoding === 'utf-16be' && head[0] === 0xfe && head[1] === 0xff) return 2;
  return 0;
}

function ensureChannel(db: Database.Database, channel: string): void {
  db.prepare(
    'INSERT INTO channels (name, priority) SELECT ?, coalesce(max(priority), 0) + 1 FROM channels WHERE NOT EXISTS (SELECT 1 FROM channels WHERE name = ?)',
  ).run(channel, channel);
}

function insertSource(
  db: Database.Database,
  s: { channel: string; kind: SourceKind; format: string; encoding: string; name: string; file: string; size: number; header: string[]; mapping?: Record<string, string> },
): number {
  const info = db
    .prepare(
      `INSERT INTO sources (channel, kind, format, encoding, file_name, file_path, size_bytes, sha256, imported_at, header, mapping, rows, records, warnings)
       VALUES (?, ?, ?, ?, ?, ?, ?, '', ?, ?, ?, 0, 0, 0)`,
    )
    .run(s.channel, s.kind, s.format, s.encoding, s.name, s.file, s.size, new Date().toISOString(), JSON.stringify(s.header), s.mapping ? JSON.stringify(s.mapping) : null);
  return Number(info.lastInsertRowid);
}

function sourcesNamed(db: Database.Database, channel: string, name: string, exclude: number): number[] {
  return (db.prepare('SELECT id FROM sources WHERE channel = ? AND file_name = ? AND id != ?').all(channel, name, exclude) as { id: number }[]).map((r) => r.id);
}

function sourcesWithSha(db: Database.Database, channel: string, sha: string, exclude: number) {
  return db
    .prepare('SELECT id, file_name, imported_at FROM sources WHERE channel = ? AND sha256 = ? AND id != ? ORDER BY id')
    .all(channel, sha, exclude) as { id: number; file_name: string; imported_at: string }[];
}

function channelRecordIds(db: Database.Database, channel: string, exclude: number[]): Map<string, number> {
  const rows = db
    .prepare(`SELECT record_id, source_id FROM records WHERE channel = ? AND source_id NOT IN (${exclude.map(() => '?').join(',')})`)
    .raw()
    .all(channel, ...exclude) as [string, number][];
  return new Map(rows);
}

function insertRecord(recs: BatchInsert, sourceId: number, line: number, channel: string, r: NormalizedRecord): void {
  recs.add(
    sourceId, line, channel, r.recordId, r.parentId, r.title, r.description, r.brand, r.brandKey, r.gtin,
    r.gtinRaw, r.gtinStatus, r.mpn, r.sku, r.priceMinor, r.salePriceMinor, r.currency, r.availability, r.stock,
    r.weightG, r.category.length ? r.category.join(' > ') : null, r.imageUrl, r.link, r.condition, r.status,
    r.tags.length ? JSON.stringify(r.tags) : null, jsonOrNull(r.options), jsonOrNull(r.attributes),
  );
}

function jsonOrNull(o: Record<string, string>): string | null {
  for (const _ in o) return JSON.stringify(o);
  return null;
}
