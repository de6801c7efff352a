/**
 * String and set similarity functions for pairwise matching. All return a value in [0, 1] (1 = same),
 * and 0 when either side is empty, unless said otherwise.
 */

/** Size of the intersection of two sets. */
export function intersectionSize<T>(a: ReadonlySet<T>, b: ReadonlySet<T>): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let n = 0;
  for (const x of small) if (large.has(x)) n++;
  return n;
}

/** |A ∩ B| / |A ∪ B|. */
export function jaccard<T>(a: ReadonlySet<T>, b: ReadonlySet<T>): number {
  if (a.size === 0 || b.size === 0) return 0;
  const i = intersectionSize(a, b);
  return i / (a.size + b.size - i);
}

/** Overlap coefficient |A ∩ B| / min(|A|, |B|). */
export function overlapCoefficient<T>(a: ReadonlySet<T>, b: ReadonlySet<T>): number {
  if (a.size === 0 || b.size === 0) return 0;
  return intersectionSize(a, b) / Math.min(a.size, b.size);
}

/** Containment of A in B: |A ∩ B| / |A|. */
export function containment<T>(a: ReadonlySet<T>, b: ReadonlySet<T>): number {
  if (a.size === 0 || b.size === 0) return 0;
  return intersectionSize(a, b) / a.size;
}

/** Dice coefficient 2|A ∩ B| / (|A| + |B|). */
export function dice<T>(a: ReadonlySet<T>, b: ReadonlySet<T>): number {
  if (a.size === 0 || b.size === 0) return 0;
  return (2 * intersectionSize(a, b)) / (a.size + b.size);
}

/** Weighted Jaccard: Σ w(A ∩ B) / Σ w(A ∪ B), with a weight per element (e.g. its IDF). */
export function weightedJaccard(
  a: ReadonlySet<string>,
  b: ReadonlySet<string>,
  weight: (t: string) => number,
): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  let union = 0;
  for (const t of a) {
    const w = weight(t);
    union += w;
    if (b.has(t)) shared += w;
  }
  for (const t of b) if (!a.has(t)) union += weight(t);
  return union > 0 ? shared / union : 0;
}

/** Weighted containment of A in B: Σ w(A ∩ B) / Σ w(A). */
export function weightedContainment(
  a: ReadonlySet<string>,
  b: ReadonlySet<string>,
  weight: (t: string) => number,
): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  let total = 0;
  for (const t of a) {
    const w = weight(t);
    total += w;
    if (b.has(t)) shared += w;
  }
  return total > 0 ? shared / total : 0;
}

/** Jaro similarity. */
export function jaro(s: string, t: string): number {
  if (s === t) return s.length === 0 ? 0 : 1;
  const ls = s.length;
  const lt = t.length;
  if (ls === 0 || lt === 0) return 0;
  const window = Math.max(0, Math.floor(Math.max(ls, lt) / 2) - 1);
  const sMatched = new Uint8Array(ls);
  const tMatched = new Uint8Array(lt);
  let matches = 0;
  for (let i = 0; i < ls; i++) {
    const lo = Math.max(0, i - window);
    const hi = Math.min(lt - 1, i + window);
    for (let j = lo; j <= hi; j++) {
      if (tMatched[j] || s.charCodeAt(i) !== t.charCodeAt(j)) continue;
      sMatched[i] = 1;
      tMatched[j] = 1;
      matches++;
      break;
    }
  }
  if (matches === 0) return 0;
  let transpositions = 0;
  let k = 0;
  for (let i = 0; i < ls; i++) {
    if (!sMatched[i]) continue;
    while (!tMatched[k]) k++;
    if (s.charCodeAt(i) !== t.charCodeAt(k)) transpositions++;
    k++;
  }
  return (matches / ls + matches / lt + (matches - transpositions / 2) / matches) / 3;
}

/** Jaro-Winkler similarity (prefix scale 0.1, prefix up to 4 characters). */
export function jaroWinkler(s: string, t: string): number {
  const j = jaro(s, t);
  if (j === 0) return 0;
  let prefix = 0;
  const max = Math.min(4, s.length, t.length);
  while (prefix < max && s.charCodeAt(prefix) === t.charCodeAt(prefix)) prefix++;
  return j + prefix * 0.1 * (1 - j);
}

