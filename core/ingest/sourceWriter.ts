import type Database from 'better-sqlite3';
import { defaultChannelOf } from '../api/contract.js';
import { ConcordError } from '../model/errors.js';
import { BatchInsert } from '../store/batchInsert.js';
import { rawBlockInserter } from '../store/rawRows.js';
import {
  channelRecordIds,
  deleteSourceRecords,
  RECORD_ID_AT,
  RECORD_WIDTH,
  recordInserter,
} from '../store/records.js';
import {
  EVENT_VALUE_COLUMNS,
  WARNING_VALUE_COLUMNS,
  type Batch,
  type HeaderInfo,
  type SourceKind,
} from './rowPipeline.js';

export interface SourceMeta {
  channel?: string;
  kind: SourceKind;
  encoding: string;
  /** Display name of the file. */
  name: string;
  path: string;
  size: number;
  mapping?: Record<string, string>;
  replace: boolean;
}

export interface WrittenSource {
  sourceId: number;
  channel: string;
  format: string;
  formatConfidence: number;
  replaced: number[];
}

const WARNING_WIDTH = WARNING_VALUE_COLUMNS.length;
const EVENT_WIDTH = EVENT_VALUE_COLUMNS.length;

/**
 * Writes one source's batches into the workspace (inside the caller's transaction): the source row, raw blocks,
 * records, warnings, behavioural rows. Record ids arrive unique within the file (the pipeline's RecordIdGuard);
 * a clash with another source of the channel is an error unless that source is being replaced.
 */
export class SourceWriter {
  private sourceId = 0;
  private channel = '';
  private info: HeaderInfo | null = null;
  private replaceByName: number[] = [];
  /** recordId -> the source id of another source of the channel that has it. */
  private ids = new Map<string, number>();
  private readonly collisions: { recordId: string; line: number; sourceId: number }[] = [];
  private readonly insertBlock: (sourceId: number, block: Batch['block']) => void;
  private readonly records: BatchInsert;
  private readonly warnings: BatchInsert;
  private readonly events: BatchInsert;

  constructor(
    private readonly db: Database.Database,
    private readonly meta: SourceMeta,
  ) {
    this.insertBlock = rawBlockInserter(db);
    this.records = recordInserter(db);
    this.warnings = new BatchInsert(db, 'row_warnings', ['source_id', ...WARNING_VALUE_COLUMNS], 16);
    this.events = new BatchInsert(db, 'interactions', ['source_id', 'kind', ...EVENT_VALUE_COLUMNS]);
  }

  header(info: HeaderInfo): void {
    this.info = info;
    this.channel = this.meta.channel?.trim() || defaultChannelOf(info.format);
    this.db
      .prepare(
        'INSERT OR IGNORE INTO channels (name, priority) VALUES (?, (SELECT coalesce(max(priority), 0) + 1 FROM channels))',
      )
      .run(this.channel);
    const m = this.meta;
    this.sourceId = Number(
      this.db
        .prepare(
          `INSERT INTO sources (channel, kind, format, encoding, file_name, file_path, size_bytes, sha256, imported_at, header, mapping, rows, records, warnings)
           VALUES (?, ?, ?, ?, ?, ?, ?, '', ?, ?, ?, 0, 0, 0)`,
        )
        .run(
          this.channel,
          m.kind,
          info.format,
          m.encoding,
          m.name,
          m.path,
          m.size,
          new Date().toISOString(),
          JSON.stringify(info.header),
          m.mapping ? JSON.stringify(m.mapping) : null,
        ).lastInsertRowid,
    );
    if (m.replace) {
      this.replaceByName = this.db
        .prepare('SELECT id FROM sources WHERE channel = ? AND file_name = ? AND id != ?')
        .pluck()
        .all(this.channel, m.name, this.sourceId) as number[];
    }
    if (m.kind === 'products') {
      const exclude = [this.sourceId, ...this.replaceByName];
      const rows = channelRecordIds(this.db, this.channel, exclude);
      this.ids = new Map(rows);
    }
  }

  batch(b: Batch): void {
    this.insertBlock(this.sourceId, b.block);
    if (b.superseded.length > 0) {
      this.records.flush();
      deleteSourceRecords(this.db, this.sourceId, b.superseded);
    }
    const prefix = [this.sourceId, this.channel];
    const ids = this.ids;
    if (ids.size === 0) {
      for (let at = 0; at < b.records.length; at += RECORD_WIDTH) this.records.addFrom(prefix, b.records, at);
    } else {
      for (let at = 0; at < b.records.length; at += RECORD_WIDTH) {
        const recordId = b.records[at + RECORD_ID_AT] as string;
        const other = ids.get(recordId);
        if (other !== undefined && this.collisions.length < 5)
          this.collisions.push({ recordId, line: b.records[at] as number, sourceId: other });
        this.records.addFrom(prefix, b.records, at);
      }
    }
    const warnPrefix = [this.sourceId];
    for (let at = 0; at < b.warnings.length; at += WARNING_WIDTH)
      this.warnings.addFrom(warnPrefix, b.warnings, at);
    const eventPrefix = [this.sourceId, this.meta.kind];
    for (let at = 0; at < b.events.length; at += EVENT_WIDTH) {
      if (b.events[at + 5] === null) b.events[at + 5] = this.channel;
      this.events.addFrom(eventPrefix, b.events, at);
    }
  }

  /** Completes the source: duplicate-content and id-clash checks, replacements, counts. */
  finish(sha256: string, counts: { rows: number; records: number; warnings: number }): WrittenSource {
    if (!this.info) throw new Error('finish before header');
    this.records.flush();
    this.warnings.flush();
    this.events.flush();
    const same = this.db
      .prepare(
        'SELECT id, file_name, imported_at FROM sources WHERE channel = ? AND sha256 = ? AND id != ? ORDER BY id',
      )
      .all(this.channel, sha256, this.sourceId) as { id: number; file_name: string; imported_at: string }[];
    if (same.length > 0 && !this.meta.replace) {
      const prev = same[0];
      throw new ConcordError(
        'CONFLICT',
        `${this.meta.name} was already imported into channel "${this.channel}" (source #${prev.id}, ${prev.file_name}, ${prev.imported_at})`,
        { file: this.meta.name, channel: this.channel, sourceId: prev.id, remedy: { do: 'replace' } },
      );
    }
    const replaced = [...new Set([...this.replaceByName, ...same.map((s) => s.id)])];
    const blocking = this.collisions.find((c) => !replaced.includes(c.sourceId));
    if (blocking) {
      throw new ConcordError(
        'CONFLICT',
        `${this.meta.name}, line ${blocking.line}: record id "${blocking.recordId}" is already in channel "${this.channel}" from source #${blocking.sourceId}`,
        {
          file: this.meta.name,
          line: blocking.line,
          field: 'recordId',
          channel: this.channel,
          sourceId: blocking.sourceId,
          remedy: { do: 'otherChannelOrReplace' },
        },
      );
    }
    const del = this.db.prepare('DELETE FROM sources WHERE id = ?');
    for (const id of replaced) del.run(id);
    this.db
      .prepare('UPDATE sources SET sha256 = ?, rows = ?, records = ?, warnings = ? WHERE id = ?')
      .run(sha256, counts.rows, counts.records, counts.warnings, this.sourceId);
    return {
      sourceId: this.sourceId,
      channel: this.channel,
      format: this.info.format,
      formatConfidence: this.info.formatConfidence,
      replaced,
    };
  }
}
