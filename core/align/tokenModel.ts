/**
 * A learned token-level view of a pair: logistic regression over hashed indicator features saying which
 * tokens the two records share and which appear on one side only ("shared:mac", "leftOnly:upgrade"), from the
 * records' token ids (recordPairs.ts `RecordProfiles`).
 * It learns which words matter for identity (editions, platforms, versions, colours) and which do not,
 * something fixed similarity functions cannot. Its out-of-fold score is a feature of the matcher (matcher.ts).
 * L2-regularized, trained by AdaGrad over seeded shuffles: deterministic.
 */
import { rng } from './gbdt.js';

export interface TokenModelParams {
  /** log2 of the hashed feature space. */
  bits: number;
  epochs: number;
  learningRate: number;
  l2: number;
  seed: number;
}

export const DEFAULT_TOKEN_MODEL_PARAMS: TokenModelParams = {
  bits: 18,
  epochs: 12,
  learningRate: 0.2,
  l2: 1e-5,
  seed: 1,
};

/**
 * Hashed feature ids of a pair given both sides' word-token ids (each sorted ascending, without repeats): one
 * feature per token shared, only on the left, only on the right.
 */
export function pairTokenFeatures(
  left: ArrayLike<number>,
  right: ArrayLike<number>,
  bits: number,
): Int32Array {
  const mask = (1 << bits) - 1;
  const ids: number[] = [];
  let a = 0;
  let b = 0;
  while (a < left.length || b < right.length) {
    const x = a < left.length ? left[a] : Infinity;
    const y = b < right.length ? right[b] : Infinity;
    if (x === y) {
      ids.push(hash(3 * x) & mask);
      a++;
      b++;
    } else if (x < y) {
      ids.push(hash(3 * x + 1) & mask);
      a++;
    } else {
      ids.push(hash(3 * y + 2) & mask);
      b++;
    }
  }
  return Int32Array.from(new Set(ids)).sort();
}

/** An integer hash (murmur3's finalizer). */
function hash(v: number): number {
  let h = v | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export class TokenModel {
  private constructor(
    readonly params: TokenModelParams,
    private readonly weights: Float64Array,
    private readonly bias: number,
  ) {}

  static train(
    examples: readonly Int32Array[],
    labels: ArrayLike<number>,
    params: Partial<TokenModelParams> = {},
  ): TokenModel {
    const p = { ...DEFAULT_TOKEN_MODEL_PARAMS, ...params };
    const w = new Float64Array(1 << p.bits);
    const g2 = new Float64Array(1 << p.bits);
    let b = 0;
    let gb2 = 0;
    const random = rng(p.seed);
    const order = Array.from({ length: examples.length }, (_, i) => i);
    for (let epoch = 0; epoch < p.epochs; epoch++) {
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [order[i], order[j]] = [order[j], order[i]];
      }
      for (const i of order) {
        const x = examples[i];
        let z = b;
        for (let k = 0; k < x.length; k++) z += w[x[k]];
        const err = 1 / (1 + Math.exp(-z)) - labels[i];
        for (let k = 0; k < x.length; k++) {
          const f = x[k];
          const g = err + p.l2 * w[f];
          g2[f] += g * g;
          w[f] -= (p.learningRate * g) / Math.sqrt(g2[f] + 1e-8);
        }
        gb2 += err * err;
        b -= (p.learningRate * err) / Math.sqrt(gb2 + 1e-8);
      }
    }
    return new TokenModel(p, w, b);
  }

  /** Log-odds of "same product". */
  score(x: Int32Array): number {
    let z = this.bias;
    for (let k = 0; k < x.length; k++) z += this.weights[x[k]];
    return z;
  }
}
