/**
 * The pairwise product matcher (DESIGN.md "Alignment", step 2): similarity features of a record pair into
 * a gradient-boosted tree ensemble, its scores calibrated to probabilities, and a decision threshold.
 *
 * It is transductive: it is given every candidate pair up front (the labelled train and valid pairs and
 * the unlabeled pairs to decide). Their records' text (never a label) fits the IDF tables, and each pair
 * is compared with the other candidates of its two records (candidateContext.ts). Two stages:
 *  1. a GBDT on the pair's similarity features and their candidate context, scored out-of-fold on train
 *     (k folds) and by the average of the fold models elsewhere;
 *  2. the final GBDT on the same features plus the stage-1 score and its candidate context.
 * Valid labels serve early stopping, Platt calibration and the F1-optimal threshold.
 */
import { fitPlatt, plattCalibrator, type PlattJson } from './calibration.js';
import { candidateContext, contextFeatureNames, recordKey } from './candidateContext.js';
import { PairFeaturizer, type PairRecord } from './features.js';
import { Gbdt, GbdtEnsemble, rng, type GbdtParams } from './gbdt.js';
import { averagePrecision, bestThreshold } from './metrics.js';
import {
  pairTokenFeatures,
  TokenModel,
  DEFAULT_TOKEN_MODEL_PARAMS,
  type TokenModelParams,
} from './tokenModel.js';

export interface Pair {
  left: PairRecord;
  right: PairRecord;
}

export interface LabelledPair extends Pair {
  label: 0 | 1;
}

export interface MatcherOptions {
  gbdt?: Partial<GbdtParams>;
  /**
   * Candidate-context features (default true): each pair compared with the other candidates of its records,
   * over whole-record similarities and over the token and stage scores. False gives a purely pairwise matcher.
   */
  context?: boolean;
  /** The stacked token model (tokenModel.ts) and its candidate context (default true). */
  tokens?: boolean;
  tokenParams?: Partial<TokenModelParams>;
  /** Stacked stages (out-of-fold models whose score and its candidate context feed the next; default true). */
  stack?: boolean;
  /** How many stacked stages (default 1). */
  stages?: number;
  /** Final models trained with different seeds and averaged (default 3). */
  bag?: number;
  /** Folds for the out-of-fold stage-1 scores on train (default 5). */
  folds?: number;
  seed?: number;
  /** Progress and diagnostics. */
  log?: (message: string) => void;
}

export interface TrainedMatcher {
  featurizer: PairFeaturizer;
  featureNames: string[];
  model: GbdtEnsemble;
  calibration: PlattJson;
  threshold: number;
  valid: { f1: number; precision: number; recall: number; averagePrecision: number };
  /** Calibrated probability of each unlabeled pair, in the order given. */
  probabilities(): Float64Array;
}

/**
 * The learner's settings for matching (chosen on the valid splits of the public benchmarks, see
 * shared/data/em): strong feature subsampling and large leaves, as the features are many and correlated.
 */
export const MATCHER_GBDT_PARAMS: Partial<GbdtParams> = { colsample: 0.3, minSamplesLeaf: 20 };

/** Whole-record similarities whose candidate context is used (generic: every record has a whole). */
const CONTEXT_BASES = ['_all.cosChar', '_all.cosWord', '_all.idfJaccard'];

