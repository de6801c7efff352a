import type { Migration } from '../migrate.js';

/** Sources, raw rows kept verbatim, normalized records, row warnings, behavioural data. */
export const initial: Migration = {
  version: 1,
  name: 'initial',
  up: `
    CREATE TABLE channels (
      name TEXT PRIMARY KEY,
      priority INTEGER NOT NULL
    );

    CREATE TABLE sources (
      id INTEGER PRIMARY KEY,
      channel TEXT NOT NULL REFERENCES channels(name),
      kind TEXT NOT NULL CHECK (kind IN ('products', 'interactions', 'orders', 'reviews')),
      format TEXT NOT NULL,
      encoding TEXT NOT NULL,
      file_name TEXT NOT NULL,
      file_path TEXT NOT NULL,
      size_bytes INTEGER NOT NULL,
      sha256 TEXT NOT NULL,
      imported_at TEXT NOT NULL,
      header TEXT NOT NULL,
      mapping TEXT,
      rows INTEGER NOT NULL,
      records INTEGER NOT NULL,
      warnings INTEGER NOT NULL
    );
    CREATE INDEX sources_channel ON sources(channel);

    -- Every row exactly as the file had it (after decoding), in blocks of consecutive rows (see core/store/rawRows.ts):
    -- \`lines\` holds each row's first line number and \`lengths\` its UTF-8 byte length, both as int32 little-endian;
    -- \`data\` is the rows' text, UTF-8, concatenated.
    CREATE TABLE raw_blocks (
      source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
      first_line INTEGER NOT NULL,
      last_line INTEGER NOT NULL,
      lines BLOB NOT NULL,
      lengths BLOB NOT NULL,
      data BLOB NOT NULL,
      PRIMARY KEY (source_id, first_line)
    ) WITHOUT ROWID;

    CREATE TABLE records (
      id INTEGER PRIMARY KEY,
      source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
      line INTEGER NOT NULL,
      channel TEXT NOT NULL,
      record_id TEXT NOT NULL,
      parent_id TEXT,
      title TEXT,
      description TEXT,
      brand TEXT,
      brand_key TEXT,
      gtin TEXT,
      gtin_raw TEXT,
      gtin_status TEXT NOT NULL,
      mpn TEXT,
      sku TEXT,
      price_minor INTEGER,
      sale_price_minor INTEGER,
      currency TEXT,
      availability TEXT,
      stock INTEGER,
      weight_g REAL,
      category TEXT,
      image_url TEXT,
      link TEXT,
      condition TEXT,
      status TEXT,
      tags TEXT,
      options TEXT,
      attributes TEXT
    );
    CREATE INDEX records_source ON records(source_id);

    CREATE TABLE row_warnings (
      source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
      line INTEGER NOT NULL,
      field TEXT NOT NULL,
      code TEXT NOT NULL,
      message TEXT NOT NULL
    );
    CREATE INDEX row_warnings_source ON row_warnings(source_id, line);

    CREATE TABLE interactions (
      source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
      line INTEGER NOT NULL,
      kind TEXT NOT NULL,
      user_id TEXT,
      item_id TEXT NOT NULL,
      event TEXT,
      ts TEXT,
      channel TEXT,
      value REAL,
      rating REAL,
      text TEXT
    );
    CREATE INDEX interactions_source ON interactions(source_id);
  `,
};
