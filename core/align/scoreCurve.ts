/**
 * Precision and recall by threshold, and the scores by outcome, for the threshold tool (matches.curve): from the
 * matcher's validation pairs (the held-out pairs its "Valid F1" is measured on, stored with the alignment run)
 * and from the hand labels. Both sources are first counted into the same fixed score bins, which is all a run
 * needs to store: a few kilobytes, however many validation pairs there were.
 */
import type Database from 'better-sqlite3';

/** Equal score bins over 0..1. A threshold on a 1/SCORE_BINS grid splits the pairs exactly at a bin edge. */
export const SCORE_BINS = 1000;

/** Thresholds the curve has a point at: 0, 0.01, …, 1 (the slider's steps). */
const CURVE_STEPS = 100;

/** Buckets of the score histogram the tool draws. */
const HISTOGRAM_BUCKETS = 20;

/** Pairs by score bin and outcome (SCORE_BINS counts each). */
export interface ScoreHistogram {
  matches: number[];
  nonMatches: number[];
}

/** The matcher's calibration split as a run stores it (align_runs.model, key `validation`). */
export interface StoredValidation {
  /** `valid`: the held-out validation pairs; `train`: too few of them, so the training pairs (as the matcher did). */
  split: 'valid' | 'train';
  /** The matcher's decision threshold there, with the figures of the summary's valid F1. */
  best: { threshold: number; precision: number; recall: number; f1: number };
  histogram: ScoreHistogram;
}

export interface CurvePoint {
  threshold: number;
  /** Null where no pair scores at or above the threshold. */
  precision: number | null;
  recall: number;
  /** Pairs at or above the threshold, by outcome. */
  matchesAbove: number;
  nonMatchesAbove: number;
}

export interface ScoreCurve {
  pairs: number;
  matches: number;
  points: CurvePoint[];
  histogram: { from: number; to: number; matches: number; nonMatches: number }[];
}

/** The bin of a probability: bin k holds [k / SCORE_BINS, (k + 1) / SCORE_BINS), the last one 1 as well. */
function binOf(probability: number): number {
  // The epsilon keeps a probability written as a decimal (0.29) in its own bin despite binary rounding.
  const k = Math.floor(probability * SCORE_BINS + 1e-9);
  return Math.min(SCORE_BINS - 1, Math.max(0, k));
}

/** Counts scored pairs (probability, label 1 = match) into bins; NaN scores are left out. */
export function scoreHistogram(probability: ArrayLike<number>, y: ArrayLike<number>): ScoreHistogram {
  if (probability.length !== y.length) throw new Error(`${probability.length} scores but ${y.length} labels`);
  const matches = new Array<number>(SCORE_BINS).fill(0);
  const nonMatches = new Array<number>(SCORE_BINS).fill(0);
  for (let i = 0; i < probability.length; i++) {
    const p = probability[i];
    if (Number.isNaN(p)) continue;
    if (y[i]) matches[binOf(p)]++;
    else nonMatches[binOf(p)]++;
  }
  return { matches, nonMatches };
}

function sum(values: readonly number[], from = 0, to = values.length): number {
  let s = 0;
  for (let k = from; k < to; k++) s += values[k];
  return s;
}

/** Precision and recall at each threshold of the slider, and the histogram to draw, from binned scores. */
export function scoreCurve(h: ScoreHistogram): ScoreCurve {
  const matches = sum(h.matches);
  const pairs = matches + sum(h.nonMatches);
  // Pairs at or above bin k, for every k (suffix sums).
  const matchesFrom = new Array<number>(SCORE_BINS + 1).fill(0);
  const nonMatchesFrom = new Array<number>(SCORE_BINS + 1).fill(0);
  for (let k = SCORE_BINS - 1; k >= 0; k--) {
    matchesFrom[k] = matchesFrom[k + 1] + h.matches[k];
    nonMatchesFrom[k] = nonMatchesFrom[k + 1] + h.nonMatches[k];
  }
  const points: CurvePoint[] = [];
  for (let step = 0; step <= CURVE_STEPS; step++) {
    // At a threshold of 1 the last bin (0.999 and up) stands for the pairs scored 1.
    const k = step === CURVE_STEPS ? SCORE_BINS - 1 : (step * SCORE_BINS) / CURVE_STEPS;
    const tp = matchesFrom[k];
    const fp = nonMatchesFrom[k];
    points.push({
      threshold: step / CURVE_STEPS,
      precision: tp + fp > 0 ? tp / (tp + fp) : null,
      recall: matches > 0 ? tp / matches : 0,
      matchesAbove: tp,
      nonMatchesAbove: fp,
    });
  }
  const width = SCORE_BINS / HISTOGRAM_BUCKETS;
  const histogram = Array.from({ length: HISTOGRAM_BUCKETS }, (_, b) => ({
    from: b / HISTOGRAM_BUCKETS,
    to: (b + 1) / HISTOGRAM_BUCKETS,
    matches: sum(h.matches, b * width, (b + 1) * width),
    nonMatches: sum(h.nonMatches, b * width, (b + 1) * width),
  }));
  return { pairs, matches, points, histogram };
}

/**
 * The calibration split of the matcher of the latest alignment or retraining (re-clustering keeps the matcher),
 * or null when that alignment had no matcher (too few sure pairs) or was stored before runs kept it.
 */
export function storedValidation(db: Database.Database): StoredValidation | null {
  const json = db
    .prepare(
      `SELECT json_extract(model, '$.validation') FROM align_runs
       WHERE kind IN ('align', 'retrain') ORDER BY id DESC LIMIT 1`,
    )
    .pluck()
    .get() as string | null | undefined;
  return json ? (JSON.parse(json) as StoredValidation) : null;
}
