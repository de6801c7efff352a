/**
 * One training step of the encoder's contrastive objective (train.ts), with every buffer allocated once per run:
 * featurized views in, symmetric InfoNCE loss out, gradients applied to the weights (Adagrad on the touched table
 * rows, Adam on projection and bias). Split out of the training loop so each phase reads on its own.
 */
import type { EncoderConfig, EncoderWeights } from './encoder.js';
import { featurizeInto } from './featurize.js';

const ADAGRAD_EPS = 1e-8;
const ADAM_B1 = 0.9;
const ADAM_B2 = 0.999;
const ADAM_EPS = 1e-8;

export interface StepRates {
  temperature: number;
  lrTable: number;
  lrProj: number;
}

/** K anchors per step: rows 0..K-1 hold views A, rows K..2K-1 views B. */
export class ContrastiveStep {
  readonly K: number;
  private readonly D: number;
  private readonly E: number;
  private readonly F: number;
  private readonly config: EncoderConfig;
  private readonly rates: StepRates;
  // optimizer state
  private readonly acc: Float32Array;
  private readonly mW: Float32Array;
  private readonly vW: Float32Array;
  private readonly mb: Float32Array;
  private readonly vb: Float32Array;
  private adamT = 0;
  // per-step buffers
  private readonly ids: Int32Array;
  private readonly counts: Int32Array;
  private readonly M: Float32Array;
  private readonly Z: Float32Array;
  private readonly norms: Float32Array;
  private readonly S: Float32Array;
  private readonly dS: Float32Array;
  private readonly dZ: Float32Array;
  private readonly dH: Float32Array;
  private readonly dM: Float32Array;
  private readonly gW: Float32Array;
  private readonly gb: Float32Array;
  private readonly slot: Int32Array;
  private readonly touched: Int32Array;
  private readonly gRows: Float32Array;
  private readonly h: Float64Array;
  /** Same-product key of each anchor: pairs with equal keys are masked out of the negatives. */
  readonly batchKeys: Int32Array;

  constructor(config: EncoderConfig, K: number, rates: StepRates) {
    this.config = config;
    this.rates = rates;
    this.K = K;
    const { dim: D, outDim: E } = config;
    const { buckets: B, maxFeatures: F } = config.featurizer;
    this.D = D;
    this.E = E;
    this.F = F;
    const T2 = 2 * K;
    this.acc = new Float32Array(B * D);
    this.mW = new Float32Array(D * E);
    this.vW = new Float32Array(D * E);
    this.mb = new Float32Array(E);
    this.vb = new Float32Array(E);
    this.ids = new Int32Array(T2 * F);
    this.counts = new Int32Array(T2);
    this.M = new Float32Array(T2 * D);
    this.Z = new Float32Array(T2 * E);
    this.norms = new Float32Array(T2);
    this.S = new Float32Array(K * K);
    this.dS = new Float32Array(K * K);
    this.dZ = new Float32Array(T2 * E);
    this.dH = new Float32Array(T2 * E);
    this.dM = new Float32Array(T2 * D);
    this.gW = new Float32Array(D * E);
    this.gb = new Float32Array(E);
    this.slot = new Int32Array(B).fill(-1);
    this.touched = new Int32Array(T2 * F);
    this.gRows = new Float32Array(T2 * F * D);
    this.h = new Float64Array(E);
    this.batchKeys = new Int32Array(K);
  }

  /** Featurizes anchor i's two views. */
  setViews(i: number, textA: string, textB: string): void {
    const { K, F } = this;
    this.counts[i] = featurizeInto(textA, this.config.featurizer, this.ids, i * F);
    this.counts[K + i] = featurizeInto(textB, this.config.featurizer, this.ids, (K + i) * F);
  }

  /** Forward, loss, backward and update; returns the step's loss. */
  run(w: EncoderWeights): number {
    this.forward(w);
    const loss = this.lossAndGradient();
    this.backward(w);
    this.update(w);
    return loss;
  }

  private forward(w: EncoderWeights): void {
    const { K, D, E, F, ids, counts, M, Z, norms, h, S, batchKeys } = this;
    const tau = this.rates.temperature;
    for (let t = 0; t < 2 * K; t++) {
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
  }

  /** Symmetric cross-entropy over rows (A->B) and columns (B->A); fills dL/dS. */
  private lossAndGradient(): number {
    const { K, S, dS } = this;
    let loss = 0;
    dS.fill(0);
    const scale = 1 / (2 * K);
    for (let i = 0; i < K; i++) loss += crossEntropy(S, dS, K, i * K, 1, i, scale);
    for (let j = 0; j < K; j++) loss += crossEntropy(S, dS, K, j, K, j, scale);
    return loss * scale;
  }

  /** dZ, then through the normalization to dH, the projection and bias gradients, and dM = dH · Wᵀ. */
  private backward(w: EncoderWeights): void {
    const { K, D, E, Z, dS, dZ, dH, dM, gW, gb, M, norms } = this;
    const tau = this.rates.temperature;
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
    for (let t = 0; t < 2 * K; t++) {
      const o = t * E;
      let dot = 0;
      for (let e = 0; e < E; e++) dot += Z[o + e] * dZ[o + e];
      const inv = 1 / norms[t];
      for (let e = 0; e < E; e++) dH[o + e] = (dZ[o + e] - Z[o + e] * dot) * inv;
    }
    gW.fill(0);
    gb.fill(0);
    for (let t = 0; t < 2 * K; t++) {
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
  }

  /** Sparse table gradient (each feature row gets dM / count) with Adagrad; Adam on projection and bias. */
  private update(w: EncoderWeights): void {
    const { K, D, E, F, ids, counts, dM, slot, touched, gRows, acc, gW, gb, mW, vW, mb, vb } = this;
    const { lrTable, lrProj } = this.rates;
    let nTouched = 0;
    for (let t = 0; t < 2 * K; t++) {
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
    this.adamT++;
    const c1 = 1 - Math.pow(ADAM_B1, this.adamT);
    const c2 = 1 - Math.pow(ADAM_B2, this.adamT);
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
  }
}

/**
 * Softmax cross-entropy of one row or column of S: its K scores stand at `start`, `start + step`, …, and the one
 * at position `positive` is the true pair. Adds the gradient, times `scale`, to dS at the same places; returns the loss.
 */
function crossEntropy(
  S: Float32Array,
  dS: Float32Array,
  K: number,
  start: number,
  step: number,
  positive: number,
  scale: number,
): number {
  let max = -Infinity;
  for (let k = 0; k < K; k++) if (S[start + k * step] > max) max = S[start + k * step];
  let sum = 0;
  for (let k = 0; k < K; k++) sum += Math.exp(S[start + k * step] - max);
  const lse = max + Math.log(sum);
  for (let k = 0; k < K; k++)
    dS[start + k * step] += (Math.exp(S[start + k * step] - lse) - (k === positive ? 1 : 0)) * scale;
  return lse - S[start + positive * step];
}
