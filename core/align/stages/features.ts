/**
 * Stage `features`: the candidate context of each pair's cosine, the training and validation pairs (sure
 * cross-channel pairs, sampled, and the labelled pairs) with their features, and the pairs left to score. The
 * matcher's features are built by the one matcher (core/align/matcher.ts `MatcherFeatures`).
 */
import { stage } from '../../jobs/pipeline.js';
import { rng } from '../gbdt.js';
import type { ResolvedLabels } from '../labels.js';
import { MATCHER_FEATURES, MatcherFeatures } from '../matcher.js';
import type { RecordProfiles } from '../recordPairs.js';

/** Feature names of the model (the matcher's, with the candidate context). */
export const MODEL_FEATURES = MATCHER_FEATURES;

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
  features: MatcherFeatures;
  /** The label of a pair, undefined when unlabelled. */
  labelOf: (e: number) => number | undefined;
  trainRows: number[];
  validRows: number[];
  /** Every pair the GTIN does not decide, and the labelled ones (for the curve). */
  scoreRows: number[];
  yTrain: Float64Array;
  yValid: Float64Array;
}

function shuffle<T>(a: T[], random: () => number): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
}

export const featuresStage = stage(
  'features',
  'candidate context',
  (input: FeaturesInput, ctx): FeaturesOutput => {
    const { profiles, n, A, B, m, cosine, sure, labels, seed } = input;
    const ch = profiles.channel;
    const labelOf = (e: number): number | undefined =>
      labels.count > 0 ? labels.byPair.get(A[e] * n + B[e]) : undefined;
    const features = new MatcherFeatures(profiles, A, B, cosine);

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
      features,
      labelOf,
      trainRows,
      validRows,
      scoreRows,
      yTrain: Float64Array.from(trainRows, yOf),
      yValid: Float64Array.from(validRows, yOf),
    };
  },
);
