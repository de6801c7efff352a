/**
 * The built-in product-text encoder's weights and its forward pass in TypeScript (the reference the ONNX export
 * in models/encoder must match):
 *   ids (hashed features, padded with B) -> mean of the embedding-table rows of the real ids (an embedding bag)
 *   -> h = mean · W + b -> h / sqrt(max(|h|², 1e-12))
 */
import { DEFAULT_FEATURIZER, featurizeBatch, type FeaturizerConfig } from './featurize.js';
import { Rng } from './rng.js';

export interface EncoderConfig {
  featurizer: FeaturizerConfig;
  /** Width of the embedding table (D). */
  dim: number;
  /** Width of the output embedding (E). */
  outDim: number;
}

export const DEFAULT_ENCODER: Readonly<EncoderConfig> = Object.freeze({
  featurizer: DEFAULT_FEATURIZER,
  dim: 64,
  outDim: 64,
});

export interface EncoderWeights {
  config: EncoderConfig;
  /** B × D, row-major (B = config.featurizer.buckets; the padding row is not stored here). */
  table: Float32Array;
  /** D × E, row-major. */
  proj: Float32Array;
  /** E. */
  bias: Float32Array;
}

export const NORM_EPSILON = 1e-12;

/**
 * Random initial weights: table rows N(0, 1/D) so that an untrained encoder is a random projection of the
 * feature bag (already a fair similarity), W near-orthogonal scale N(0, 1/D), bias zero.
 */
export function initEncoder(config: EncoderConfig = DEFAULT_ENCODER, seed = 1): EncoderWeights {
  const rng = new Rng(seed);
  const { dim, outDim } = config;
  const B = config.featurizer.buckets;
  const table = new Float32Array(B * dim);
  const s = 1 / Math.sqrt(dim);
  for (let i = 0; i < table.length; i++) table[i] = rng.normal() * s;
  const proj = new Float32Array(dim * outDim);
  for (let i = 0; i < proj.length; i++) proj[i] = rng.normal() * s;
  return { config: structuredClone(config), table, proj, bias: new Float32Array(outDim) };
}

/** Forward pass over a padded id matrix (rows × width, padding = B). Returns rows × E, L2-normalized. */
export function encodeIds(w: EncoderWeights, ids: Int32Array, rows: number, width: number): Float32Array {
  const { dim: D, outDim: E } = w.config;
  const B = w.config.featurizer.buckets;
  const out = new Float32Array(rows * E);
  const mean = new Float64Array(D);
  const h = new Float64Array(E);
  for (let r = 0; r < rows; r++) {
    mean.fill(0);
    let count = 0;
    for (let j = 0; j < width; j++) {
      const id = ids[r * width + j];
      if (id >= B || id < 0) continue;
      count++;
      const base = id * D;
      for (let d = 0; d < D; d++) mean[d] += w.table[base + d];
    }
    const denom = Math.max(count, 1);
    for (let d = 0; d < D; d++) mean[d] = Math.fround(mean[d] / denom);
    for (let e = 0; e < E; e++) h[e] = 0;
    for (let d = 0; d < D; d++) {
      const m = mean[d];
      if (m === 0) continue;
      const row = d * E;
      for (let e = 0; e < E; e++) h[e] += m * w.proj[row + e];
    }
    let ss = 0;
    for (let e = 0; e < E; e++) {
      h[e] = Math.fround(h[e] + w.bias[e]);
      ss += h[e] * h[e];
    }
    const norm = Math.sqrt(Math.max(ss, NORM_EPSILON));
    for (let e = 0; e < E; e++) out[r * E + e] = h[e] / norm;
  }
  return out;
}

/** Featurize + forward pass in TypeScript (the reference implementation; ORT is the fast path). */
export function encodeTexts(w: EncoderWeights, texts: readonly string[]): Float32Array {
  const batch = featurizeBatch(texts, w.config.featurizer);
  return encodeIds(w, batch.ids, batch.rows, batch.width);
}
