/**
 * Self-supervised contrastive training of the built-in encoder (core/embed/encoder.ts), in plain TypeScript.
 *
 * Each step takes K records. Each gets two views: two noisy views of its title (augment.ts), or, when the record
 * is known to be the same product as another (equal valid GTIN across channels, a label), a noisy view of itself
 * and one of that other record. Loss: symmetric InfoNCE with in-batch negatives at temperature τ; pairs known
 * (or textually identical) to be the same product are masked out of the negatives. Batches are drawn from
 * windows sorted by first word, so negatives share brand or product type (harder, more useful).
 * Optimizers: Adagrad on the touched rows of the embedding table (sparse), Adam on projection and bias.
 * Seeded and deterministic; reports progress; cancels through an AbortSignal.
 */
import type { Progress } from '../jobs/progress.js';
import { cancelled } from '../model/errors.js';
import { noisyView } from './augment.js';
import {
  DEFAULT_ENCODER,
  encodeTexts,
  initEncoder,
  type EncoderConfig,
  type EncoderWeights,
} from './encoder.js';
import { ContrastiveStep } from './contrastiveStep.js';
import { normalizeTitle, words } from './featurize.js';
import { Rng } from './rng.js';

export interface TrainInput {
  texts: readonly string[];
  /** Per text: a group id (≥ 0) shared by texts known to be the same product, or -1 (unknown). */
  groups?: ArrayLike<number>;
}

export interface TrainOptions {
  config?: EncoderConfig;
  seed?: number;
  /** Passes over the records (default: enough for at least `minSteps` steps, at least 2, at most 40). */
  epochs?: number;
  minSteps?: number;
  batchSize?: number;
  temperature?: number;
  lrTable?: number;
  lrProj?: number;
  /** Stop early (between steps) once this much time has passed. */
  timeBudgetMs?: number;
  /** Start from these weights (fine-tuning) instead of a fresh initialization. */
  init?: EncoderWeights;
  /** Records sampled for the before/after metrics (0: none). */
  evalSample?: number;
  onProgress?: (p: Progress) => void;
  signal?: AbortSignal;
}

export interface EncoderMetrics {
  /** Share of sampled records whose noisy view's nearest clean title (among the sample) is its own. */
  viewTop1: number;
  /** Mean cosine between a record and its noisy view, and between different records. */
  positiveCosine: number;
  negativeCosine: number;
  /** Share of sampled records with a known same-product partner whose nearest other record is one (NaN: none). */
  groupTop1: number;
  sample: number;
}

export interface TrainResult {
  weights: EncoderWeights;
  /** Mean loss per epoch (the last may be partial when the time budget ran out). */
  epochLosses: number[];
  /** Mean loss of the first and the last 10% of steps. */
  firstLoss: number;
  lastLoss: number;
  steps: number;
  epochs: number;
  seconds: number;
  stoppedEarly: boolean;
  before: EncoderMetrics | null;
  after: EncoderMetrics | null;
  options: {
    seed: number;
    batchSize: number;
    temperature: number;
    lrTable: number;
    lrProj: number;
    epochs: number;
  };
}

/** Keys such that equal keys mean "the same product": the group, else the normalized title. */
function sameProductKeys(texts: readonly string[], groups: ArrayLike<number> | undefined): Int32Array {
  const keys = new Int32Array(texts.length);
  const byTitle = new Map<string, number>();
  let next = 0;
  const groupKey = new Map<number, number>();
  for (let i = 0; i < texts.length; i++) {
    const g = groups ? groups[i] : -1;
    if (g >= 0) {
      let k = groupKey.get(g);
      if (k === undefined) groupKey.set(g, (k = next++));
      keys[i] = k;
      continue;
    }
    const t = normalizeTitle(texts[i] ?? '');
    let k = byTitle.get(t);
    if (k === undefined) byTitle.set(t, (k = next++));
    keys[i] = k;
  }
  return keys;
}

/** Members of each group with more than one record (others omitted). */
function groupMembers(groups: ArrayLike<number> | undefined, n: number): Map<number, number[]> {
  const out = new Map<number, number[]>();
  if (!groups) return out;
  for (let i = 0; i < n; i++) {
    const g = groups[i];
    if (g < 0) continue;
    let list = out.get(g);
    if (!list) out.set(g, (list = []));
    list.push(i);
  }
  for (const [g, list] of out) if (list.length < 2) out.delete(g);
  return out;
}

