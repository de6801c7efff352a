import type Database from 'better-sqlite3';

/** A source as `concord sources --json` and the UI list it. */
export interface SourceSummary {
  id: number;
  channel: string;
  kind: string;
  format: string;
  encoding: string;
  file: string;
  sha256: string;
  importedAt: string;
  rows: number;
  /** Channel records by DESIGN.md's identity (a Shopify variant, not its image rows). */
  records: number;
  warnings: number;
}

export function listSources(db: Database.Database): SourceSummary[] {
  return db
    .prepare(
      `SELECT s.id, s.channel, s.kind, s.format, s.encoding, s.file_name AS file, s.sha256, s.imported_at AS importedAt,
              s.rows, s.records, s.warnings
       FROM sources s JOIN channels c ON c.name = s.channel
       ORDER BY c.priority, s.id`,
    )
    .all() as SourceSummary[];
}

export interface SourceWarning {
  sourceId: number;
  file: string;
  line: number;
  field: string;
  code: string;
  message: string;
}

export interface WarningQuery {
  /** Absent: every source's. */
  sourceId?: number;
  /** Only this kind. */
  code?: string;
  offset?: number;
  limit?: number;
}

/** Row warnings in source and line order (then in the order they were raised), one page. */
export function listWarnings(db: Database.Database, query: WarningQuery = {}): SourceWarning[] {
  const where: string[] = [];
  const args: unknown[] = [];
  if (query.sourceId !== undefined) {
    where.push('w.source_id = ?');
    args.push(query.sourceId);
  }
  if (query.code !== undefined) {
    where.push('w.code = ?');
    args.push(query.code);
  }
  return db
    .prepare(
      `SELECT w.source_id AS sourceId, s.file_name AS file, w.line, w.field, w.code, w.message
       FROM row_warnings w JOIN sources s ON s.id = w.source_id
       ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY w.source_id, w.line, w.rowid LIMIT ? OFFSET ?`,
    )
    .all(...args, query.limit ?? 1000, query.offset ?? 0) as SourceWarning[];
}
