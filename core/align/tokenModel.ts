/**
 * A learned token-level view of a pair: logistic regression over hashed indicator features saying which
 * tokens the two records share and which appear on one side only ("shared:mac", "leftOnly:upgrade").
 * It learns which words matter for identity (editions, platforms, versions, colours) and which do not,
 * something fixed similarity functions cannot. Used as an extra, stacked score for the tree ensemble.
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

/** Hashed feature ids of a pair given both sides' word tokens (a set each). */
export function pairTokenFeatures(
  left: ReadonlySet<string>,
  right: ReadonlySet<string>,
  bits: number,
): Int32Array {
  const ids: number[] = [];
  const mask = (1 << bits) - 1;
  for (const t of left) ids.push(hash(right.has(t) ? `s:${t}` : `l:${t}`) & mask);
  for (const t of right) if (!left.has(t)) ids.push(hash(`r:${t}`) & mask);
  return Int32Array.from(new Set(ids)).sort();
}

/** FNV-1a, 32 bit. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
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
