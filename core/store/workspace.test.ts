import Database from 'better-sqlite3';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir, writeTemp } from '../test-support/tmp.js';
import { migrate, type Migration } from './migrate.js';
import { MIGRATIONS } from './migrations/index.js';
import { openWorkspace, SCHEMA_VERSION } from './workspace.js';

describe('workspace', () => {
  const tmp = useTempDir();

  it('creates a WAL workspace with foreign keys and the current schema', () => {
    const file = join(tmp(), 'a.concord');
    const ws = openWorkspace(file, { create: true });
    expect(ws.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(ws.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(ws.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    const tables = ws.db
      .prepare("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")
      .pluck()
      .all();
    expect(tables).toEqual(
      expect.arrayContaining([
        'channels',
        'sources',
        'raw_blocks',
        'records',
        'row_warnings',
        'interactions',
      ]),
    );
    ws.close();
    expect(() => openWorkspace(file, { create: true })).toThrow(/already exists/);
    openWorkspace(file).close();
  });

  it('opens an existing workspace without writing to it (no commit, the WAL does not grow)', () => {
    const file = join(tmp(), 'a.concord');
    openWorkspace(file, { create: true }).close();
    const kept = openWorkspace(file); // keeps the WAL file from being checkpointed away between opens
    const reader = new Database(file, { readonly: true });
    const version = reader.pragma('data_version', { simple: true });
    const walBytes = statSync(`${file}-wal`).size;
    openWorkspace(file).close();
    expect(reader.pragma('data_version', { simple: true })).toBe(version);
    expect(statSync(`${file}-wal`).size).toBe(walBytes);
    reader.close();
    kept.close();
  });

  it('refuses a missing file, a non-workspace and a workspace from a newer Concord', () => {
    expect(() => openWorkspace(join(tmp(), 'missing.concord'))).toThrow(/no such workspace/);
    const notWs = writeTemp(tmp(), 'notes.concord', 'just text, not SQLite at all'.repeat(10));
    expect(() => openWorkspace(notWs)).toThrow(/is not a Concord workspace/);
    const file = join(tmp(), 'new.concord');
    openWorkspace(file, { create: true }).close();
    const db = new Database(file);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => openWorkspace(file)).toThrow(
      /written by a newer Concord \(schema version \d+; this version knows up to \d+\)/,
    );
  });

  it('applies migrations in order, once, each in a transaction', () => {
    const db = new Database(':memory:');
    const ms: Migration[] = [
      { version: 1, name: 'a', up: 'CREATE TABLE t (x INTEGER);' },
      { version: 2, name: 'b', up: 'ALTER TABLE t ADD COLUMN y TEXT;' },
    ];
    expect(migrate(db, ms, 'mem')).toBe(2);
    expect(migrate(db, ms, 'mem')).toBe(2);
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    const broken: Migration[] = [
      ...ms,
      { version: 3, name: 'c', up: 'CREATE TABLE u (z); SELECT nonsense FROM nowhere;' },
    ];
    expect(() => migrate(db, broken, 'mem')).toThrow();
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'u'").pluck().get()).toBe(0);
    expect(() => migrate(db, [{ version: 2, name: 'gap', up: '' }], 'mem')).toThrow(/expected 1/);
  });

  it('has contiguous migration versions', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
  });
});
