import type { Migration } from '../migrate.js';

/**
 * Alignment (DESIGN.md "Alignment"): match labels, pair probabilities, clusters, golden records, runs.
 * Labels name records by (channel, record id), the identity that survives a re-import; everything else is
 * derived by `concord align` and keyed by records.id.
 */
export const alignment: Migration = {
  version: 3,
  name: 'alignment',
  up: `
    -- Match labels from the review queue, cluster split/merge and label files. The latest label of a pair wins;
    -- a batch (one split, one merge, one file) is undone as a whole. a_id / b_id: the records.id the label was
    -- given on (a hint for quick lookups; the identity is (channel, record id)).
    CREATE TABLE match_labels (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      batch INTEGER NOT NULL,
      channel_a TEXT NOT NULL,
      record_a TEXT NOT NULL,
      channel_b TEXT NOT NULL,
      record_b TEXT NOT NULL,
      a_id INTEGER,
      b_id INTEGER,
      label TEXT NOT NULL CHECK (label IN ('match', 'no_match', 'skip')),
      source TEXT NOT NULL CHECK (source IN ('user', 'split', 'merge', 'file')),
      created_at TEXT NOT NULL
    );
    CREATE INDEX match_labels_pair ON match_labels(channel_a, record_a, channel_b, record_b);
    CREATE INDEX match_labels_batch ON match_labels(batch);

    -- Candidate pairs (a < b, records.id) with their match probability: \`probability\` is what clustering uses
    -- (labels and sure GTIN evidence applied), \`model\` the calibrated classifier's (NULL when not scored).
    -- evidence: 0 model, 1 equal valid GTIN, 2 different valid GTINs, 3 label.
    CREATE TABLE pair_scores (
      a INTEGER NOT NULL,
      b INTEGER NOT NULL,
      probability REAL NOT NULL,
      model REAL,
      evidence INTEGER NOT NULL,
      PRIMARY KEY (a, b)
    ) WITHOUT ROWID;
    CREATE INDEX pair_scores_b ON pair_scores(b);

    -- Every product record's cluster (cluster_id = the smallest records.id in it; singletons included).
    CREATE TABLE clusters (
      record_id INTEGER PRIMARY KEY REFERENCES records(id) ON DELETE CASCADE,
      cluster_id INTEGER NOT NULL
    );
    CREATE INDEX clusters_cluster ON clusters(cluster_id);

    -- One golden record per cluster. Every value comes from \`source_record\` by rule 'priority' unless
    -- \`provenance\` (JSON {field: [records.id | null, rule]}) says otherwise; the description's value is not copied
    -- (read it from its provenance record).
    CREATE TABLE golden_records (
      cluster_id INTEGER PRIMARY KEY,
      source_record INTEGER NOT NULL,
      size INTEGER NOT NULL,
      channels TEXT NOT NULL,
      duplicates INTEGER NOT NULL,
      confidence REAL NOT NULL,
      title TEXT,
      brand TEXT,
      gtin TEXT,
      mpn TEXT,
      sku TEXT,
      price_minor INTEGER,
      sale_price_minor INTEGER,
      currency TEXT,
      availability TEXT,
      weight_g REAL,
      category TEXT,
      image_url TEXT,
      link TEXT,
      options TEXT,
      provenance TEXT
    );

    -- One row per alignment (align, recluster, retrain, manual split/merge): its summary and model, as JSON.
    CREATE TABLE align_runs (
      id INTEGER PRIMARY KEY,
      kind TEXT NOT NULL,
      created_at TEXT NOT NULL,
      threshold REAL NOT NULL,
      summary TEXT NOT NULL,
      model TEXT
    );
  `,
};
