import { describe, expect, it } from 'vitest';
import {
  applyThreshold,
  averagePrecision,
  bestThreshold,
  confusion,
  precisionRecallF1,
  steadyThreshold,
} from './metrics.js';

describe('metrics', () => {
  it('precision, recall and F1 of the positive class', () => {
    expect(confusion([1, 1, 0, 0], [1, 0, 1, 0])).toEqual({ tp: 1, fp: 1, fn: 1, tn: 1 });
    const s = precisionRecallF1([1, 1, 1, 0], [1, 1, 0, 1]);
    expect(s.precision).toBeCloseTo(2 / 3);
    expect(s.recall).toBeCloseTo(2 / 3);
    expect(s.f1).toBeCloseTo(2 / 3);
    expect(precisionRecallF1([0, 0], [0, 1])).toEqual({ precision: 0, recall: 0, f1: 0 });
  });

  it('picks the threshold with the best F1, between two scores', () => {
    const scores = [0.95, 0.9, 0.8, 0.6, 0.4, 0.2];
    const labels = [1, 1, 1, 0, 0, 0];
    const best = bestThreshold(scores, labels);
    expect(best.f1).toBe(1);
    expect(best.threshold).toBeCloseTo(0.7);
    expect(precisionRecallF1(applyThreshold(scores, best.threshold), labels).f1).toBe(1);
  });

  it('trades precision for recall where that pays', () => {
    const scores = [0.9, 0.8, 0.7, 0.6, 0.5];
    const labels = [1, 0, 1, 1, 0];
    const best = bestThreshold(scores, labels);
    // Taking the top four gives P 3/4, R 1: F1 6/7, better than the top one alone (F1 1/2).
    expect(best.f1).toBeCloseTo(6 / 7);
    expect(best.threshold).toBeCloseTo(0.55);
  });

  it('treats tied scores together', () => {
    const best = bestThreshold([0.5, 0.5, 0.5, 0.1], [1, 0, 1, 0]);
    expect(best.threshold).toBeCloseTo(0.3);
    expect(best.precision).toBeCloseTo(2 / 3);
  });

  it('a steady threshold: the middle of the thresholds whose F1 is near the best', () => {
    // 100 positives scored 0.50..0.99, 100 negatives 0.00..0.49, and a few negatives high up.
    const scores: number[] = [];
    const labels: number[] = [];
    for (let i = 0; i < 100; i++) {
      scores.push(0.5 + i / 200, i / 200);
      labels.push(1, 0);
    }
    scores.push(0.9, 0.8);
    labels.push(0, 0);
    const best = bestThreshold(scores, labels);
    const steady = steadyThreshold(scores, labels);
    // Within 2 / 100 of the best F1 lie thresholds from about 0.47 up to 0.52.
    expect(steady.f1).toBeGreaterThanOrEqual(best.f1 - 0.02);
    expect(steady.threshold).toBeGreaterThan(0.47);
    expect(steady.threshold).toBeLessThan(0.52);
    expect(steady.f1).toBeCloseTo(precisionRecallF1(applyThreshold(scores, steady.threshold), labels).f1, 12);
    expect(steadyThreshold([0.2, 0.1], [0, 0]).threshold).toBe(bestThreshold([0.2, 0.1], [0, 0]).threshold);
  });

  it('average precision', () => {
    expect(averagePrecision([0.9, 0.8, 0.1], [1, 1, 0])).toBe(1);
    expect(averagePrecision([0.9, 0.8, 0.1], [0, 1, 1])).toBeCloseTo((1 / 2 + 2 / 3) / 2);
  });
});
