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
import { featurizeInto, normalizeTitle, words } from './featurize.js';
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

const ADAGRAD_EPS = 1e-8;
const ADAM_B1 = 0.9;
const ADAM_B2 = 0.999;
const ADAM_EPS = 1e-8;

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
  const { dim: D, outDim: E } = config;
  const { buckets: B, maxFeatures: F } = config.featurizer;

  const evalSample = options.evalSample ?? 1000;
  progress({ done: 0, total: totalSteps, phase: 'prepare', message: `${N} records` });
  const before = evalSample > 0 ? evaluateEncoder(w, input, evalSample, seed + 1) : null;

  const keys = sameProductKeys(texts, input.groups);
  const members = groupMembers(input.groups, N);
  const firstWord = texts.map((t) => words(normalizeTitle(t ?? ''))[0] ?? '');

  // optimizer state
  const acc = new Float32Array(B * D); // Adagrad accumulators of the table
  const mW = new Float32Array(D * E);
  const vW = new Float32Array(D * E);
  const mb = new Float32Array(E);
  const vb = new Float32Array(E);
  let adamT = 0;

  // per-step buffers (2K texts: rows 0..K-1 are views A, K..2K-1 views B)
  const T2 = 2 * K;
  const ids = new Int32Array(T2 * F);
  const counts = new Int32Array(T2);
  const M = new Float32Array(T2 * D);
  const Z = new Float32Array(T2 * E);
  const norms = new Float32Array(T2);
  const S = new Float32Array(K * K);
  const dS = new Float32Array(K * K);
  const dZ = new Float32Array(T2 * E);
  const dH = new Float32Array(T2 * E);
  const dM = new Float32Array(T2 * D);
  const gW = new Float32Array(D * E);
  const gb = new Float32Array(E);
  const slot = new Int32Array(B).fill(-1);
  const touched = new Int32Array(T2 * F);
  const gRows = new Float32Array(T2 * F * D);
  const h = new Float64Array(E);
  const batchKeys = new Int32Array(K);

  const epochLosses: number[] = [];
  const stepLosses: number[] = [];
  let step = 0;
  let stoppedEarly = false;
  let lastYield = performance.now();

  for (let epoch = 0; epoch < epochs && !stoppedEarly; epoch++) {
    // order: shuffled, then sorted by first word inside windows of 4 batches, batches shuffled
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
    // the last, short batch borrows records so every step has K anchors
    const last = batches[batches.length - 1];
    if (last.length < K) {
      const have = new Set(last);
      for (let i = 0; last.length < K && i < N; i++) if (!have.has(order[i])) last.push(order[i]);
    }
    rng.shuffle(batches);
    let epochLoss = 0;
    let epochSteps = 0;

    for (const batch of batches) {
      if (signal?.aborted) throw cancelled();
      if (
        options.timeBudgetMs !== undefined &&
        performance.now() - started > options.timeBudgetMs &&
        step > 0
      ) {
        stoppedEarly = true;
        break;
      }
      // ---- views and features
      for (let i = 0; i < K; i++) {
        const r = batch[i];
        batchKeys[i] = keys[r];
        const textA = noisyView(texts[r], rng);
        const group = input.groups ? input.groups[r] : -1;
        const others = group >= 0 ? members.get(group) : undefined;
        let textB: string;
        if (others && rng.chance(0.5)) {
          let j = others[rng.int(others.length)];
          if (j === r) j = others[(others.indexOf(r) + 1) % others.length];
          textB = noisyView(texts[j], rng, 0.5);
        } else textB = noisyView(texts[r], rng);
        counts[i] = featurizeInto(textA, config.featurizer, ids, i * F);
        counts[K + i] = featurizeInto(textB, config.featurizer, ids, (K + i) * F);
      }
      // ---- forward
      for (let t = 0; t < T2; t++) {
        const n = counts[t];
        const mo = t * D;
        M.fill(0, mo, mo + D);
        for (let j = 0; j < n; j++) {
          const off = ids[t * F + j] * D;
          for (let d = 0; d < D; d++) M[mo + d] += w.table[off + d];
        }
        const inv = 1 / Math.max(n, 1);
        for (let d = 0; d < D; d++) M[mo + d] *= inv;
        for (let e = 0; e < E; e++) h[e] = w.bias[e];
        for (let d = 0; d < D; d++) {
          const m = M[mo + d];
          const row = d * E;
          for (let e = 0; e < E; e++) h[e] += m * w.proj[row + e];
        }
        let ss = 0;
        for (let e = 0; e < E; e++) ss += h[e] * h[e];
        const norm = Math.sqrt(Math.max(ss, 1e-12));
        norms[t] = norm;
        for (let e = 0; e < E; e++) Z[t * E + e] = h[e] / norm;
      }
      for (let i = 0; i < K; i++) {
        for (let j = 0; j < K; j++) {
          let s = 0;
          const a = i * E;
          const b = (K + j) * E;
          for (let e = 0; e < E; e++) s += Z[a + e] * Z[b + e];
          S[i * K + j] = i !== j && batchKeys[i] === batchKeys[j] ? -Infinity : s / tau;
        }
      }
      // ---- loss and dL/dS: symmetric cross-entropy over rows (A->B) and columns (B->A)
      let loss = 0;
      dS.fill(0);
      const scale = 1 / (2 * K);
      for (let i = 0; i < K; i++) {
        let max = -Infinity;
        for (let j = 0; j < K; j++) if (S[i * K + j] > max) max = S[i * K + j];
        let sum = 0;
        for (let j = 0; j < K; j++) sum += Math.exp(S[i * K + j] - max);
        const lse = max + Math.log(sum);
        loss += lse - S[i * K + i];
        for (let j = 0; j < K; j++)
          dS[i * K + j] += (Math.exp(S[i * K + j] - lse) - (i === j ? 1 : 0)) * scale;
      }
      for (let j = 0; j < K; j++) {
        let max = -Infinity;
        for (let i = 0; i < K; i++) if (S[i * K + j] > max) max = S[i * K + j];
        let sum = 0;
        for (let i = 0; i < K; i++) sum += Math.exp(S[i * K + j] - max);
        const lse = max + Math.log(sum);
        loss += lse - S[j * K + j];
        for (let i = 0; i < K; i++)
          dS[i * K + j] += (Math.exp(S[i * K + j] - lse) - (i === j ? 1 : 0)) * scale;
      }
      loss *= scale;
      // ---- backward: dZ, then through the normalization to dH
      dZ.fill(0);
      for (let i = 0; i < K; i++) {
        for (let j = 0; j < K; j++) {
          const g = dS[i * K + j] / tau;
          if (g === 0) continue;
          const a = i * E;
          const b = (K + j) * E;
          for (let e = 0; e < E; e++) {
            dZ[a + e] += g * Z[b + e];
            dZ[b + e] += g * Z[a + e];
          }
        }
      }
      for (let t = 0; t < T2; t++) {
        const o = t * E;
        let dot = 0;
        for (let e = 0; e < E; e++) dot += Z[o + e] * dZ[o + e];
        const inv = 1 / norms[t];
        for (let e = 0; e < E; e++) dH[o + e] = (dZ[o + e] - Z[o + e] * dot) * inv;
      }
      // projection and bias gradients; dM = dH · Wᵀ
      gW.fill(0);
      gb.fill(0);
      for (let t = 0; t < T2; t++) {
        const o = t * E;
        const mo = t * D;
        for (let e = 0; e < E; e++) gb[e] += dH[o + e];
        for (let d = 0; d < D; d++) {
          const m = M[mo + d];
          const row = d * E;
          let acc2 = 0;
          for (let e = 0; e < E; e++) {
            gW[row + e] += m * dH[o + e];
            acc2 += dH[o + e] * w.proj[row + e];
          }
          dM[mo + d] = acc2;
        }
      }
      // sparse table gradient: each feature row gets dM / count
      let nTouched = 0;
      for (let t = 0; t < T2; t++) {
        const n = counts[t];
        if (n === 0) continue;
        const inv = 1 / n;
        const mo = t * D;
        for (let j = 0; j < n; j++) {
          const id = ids[t * F + j];
          let s = slot[id];
          if (s < 0) {
            s = slot[id] = nTouched;
            touched[nTouched++] = id;
            gRows.fill(0, s * D, s * D + D);
          }
          const go = s * D;
          for (let d = 0; d < D; d++) gRows[go + d] += dM[mo + d] * inv;
        }
      }
      // ---- updates: Adagrad (table rows), Adam (projection, bias)
      for (let s = 0; s < nTouched; s++) {
        const id = touched[s];
        slot[id] = -1;
        const off = id * D;
        const go = s * D;
        for (let d = 0; d < D; d++) {
          const g = gRows[go + d];
          const a = (acc[off + d] += g * g);
          w.table[off + d] -= (lrTable * g) / (Math.sqrt(a) + ADAGRAD_EPS);
        }
      }
      adamT++;
      const c1 = 1 - Math.pow(ADAM_B1, adamT);
      const c2 = 1 - Math.pow(ADAM_B2, adamT);
      for (let i = 0; i < D * E; i++) {
        const g = gW[i];
        mW[i] = ADAM_B1 * mW[i] + (1 - ADAM_B1) * g;
        vW[i] = ADAM_B2 * vW[i] + (1 - ADAM_B2) * g * g;
        w.proj[i] -= (lrProj * (mW[i] / c1)) / (Math.sqrt(vW[i] / c2) + ADAM_EPS);
      }
      for (let e = 0; e < E; e++) {
        const g = gb[e];
        mb[e] = ADAM_B1 * mb[e] + (1 - ADAM_B1) * g;
        vb[e] = ADAM_B2 * vb[e] + (1 - ADAM_B2) * g * g;
        w.bias[e] -= (lrProj * 0.1 * (mb[e] / c1)) / (Math.sqrt(vb[e] / c2) + ADAM_EPS);
      }

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
