/**
 * The benchmark protocol of `concord bench match` (shared data/em/README.md): fit the matcher on the train
 * pairs, choose the decision threshold on the valid pairs (max F1), predict the test pairs once and report
 * precision / recall / F1 of the positive class. Labels of valid are used for early stopping, calibration
 * and the threshold; labels of test only for the final figures.
 */
import { readDittoFile, type DittoPair } from './ditto.js';
import { trainMatcher, type MatcherOptions } from './matcher.js';
import { applyThreshold, precisionRecallF1 } from './metrics.js';

export interface BenchMatchResult {
  precision: number;
  recall: number;
  f1: number;
  threshold: number;
  trainSeconds: number;
  predictSeconds: number;
  train: number;
  valid: number;
  test: number;
}

export interface BenchMatchOutput {
  result: BenchMatchResult;
  /** 0/1 per test pair, in file order. */
  predictions: Uint8Array;
  /** Calibrated probability per test pair. */
  probabilities: Float64Array;
}

export async function benchMatchFiles(
  files: { train: string; valid: string; test: string },
  options: MatcherOptions = {},
): Promise<BenchMatchOutput> {
  const [train, valid, test] = await Promise.all([
    readDittoFile(files.train),
    readDittoFile(files.valid),
    readDittoFile(files.test),
  ]);
  return benchMatch(train, valid, test, options);
}

export function benchMatch(
  train: readonly DittoPair[],
  valid: readonly DittoPair[],
  test: readonly DittoPair[],
  options: MatcherOptions = {},
): BenchMatchOutput {
  const t0 = performance.now();
  const matcher = trainMatcher(train, valid, test, options);
  const t1 = performance.now();
  const probabilities = matcher.probabilities();
  const predictions = applyThreshold(probabilities, matcher.threshold);
  const t2 = performance.now();
  const scores = precisionRecallF1(
    predictions,
    test.map((p) => p.label),
  );
  return {
    result: {
      precision: scores.precision,
      recall: scores.recall,
      f1: scores.f1,
      threshold: matcher.threshold,
      trainSeconds: (t1 - t0) / 1000,
      predictSeconds: (t2 - t1) / 1000,
      train: train.length,
      valid: valid.length,
      test: test.length,
    },
    predictions,
    probabilities,
  };
}
