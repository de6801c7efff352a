/**
 * The pairwise product matcher (DESIGN.md "Alignment", step 2): the one alignment runs and `concord bench match`
 * measures. A candidate pair of profiled records (recordPairs.ts) is described by its pair features
 * (`pairFeatures`) and, by default, by its candidate context (how it ranks among the other candidates of both
 * records, pairContext).
 *
 * Two stages when there are enough labelled pairs: stage 1 is gradient-boosted trees (gbdt.ts) on the pair
 * features alone, trained per fold of the training pairs, each training pair scored out of fold; stage 2 adds that
 * score and its candidate context to the features (with the context of the text cosine). Stage 1 sees no context,
 * so it has to learn what the titles say (a name word on each side that the other lacks): given the context, a
 * model learns little but "the best candidate of both records" from sure pairs, and then takes a look-alike whose
 * twin it does not rank first. Stage 2 learns that a pair is a match when it is clearly the best candidate of both
 * records by that score. The final models (a few, with different seeds) are averaged in log-odds, stop early on
 * the validation split, are Platt-calibrated there (calibration.ts), and the decision threshold is read there (the
 * middle of the near-best F1 range, steadyThreshold). How many models, on how many pairs, depends on the number of
 * training pairs (`matcherPlan`): alignment's are many and its candidate pairs millions.
 *
 * Three steps: `MatcherFeatures` (feature rows of candidate pairs), `trainMatcher` (labelled pairs in, a trained
 * matcher out), `TrainedMatcher.probabilities` (pairs in, calibrated probabilities out).
 */
import { fitPlatt, plattCalibrator, type PlattJson } from './calibration.js';
import { Gbdt, rng, sigmoid, type GbdtJson, type GbdtParams } from './gbdt.js';
import { averagePrecision, steadyThreshold } from './metrics.js';
import {
  CONTEXT_FEATURES,
  contextFeatureNames,
  PAIR_FEATURES,
  pairContext,
  pairFeatures,
  type RecordProfiles,
} from './recordPairs.js';

/** Feature names with the candidate context of the cosine (the default), in model order. */
export const MATCHER_FEATURES: readonly string[] = [...PAIR_FEATURES, ...contextFeatureNames(['cosine'])];

/** What stage 2 adds: the stage-1 score and its candidate context. */
export const STAGE1_FEATURES: readonly string[] = ['stage1', ...contextFeatureNames(['stage1'])];

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

/** Candidate pairs whose feature rows are computed at once (bounds the rows held in memory). */
const CHUNK = 32768;

/**
 * Feature rows of candidate pairs (a[e], b[e]) of profiled records. The candidate context of pair e compares a
 * score of it with the other candidates of record a[e] in b[e]'s channel, and of b[e] in a[e]'s channel.
 */
