/**
 * Gradient-boosted decision trees for binary classification (logistic loss, second-order / Newton
 * leaves), histogram-based: every feature is cut into at most `maxBins` quantile bins once, and splits
 * are searched over bin boundaries. Missing values (NaN) get their own bin and each split learns which
 * side they go to. Depth-wise growth, shrinkage, L2 on leaf values, row and feature subsampling per
 * tree, early stopping on a validation set. Deterministic for a given seed. Models save to / load from
 * plain JSON.
 */

export interface GbdtParams {
  /** Maximum number of boosting rounds (trees). */
  nTrees: number;
  learningRate: number;
  maxDepth: number;
  /** Minimum sum of hessians in a child. */
  minChildWeight: number;
  /** Minimum number of (sampled) rows in a child. */
  minSamplesLeaf: number;
  /** L2 regularization of leaf values. */
  lambda: number;
  /** Minimum loss reduction to make a split. */
  gamma: number;
  /** Share of rows sampled (without replacement, Bernoulli) for each tree. */
  subsample: number;
  /** Share of features sampled for each tree. */
  colsample: number;
  /** Bins per feature (at most 255; one more bin holds missing values). */
  maxBins: number;
  /** Stop when the validation log-loss has not improved for this many rounds (needs a validation set). */
  earlyStoppingRounds: number;
  seed: number;
}

export const DEFAULT_GBDT_PARAMS: GbdtParams = {
  nTrees: 600,
  learningRate: 0.05,
  maxDepth: 6,
  minChildWeight: 1,
  minSamplesLeaf: 3,
  lambda: 1,
  gamma: 0,
  subsample: 0.8,
  colsample: 0.6,
  maxBins: 64,
  earlyStoppingRounds: 60,
  seed: 1,
};

/** Feature rows: one Float64Array per example, all of the same length. */
export type Rows = readonly ArrayLike<number>[];

export interface TrainOptions {
  weights?: ArrayLike<number>;
  valid?: { x: Rows; y: ArrayLike<number>; weights?: ArrayLike<number> };
  /** Called after each round with the round number and the validation log-loss (NaN without one). */
  onRound?: (round: number, validLoss: number) => void;
}

/** One tree in flat arrays; `feature[i] < 0` marks a leaf whose output is `value[i]`. */
export interface TreeJson {
  feature: number[];
  threshold: number[];
  missingLeft: number[];
  left: number[];
  right: number[];
  value: number[];
}

export interface GbdtJson {
  kind: 'concord-gbdt';
  version: 1;
  featureCount: number;
  baseScore: number;
  params: GbdtParams;
  trees: TreeJson[];
  gain: number[];
}

/** Seeded PRNG (mulberry32): deterministic, good enough for sampling. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

/** Quantile bin boundaries per feature; value v falls in bin b (1-based) with upper[b-1] ≥ v; NaN in bin 0. */
interface Binning {
  upper: Float64Array[];
  offset: Int32Array;
  total: number;
}