/** Levenshtein edit distance (insert, delete, substitute; each costs 1). */
export function levenshtein(s: string, t: string): number {
  if (s === t) return 0;
  if (s.length === 0) return t.length;
  if (t.length === 0) return s.length;
  let prev = new Uint32Array(t.length + 1);
  let cur = new Uint32Array(t.length + 1);
  for (let j = 0; j <= t.length; j++) prev[j] = j;
  for (let i = 1; i <= s.length; i++) {
    cur[0] = i;
    const c = s.charCodeAt(i - 1);
    for (let j = 1; j <= t.length; j++) {
      const sub = prev[j - 1] + (c === t.charCodeAt(j - 1) ? 0 : 1);
      cur[j] = Math.min(sub, prev[j] + 1, cur[j - 1] + 1);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[t.length];
}

/** 1 − Levenshtein distance / longer length. */
export function levenshteinRatio(s: string, t: string): number {
  if (s.length === 0 || t.length === 0) return 0;
  return 1 - levenshtein(s, t) / Math.max(s.length, t.length);
}

/** Length of the longest common substring (contiguous). */
export function longestCommonSubstring(s: string, t: string): number {
  if (s.length === 0 || t.length === 0) return 0;
  let prev = new Uint32Array(t.length + 1);
  let cur = new Uint32Array(t.length + 1);
  let best = 0;
  for (let i = 1; i <= s.length; i++) {
    const c = s.charCodeAt(i - 1);
    for (let j = 1; j <= t.length; j++) {
      if (c === t.charCodeAt(j - 1)) {
        const v = prev[j - 1] + 1;
        cur[j] = v;
        if (v > best) best = v;
      } else cur[j] = 0;
    }
    [prev, cur] = [cur, prev];
  }
  return best;
}

/** Longest common substring length / shorter length. */
export function longestCommonSubstringRatio(s: string, t: string): number {
  if (s.length === 0 || t.length === 0) return 0;
  return longestCommonSubstring(s, t) / Math.min(s.length, t.length);
}

/** Length of the common prefix. */
export function commonPrefixLength(s: string, t: string): number {
  const n = Math.min(s.length, t.length);
  let i = 0;
  while (i < n && s.charCodeAt(i) === t.charCodeAt(i)) i++;
  return i;
}

/**
 * Monge-Elkan: for each token of A, its best inner similarity with a token of B, averaged over A.
 * Asymmetric; `symmetricMongeElkan` averages both directions.
 */
export function mongeElkan(
  a: readonly string[],
  b: readonly string[],
  inner: (s: string, t: string) => number = jaroWinkler,
): number {
  if (a.length === 0 || b.length === 0) return 0;
  let sum = 0;
  for (const s of a) {
    let best = 0;
    for (const t of b) {
      const v = s === t ? 1 : inner(s, t);
      if (v > best) best = v;
      if (best === 1) break;
    }
    sum += best;
  }
  return sum / a.length;
}

export function symmetricMongeElkan(
  a: readonly string[],
  b: readonly string[],
  inner: (s: string, t: string) => number = jaroWinkler,
): number {
  return (mongeElkan(a, b, inner) + mongeElkan(b, a, inner)) / 2;
}

/** A sparse vector: sorted term ids and their weights. */
export interface SparseVector {
  ids: Int32Array;
  values: Float64Array;
}

/** Dot product of two sparse vectors with sorted ids (the cosine when both are L2-normalized). */
export function sparseDot(a: SparseVector, b: SparseVector): number {
  let i = 0;
  let j = 0;
  let sum = 0;
  const ai = a.ids;
  const bi = b.ids;
  while (i < ai.length && j < bi.length) {
    const x = ai[i];
    const y = bi[j];
    if (x === y) {
      sum += a.values[i] * b.values[j];
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return sum;
}

/** |log(a / b)| for positive numbers; NaN when either is not positive. */
export function absLogRatio(a: number, b: number): number {
  if (!(a > 0) || !(b > 0)) return NaN;
  return Math.abs(Math.log(a / b));
}

/** min / max for non-negative numbers (1 when both are 0); NaN when either is negative or not a number. */
export function minMaxRatio(a: number, b: number): number {
  if (!(a >= 0) || !(b >= 0)) return NaN;
  const max = Math.max(a, b);
  return max === 0 ? 1 : Math.min(a, b) / max;
}
