/**
 * The pairwise product matcher (DESIGN.md "Alignment", step 2): the one alignment runs and `concord bench match`
 * measures. A candidate pair of profiled records (recordPairs.ts) is described by its pair features
 * (`pairFeatures`), by default the candidate context of its text cosine (how it ranks among the other candidates
 * of both records). One gradient-boosted tree model (gbdt.ts) learns from labelled pairs with
 * early stopping on a validation split, its scores are Platt-calibrated to probabilities on that split
 * (calibration.ts), and the F1-optimal threshold is read there.
 *
 * Three steps: `MatcherFeatures` (feature rows of candidate pairs), `trainMatcher` (labelled pairs in, a trained
 * matcher out), `TrainedMatcher.probabilities` (pairs in, calibrated probabilities out).
 */
import { fitPlatt, plattCalibrator, type PlattJson } from './calibration.js';
import { Gbdt, type GbdtJson, type GbdtParams } from './gbdt.js';
import { averagePrecision, bestThreshold } from './metrics.js';
import {
  contextFeatureNames,
  PAIR_FEATURES,
  pairContext,
  pairFeatures,
  type RecordProfiles,
} from './recordPairs.js';

/** Feature names with the candidate context (the default), in model order. */
export const MATCHER_FEATURES: readonly string[] = [...PAIR_FEATURES, ...contextFeatureNames(['cosine'])];

export function matcherFeatureNames(context = true): readonly string[] {
  return context ? MATCHER_FEATURES : PAIR_FEATURES;
}

/**
 * The learner's settings, shared by alignment and the benchmark: alignment's (its benchmark and the fix-list round
 * trip, where a re-alignment must not move what was not corrected, hold with them).
 */
export const MATCHER_GBDT_PARAMS: Partial<GbdtParams> = {
  nTrees: 250,
  learningRate: 0.1,
  maxDepth: 6,
  minSamplesLeaf: 5,
  subsample: 0.8,
  colsample: 0.8,
  earlyStoppingRounds: 30,
};

/**
 * Feature rows of candidate pairs (a[e], b[e]) of profiled records. The candidate context of pair e compares its
 * text cosine with the other candidates of record a[e] in b[e]'s channel, and of b[e] in a[e]'s channel.
 */
export class MatcherFeatures {
  readonly names: readonly string[];
  readonly width: number;
  private readonly context: Float32Array | null;

  constructor(
    readonly profiles: RecordProfiles,
    readonly a: Int32Array,
    readonly b: Int32Array,
    cosine: ArrayLike<number>,
    options: { context?: boolean } = {},
  ) {
    const useContext = options.context ?? true;
    this.names = matcherFeatureNames(useContext);
    this.width = this.names.length;
    if (!useContext) this.context = null;
    else {
      const n = profiles.n;
      const C = profiles.channelCount;
      const ch = profiles.channel;
      const m = a.length;
      const left = new Int32Array(m);
      const right = new Int32Array(m);
      for (let e = 0; e < m; e++) {
        left[e] = a[e] * C + ch[b[e]];
        right[e] = b[e] * C + ch[a[e]];
      }
      this.context = pairContext(left, right, cosine, n * C);
    }
  }

  /** Row-major feature matrix (idx.length × width) of the pairs at `idx`. */
  rows(idx: ArrayLike<number>): Float32Array {
    const width = this.width;
    const pw = PAIR_FEATURES.length;
    const out = new Float32Array(idx.length * width);
    const ctx = this.context;
    for (let r = 0; r < idx.length; r++) {
      const e = idx[r];
      pairFeatures(this.profiles, this.a[e], this.b[e], out, r * width);
      if (ctx) for (let k = 0; k < 4; k++) out[r * width + pw + k] = ctx[e * 4 + k];
    }
    return out;
  }
}

export interface MatcherOptions {
  gbdt?: Partial<GbdtParams>;
  seed?: number;
}

export interface MatcherJson {
  features: readonly string[];
  gbdt: GbdtJson;
  calibration: PlattJson;
  bestThreshold: number | null;
}

export interface TrainedMatcher {
  /** Feature names of the model, in order. */
  features: readonly string[];
  model: Gbdt;
  calibration: PlattJson;
  /** F1-optimal threshold on the calibration split, with the figures there. */
  best: { threshold: number; f1: number; precision: number; recall: number };
  averagePrecision: number;
  /** Whether early stopping and calibration used the validation split (else the training pairs). */
  validated: boolean;
  /** Calibrated probability of each candidate pair at `pairs`. */
  probabilities(pairs: ArrayLike<number>): Float64Array;
  toJSON(): MatcherJson;
}

/** Whether the labelled pairs are enough to learn from (at least 10 of each class, 20 training pairs). */
export function canTrain(train: ArrayLike<number>, valid: ArrayLike<number> = []): boolean {
  let pos = 0;
  for (let i = 0; i < train.length; i++) pos += train[i];
  for (let i = 0; i < valid.length; i++) pos += valid[i];
  const neg = train.length + valid.length - pos;
  return pos >= 10 && neg >= 10 && train.length >= 20;
}

/** Labelled candidate pairs: positions in the `MatcherFeatures` and a 0/1 label each. */
export interface LabelledPairs {
  pairs: readonly number[];
  y: ArrayLike<number>;
}

/**
 * Trains the matcher on labelled candidate pairs: a GBDT on the features of `train` (early stopping on `valid` when
 * it has 20 pairs of both classes), Platt calibration and the F1-optimal threshold on `valid` (on `train` without
 * one).
 */
export function trainMatcher(
  f: MatcherFeatures,
  train: LabelledPairs,
  valid: LabelledPairs,
  options: MatcherOptions = {},
): TrainedMatcher {
  const seed = options.seed ?? 1;
  const features = f.names;
  const width = f.width;
  const views = (x: Float32Array): Float32Array[] =>
    Array.from({ length: x.length / width }, (_, r) => x.subarray(r * width, (r + 1) * width));
  const yValid = Array.from(valid.y);
  const hasValid = yValid.length >= 20 && yValid.includes(1) && yValid.includes(0);
  const xTrain = views(f.rows(train.pairs));
  const xValid = views(f.rows(valid.pairs));
  const model = Gbdt.train(
    xTrain,
    train.y,
    { ...MATCHER_GBDT_PARAMS, seed, ...options.gbdt },
    hasValid ? { valid: { x: xValid, y: valid.y } } : {},
  );
  const calX = hasValid ? xValid : xTrain;
  const calY = hasValid ? valid.y : train.y;
  const raw = model.predictAll(calX);
  const calibration = fitPlatt(raw, calY);
  const cal = plattCalibrator(calibration);
  const prob = Float64Array.from(raw, cal);
  const best = bestThreshold(prob, calY);
  return {
    features,
    model,
    calibration,
    best,
    averagePrecision: averagePrecision(prob, calY),
    validated: hasValid,
    probabilities: (pairs) => {
      const x = f.rows(pairs);
      return Float64Array.from({ length: pairs.length }, (_, r) =>
        cal(model.predict(x.subarray(r * width, (r + 1) * width))),
      );
    },
    toJSON: () => ({ features, gbdt: model.toJSON(), calibration, bestThreshold: best.threshold }),
  };
}
