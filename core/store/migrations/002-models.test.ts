import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../../test-support/tmp.js';
import { migrate } from '../migrate.js';
import { openWorkspace } from '../workspace.js';
import { initial } from './001-initial.js';
import { models } from './002-models.js';

describe('migration 002-models', () => {
  const tmp = useTempDir();

  it('upgrades a version-1 workspace, keeping its data', () => {
    const file = join(tmp(), 'old.concord');
    const db = new Database(file);
    db.pragma(`application_id = ${0x436f6e63}`);
    migrate(db, [initial], file);
    db.prepare("INSERT INTO channels (name, priority) VALUES ('shopify', 0)").run();
    db.close();

    const ws = openWorkspace(file);
    expect(ws.db.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(2);
    expect(ws.db.prepare('SELECT name FROM channels').all()).toEqual([{ name: 'shopify' }]);
    const cols = (t: string) =>
      (ws.db.prepare(`PRAGMA table_info(${t})`).all() as Array<{ name: string }>).map((c) => c.name);
    expect(cols('models')).toEqual([
      'id',
      'kind',
      'name',
      'version',
      'sha256',
      'path',
      'config',
      'training_data_sha256',
      'metrics',
      'created_at',
      'code_version',
    ]);
    expect(cols('embeddings')).toEqual([
      'id',
      'model_id',
      'scope',
      'source_id',
      'sha256',
      'path',
      'keys_path',
      'rows',
      'dims',
      'created_at',
    ]);
    ws.close();
  });

  it('keeps one row per model version and drops embeddings with their model', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, [initial, models], ':memory:');
    const add = db.prepare(
      "INSERT INTO models (kind, name, version, sha256, path, config, metrics, created_at, code_version) VALUES ('encoder', 'e', ?, 'h', 'p', '{}', '{}', 't', 'c')",
    );
    const id = Number(add.run(1).lastInsertRowid);
    expect(() => add.run(1)).toThrow(/UNIQUE/);
    db.prepare(
      "INSERT INTO embeddings (model_id, scope, sha256, path, keys_path, rows, dims, created_at) VALUES (?, 'records', 'h', 'p', 'k', 1, 4, 't')",
    ).run(id);
    db.prepare('DELETE FROM models WHERE id = ?').run(id);
    expect(db.prepare('SELECT count(*) AS n FROM embeddings').get()).toEqual({ n: 0 });
    db.close();
  });
});
