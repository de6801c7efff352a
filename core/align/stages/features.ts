/**
 * Stage `features`: the candidate context of each pair's cosine, the training and validation pairs (sure
 * cross-channel pairs, sampled, and the labelled pairs) with their features, and the pairs left to score. The
 * matcher's features (core/align/recordPairs.ts) are reached only through `featureRows`.
 */
import { stage } from '../../jobs/pipeline.js';
import { contextFeatureNames } from '../candidateContext.js';
import { rng } from '../gbdt.js';
import type { ResolvedLabels } from '../labels.js';
import { PAIR_FEATURES, pairContext, pairFeatures, type RecordProfiles } from '../recordPairs.js';

/** Feature names of the model: pair features, then the candidate context of the TF-IDF cosine. */
export const MODEL_FEATURES = [...PAIR_FEATURES, ...contextFeatureNames(['cosine'])];

/** The features of the given pairs, row after row (MODEL_FEATURES.length values each). */
export type FeatureRows = (pairs: readonly number[]) => Float32Array;

export interface FeaturesInput {
  profiles: RecordProfiles;
  n: number;
  A: Int32Array;
  B: Int32Array;
  m: number;
  cosine: Float32Array;
  sure: Int8Array;
  labels: ResolvedLabels;
  seed: number;
  /** Sure pairs sampled for training + validation (default 60,000). */
  maxTrainingPairs?: number;
}

export interface FeaturesOutput {
  featureRows: FeatureRows;
  /** The label of a pair, undefined when unlabelled. */
  labelOf: (e: number) => number | undefined;
  trainRows: number[];
  validRows: number[];
  /** Every pair the GTIN does not decide, and the labelled ones (for the curve). */
  scoreRows: number[];
  xTrain: Float32Array;
  yTrain: Float64Array;
  xValid: Float32Array;
  yValid: Float64Array;
}

function shuffle<T>(a: T[], random: () => number): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
}

/** The one call site of the matcher's features: pair features and the cosine's candidate context, per pair. */
function featureRowsOf(p: FeaturesInput): FeatureRows {
  const { profiles, n, A, B, m, cosine } = p;
  // Candidate context of each pair's cosine: among record a's candidates in b's channel, and b's in a's.
  const ch = profiles.channel;
  const C = profiles.channelCount;
  const leftKeys = new Int32Array(m);
  const rightKeys = new Int32Array(m);
  for (let e = 0; e < m; e++) {
    leftKeys[e] = A[e] * C + ch[B[e]];
    rightKeys[e] = B[e] * C + ch[A[e]];
  }
  const context = pairContext(leftKeys, rightKeys, cosine, n * C);
  const width = MODEL_FEATURES.length;
  const pw = PAIR_FEATURES.length;
  return (idx) => {
    const out = new Float32Array(idx.length * width);
    for (let r = 0; r < idx.length; r++) {
      const e = idx[r];
      pairFeatures(profiles, A[e], B[e], out, r * width);
      for (let k = 0; k < 4; k++) out[r * width + pw + k] = context[e * 4 + k];
    }
    return out;
  };
}

export const featuresStage = stage(
  'features',
  'candidate context',
  (input: FeaturesInput, ctx): FeaturesOutput => {
    const { profiles, n, A, B, m, sure, labels, seed } = input;
    const ch = profiles.channel;
    const labelOf = (e: number): number | undefined =>
      labels.count > 0 ? labels.byPair.get(A[e] * n + B[e]) : undefined;
    const featureRows = featureRowsOf(input);

    // Training and validation rows: sure cross-channel pairs (sampled) and labelled pairs.
    const random = rng(seed ^ 0xa11c);
    const surePairs: number[] = [];
    const labelled: number[] = [];
    for (let e = 0; e < m; e++) {
      if (labelOf(e) !== undefined) labelled.push(e);
      else if (sure[e] !== 0 && ch[A[e]] !== ch[B[e]]) surePairs.push(e);
    }
    shuffle(surePairs, random);
    const maxTraining = input.maxTrainingPairs ?? 60_000;
    if (surePairs.length > maxTraining) surePairs.length = maxTraining;
    const nValid = Math.floor(surePairs.length * 0.25);
    const validRows = surePairs.slice(0, nValid);
    const trainRows = [...surePairs.slice(nValid), ...labelled];
    const yOf = (e: number): number => labelOf(e) ?? (sure[e] > 0 ? 1 : 0);
    const scoreRows: number[] = [];
    for (let e = 0; e < m; e++) if (sure[e] === 0 || labelOf(e) !== undefined) scoreRows.push(e);

    ctx.progress(
      `features of ${(trainRows.length + validRows.length).toLocaleString('en-US')} training pairs`,
    );
    return {
      featureRows,
      labelOf,
      trainRows,
      validRows,
      scoreRows,
      xTrain: featureRows(trainRows),
      yTrain: Float64Array.from(trainRows, yOf),
      xValid: featureRows(validRows),
      yValid: Float64Array.from(validRows, yOf),
    };
  },
);
