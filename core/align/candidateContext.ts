/**
 * Candidate-set context of a pair: how a pair's score compares with the other candidate pairs of the same
 * left record and of the same right record (its rank, and its margin over the best other candidate).
 * A record usually matches at most one record of the other channel, so "clearly the best candidate of both
 * records" is strong evidence and "another candidate fits much better" strong counter-evidence. Uses only
 * the candidate pairs and their (unlabeled) scores, never labels.
 */
import type { PairRecord } from './features.js';

/** Identity of a record for grouping candidates: its attribute names and values. */
export function recordKey(r: PairRecord): string {
  const keys = Object.keys(r).sort();
  return keys.map((k) => `${k}\u0002${r[k] ?? ''}`).join('\u0001');
}

export const CONTEXT_FEATURES = ['leftRank', 'leftMargin', 'rightRank', 'rightMargin'] as const;

export function contextFeatureNames(scoreNames: readonly string[]): string[] {
  return scoreNames.flatMap((s) => CONTEXT_FEATURES.map((f) => `${s}.${f}`));
}

/**
 * For every pair i (left key `left[i]`, right key `right[i]`) and every score column s: rank of the pair among
 * the left record's candidates (1 = highest), margin = own score − best other candidate's score (NaN when the
 * record has no other candidate), then the same for the right record. Rows follow `contextFeatureNames`.
 */
export function candidateContext(
  left: readonly string[],
  right: readonly string[],
  scores: readonly ArrayLike<number>[],
): Float64Array[] {
  const n = left.length;
  if (right.length !== n) throw new Error('candidateContext: left and right keys differ in length');
  for (const s of scores)
    if (s.length !== n) throw new Error('candidateContext: a score column has the wrong length');
  const width = scores.length * CONTEXT_FEATURES.length;
  const rows = Array.from({ length: n }, () => new Float64Array(width));
  const groups = (keys: readonly string[]) => {
    const m = new Map<string, number[]>();
    for (let i = 0; i < n; i++) {
      let g = m.get(keys[i]);
      if (!g) m.set(keys[i], (g = []));
      g.push(i);
    }
    return [...m.values()];
  };
  const sides: [number[][], number][] = [
    [groups(left), 0],
    [groups(right), 2],
  ];
  for (let s = 0; s < scores.length; s++) {
    const col = scores[s];
    for (const [gs, at] of sides) {
      for (const g of gs) {
        // Best and second-best score in the group, for the margin against "the best other candidate".
        let best = -Infinity;
        let second = -Infinity;
        for (const i of g) {
          const v = col[i];
          if (v > best) {
            second = best;
            best = v;
          } else if (v > second) second = v;
        }
        for (const i of g) {
          const v = col[i];
          let rank = 1;
          for (const j of g) if (col[j] > v) rank++;
          const otherBest = g.length === 1 ? NaN : v === best ? second : best;
          const row = rows[i];
          row[s * CONTEXT_FEATURES.length + at] = rank;
          row[s * CONTEXT_FEATURES.length + at + 1] = v - otherBest;
        }
      }
    }
  }
  return rows;
}