export class MatcherFeatures {
  /** Names of `rows`' columns. */
  readonly names: readonly string[];
  readonly width: number;
  private readonly context: Float32Array | null;
  private readonly keys: { left: Int32Array; right: Int32Array; count: number } | null;
  private kept: { slot: Int32Array; rows: Float32Array } | null = null;

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
    if (!useContext) {
      this.keys = null;
      this.context = null;
    } else {
      const C = profiles.channelCount;
      const ch = profiles.channel;
      const left = Int32Array.from(a, (x, e) => x * C + ch[b[e]]);
      const right = Int32Array.from(b, (x, e) => x * C + ch[a[e]]);
      this.keys = { left, right, count: profiles.n * C };
      this.context = pairContext(left, right, cosine, profiles.n * C);
    }
  }

  /** Candidate pairs. */
  get size(): number {
    return this.a.length;
  }

  /** Whether the rows hold the candidate context (and `contextOf` is available). */
  get hasContext(): boolean {
    return this.keys !== null;
  }

  /** Candidate context (pairContext, 4 values per pair) of a score of every candidate pair. */
  contextOf(score: ArrayLike<number>): Float32Array {
    if (!this.keys) throw new Error('matcher: features without the candidate context');
    return pairContext(this.keys.left, this.keys.right, score, this.keys.count);
  }

  /**
   * Keeps the pair features of `pairs` (`rows`: their pairRows, computed here or on another thread) until
   * `release`: pairRows of kept pairs copies them.
   */
  keep(pairs: ArrayLike<number>, rows: Float32Array): void {
    const slot = new Int32Array(this.size).fill(-1);
    for (let r = 0; r < pairs.length; r++) slot[pairs[r]] = r;
    this.kept = { slot, rows };
  }

  /** Whether every pair of `pairs` is kept. */
  keeps(pairs: ArrayLike<number>): boolean {
    const kept = this.kept;
    if (!kept) return false;
    for (let r = 0; r < pairs.length; r++) if (kept.slot[pairs[r]] < 0) return false;
    return true;
  }

  release(): void {
    this.kept = null;
  }

  /** Row-major matrix (idx.length × PAIR_FEATURES.length) of the pair features alone. */
  pairRows(idx: ArrayLike<number>): Float32Array {
    const width = PAIR_FEATURES.length;
    if (this.kept && this.keeps(idx))
      return pick(
        this.kept.rows,
        width,
        Array.from(idx, (e) => this.kept!.slot[e]),
      );
    const out = new Float32Array(idx.length * width);
    for (let r = 0; r < idx.length; r++)
      pairFeatures(this.profiles, this.a[idx[r]], this.b[idx[r]], out, r * width);
    return out;
  }

  /**
   * Row-major feature matrix (idx.length × width) of the pairs at `idx`; their pair features are computed, or
   * copied from `pairX` (pairRows of the same pairs) when given.
   */
  rows(idx: ArrayLike<number>, pairX?: Float32Array): Float32Array {
    const width = this.width;
    const pw = PAIR_FEATURES.length;
    const c = CONTEXT_FEATURES.length;
    const out = new Float32Array(idx.length * width);
    const ctx = this.context;
    for (let r = 0; r < idx.length; r++) {
      const e = idx[r];
      const at = r * width;
      if (pairX) out.set(pairX.subarray(r * pw, (r + 1) * pw), at);
      else pairFeatures(this.profiles, this.a[e], this.b[e], out, at);
      if (ctx) for (let k = 0; k < c; k++) out[at + pw + k] = ctx[e * c + k];
    }
    return out;
  }
}

export interface MatcherOptions {
  gbdt?: Partial<GbdtParams>;
  seed?: number;
  /** Folds of stage 1 (0: one stage); default by the number of training pairs (`matcherPlan`). */
  folds?: number;
  /** Final models averaged; default by the number of training pairs (`matcherPlan`). */
  bag?: number;
  /**
   * Candidate pairs known beforehand (per pair: 1 the same product, -1 different ones, 0 not known; alignment's
   * GTIN evidence). Stage 1 does not score a known pair that is neither a training nor a validation pair: in its
   * records' candidate context it counts as scored above (1) or below (-1) every scored pair.
   */
  decided?: ArrayLike<number>;
  /**
   * Candidate pairs whose label an identifier gave (per pair: nonzero): while training, their identifier features
   * are hidden, or the matcher would learn the identifier back instead of what else tells such pairs apart.
   */
  blind?: ArrayLike<number>;
}

export interface MatcherJson {
  features: readonly string[];
  /** Stage 1's models, one per fold (the `stage1` feature is their log-odds), none with one stage. */
  stage1: GbdtJson[];
  /** The final models, averaged in log-odds. */
  gbdt: GbdtJson[];
  calibration: PlattJson;
  bestThreshold: number | null;
}

/** The final models as one: trees in all, and the mean split gain per feature (importance). */
export interface MatcherModel {
  treeCount: number;
  gain: number[];
}

