import type { Migration } from '../migrate.js';

/**
 * Cluster edits (a merge or a split on the Matches page) with what they replaced, so that each can be undone
 * exactly: the clusters and golden records of the records the edit touched, as they were before and after it, and
 * the match-label batch it wrote. Only the last few edits are kept (core/align/clusterEdits.ts).
 */
export const clusterEdits: Migration = {
  version: 7,
  name: 'cluster-edits',
  up: `
    CREATE TABLE cluster_edits (
      id INTEGER PRIMARY KEY,
      kind TEXT NOT NULL CHECK (kind IN ('merge', 'split')),
      created_at TEXT NOT NULL,
      -- match_labels.seq of the first and last label the edit wrote (seq is never reused; batch numbers are)
      first_label INTEGER NOT NULL,
      last_label INTEGER NOT NULL,
      -- align_runs.id of the re-clustering the edit recorded
      run_id INTEGER NOT NULL,
      -- JSON {clusters: [[record_id, cluster_id]…], golden: [[…GOLDEN_COLUMNS]…]} of the touched records, before
      before TEXT NOT NULL,
      -- JSON [[record_id, cluster_id]…] of the same records right after the edit
      after TEXT NOT NULL
    );
  `,
};