function fitBins(x: Rows, featureCount: number, maxBins: number): Binning {
  const upper: Float64Array[] = [];
  const offset = new Int32Array(featureCount + 1);
  const values = new Float64Array(x.length);
  for (let f = 0; f < featureCount; f++) {
    let n = 0;
    for (let i = 0; i < x.length; i++) {
      const v = x[i][f];
      if (!Number.isNaN(v)) values[n++] = v;
    }
    const sorted = values.subarray(0, n).slice().sort();
    const distinct: number[] = [];
    for (let i = 0; i < n; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct.push(sorted[i]);
    let bounds: number[];
    if (distinct.length <= maxBins) bounds = distinct;
    else {
      bounds = [];
      for (let k = 1; k <= maxBins; k++) {
        const v = sorted[Math.min(n - 1, Math.ceil((k * n) / maxBins) - 1)];
        if (bounds.length === 0 || v > bounds[bounds.length - 1]) bounds.push(v);
      }
      if (bounds[bounds.length - 1] < sorted[n - 1]) bounds.push(sorted[n - 1]);
    }
    // The last bin is open above, so values unseen in training still fall somewhere.
    if (bounds.length > 0) bounds[bounds.length - 1] = Infinity;
    upper.push(Float64Array.from(bounds));
    offset[f + 1] = offset[f] + bounds.length + 1;
  }
  return { upper, offset, total: offset[featureCount] };
}

function binOf(upper: Float64Array, v: number): number {
  if (Number.isNaN(v)) return 0;
  let lo = 0;
  let hi = upper.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (v <= upper[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo + 1;
}

interface Split {
  gain: number;
  feature: number;
  bin: number;
  missingLeft: boolean;
}

class TreeBuilder {
  feature: number[] = [];
  threshold: number[] = [];
  missingLeft: number[] = [];
  left: number[] = [];
  right: number[] = [];
  value: number[] = [];

  addNode(): number {
    this.feature.push(-1);
    this.threshold.push(0);
    this.missingLeft.push(0);
    this.left.push(-1);
    this.right.push(-1);
    this.value.push(0);
    return this.feature.length - 1;
  }

  toJson(): TreeJson {
    return {
      feature: this.feature,
      threshold: this.threshold,
      missingLeft: this.missingLeft,
      left: this.left,
      right: this.right,
      value: this.value,
    };
  }
}

export class Gbdt {
  private forest: Forest | null = null;

  private constructor(
    readonly featureCount: number,
    readonly baseScore: number,
    readonly params: GbdtParams,
    private readonly trees: TreeJson[],
    /** Total split gain per feature (importance). */
    readonly gain: number[],
  ) {}

  get treeCount(): number {
    return this.trees.length;
  }

  static train(
    x: Rows,
    y: ArrayLike<number>,
    params: Partial<GbdtParams> = {},
    options: TrainOptions = {},
  ): Gbdt {
    const p: GbdtParams = { ...DEFAULT_GBDT_PARAMS, ...params };
    const n = x.length;
    if (n === 0) throw new Error('gbdt: no training rows');
    if (y.length !== n) throw new Error(`gbdt: ${n} rows but ${y.length} labels`);
    const d = x[0].length;
    for (const row of x) if (row.length !== d) throw new Error('gbdt: rows of different lengths');
    if (p.maxBins < 2 || p.maxBins > 255) throw new Error('gbdt: maxBins must be within 2..255');
    const w = options.weights;

    const binning = fitBins(x, d, p.maxBins);
    const bins = new Uint8Array(d * n);
    for (let f = 0; f < d; f++) {
      const u = binning.upper[f];
      const base = f * n;
      for (let i = 0; i < n; i++) bins[base + i] = binOf(u, x[i][f]);
    }

    let sw = 0;
    let sy = 0;
    for (let i = 0; i < n; i++) {
      const wi = w ? w[i] : 1;
      sw += wi;
      sy += wi * y[i];
    }
    const prior = Math.min(1 - 1e-6, Math.max(1e-6, sy / sw));
    const baseScore = Math.log(prior / (1 - prior));

    const score = new Float64Array(n).fill(baseScore);
    const grad = new Float64Array(n);
    const hess = new Float64Array(n);
    const random = rng(p.seed);
    const trees: TreeJson[] = [];
    const gain = new Array<number>(d).fill(0);

    const valid = options.valid;
    const validScore = valid ? new Float64Array(valid.x.length).fill(baseScore) : null;
    let bestLoss = Infinity;
    let bestRound = 0;
    let bestGain = gain.slice();

    const allRows = new Int32Array(n);
    for (let i = 0; i < n; i++) allRows[i] = i;
    // Features with no value in the training rows (an export without images, no embeddings) cannot split: only the
    // others are sampled, so a feature the data lacks changes nothing.
    const allFeatures = Array.from({ length: d }, (_, f) => f);
    const withValues = allFeatures.filter((f) => binning.upper[f].length > 0);
    const featureOrder = withValues.length > 0 ? withValues : allFeatures;
    const sampled = featureOrder.length;

    for (let round = 0; round < p.nTrees; round++) {
      for (let i = 0; i < n; i++) {
        const pr = sigmoid(score[i]);
        const wi = w ? w[i] : 1;
        grad[i] = wi * (pr - y[i]);
        hess[i] = wi * Math.max(pr * (1 - pr), 1e-12);
      }
      let rows: Int32Array;
      if (p.subsample < 1) {
        const picked: number[] = [];
        for (let i = 0; i < n; i++) if (random() < p.subsample) picked.push(i);
        rows = Int32Array.from(picked.length > 0 ? picked : [0]);
      } else rows = allRows;
      let features: number[];
      if (p.colsample < 1) {
        // Partial Fisher-Yates: a seeded sample of ceil(colsample * d) features.
        const k = Math.max(1, Math.ceil(p.colsample * sampled));
        for (let i = 0; i < k; i++) {
          const j = i + Math.floor(random() * (sampled - i));
          [featureOrder[i], featureOrder[j]] = [featureOrder[j], featureOrder[i]];
        }
        features = featureOrder.slice(0, k).sort((a, b) => a - b);
      } else features = featureOrder.slice().sort((a, b) => a - b);

      const tree = growTree(bins, n, binning, grad, hess, rows, features, p, gain);
      trees.push(tree);
      for (let i = 0; i < n; i++) score[i] += predictTree(tree, x[i]);

      if (valid && validScore) {
        let loss = 0;
        let lw = 0;
        for (let i = 0; i < valid.x.length; i++) {
          validScore[i] += predictTree(tree, valid.x[i]);
          const pr = Math.min(1 - 1e-15, Math.max(1e-15, sigmoid(validScore[i])));
          const wi = valid.weights ? valid.weights[i] : 1;
          loss -= wi * (valid.y[i] ? Math.log(pr) : Math.log(1 - pr));
          lw += wi;
        }
        loss /= lw;
        options.onRound?.(round + 1, loss);
        if (loss < bestLoss - 1e-12) {
          bestLoss = loss;
          bestRound = round + 1;
          bestGain = gain.slice();
        } else if (round + 1 - bestRound >= p.earlyStoppingRounds) break;
      } else options.onRound?.(round + 1, NaN);
    }
    if (valid) {
      trees.length = Math.max(1, bestRound);
      return new Gbdt(d, baseScore, p, trees, bestGain);
    }
    return new Gbdt(d, baseScore, p, trees, gain);
  }

  /** Raw score (log-odds) of one row. */
  predictRaw(row: ArrayLike<number>): number {
    if (row.length !== this.featureCount)
      throw new Error(`gbdt: expected ${this.featureCount} features, got ${row.length}`);
    let s = this.baseScore;
    for (const t of this.trees) s += predictTree(t, row);
    return s;
  }

  /** Probability of the positive class (uncalibrated). */
  predict(row: ArrayLike<number>): number {
    return sigmoid(this.predictRaw(row));
  }

  predictAll(rows: Rows): Float64Array {
    const out = new Float64Array(rows.length);
    for (let i = 0; i < rows.length; i++) out[i] = this.predict(rows[i]);
    return out;
  }

  /**
   * Raw scores (log-odds) of the rows of a row-major matrix (x.length / featureCount rows), the same as
   * `predictRaw` row by row: the way to score many rows (no row views; the trees in flat typed arrays, walked
   * tree by tree over blocks of rows so that a tree's nodes stay in cache).
   */
  predictRawMatrix(x: Float32Array): Float64Array {
    const d = this.featureCount;
    if (x.length % d !== 0) throw new Error(`gbdt: a matrix of ${x.length} values is not rows of ${d}`);
    const { roots, feature, threshold, nanRight, left, value } = (this.forest ??= flatten(this.trees));
    const n = x.length / d;
    const out = new Float64Array(n).fill(this.baseScore);
    for (let r0 = 0; r0 < n; r0 += PREDICT_BLOCK) {
      const r1 = Math.min(n, r0 + PREDICT_BLOCK);
      for (let t = 0; t < roots.length; t++) {
        const root = roots[t];
        for (let r = r0; r < r1; r++) {
          const at = r * d;
          let i = root;
          let f = feature[i];
          while (f >= 0) {
            const v = x[at + f];
            // The right child follows the left one; a missing value goes where the split learned.
            i = left[i] + (v > threshold[i] || (v !== v && nanRight[i] === 1) ? 1 : 0);
            f = feature[i];
          }
          out[r] += value[i];
        }
      }
    }
    return out;
  }

  toJSON(): GbdtJson {
    return {
      kind: 'concord-gbdt',
      version: 1,
      featureCount: this.featureCount,
      baseScore: this.baseScore,
      params: this.params,
      trees: this.trees,
      gain: this.gain,
    };
  }

  static fromJSON(json: unknown): Gbdt {
    const j = json as Partial<GbdtJson> | null;
    if (
      !j ||
      j.kind !== 'concord-gbdt' ||
      j.version !== 1 ||
      !Array.isArray(j.trees) ||
      typeof j.featureCount !== 'number' ||
      typeof j.baseScore !== 'number'
    ) {
      throw new Error('not a concord-gbdt model (version 1)');
    }
    const trees = j.trees.map((t) => ({
      ...t,
      threshold: t.threshold.map((v) => (v === null ? Infinity : v)),
    }));
    return new Gbdt(
      j.featureCount,
      j.baseScore,
      { ...DEFAULT_GBDT_PARAMS, ...j.params },
      trees,
      j.gain ?? new Array(j.featureCount).fill(0),
    );
  }
}

/** Rows scored together, tree by tree, by `predictRawMatrix`. */
const PREDICT_BLOCK = 256;

/**
 * All trees in flat typed arrays: tree t's root is node roots[t]; an inner node's children are left[i] and
 * left[i] + 1; `nanRight` says where a missing value goes.
 */
interface Forest {
  roots: Int32Array;
  feature: Int32Array;
  threshold: Float64Array;
  nanRight: Uint8Array;
  left: Int32Array;
  value: Float64Array;
}

function flatten(trees: readonly TreeJson[]): Forest {
  const size = trees.reduce((sum, t) => sum + t.feature.length, 0);
  const f: Forest = {
    roots: new Int32Array(trees.length),
    feature: new Int32Array(size),
    threshold: new Float64Array(size),
    nanRight: new Uint8Array(size),
    left: new Int32Array(size),
    value: new Float64Array(size),
  };
  let next = 0;
  trees.forEach((t, k) => {
    // Breadth first, each node's two children in consecutive slots.
    const queue: [number, number][] = [[0, next++]];
    f.roots[k] = queue[0][1];
    for (let q = 0; q < queue.length; q++) {
      const [i, at] = queue[q];
      f.feature[at] = t.feature[i];
      f.value[at] = t.value[i];
      if (t.feature[i] < 0) continue;
      f.threshold[at] = t.threshold[i];
      f.nanRight[at] = t.missingLeft[i] === 1 ? 0 : 1;
      f.left[at] = next;
      queue.push([t.left[i], next++], [t.right[i], next++]);
    }
  });
  return f;
}

function predictTree(t: TreeJson, row: ArrayLike<number>): number {
  let i = 0;
  while (t.feature[i] >= 0) {
    const v = row[t.feature[i]];
    const goLeft = Number.isNaN(v) ? t.missingLeft[i] === 1 : v <= t.threshold[i];
    i = goLeft ? t.left[i] : t.right[i];
  }
  return t.value[i];
}

/** Histogram of one node: for every feature's bins, [sum grad, sum hess, count]. */
function buildHistogram(
  bins: Uint8Array,
  n: number,
  binning: Binning,
  grad: Float64Array,
  hess: Float64Array,
  rows: Int32Array,
  features: number[],
): Float64Array {
  const h = new Float64Array(binning.total * 3);
  for (const f of features) {
    const base = f * n;
    const off = binning.offset[f] * 3;
    for (let k = 0; k < rows.length; k++) {
      const r = rows[k];
      const j = off + bins[base + r] * 3;
      h[j] += grad[r];
      h[j + 1] += hess[r];
      h[j + 2] += 1;
    }
  }
  return h;
}

function bestSplit(
  h: Float64Array,
  binning: Binning,
  features: number[],
  G: number,
  H: number,
  C: number,
  p: GbdtParams,
): Split | null {
  const parent = (G * G) / (H + p.lambda);
  let best: Split | null = null;
  for (const f of features) {
    const off = binning.offset[f] * 3;
    const nb = binning.offset[f + 1] - binning.offset[f] - 1;
    const mg = h[off];
    const mh = h[off + 1];
    const mc = h[off + 2];
    let gl = 0;
    let hl = 0;
    let cl = 0;
    for (let b = 1; b < nb; b++) {
      const j = off + b * 3;
      gl += h[j];
      hl += h[j + 1];
      cl += h[j + 2];
      // Missing values to the right, then to the left.
      for (let side = 0; side < 2; side++) {
        const lg = side === 0 ? gl : gl + mg;
        const lh = side === 0 ? hl : hl + mh;
        const lc = side === 0 ? cl : cl + mc;
        const rg = G - lg;
        const rh = H - lh;
        const rc = C - lc;
        if (lc < p.minSamplesLeaf || rc < p.minSamplesLeaf || lh < p.minChildWeight || rh < p.minChildWeight)
          continue;
        const g = 0.5 * ((lg * lg) / (lh + p.lambda) + (rg * rg) / (rh + p.lambda) - parent) - p.gamma;
        if (g > 1e-12 && (best === null || g > best.gain))
          best = { gain: g, feature: f, bin: b, missingLeft: side === 1 };
        if (mc === 0) break;
      }
    }
  }
  return best;
}

function growTree(
  bins: Uint8Array,
  n: number,
  binning: Binning,
  grad: Float64Array,
  hess: Float64Array,
  rootRows: Int32Array,
  features: number[],
  p: GbdtParams,
  gain: number[],
): TreeJson {
  const tree = new TreeBuilder();
  interface Pending {
    node: number;
    rows: Int32Array;
    hist: Float64Array;
    G: number;
    H: number;
    depth: number;
  }
  let G = 0;
  let H = 0;
  for (let k = 0; k < rootRows.length; k++) {
    G += grad[rootRows[k]];
    H += hess[rootRows[k]];
  }
  const root = tree.addNode();
  let level: Pending[] = [
    {
      node: root,
      rows: rootRows,
      hist: buildHistogram(bins, n, binning, grad, hess, rootRows, features),
      G,
      H,
      depth: 0,
    },
  ];
  while (level.length > 0) {
    const next: Pending[] = [];
    for (const item of level) {
      tree.value[item.node] = (-item.G / (item.H + p.lambda)) * p.learningRate;
      if (item.depth >= p.maxDepth || item.rows.length < 2 * p.minSamplesLeaf) continue;
      const split = bestSplit(item.hist, binning, features, item.G, item.H, item.rows.length, p);
      if (!split) continue;
      const f = split.feature;
      const base = f * n;
      const leftRows: number[] = [];
      const rightRows: number[] = [];
      let lg = 0;
      let lh = 0;
      for (let k = 0; k < item.rows.length; k++) {
        const r = item.rows[k];
        const b = bins[base + r];
        if (b === 0 ? split.missingLeft : b <= split.bin) {
          leftRows.push(r);
          lg += grad[r];
          lh += hess[r];
        } else rightRows.push(r);
      }
      if (leftRows.length === 0 || rightRows.length === 0) continue;
      gain[f] += split.gain;
      const l = tree.addNode();
      const r = tree.addNode();
      tree.feature[item.node] = f;
      tree.threshold[item.node] = binning.upper[f][split.bin - 1];
      tree.missingLeft[item.node] = split.missingLeft ? 1 : 0;
      tree.left[item.node] = l;
      tree.right[item.node] = r;
      const lRows = Int32Array.from(leftRows);
      const rRows = Int32Array.from(rightRows);
      // Build the smaller child's histogram, derive the larger one by subtraction from the parent.
      const smallLeft = lRows.length <= rRows.length;
      const small = buildHistogram(bins, n, binning, grad, hess, smallLeft ? lRows : rRows, features);
      const large = item.hist;
      for (let j = 0; j < large.length; j++) large[j] -= small[j];
      const lHist = smallLeft ? small : large;
      const rHist = smallLeft ? large : small;
      next.push({ node: l, rows: lRows, hist: lHist, G: lg, H: lh, depth: item.depth + 1 });
      next.push({ node: r, rows: rRows, hist: rHist, G: item.G - lg, H: item.H - lh, depth: item.depth + 1 });
    }
    level = next;
  }
  return tree.toJson();
}
