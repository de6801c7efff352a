/**
 * Re-clustering's own stages: `load` reads the stored pair probabilities (labels applied, equal-GTIN pairs derived
 * again) of all records or of a scope, and `save` rewrites that scope's clusters and golden records and records
 * the run. Clustering, golden records and products are alignment's stages.
 */
import type Database from 'better-sqlite3';
import type { AlignSummary } from '../../api/contract.js';
import { stage } from '../../jobs/pipeline.js';
import { clusterTotals, clustersOf, saveClusters } from '../../store/clusters.js';
import { saveGolden, type GoldenRecordRow } from '../../store/goldenRecords.js';
import { loadColumns, parseOptions, type RecordColumns } from '../../store/records.js';
import { DEFAULT_BLOCKING } from '../blocking.js';
import { countLabels, currentLabels, resolveLabels, type ResolvedLabels } from '../labels.js';
import { insertRun, type LatestRun } from '../runs.js';
import { refKey } from '../truth.js';
import { VariantOptions, withTitleColour } from '../variants.js';
import type { Clustering } from './cluster.js';
import { positionOf } from './load.js';
import { round3 } from './save.js';

const GTIN_BLOCK_MAX = DEFAULT_BLOCKING.maxKeyBlock;

export interface StoredInput {
  db: Database.Database;
  /** records.id of the records to re-cluster (whole clusters), null = all. */
  scope: number[] | null;
}

export interface StoredOutput {
  columns: RecordColumns;
  n: number;
  labels: ResolvedLabels;
  A: Int32Array;
  B: Int32Array;
  probability: Float32Array;
  channelOf: Int32Array;
  gtinOf: Int32Array;
  variants: VariantOptions;
}

function storedPairs(
  db: Database.Database,
  scope: number[] | null,
): IterableIterator<[number, number, number]> {
  const stmt = db
    .prepare(
      scope
        ? `SELECT a, b, probability FROM pair_scores
             WHERE a IN (SELECT value FROM json_each(@ids)) AND b IN (SELECT value FROM json_each(@ids))`
        : 'SELECT a, b, probability FROM pair_scores',
    )
    .raw(true);
  return (scope ? stmt.iterate({ ids: JSON.stringify(scope) }) : stmt.iterate()) as IterableIterator<
    [number, number, number]
  >;
}

export const storedLoadStage = stage(
  'load',
  'reading stored pairs',
  ({ db, scope }: StoredInput): StoredOutput => {
    const cols = loadColumns(db, scope);
    const n = cols.id.length;
    const byRef = new Map<string, number[]>();
    for (let i = 0; i < n; i++) {
      const key = refKey(cols.channels[cols.channel[i]], cols.recordId[i]);
      const l = byRef.get(key);
      if (l) l.push(i);
      else byRef.set(key, [i]);
    }
    const labels = resolveLabels(currentLabels(db), byRef, n);
    const a: number[] = [];
    const b: number[] = [];
    const p: number[] = [];
    const seen = new Set<number>();
    for (const [x, y, prob] of storedPairs(db, scope)) {
      const i = positionOf(cols.id, x);
      const j = positionOf(cols.id, y);
      if (i < 0 || j < 0) continue;
      const [u, v] = i < j ? [i, j] : [j, i];
      const l = labels.byPair.get(u * n + v);
      a.push(u);
      b.push(v);
      p.push(l !== undefined ? l : prob);
      seen.add(u * n + v);
    }
    for (const [key, l] of labels.byPair) {
      if (seen.has(key)) continue;
      a.push(Math.floor(key / n));
      b.push(key % n);
      p.push(l);
    }
    const gtinIds = new Map<string, number>();
    const gtin = new Int32Array(n).fill(-1);
    const byGtin = new Map<number, number[]>();
    for (let i = 0; i < n; i++) {
      const g = cols.gtin[i];
      if (!g) continue;
      let id = gtinIds.get(g);
      if (id === undefined) gtinIds.set(g, (id = gtinIds.size));
      gtin[i] = id;
      const l = byGtin.get(id);
      if (l) l.push(i);
      else byGtin.set(id, [i]);
    }
    // Equal-GTIN pairs are not stored as scores: derive them again (as blocking does, up to its block size).
    for (const l of byGtin.values()) {
      if (l.length > GTIN_BLOCK_MAX) continue;
      for (let x = 0; x < l.length; x++)
        for (let y = x + 1; y < l.length; y++)
          if (!seen.has(l[x] * n + l[y])) {
            a.push(l[x]);
            b.push(l[y]);
            p.push(1);
          }
    }
    return {
      columns: cols,
      n,
      labels,
      A: Int32Array.from(a),
      B: Int32Array.from(b),
      probability: Float32Array.from(p),
      channelOf: cols.channel,
      gtinOf: gtin,
      variants: new VariantOptions(
        cols.options.map((o, i) => withTitleColour(cols.title[i], parseOptions(o))),
      ),
    };
  },
);

export interface StoredSaveInput {
  db: Database.Database;
  scope: number[] | null;
  columns: RecordColumns;
  clustering: Clustering;
  golden: GoldenRecordRow[];
}

/** Rewrites the clusters and golden records of the scope (all when null). */
export const storedSaveStage = stage(
  'save',
  'saving',
  ({ db, scope, columns, clustering, golden }: StoredSaveInput) => {
    const oldClusters = scope ? clustersOf(db, scope) : null;
    saveClusters(db, columns.id, clustering.cluster, scope);
    saveGolden(db, golden, oldClusters);
    return {};
  },
);

export interface RunInput {
  db: Database.Database;
  run: LatestRun;
  threshold: number;
  kind: string;
  n: number;
  columns: RecordColumns;
  clustering: Clustering;
}

/** The summary of a re-clustering of `run`'s alignment: the stored clusters' totals and labels now. */
export function reclusterSummary(
  db: Database.Database,
  run: LatestRun,
  threshold: number,
  seconds: number,
): AlignSummary {
  const totals = clusterTotals(db);
  return {
    ...run.summary,
    records: totals.records,
    clusters: totals.clusters,
    matchedRecords: totals.matched,
    threshold,
    labels: countLabels(db),
    seconds: { recluster: round3(seconds) },
    alignedAt: new Date().toISOString(),
  };
}

/**
 * Records the re-clustering as a run; returns its summary, its align_runs.id and the new cluster (records.id) of
 * every record.
 */
export const storedRunStage = stage(
  'run',
  'recording the run',
  ({ db, run, threshold, kind, n, columns, clustering }: RunInput, ctx) => {
    const clusterOf = new Map<number, number>();
    for (let i = 0; i < n; i++) clusterOf.set(columns.id[i], columns.id[clustering.cluster[i]]);
    const summary = reclusterSummary(db, run, threshold, ctx.seconds().total);
    const runId = insertRun(db, kind, threshold, summary, null);
    return { summary, clusterOf, runId };
  },
);