function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Before/after quality on a sample: retrieval of noisy views and of known same-product partners. */
export function evaluateEncoder(
  weights: EncoderWeights,
  input: TrainInput,
  sample = 1000,
  seed = 7,
): EncoderMetrics {
  const rng = new Rng(seed);
  const n = input.texts.length;
  const idx = rng.shuffle(Array.from({ length: n }, (_, i) => i)).slice(0, Math.min(sample, n));
  const clean = idx.map((i) => input.texts[i]);
  const views = clean.map((t) => noisyView(t, rng));
  const E = weights.config.outDim;
  const a = encodeTexts(weights, clean);
  const b = encodeTexts(weights, views);
  const m = idx.length;
  const keys = sameProductKeys(
    clean,
    idx.map((i) => (input.groups ? input.groups[i] : -1)),
  );
  let hits = 0;
  let pos = 0;
  let neg = 0;
  let negCount = 0;
  for (let i = 0; i < m; i++) {
    let best = -Infinity;
    let bestJ = -1;
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let e = 0; e < E; e++) s += b[i * E + e] * a[j * E + e];
      if (s > best) {
        best = s;
        bestJ = j;
      }
      if (i === j) pos += s;
      else if (j === (i + 1) % m) {
        neg += s;
        negCount++;
      }
    }
    if (bestJ === i || keys[bestJ] === keys[i]) hits++;
  }
  let groupHits = 0;
  let groupTotal = 0;
  if (input.groups) {
    // nearest other record among the sample and the partners of its records
    const members = groupMembers(input.groups, n);
    const withPartner = idx.filter((i) => members.has(input.groups![i]));
    if (withPartner.length > 0) {
      const pool = new Set<number>(idx);
      for (const i of withPartner) for (const j of members.get(input.groups[i])!) pool.add(j);
      const poolIdx = [...pool];
      const pv = encodeTexts(
        weights,
        poolIdx.map((i) => input.texts[i]),
      );
      const where = new Map(poolIdx.map((i, k) => [i, k]));
      for (const i of withPartner) {
        const qi = where.get(i)!;
        let best = -Infinity;
        let bestJ = -1;
        for (let k = 0; k < poolIdx.length; k++) {
          if (k === qi) continue;
          let s = 0;
          for (let e = 0; e < E; e++) s += pv[qi * E + e] * pv[k * E + e];
          if (s > best) {
            best = s;
            bestJ = poolIdx[k];
          }
        }
        groupTotal++;
        if (bestJ >= 0 && input.groups[bestJ] === input.groups[i]) groupHits++;
      }
    }
  }
  return {
    viewTop1: m ? hits / m : NaN,
    positiveCosine: m ? pos / m : NaN,
    negativeCosine: negCount ? neg / negCount : NaN,
    groupTop1: groupTotal ? groupHits / groupTotal : NaN,
    sample: m,
  };
}

/**
 * One epoch's batches of K record indexes: shuffled, then sorted by first word inside windows of 4 batches (so
 * negatives share brand or product type), batches shuffled; the last, short batch borrows records so every step
 * has K anchors.
 */
function epochBatches(rng: Rng, N: number, K: number, firstWord: readonly string[]): number[][] {
  const order = rng.shuffle(Array.from({ length: N }, (_, i) => i));
  const window = 4 * K;
  for (let s = 0; s < N; s += window) {
    const part = order
      .slice(s, s + window)
      .sort((a, b) => (firstWord[a] < firstWord[b] ? -1 : firstWord[a] > firstWord[b] ? 1 : a - b));
    for (let k = 0; k < part.length; k++) order[s + k] = part[k];
  }
  const batches: number[][] = [];
  for (let s = 0; s < N; s += K) batches.push(order.slice(s, s + K));
  const last = batches[batches.length - 1];
  if (last.length < K) {
    const have = new Set(last);
    for (let i = 0; last.length < K && i < N; i++) if (!have.has(order[i])) last.push(order[i]);
  }
  rng.shuffle(batches);
  return batches;
}

