import { describe, expect, it } from 'vitest';
import { candidateContext, contextFeatureNames, recordKey } from './candidateContext.js';

describe('candidate context', () => {
  it('ranks a pair among its records’ candidates and measures the margin to the best other one', () => {
    // Left record A has candidates x (0.9), y (0.5); left B has only x (0.7).
    const rows = candidateContext(['A', 'A', 'B'], ['x', 'y', 'x'], [[0.9, 0.5, 0.7]]);
    expect(contextFeatureNames(['s'])).toEqual([
      's.leftRank',
      's.leftMargin',
      's.rightRank',
      's.rightMargin',
    ]);
    expect([...rows[0]].map((v) => +v.toFixed(6))).toEqual([1, 0.4, 1, 0.2]);
    expect([...rows[1]].map((v) => +v.toFixed(6))).toEqual([2, -0.4, 1, NaN]);
    expect([...rows[2]].map((v) => +v.toFixed(6))).toEqual([1, NaN, 2, -0.2]);
  });

  it('gives ties the same rank and a zero margin', () => {
    const rows = candidateContext(['A', 'A'], ['x', 'y'], [[0.5, 0.5]]);
    expect(rows[0][0]).toBe(1);
    expect(rows[1][0]).toBe(1);
    expect(rows[0][1]).toBe(0);
  });

  it('keys records by attributes and values, in any order', () => {
    expect(recordKey({ a: '1', b: '2' })).toBe(recordKey({ b: '2', a: '1' }));
    expect(recordKey({ a: '1' })).not.toBe(recordKey({ a: '2' }));
  });
});
