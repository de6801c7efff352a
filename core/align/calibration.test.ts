import { describe, expect, it } from 'vitest';
import { fitIsotonic, fitPlatt, isotonicCalibrator, plattCalibrator } from './calibration.js';

describe('calibration', () => {
  it('Platt scaling is monotone and maps over-confident scores towards the observed rate', () => {
    const scores: number[] = [];
    const labels: number[] = [];
    // Scores of 0.9 that are right only 60 % of the time.
    for (let i = 0; i < 100; i++) {
      scores.push(0.9);
      labels.push(i < 60 ? 1 : 0);
      scores.push(0.1);
      labels.push(i < 5 ? 1 : 0);
    }
    const cal = plattCalibrator(fitPlatt(scores, labels));
    expect(cal(0.9)).toBeGreaterThan(0.5);
    expect(cal(0.9)).toBeLessThan(0.7);
    expect(cal(0.1)).toBeLessThan(0.1);
    expect(cal(0.5)).toBeGreaterThan(cal(0.1));
  });

  it('Platt scaling stays finite on perfectly separated data', () => {
    const m = fitPlatt([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1]);
    expect(Number.isFinite(m.a) && Number.isFinite(m.b)).toBe(true);
  });

  it('isotonic regression pools adjacent violators', () => {
    const m = fitIsotonic([0.1, 0.2, 0.3, 0.4], [0, 1, 0, 1]);
    expect(m.y).toEqual([0, 0.5, 1]);
    const cal = isotonicCalibrator(m);
    expect(cal(0.05)).toBe(0);
    expect(cal(0.25)).toBe(0.5);
    expect(cal(0.35)).toBe(1);
    expect(cal(0.99)).toBe(1);
  });
});
