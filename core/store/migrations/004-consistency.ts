import type { Migration } from '../migrate.js';

/**
 * Consistency (DESIGN.md "Gaps"): settings (assortment rules, tolerances), the learned/edited category mapping,
 * detected gaps with their statuses, detection runs (the trend across imports) and product quality grades.
 */
export const consistency: Migration = {
  version: 4,
  name: 'consistency',
  up: `
    -- Workspace settings as JSON values: 'rules' (assortment rules), 'rules.builtinStatus', 'gaps.tolerances'.
    CREATE TABLE settings (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL
    ) WITHOUT ROWID;

    -- A channel's category path (' > ' joined) and the reference taxonomy's path it corresponds to: learned from
    -- matched products (source 'learned', relearned on every detection) or set by the user (kept).
    CREATE TABLE category_map (
      channel TEXT NOT NULL,
      category TEXT NOT NULL,
      maps_to TEXT,
      support INTEGER NOT NULL,
      source TEXT NOT NULL CHECK (source IN ('learned', 'user')),
      PRIMARY KEY (channel, category)
    ) WITHOUT ROWID;

    -- One row per detection: when, which sources it saw, and its counts (JSON) for the trend across imports.
    CREATE TABLE gap_runs (
      id INTEGER PRIMARY KEY,
      detected_at TEXT NOT NULL,
      sources TEXT NOT NULL,
      summary TEXT NOT NULL
    );

    -- The gaps of the latest detection, plus 'fixed' ones (gone since an earlier detection).
    -- key: the identity that survives re-import and re-alignment: kind|channel|recordId for a record's gap,
    -- kind|channel|anchor channel|anchor recordId for an absence (anchor: the product's highest-priority record).
    CREATE TABLE gaps (
      id INTEGER PRIMARY KEY,
      key TEXT NOT NULL UNIQUE,
      run_id INTEGER NOT NULL,
      kind TEXT NOT NULL,
      channel TEXT NOT NULL,
      record_id TEXT,
      record_ref INTEGER,
      cluster_id INTEGER NOT NULL,
      product_id TEXT NOT NULL,
      field TEXT,
      expected TEXT,
      actual TEXT,
      severity TEXT NOT NULL,
      severity_rank INTEGER NOT NULL,
      present_in TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('open', 'accepted', 'ignored', 'fixed', 'excluded')),
      rule TEXT,
      title TEXT
    );
    CREATE INDEX gaps_severity ON gaps(severity_rank, id);
    CREATE INDEX gaps_kind ON gaps(kind, severity_rank);
    CREATE INDEX gaps_channel ON gaps(channel, severity_rank);
    CREATE INDEX gaps_status ON gaps(status, severity_rank);
    CREATE INDEX gaps_cluster ON gaps(cluster_id);

    -- Statuses users set, by gap key: they survive re-detection and re-alignment.
    CREATE TABLE gap_status (
      key TEXT PRIMARY KEY,
      status TEXT NOT NULL CHECK (status IN ('accepted', 'ignored')),
      updated_at TEXT NOT NULL
    ) WITHOUT ROWID;

    -- The previous statuses of the last status change, for undo.
    CREATE TABLE gap_status_undo (
      key TEXT PRIMARY KEY,
      previous TEXT
    ) WITHOUT ROWID;

    -- Quality per product (cluster) from the latest detection.
    CREATE TABLE product_quality (
      cluster_id INTEGER PRIMARY KEY,
      completeness REAL NOT NULL,
      grade TEXT NOT NULL
    );
  `,
};
