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
  line: number;
  field: string;
  code: string;
  message: string;
}

export function listWarnings(db: Database.Database, sourceId: number, limit = 1000): SourceWarning[] {
  return db
    .prepare('SELECT line, field, code, message FROM row_warnings WHERE source_id = ? ORDER BY line LIMIT ?')
    .all(sourceId, limit) as SourceWarning[];
}
