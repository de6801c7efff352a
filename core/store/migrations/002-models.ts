import type { Migration } from '../migrate.js';

/**
 * Model registry and embedding matrices (DESIGN.md "Models and inference"). Model files and matrices sit in the
 * workspace's `.concord.d/` folder by content hash; `path` is relative to that folder.
 */
export const models: Migration = {
  version: 2,
  name: 'models',
  up: `
    CREATE TABLE models (
      id INTEGER PRIMARY KEY,
      kind TEXT NOT NULL, -- 'encoder' (built-in), 'transformer' (user folder), 'scorer', … (checked in core/embed/registry.ts)
      name TEXT NOT NULL,
      version INTEGER NOT NULL,
      sha256 TEXT NOT NULL,
      path TEXT NOT NULL,
      config TEXT NOT NULL,
      training_data_sha256 TEXT,
      metrics TEXT NOT NULL,
      created_at TEXT NOT NULL,
      code_version TEXT NOT NULL,
      UNIQUE (kind, name, version)
    );
    CREATE INDEX models_sha256 ON models(sha256);

    -- One matrix of embeddings (rows × dims float32, little-endian) per model and scope, with the record ids of
    -- its rows (int64 little-endian) in a second file.
    CREATE TABLE embeddings (
      id INTEGER PRIMARY KEY,
      model_id INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
      scope TEXT NOT NULL,
      source_id INTEGER REFERENCES sources(id) ON DELETE CASCADE,
      sha256 TEXT NOT NULL,
      path TEXT NOT NULL,
      keys_path TEXT NOT NULL,
      rows INTEGER NOT NULL,
      dims INTEGER NOT NULL,
      created_at TEXT NOT NULL
    );
    CREATE INDEX embeddings_model ON embeddings(model_id, scope);
  `,
};
