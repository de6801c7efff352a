/**
 * The alignment pipeline over a workspace (DESIGN.md "Alignment"), as stages (core/align/stages/, run by
 * core/jobs/pipeline.ts): load the product records, block, compute the pairs' features, train and calibrate the
 * classifier, score the candidate pairs, cluster, build golden records, decide products and families, and store
 * it all in one transaction (migrations 003, 005). Also the cheaper re-clustering from stored probabilities and labels, for the
 * whole workspace (another threshold) or for a few clusters (a label, a split, a merge).
 *
 * Training labels, generic (nothing tuned to one data set):
 *  - known for sure: two records of different channels with the same valid GTIN are the same product (positive);
 *    with different valid GTINs they are different products (negative) — among the blocked pairs these are the
 *    hard negatives: look-alikes, sibling variants;
 *  - stored labels (review queue, split, merge, label files) join the training set and override the pair.
 * The GTIN is not a feature (it is the label), so the model learns from titles, options, quantities, codes,
 * identifiers, prices, weights and brands what makes two records one product, and decides the pairs the GTIN
 * cannot: a missing or invalid GTIN on either side.
 *
 * Memory: the records are streamed into their profiles (typed arrays); the fields golden records need are read
 * only once the clusters are known.
 */
import type Database from 'better-sqlite3';
import type { AlignSummary } from '../api/contract.js';
import { Pipeline } from '../jobs/pipeline.js';
import type { ProgressListener } from '../jobs/progress.js';
import { ConcordError } from '../model/errors.js';
import { clusterScope, storedClusters } from '../store/clusters.js';
import { openWorkspace, type Workspace } from '../store/workspace.js';
import { DEFAULT_BLOCKING, type BlockingOptions, type BlockingStats } from './blocking.js';
import type { GbdtParams } from './gbdt.js';
import { ProfileTwin, twinWorthwhile } from './profileTwin.js';
import { requireRun } from './runs.js';
import { blockStage } from './stages/block.js';
import { clusterStage } from './stages/cluster.js';
import { featuresStage } from './stages/features.js';
import { goldenStage } from './stages/golden.js';
import { loadStage, type LoadInput } from './stages/load.js';
import { productsStage, storedProductsStage } from './stages/products.js';
import { round3, saveStage } from './stages/save.js';
import { scoreStage } from './stages/score.js';
import { storedLoadStage, storedRunStage, storedSaveStage } from './stages/stored.js';
import { trainStage } from './stages/train.js';
import { pairwiseScores, type PairwiseScores, type TruthClusters } from './truth.js';

export { latestRun, requireRun, type LatestRun } from './runs.js';
export { DEFAULT_THRESHOLD } from './stages/load.js';
export { MODEL_FEATURES } from './stages/features.js';
export {
  EVIDENCE_GTIN_CONFLICT,
  EVIDENCE_LABEL,
  EVIDENCE_MODEL,
  EVIDENCE_SAME_GTIN,
} from './stages/score.js';

export interface AlignOptions {
  /**
   * Match probability from which a pair may join a cluster (default: the previous alignment's, else 0.5 — the
   * probabilities are calibrated).
   */
  threshold?: number;
  /** A label file stored (source `file`) before aligning. */
  labelsFile?: string;
  /** Ground truth, for blocking recall and pairwise scores in the outcome. */
  truth?: TruthClusters;
  blocking?: Partial<BlockingOptions>;
  /** Use the workspace's record embeddings (cosine feature, ANN blocking) when it has them (default true). */
  embeddings?: boolean;
  /** Sure pairs sampled for training + validation (default 60,000). */
  maxTrainingPairs?: number;
  gbdt?: Partial<GbdtParams>;
  seed?: number;
  /** Run a second thread (profileTwin.ts); default: on workspaces of TWIN_FROM product records or more. */
  twin?: boolean;
  /** Recorded in align_runs.kind (default 'align'). */
  kind?: 'align' | 'retrain';
  signal?: AbortSignal;
  onProgress?: ProgressListener;
}

