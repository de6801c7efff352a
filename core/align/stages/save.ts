/**
 * Stage `save`: the pair probabilities, clusters, golden records, products and the run (with its summary and
 * model) stored in one transaction (migration 003, 005).
 */
import type Database from 'better-sqlite3';
import type { AlignSummary } from '../../api/contract.js';
import { stage } from '../../jobs/pipeline.js';
import { BatchInsert } from '../../store/batchInsert.js';
import { saveClusters } from '../../store/clusters.js';
import { saveGolden, type GoldenRecordRow } from '../../store/goldenRecords.js';
import { saveProducts } from '../../store/products.js';
import type { BlockingStats } from '../blocking.js';
import type { ResolvedLabels } from '../labels.js';
import type { TrainedMatcher } from '../matcher.js';
import type { ProductOfCluster } from '../products.js';
import type { RecordProfiles } from '../recordPairs.js';
import { scoreHistogram, type StoredValidation } from '../scoreCurve.js';
import { insertRun } from '../runs.js';
import type { Clustering } from './cluster.js';
import { EVIDENCE_GTIN_CONFLICT, EVIDENCE_LABEL, EVIDENCE_SAME_GTIN } from './score.js';

export interface SaveInput {
  db: Database.Database;
  kind?: 'align' | 'retrain';
  profiles: RecordProfiles;
  n: number;
  A: Int32Array;
  B: Int32Array;
  m: number;
  probability: Float32Array;
  modelProb: Float32Array;
  evidence: Uint8Array;
  clustering: Clustering;
  golden: GoldenRecordRow[];
  products: ProductOfCluster[];
  matcher: TrainedMatcher | null;
  threshold: number;
  labels: ResolvedLabels;
  blockingStats: BlockingStats;
  blockingRecall: number | null;
  trainRows: number[];
  validRows: number[];
  positives: number;
}

export function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}

function round6(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}

function savePairScores(db: Database.Database, s: SaveInput): void {
  const { A, B, m, probability, modelProb, evidence } = s;
  const ids = s.profiles.id;
  db.prepare('DELETE FROM pair_scores').run();
  const ins = new BatchInsert(db, 'pair_scores', ['a', 'b', 'probability', 'model', 'evidence'], 128);
  for (let e = 0; e < m; e++) {
    const p = probability[e];
    const mp = modelProb[e];
    // Sure GTIN evidence is derived again from the records whenever needed (recluster): not stored.
    if (evidence[e] === EVIDENCE_GTIN_CONFLICT || evidence[e] === EVIDENCE_SAME_GTIN) continue;
    if (p < 0.01 && !(mp >= 0.01) && evidence[e] !== EVIDENCE_LABEL) continue;
    ins.add(ids[A[e]], ids[B[e]], round6(p), Number.isNaN(mp) ? null : round6(mp), evidence[e]);
  }
  ins.flush();
}

/** The matcher's calibration split, binned (scoreCurve.ts), for the threshold tool. */
function validationOf(matcher: TrainedMatcher): StoredValidation {
  const { probability, y } = matcher.calibrationScores;
  return {
    split: matcher.validated ? 'valid' : 'train',
    best: matcher.best,
    histogram: scoreHistogram(probability, y),
  };
}

export const saveStage = stage('save', 'saving', (s: SaveInput, ctx): { summary: AlignSummary } => {
  const { db, matcher } = s;
  const best = matcher?.best ?? null;
  const modelJson = matcher
    ? JSON.stringify({ ...matcher.toJSON(), validation: validationOf(matcher) })
    : null;
  let summary!: AlignSummary;
  db.transaction(() => {
    savePairScores(db, s);
    saveClusters(db, s.profiles.id, s.clustering.cluster, null);
    saveGolden(db, s.golden, null);
    saveProducts(db, s.products);
    summary = {
      records: s.n,
      clusters: s.clustering.clusters,
      matchedRecords: s.clustering.matchedRecords,
      threshold: s.threshold,
      labels: s.labels.count,
      blocking: {
        candidatePairs: s.blockingStats.candidatePairs,
        keptFraction: s.blockingStats.keptFraction,
        recall: s.blockingRecall,
      },
      model: {
        trainingPairs: s.trainRows.length + s.validRows.length,
        positives: s.positives,
        validF1: best ? round3(best.f1) : null,
      },
      seconds: ctx.seconds(),
      alignedAt: new Date().toISOString(),
    };
    insertRun(db, s.kind ?? 'align', s.threshold, summary, modelJson);
  })();
  return { summary };
});