/** Trains the encoder. Resolves with the weights, the loss curve and before/after metrics. */
export async function trainEncoder(input: TrainInput, options: TrainOptions = {}): Promise<TrainResult> {
  const started = performance.now();
  const config = options.init?.config ?? options.config ?? DEFAULT_ENCODER;
  const seed = options.seed ?? 1;
  const rng = new Rng(seed);
  const texts = input.texts;
  const N = texts.length;
  if (N < 2) throw new Error('training the encoder needs at least 2 records');
  const K = Math.max(2, Math.min(options.batchSize ?? 256, N));
  const tau = options.temperature ?? 0.05;
  const lrTable = options.lrTable ?? 0.05;
  const lrProj = options.lrProj ?? 2e-3;
  const stepsPerEpoch = Math.ceil(N / K);
  const minSteps = options.minSteps ?? 400;
  const epochs = options.epochs ?? Math.min(40, Math.max(2, Math.ceil(minSteps / stepsPerEpoch)));
  const totalSteps = epochs * stepsPerEpoch;
  const progress = options.onProgress ?? (() => {});
  const signal = options.signal;

  const w: EncoderWeights = options.init
    ? {
        config: structuredClone(options.init.config),
        table: options.init.table.slice(),
        proj: options.init.proj.slice(),
        bias: options.init.bias.slice(),
      }
    : initEncoder(config, seed);
  const evalSample = options.evalSample ?? 1000;
  progress({ done: 0, total: totalSteps, phase: 'prepare', message: `${N} records` });
  const before = evalSample > 0 ? evaluateEncoder(w, input, evalSample, seed + 1) : null;

  const keys = sameProductKeys(texts, input.groups);
  const members = groupMembers(input.groups, N);
  const firstWord = texts.map((t) => words(normalizeTitle(t ?? ''))[0] ?? '');

  const stepper = new ContrastiveStep(config, K, { temperature: tau, lrTable, lrProj });

  const epochLosses: number[] = [];
  const stepLosses: number[] = [];
  let step = 0;
  let stoppedEarly = false;
  let lastYield = performance.now();

  for (let epoch = 0; epoch < epochs && !stoppedEarly; epoch++) {
    let epochLoss = 0;
    let epochSteps = 0;
    for (const batch of epochBatches(rng, N, K, firstWord)) {
      if (signal?.aborted) throw cancelled();
      if (
        options.timeBudgetMs !== undefined &&
        performance.now() - started > options.timeBudgetMs &&
        step > 0
      ) {
        stoppedEarly = true;
        break;
      }
      for (let i = 0; i < K; i++) {
        const r = batch[i];
        stepper.batchKeys[i] = keys[r];
        const textA = noisyView(texts[r], rng);
        const group = input.groups ? input.groups[r] : -1;
        const others = group >= 0 ? members.get(group) : undefined;
        let textB: string;
        if (others && rng.chance(0.5)) {
          let j = others[rng.int(others.length)];
          if (j === r) j = others[(others.indexOf(r) + 1) % others.length];
          textB = noisyView(texts[j], rng, 0.5);
        } else textB = noisyView(texts[r], rng);
        stepper.setViews(i, textA, textB);
      }
      const loss = stepper.run(w);

      step++;
      epochLoss += loss;
      epochSteps++;
      stepLosses.push(loss);
      if (performance.now() - lastYield > 50) {
        progress({
          done: step,
          total: totalSteps,
          phase: 'train',
          message: `epoch ${epoch + 1}/${epochs}, loss ${(epochLoss / epochSteps).toFixed(4)}`,
        });
        await yieldToLoop();
        lastYield = performance.now();
      }
    }
    if (epochSteps > 0) epochLosses.push(epochLoss / epochSteps);
  }

  progress({ done: step, total: step, phase: 'evaluate', message: 'measuring the trained encoder' });
  const after = evalSample > 0 ? evaluateEncoder(w, input, evalSample, seed + 1) : null;
  const tenth = Math.max(1, Math.floor(stepLosses.length / 10));
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(xs.length, 1);
  const result: TrainResult = {
    weights: w,
    epochLosses,
    firstLoss: mean(stepLosses.slice(0, tenth)),
    lastLoss: mean(stepLosses.slice(-tenth)),
    steps: step,
    epochs: epochLosses.length,
    seconds: (performance.now() - started) / 1000,
    stoppedEarly,
    before,
    after,
    options: { seed, batchSize: K, temperature: tau, lrTable, lrProj, epochs },
  };
  progress({
    done: step,
    total: step,
    phase: 'done',
    message: `loss ${result.firstLoss.toFixed(3)} -> ${result.lastLoss.toFixed(3)}`,
  });
  return result;
}