export interface AlignOutcome {
  summary: AlignSummary;
  blocking: BlockingStats & { recall: number | null };
  model: {
    trainingPairs: number;
    positives: number;
    validPairs: number;
    validF1: number | null;
    validPrecision: number | null;
    validRecall: number | null;
    validAveragePrecision: number | null;
    bestThreshold: number | null;
    trees: number;
    scoredPairs: number;
    featureImportance: Record<string, number>;
  };
  /** Against the truth, when given. */
  truth: (PairwiseScores & { blockingRecall: number; records: number; unknownRecords: number }) | null;
  embeddings: { used: boolean; rows: number; dims: number; note: string | null };
}

/** What alignment starts from: the workspace and the options the stages read. */
interface AlignStart extends LoadInput {
  db: Database.Database;
  seed: number;
  blocking?: Partial<BlockingOptions>;
  maxTrainingPairs?: number;
  gbdt?: Partial<GbdtParams>;
  kind?: 'align' | 'retrain';
}

/** Alignment's stages, in order. */
export const ALIGN = Pipeline.from<AlignStart>()
  .then(loadStage)
  .then(blockStage)
  .then(featuresStage)
  .then(trainStage)
  .then(scoreStage)
  .then(clusterStage)
  .then(goldenStage)
  .then(productsStage)
  .then(saveStage);

/** Aligns the workspace at `file` (see the file comment) and stores the result. */
export async function alignWorkspace(file: string, options: AlignOptions = {}): Promise<AlignOutcome> {
  const ws = openWorkspace(file, { purpose: 'align' });
  try {
    return await alignOpen(ws, options);
  } finally {
    ws.close();
  }
}

