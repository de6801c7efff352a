import type Database from 'better-sqlite3';
import { ConcordError } from '../model/errors.js';

export interface Migration {
  version: number;
  name: string;
  up: string;
}

/**
 * Brings a workspace to the newest schema. The schema version lives in `PRAGMA user_version`.
 * History must be contiguous (1, 2, 3 …); a workspace written by a newer Concord is refused, not guessed at.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[], file: string): number {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1)
      throw new Error(`migration ${m.name} has version ${m.version}, expected ${i + 1}`);
  });
  const latest = migrations.length;
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > latest) throw writtenByNewer(file, current, latest);
  for (const m of migrations.slice(current)) {
    db.transaction(() => {
      db.exec(m.up);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  return latest;
}

/** A workspace whose schema is newer than this Concord knows: refused, not guessed at. */
export function writtenByNewer(file: string, current: number, latest: number): ConcordError {
  return new ConcordError(
    'CONFLICT',
    `${file} was written by a newer Concord (schema version ${current}; this version knows up to ${latest}). Update Concord to open it.`,
    { file, schemaVersion: current, supported: latest },
  );
}
