/**
 * Probability calibration of classifier scores on held-out labelled data: Platt scaling (a logistic fit
 * of the label on the score's log-odds) and isotonic regression (pool-adjacent-violators). Both are
 * monotone, so they keep the ranking of pairs; they make a score read as a probability of "same product".
 */

export interface Calibrator {
  (score: number): number;
}

export interface PlattJson {
  kind: 'platt';
  a: number;
  b: number;
}

function logit(p: number): number {
  const q = Math.min(1 - 1e-12, Math.max(1e-12, p));
  return Math.log(q / (1 - q));
}

/**
 * Platt scaling: p = σ(a · logit(score) + b), fit by Newton's method with Platt's smoothed targets
 * (so a perfectly separated held-out set still gives finite parameters).
 */
export function fitPlatt(scores: ArrayLike<number>, labels: ArrayLike<number>): PlattJson {
  const n = scores.length;
  let pos = 0;
  for (let i = 0; i < n; i++) pos += labels[i] ? 1 : 0;
  const neg = n - pos;
  const hi = (pos + 1) / (pos + 2);
  const lo = 1 / (neg + 2);
  const z = Array.from({ length: n }, (_, i) => logit(scores[i]));
  const t = Array.from({ length: n }, (_, i) => (labels[i] ? hi : lo));
  let a = 1;
  let b = 0;
  for (let iter = 0; iter < 100; iter++) {
    let ga = 0;
    let gb = 0;
    let haa = 1e-9;
    let hab = 0;
    let hbb = 1e-9;
    for (let i = 0; i < n; i++) {
      const p = 1 / (1 + Math.exp(-(a * z[i] + b)));
      const d = p - t[i];
      const w = p * (1 - p);
      ga += d * z[i];
      gb += d;
      haa += w * z[i] * z[i];
      hab += w * z[i];
      hbb += w;
    }
    const det = haa * hbb - hab * hab;
    if (Math.abs(det) < 1e-18) break;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    a -= da;
    b -= db;
    if (Math.abs(da) < 1e-10 && Math.abs(db) < 1e-10) break;
  }
  return { kind: 'platt', a, b };
}

export function plattCalibrator(m: PlattJson): Calibrator {
  return (score) => 1 / (1 + Math.exp(-(m.a * logit(score) + m.b)));
}

export interface IsotonicJson {
  kind: 'isotonic';
  /** Block upper score bounds (ascending) and the calibrated value of each block. */
  x: number[];
  y: number[];
}

/** Isotonic regression of labels on scores (non-decreasing step function), by pool-adjacent-violators. */
export function fitIsotonic(scores: ArrayLike<number>, labels: ArrayLike<number>): IsotonicJson {
  const order = Array.from({ length: scores.length }, (_, i) => i).sort(
    (i, j) => scores[i] - scores[j] || i - j,
  );
  const sum: number[] = [];
  const count: number[] = [];
  const upper: number[] = [];
  for (const i of order) {
    sum.push(labels[i] ? 1 : 0);
    count.push(1);
    upper.push(scores[i]);
    while (sum.length > 1) {
      const k = sum.length - 1;
      if (sum[k - 1] / count[k - 1] < sum[k] / count[k] && upper[k - 1] !== upper[k]) break;
      sum[k - 1] += sum[k];
      count[k - 1] += count[k];
      upper[k - 1] = upper[k];
      sum.pop();
      count.pop();
      upper.pop();
    }
  }
  return { kind: 'isotonic', x: upper, y: sum.map((s, k) => s / count[k]) };
}

export function isotonicCalibrator(m: IsotonicJson): Calibrator {
  return (score) => {
    if (m.x.length === 0) return score;
    let lo = 0;
    let hi = m.x.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (score <= m.x[mid]) hi = mid;
      else lo = mid + 1;
    }
    return m.y[lo];
  };
}
