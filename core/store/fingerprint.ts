import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';

/**
 * A content hash over every user table, in a stable order: two workspaces (or one, before and after a failed
 * operation) with equal fingerprints hold the same data.
 */
export function workspaceFingerprint(db: Database.Database): {
  tables: Record<string, number>;
  sha256: string;
} {
  const hash = createHash('sha256');
  const tables: Record<string, number> = {};
  const names = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .pluck()
    .all() as string[];
  for (const name of names) {
    let count = 0;
    for (const row of db.prepare(`SELECT * FROM "${name}" ORDER BY 1, 2`).raw().iterate() as Iterable<
      unknown[]
    >) {
      hash.update(JSON.stringify(row));
      count++;
    }
    tables[name] = count;
    hash.update(`\u0000${name}:${count}\u0000`);
  }
  return { tables, sha256: hash.digest('hex') };
}