export interface TrainedMatcher {
  /** Feature names of the final models, in order. */
  features: readonly string[];
  model: MatcherModel;
  calibration: PlattJson;
  /** The decision threshold on the calibration split (steadyThreshold), with the figures there. */
  best: { threshold: number; f1: number; precision: number; recall: number };
  averagePrecision: number;
  /** Whether early stopping and calibration used the validation split (else the training pairs). */
  validated: boolean;
  /**
   * The calibrated probability and the label (1 match, 0 not) of each pair of the calibration split: where `best`
   * and the valid F1 were measured.
   */
  calibrationScores: { probability: Float64Array; y: Float64Array };
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

/** Fewest pairs of the rarer class per fold of stage 1 (fewer folds then; fewer than 2 folds: one stage). */
const MIN_FOLD_CLASS = 50;

/** How the matcher trains on a number of training pairs. */
export interface MatcherPlan {
  /** Folds of stage 1 (0: one stage). */
  folds: number;
  /** Final models averaged. */
  bag: number;
  /** Most training pairs one model learns from (a seeded sample beyond). */
  maxFitRows: number;
  /**
   * Whether a candidate pair that is not a training pair gets the average of all stage-1 models (steadier), or
   * the score of one of them (by position: one model's cost per pair).
   */
  averageFolds: boolean;
  /** Learner settings of both stages over MATCHER_GBDT_PARAMS. */
  gbdt: Partial<GbdtParams>;
  /** Stage 1's learner settings over those. */
  stage1Gbdt: Partial<GbdtParams>;
}

/**
 * The plan by size (chosen on the public benchmarks' valid splits, cross-validated on their train + valid pairs,
 * and alignment's benchmark): small labelled sets (a benchmark, a review queue) get 5 folds, 3 averaged models and
 * shallower trees (depth 4: a few thousand pairs do not support deeper ones); large ones (alignment's sure pairs,
 * tens of thousands) learn well from fewer, and their candidate sets are large (millions of pairs): 2 folds, one
 * model per candidate pair, one final model, each model on at most 15,000 pairs.
 */
export function matcherPlan(trainPairs: number): MatcherPlan {
  return trainPairs > 20_000
    ? {
        folds: 2,
        bag: 1,
        maxFitRows: 15_000,
        averageFolds: false,
        gbdt: {},
        stage1Gbdt: { learningRate: 0.25, nTrees: 100 },
      }
    : { folds: 5, bag: 3, maxFitRows: 15_000, averageFolds: true, gbdt: { maxDepth: 4 }, stage1Gbdt: {} };
}

/**
 * Trains the matcher on labelled candidate pairs (see the file comment): stage 1 when the features have the
 * candidate context, in the planned number of folds or fewer, as long as 2 folds or more have MIN_FOLD_CLASS pairs
 * of each class; then the final models (early stopping on `valid` when it has 20 pairs of both classes), Platt
 * calibration and the decision threshold on `valid` (on `train` without one).
 */
export function trainMatcher(
  f: MatcherFeatures,
  train: LabelledPairs,
  valid: LabelledPairs,
  options: MatcherOptions = {},
): TrainedMatcher {
  const seed = options.seed ?? 1;
  const plan = matcherPlan(train.pairs.length);
  const yTrain = Float64Array.from(train.y);
  const yValid = Float64Array.from(valid.y);
  const hasValid = yValid.length >= 20 && yValid.includes(1) && yValid.includes(0);
  const fit = fitter(plan.maxFitRows, plan.gbdt, options.gbdt, hasValid ? yValid : null);
  // As many folds as asked for while each has MIN_FOLD_CLASS pairs of the rarer class.
  const folds = Math.min(
    Math.max(0, Math.floor(options.folds ?? plan.folds)),
    Math.floor(rarerClass(yTrain) / MIN_FOLD_CLASS),
  );
  const stacked = f.hasContext && folds >= 2;
  const stage1 = stacked
    ? trainStage1(
        f,
        train.pairs,
        yTrain,
        valid.pairs,
        { ...plan, folds, seed, decided: options.decided, blind: options.blind },
        fit,
      )
    : null;
  const features = stage1 ? [...f.names, ...STAGE1_FEATURES] : f.names;
  const rows = (pairs: ArrayLike<number>): Float32Array => (stage1 ? stage1.rows(pairs) : f.rows(pairs));
  const xTrain = hideIdentifiers(rows(train.pairs), features.length, train.pairs, options.blind);
  const xValid = hideIdentifiers(rows(valid.pairs), features.length, valid.pairs, options.blind);
  const bag = Math.max(1, Math.floor(options.bag ?? plan.bag));
  const models = Array.from({ length: bag }, (_, k) => fit(xTrain, yTrain, k, xValid, seed + 1000 * k));
  const uncalibrated = (x: Float32Array) => averageRaw(models, x).map(sigmoid);
  const c = calibrate(uncalibrated(hasValid ? xValid : xTrain), hasValid ? yValid : yTrain);
  const probabilities = (pairs: ArrayLike<number>) => uncalibrated(rows(pairs)).map(c.calibrator);
  // Stage 1 computed the pair features of every pair it scored: score them all now, while they are at hand.
  const known = stage1 ? stage1.scoreAll(probabilities) : null;
  f.release();
  return {
    features,
    model: { treeCount: models.reduce((s, m) => s + m.treeCount, 0), gain: meanGain(models) },
    calibration: c.calibration,
    best: c.best,
    averagePrecision: c.averagePrecision,
    validated: hasValid,
    calibrationScores: { probability: c.probability, y: hasValid ? yValid : yTrain },
    probabilities: (pairs) => (known ? lookup(known, pairs, probabilities) : probabilities(pairs)),
    toJSON: () => ({
      features,
      stage1: stage1 ? stage1.models.map((m) => m.toJSON()) : [],
      gbdt: models.map((m) => m.toJSON()),
      calibration: c.calibration,
      bestThreshold: c.best.threshold,
    }),
  };
}

/** Trains a model on the rows of x (k tells models of one seed apart), stopping early on xValid. */
type Fit = (
  x: Float32Array,
  y: Float64Array,
  k: number,
  xValid: Float32Array,
  seed: number,
  over?: Partial<GbdtParams>,
) => Gbdt;

/**
 * The matcher's way to train one model: MATCHER_GBDT_PARAMS, then the plan's `planned`, then `over`, then the
 * caller's `gbdt`; on a seeded sample of at most `maxFitRows` rows; early stopping on the validation rows when
 * there are labels for them.
 */
function fitter(
  maxFitRows: number,
  planned: Partial<GbdtParams>,
  gbdt: Partial<GbdtParams> | undefined,
  yValid: Float64Array | null,
): Fit {
  return (x, y, k, xValid, seed, over = {}) => {
    const width = x.length / y.length;
    const rows = sampleRows(y.length, maxFitRows, seed);
    return Gbdt.train(
      rowViews(rows ? pick(x, width, rows) : x, width),
      rows ? Float64Array.from(rows, (r) => y[r]) : y,
      { ...MATCHER_GBDT_PARAMS, ...planned, ...over, ...gbdt, seed: seed + 7919 * k },
      yValid ? { valid: { x: rowViews(xValid, width), y: yValid } } : {},
    );
  };
}

/** Platt calibration of scores on labels, the decision threshold and the average precision there. */
function calibrate(score: Float64Array, y: Float64Array) {
  const calibration = fitPlatt(score, y);
  const calibrator = plattCalibrator(calibration);
  const prob = score.map(calibrator);
  return {
    calibration,
    calibrator,
    probability: prob,
    best: steadyThreshold(prob, y),
    averagePrecision: averagePrecision(prob, y),
  };
}

/** Split gain per feature, averaged over models. */
function meanGain(models: readonly Gbdt[]): number[] {
  const gain = new Array<number>(models[0].featureCount).fill(0);
  for (const m of models) m.gain.forEach((g, j) => (gain[j] += g / models.length));
  return gain;
}

/** Stage 1: its models, and the feature rows of stage 2. */
interface Stage1 {
  models: Gbdt[];
  /** Stage-2 feature rows (the matcher's, then STAGE1_FEATURES) of candidate pairs. */
  rows(pairs: ArrayLike<number>): Float32Array;
  /**
   * Probabilities of every pair stage 1 scored (NaN for the others), by `probabilities`; afterwards their kept
   * pair features are let go.
   */
  scoreAll(probabilities: (pairs: ArrayLike<number>) => Float64Array): Float32Array;
}

/**
 * Stage 1 on the pair features alone: one model per fold of the training pairs. A training pair is scored by the
 * model of its fold, which did not see it; every other pair to score by all the models (averaged) or by one of
 * them (`averageFolds` false). Pairs known beforehand (`decided`) that are neither training nor validation pairs
 * are not scored. The pair features of the scored pairs are kept for stage 2.
 */
function trainStage1(
  f: MatcherFeatures,
  trainPairs: readonly number[],
  y: Float64Array,
  validPairs: readonly number[],
  o: MatcherPlan & { seed: number; decided?: ArrayLike<number>; blind?: ArrayLike<number> },
  fit: Fit,
): Stage1 {
  const pw = PAIR_FEATURES.length;
  const plan = scorers(f.size, trainPairs, validPairs, o);
  // The scored pairs' features are computed once (unless the caller kept them already) and kept until scoreAll.
  if (!f.keeps(plan.scored)) f.keep(plan.scored, f.pairRows(plan.scored));
  const x = hideIdentifiers(f.pairRows(trainPairs), pw, trainPairs, o.blind);
  const xValid = hideIdentifiers(f.pairRows(validPairs), pw, validPairs, o.blind);
  const models: Gbdt[] = [];
  for (let k = 0; k < o.folds; k++) {
    const fitRows: number[] = [];
    for (let r = 0; r < plan.trainFold.length; r++) if (plan.trainFold[r] !== k) fitRows.push(r);
    const yFit = Float64Array.from(fitRows, (r) => y[r]);
    models.push(fit(pick(x, pw, fitRows), yFit, 101 + k, xValid, o.seed, o.stage1Gbdt));
  }
  const score = new Float32Array(f.size);
  for (let k = -1; k < o.folds; k++) {
    const by = k < 0 ? models : [models[k]];
    const pairs = plan.scored.filter((e) => plan.scorer[e] === k);
    for (let s = 0; s < pairs.length; s += CHUNK) {
      const chunk = pairs.slice(s, s + CHUNK);
      const raw = averageRaw(
        by,
        k < 0 ? f.pairRows(chunk) : hideIdentifiers(f.pairRows(chunk), pw, chunk, o.blind),
      );
      chunk.forEach((e, i) => (score[e] = raw[i]));
    }
  }
  knownScores(score, plan.scorer, o.decided);
  const context = f.contextOf(score);
  const rows = (pairs: ArrayLike<number>) => stage2Rows(f, pairs, f.pairRows(pairs), score, context);
  const scoreAll = (probabilities: (pairs: ArrayLike<number>) => Float64Array): Float32Array => {
    const out = new Float32Array(f.size).fill(NaN);
    for (let s = 0; s < plan.scored.length; s += CHUNK) {
      const chunk = plan.scored.slice(s, s + CHUNK);
      const p = probabilities(chunk);
      chunk.forEach((e, i) => (out[e] = p[i]));
    }
    f.release();
    return out;
  };
  return { models, rows, scoreAll };
}

/**
 * Which stage-1 model scores each candidate pair (`scorer`: a fold, -1 all of them averaged, -2 none: known
 * beforehand), the training pairs' folds, and the pairs scored, in order.
 */
function scorers(
  m: number,
  trainPairs: readonly number[],
  validPairs: readonly number[],
  o: MatcherPlan & { seed: number; decided?: ArrayLike<number> },
): { scorer: Int32Array; trainFold: Int32Array; scored: number[] } {
  const other = (e: number) => (o.averageFolds ? -1 : e % o.folds);
  const scorer = Int32Array.from({ length: m }, (_, e) => (o.decided && o.decided[e] !== 0 ? -2 : other(e)));
  const trainFold = new Int32Array(trainPairs.length);
  shuffled(trainPairs.length, o.seed).forEach((r, i) => (trainFold[r] = i % o.folds));
  trainPairs.forEach((e, r) => (scorer[e] = trainFold[r]));
  for (const e of validPairs) if (scorer[e] === -2) scorer[e] = other(e);
  const scored: number[] = [];
  for (let e = 0; e < m; e++) if (scorer[e] !== -2) scored.push(e);
  return { scorer, trainFold, scored };
}

/**
 * The candidate pairs trainMatcher computes features for (stage 1 scores them), ascending: those not known
 * beforehand (`decided` 0), and the training and validation pairs.
 */
export function scoredPairs(
  decided: ArrayLike<number>,
  trainPairs: readonly number[],
  validPairs: readonly number[],
): number[] {
  return scorers(decided.length, trainPairs, validPairs, {
    ...matcherPlan(trainPairs.length),
    seed: 1,
    decided,
  }).scored;
}

/** Stage-2 rows: the matcher's features (from the pair features given), the stage-1 score and its context. */
function stage2Rows(
  f: MatcherFeatures,
  pairs: ArrayLike<number>,
  pairX: Float32Array,
  score: Float32Array,
  context: Float32Array,
): Float32Array {
  const c = CONTEXT_FEATURES.length;
  const base = f.rows(pairs, pairX);
  const width = f.width + 1 + c;
  const out = new Float32Array(pairs.length * width);
  for (let r = 0; r < pairs.length; r++) {
    const e = pairs[r];
    const at = r * width;
    out.set(base.subarray(r * f.width, (r + 1) * f.width), at);
    out[at + f.width] = score[e];
    for (let k = 0; k < c; k++) out[at + f.width + 1 + k] = context[e * c + k];
  }
  return out;
}

/** Known pairs' stand-in scores: above (same product) or below (different ones) every scored pair. */
function knownScores(score: Float32Array, scorer: Int32Array, decided?: ArrayLike<number>): void {
  if (!decided) return;
  let top = 0;
  for (let e = 0; e < score.length; e++) if (scorer[e] !== -2) top = Math.max(top, Math.abs(score[e]));
  for (let e = 0; e < score.length; e++)
    if (scorer[e] === -2) score[e] = decided[e] > 0 ? top + 1 : -(top + 1);
}

/** Stored probabilities of pairs, computed for those without one. */
function lookup(
  known: Float32Array,
  pairs: ArrayLike<number>,
  compute: (pairs: ArrayLike<number>) => Float64Array,
): Float64Array {
  const out = Float64Array.from(pairs, (e) => known[e]);
  const missing: number[] = [];
  for (let r = 0; r < out.length; r++) if (Number.isNaN(out[r])) missing.push(r);
  if (missing.length > 0) {
    const p = compute(missing.map((r) => pairs[r]));
    missing.forEach((r, i) => (out[r] = p[i]));
  }
  return out;
}

/** Average log-odds of models on the rows of a row-major matrix. */
function averageRaw(models: readonly Gbdt[], x: Float32Array): Float64Array {
  const out = models[0].predictRawMatrix(x);
  for (let k = 1; k < models.length; k++) {
    const more = models[k].predictRawMatrix(x);
    for (let r = 0; r < out.length; r++) out[r] += more[r];
  }
  if (models.length > 1) for (let r = 0; r < out.length; r++) out[r] /= models.length;
  return out;
}

function rarerClass(y: ArrayLike<number>): number {
  let pos = 0;
  for (let i = 0; i < y.length; i++) pos += y[i];
  return Math.min(pos, y.length - pos);
}

/** The rows (ascending) of a seeded sample of `max` of n rows; null when n ≤ max (all of them). */
function sampleRows(n: number, max: number, seed: number): number[] | null {
  if (n <= max) return null;
  return shuffled(n, seed)
    .slice(0, max)
    .sort((x, y) => x - y);
}

/** The rows at `rows` of a row-major matrix. */
const IDENTIFIER_COLUMNS = PAIR_FEATURES.flatMap((name, k) => (name.startsWith('identifier.') ? [k] : []));

/** Rows (of `width` columns, pair features first) with the identifier features of the `blind` pairs set missing. */
function hideIdentifiers(
  x: Float32Array,
  width: number,
  pairs: ArrayLike<number>,
  blind: ArrayLike<number> | undefined,
): Float32Array {
  if (!blind) return x;
  for (let r = 0; r < pairs.length; r++)
    if (blind[pairs[r]]) for (const k of IDENTIFIER_COLUMNS) x[r * width + k] = NaN;
  return x;
}

function pick(x: Float32Array, width: number, rows: readonly number[]): Float32Array {
  const out = new Float32Array(rows.length * width);
  rows.forEach((r, i) => out.set(x.subarray(r * width, (r + 1) * width), i * width));
  return out;
}

function rowViews(x: Float32Array, width: number): Float32Array[] {
  return Array.from({ length: x.length / width }, (_, r) => x.subarray(r * width, (r + 1) * width));
}

/** 0..n-1 in a seeded random order. */
function shuffled(n: number, seed: number): number[] {
  const random = rng(seed ^ 0x5eed);
  const a = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}