async function alignOpen(ws: Workspace, options: AlignOptions): Promise<AlignOutcome> {
  const { signal, onProgress, twin: useTwin, ...rest } = options;
  const twin =
    (useTwin ?? twinWorthwhile(ws.db))
      ? ProfileTwin.start({ file: ws.file, blocking: { ...DEFAULT_BLOCKING, ...options.blocking } })
      : null;
  let s;
  try {
    ({ state: s } = await ALIGN.run(
      { ...rest, ws, db: ws.db, seed: options.seed ?? 1, twin },
      { signal, onProgress },
    ));
  } finally {
    twin?.close();
  }
  let truth: AlignOutcome['truth'] = null;
  if (s.truthOf) {
    let unknown = 0;
    for (const t of s.truthOf) if (t < 0) unknown++;
    const pairwise = pairwiseScores(s.clustering.cluster, s.truthOf);
    truth = { ...pairwise, blockingRecall: s.blockingRecall ?? 0, records: s.n, unknownRecords: unknown };
  }
  const importance: Record<string, number> = {};
  const matcher = s.matcher;
  if (matcher) {
    const total = matcher.model.gain.reduce((sum, g) => sum + g, 0) || 1;
    matcher.model.gain.forEach((g, f) => (importance[matcher.features[f]] = round3(g / total)));
  }
  const best = matcher?.best ?? null;
  return {
    summary: s.summary,
    blocking: { ...s.blockingStats, recall: s.blockingRecall },
    model: {
      trainingPairs: s.trainRows.length,
      positives: s.positives,
      validPairs: s.validRows.length,
      validF1: s.summary.model.validF1,
      validPrecision: best ? round3(best.precision) : null,
      validRecall: best ? round3(best.recall) : null,
      validAveragePrecision: matcher ? round3(matcher.averagePrecision) : null,
      bestThreshold: best ? round3(best.threshold) : null,
      trees: matcher?.model.treeCount ?? 0,
      scoredPairs: s.scoreRows.length,
      featureImportance: importance,
    },
    truth,
    embeddings: {
      used: s.emb !== null,
      rows: s.emb ? s.emb.matrix.length / s.emb.dims : 0,
      dims: s.emb?.dims ?? 0,
      note: s.embNote,
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Re-clustering from stored probabilities and labels

interface ReclusterStart {
  db: Database.Database;
  scope: number[] | null;
  run: ReturnType<typeof requireRun>;
  threshold: number;
  kind: string;
}

/** Re-clustering's stages: alignment's from clustering on, over the stored pair probabilities. */
export const RECLUSTER = Pipeline.from<ReclusterStart>()
  .then(storedLoadStage)
  .then(clusterStage)
  .then(goldenStage)
  .then(storedSaveStage)
  .then(storedProductsStage)
  .then(storedRunStage);

/** What re-clustering the whole workspace at another threshold would change (read-only). */
export interface ThresholdPreview {
  threshold: number;
  clusters: { before: number; after: number };
  matchedRecords: { before: number; after: number };
  /** Current products (clusters) that would be joined with another, and the products they would form. */
  merging: number;
  mergedInto: number;
  /** Current products whose records would come apart. */
  splitting: number;
}

const PREVIEW = Pipeline.from<{ db: Database.Database; scope: null; threshold: number }>()
  .then(storedLoadStage)
  .then(clusterStage);

/**
 * Re-clusters every record at `threshold` in memory, as align.recluster would, and compares the outcome with the
 * stored clusters: how many products would merge and how many would split. Writes nothing.
 */
export function previewThreshold(db: Database.Database, threshold: number): ThresholdPreview {
  requireRun(db);
  requireThreshold(threshold);
  const { state } = PREVIEW.runSync({ db, scope: null, threshold });
  const ids = state.columns.id;
  const current = storedClusters(db);
  // Records aligned since (none stored) count as products of their own.
  const before = (i: number): number => current.get(ids[i]) ?? -ids[i] - 1;
  const newOfOld = new Map<number, Set<number>>();
  const oldOfNew = new Map<number, Set<number>>();
  const add = (m: Map<number, Set<number>>, key: number, value: number) => {
    const set = m.get(key);
    if (set) set.add(value);
    else m.set(key, new Set([value]));
  };
  for (let i = 0; i < ids.length; i++) {
    add(newOfOld, before(i), state.clustering.cluster[i]);
    add(oldOfNew, state.clustering.cluster[i], before(i));
  }
  let merging = 0;
  let mergedInto = 0;
  for (const olds of oldOfNew.values())
    if (olds.size > 1) {
      merging += olds.size;
      mergedInto++;
    }
  let splitting = 0;
  for (const news of newOfOld.values()) if (news.size > 1) splitting++;
  let matchedBefore = 0;
  const sizeBefore = new Map<number, number>();
  for (let i = 0; i < ids.length; i++) sizeBefore.set(before(i), (sizeBefore.get(before(i)) ?? 0) + 1);
  for (const size of sizeBefore.values()) if (size > 1) matchedBefore += size;
  return {
    threshold,
    clusters: { before: newOfOld.size, after: oldOfNew.size },
    matchedRecords: { before: matchedBefore, after: state.clustering.matchedRecords },
    merging,
    mergedInto,
    splitting,
  };
}

function requireThreshold(threshold: number): void {
  if (!(threshold >= 0 && threshold <= 1))
    throw new ConcordError('BAD_INPUT', `threshold must be within 0..1, got ${threshold}`);
}

/**
 * Re-clusters records from the stored pair probabilities and the current labels, and rewrites their clusters and
 * golden records (and every cluster's product). `scopeIds` (records.id) limits it to the clusters of those records
 * (a label, split or merge: fast, the rest stays as it is); null = the whole workspace (a new threshold). Records
 * the scope names that no longer exist are ignored. Returns the new cluster id (records.id) of every record in
 * scope.
 */
export function recluster(
  db: Database.Database,
  options: { threshold?: number; scopeIds?: readonly number[] | null; kind?: string } = {},
): { summary: AlignSummary; clusterOf: Map<number, number>; runId: number } {
  const run = requireRun(db);
  const threshold = options.threshold ?? run.threshold;
  requireThreshold(threshold);
  // Every record of the clusters of the given records.
  const scope = options.scopeIds ? clusterScope(db, options.scopeIds) : null;
  const kind = options.kind ?? (scope ? 'labels' : 'recluster');
  return db.transaction(() => {
    const { state } = RECLUSTER.runSync({ db, scope, run, threshold, kind });
    return { summary: state.summary, clusterOf: state.clusterOf, runId: state.runId };
  })();
}