export function trainMatcher(
  train: readonly LabelledPair[],
  valid: readonly LabelledPair[],
  unlabeled: readonly Pair[],
  options: MatcherOptions = {},
): TrainedMatcher {
  const log = options.log ?? (() => {});
  const seed = options.seed ?? 1;
  const gbdtParams: Partial<GbdtParams> = { ...MATCHER_GBDT_PARAMS, seed, ...options.gbdt };
  const all: Pair[] = [...train, ...valid, ...unlabeled];
  const nTrain = train.length;
  const nValid = valid.length;
  const trainIdx = range(0, nTrain);
  const validIdx = range(nTrain, nTrain + nValid);
  const testIdx = range(nTrain + nValid, all.length);
  const yTrain = train.map((p) => p.label);
  const yValid = valid.map((p) => p.label);

  let t = performance.now();
  const featurizer = PairFeaturizer.fit(all.flatMap((p) => [p.left, p.right]));
  let x: Float64Array[] = all.map((p) => featurizer.features(p.left, p.right));
  let names = [...featurizer.names];
  log(
    `features: ${featurizer.size} (${featurizer.attributes.map((a) => `${a.name}:${a.kind}`).join(', ')}) in ${seconds(t)} s`,
  );

  const leftKeys = all.map((p) => recordKey(p.left));
  const rightKeys = all.map((p) => recordKey(p.right));
  const useContext = options.context ?? true;
  if (useContext) {
    const cols = CONTEXT_BASES.map((b) => names.indexOf(b)).filter((i) => i >= 0);
    const ctx = candidateContext(
      leftKeys,
      rightKeys,
      cols.map((c) => Float64Array.from(x, (row) => row[c])),
    );
    x = x.map((row, i) => concat(row, ctx[i]));
    names = [...names, ...contextFeatureNames(cols.map((c) => names[c]))];
  }

  const folds = Math.max(2, options.folds ?? 5);
  // Out-of-fold scores need a few examples per fold; with less train data the matcher stays one stage.
  const canStack = nTrain >= 4 * folds;
  const order = shuffled(nTrain, seed);
  const foldSplit = (k: number) => {
    const held = order.filter((_, j) => j % folds === k);
    const heldSet = new Set(held);
    return { held, fit: trainIdx.filter((i) => !heldSet.has(i)) };
  };

  if ((options.tokens ?? true) && canStack) {
    t = performance.now();
    const tp = { ...DEFAULT_TOKEN_MODEL_PARAMS, seed, ...options.tokenParams };
    const ex = all.map((p) =>
      pairTokenFeatures(featurizer.shortFieldTokens(p.left), featurizer.shortFieldTokens(p.right), tp.bits),
    );
    const tokenScore = new Float64Array(all.length);
    for (let k = 0; k < folds; k++) {
      const { held, fit } = foldSplit(k);
      const m = TokenModel.train(
        pick(ex, fit),
        fit.map((i) => yTrain[i]),
        tp,
      );
      for (const i of held) tokenScore[i] = m.score(ex[i]);
      for (const i of [...validIdx, ...testIdx]) tokenScore[i] += m.score(ex[i]) / folds;
    }
    const ctx = useContext ? candidateContext(leftKeys, rightKeys, [tokenScore]) : null;
    x = x.map((row, i) => concat(concat(row, [tokenScore[i]]), ctx ? ctx[i] : []));
    names = [...names, 'tokens', ...(useContext ? contextFeatureNames(['tokens']) : [])];
    log(
      `token model: ${folds} folds in ${seconds(t)} s, valid f1 alone ${bestThreshold(pick([...tokenScore], validIdx), yValid).f1.toFixed(4)}`,
    );
  }

  const stages = options.stack === false || !canStack ? 0 : (options.stages ?? 1);
  for (let stage = 1; stage <= stages; stage++) {
    t = performance.now();
    const score = new Float64Array(all.length);
    const xValid = pick(x, validIdx);
    for (let k = 0; k < folds; k++) {
      const { held, fit } = foldSplit(k);
      const m = Gbdt.train(
        pick(x, fit),
        fit.map((i) => yTrain[i]),
        gbdtParams,
        { valid: { x: xValid, y: yValid } },
      );
      for (const i of held) score[i] = m.predictRaw(x[i]);
      for (const i of [...validIdx, ...testIdx]) score[i] += m.predictRaw(x[i]) / folds;
    }
    const ctx = useContext ? candidateContext(leftKeys, rightKeys, [score]) : null;
    x = x.map((row, i) => concat(concat(row, [score[i]]), ctx ? ctx[i] : []));
    names = [...names, `stage${stage}`, ...(useContext ? contextFeatureNames([`stage${stage}`]) : [])];
    log(
      `stage ${stage}: ${folds} folds in ${seconds(t)} s, valid f1 alone ${bestThreshold(pick([...score], validIdx), yValid).f1.toFixed(4)}`,
    );
  }

  t = performance.now();
  const xTrain = pick(x, trainIdx);
  const xValid = pick(x, validIdx);
  const models = range(0, options.bag ?? 3).map((b) =>
    Gbdt.train(xTrain, yTrain, { ...gbdtParams, seed: seed + 1000 * b }, { valid: { x: xValid, y: yValid } }),
  );
  const model = new GbdtEnsemble(models);
  log(
    `gbdt: ${models.map((m) => m.treeCount).join('+')} trees, ${names.length} features, in ${seconds(t)} s`,
  );
  const rawValid = model.predictAll(xValid);
  const calibration = fitPlatt(rawValid, yValid);
  const calibrate = plattCalibrator(calibration);
  const validProb = Float64Array.from(rawValid, calibrate);
  const best = bestThreshold(validProb, yValid);
  log(
    `valid: f1 ${best.f1.toFixed(4)} p ${best.precision.toFixed(4)} r ${best.recall.toFixed(4)} at ${best.threshold.toFixed(4)}`,
  );
  return {
    featurizer,
    featureNames: names,
    model,
    calibration,
    threshold: best.threshold,
    valid: {
      f1: best.f1,
      precision: best.precision,
      recall: best.recall,
      averagePrecision: averagePrecision(validProb, yValid),
    },
    probabilities: () => Float64Array.from(model.predictAll(pick(x, testIdx)), calibrate),
  };
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}

function pick<T>(xs: readonly T[], idx: readonly number[]): T[] {
  return idx.map((i) => xs[i]);
}

function concat(a: Float64Array, b: ArrayLike<number>): Float64Array {
  const out = new Float64Array(a.length + b.length);
  out.set(a);
  out.set(b as ArrayLike<number>, a.length);
  return out;
}

function shuffled(n: number, seed: number): number[] {
  const random = rng(seed ^ 0x5eed);
  const a = range(0, n);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

function seconds(since: number): string {
  return ((performance.now() - since) / 1000).toFixed(1);
}
