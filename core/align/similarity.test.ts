import { describe, expect, it } from 'vitest';
import {
  absLogRatio,
  commonPrefixLength,
  containment,
  dice,
  jaccard,
  jaro,
  jaroWinkler,
  levenshtein,
  levenshteinRatio,
  longestCommonSubstring,
  longestCommonSubstringRatio,
  minMaxRatio,
  mongeElkan,
  overlapCoefficient,
  sparseDot,
  symmetricMongeElkan,
  weightedContainment,
  weightedJaccard,
} from './similarity.js';

const s = (...xs: string[]) => new Set(xs);

describe('set similarities', () => {
  it('jaccard, overlap, containment, dice', () => {
    const a = s('a', 'b', 'c');
    const b = s('b', 'c', 'd', 'e');
    expect(jaccard(a, b)).toBeCloseTo(2 / 5);
    expect(overlapCoefficient(a, b)).toBeCloseTo(2 / 3);
    expect(containment(a, b)).toBeCloseTo(2 / 3);
    expect(containment(b, a)).toBeCloseTo(2 / 4);
    expect(dice(a, b)).toBeCloseTo(4 / 7);
  });
  it('is 0 for an empty side', () => {
    expect(jaccard(s(), s('a'))).toBe(0);
    expect(overlapCoefficient(s('a'), s())).toBe(0);
  });
  it('weights elements', () => {
    const w = (t: string) => (t === 'rare' ? 9 : 1);
    expect(weightedJaccard(s('rare', 'x'), s('rare', 'y'), w)).toBeCloseTo(9 / 11);
    expect(weightedContainment(s('rare', 'x'), s('rare'), w)).toBeCloseTo(9 / 10);
  });
});

describe('string similarities', () => {
  it('jaro and jaro-winkler match the textbook values', () => {
    expect(jaro('martha', 'marhta')).toBeCloseTo(0.9444, 4);
    expect(jaroWinkler('martha', 'marhta')).toBeCloseTo(0.9611, 4);
    expect(jaroWinkler('dixon', 'dicksonx')).toBeCloseTo(0.8133, 4);
    expect(jaroWinkler('abc', 'abc')).toBe(1);
    expect(jaroWinkler('abc', 'xyz')).toBe(0);
    expect(jaroWinkler('', 'a')).toBe(0);
  });
  it('levenshtein', () => {
    expect(levenshtein('kitten', 'sitting')).toBe(3);
    expect(levenshtein('', 'abc')).toBe(3);
    expect(levenshteinRatio('lds4821ww', 'lds4821wh')).toBeCloseTo(8 / 9);
  });
  it('longest common substring and prefix', () => {
    expect(longestCommonSubstring('xxdvd2930ci', 'dvd2930')).toBe(7);
    expect(longestCommonSubstringRatio('abcd', 'zzabcz')).toBeCloseTo(3 / 4);
    expect(commonPrefixLength('lds4821ww', 'lds4821wh')).toBe(8);
  });
  it('monge-elkan takes each token’s best match', () => {
    expect(mongeElkan(['sony', 'tv'], ['sony', 'television', 'tv'])).toBe(1);
    expect(mongeElkan(['sony', 'tv'], ['sony'])).toBeLessThan(1);
    expect(symmetricMongeElkan(['a'], [])).toBe(0);
  });
});

describe('vectors and numbers', () => {
  it('sparse dot product over sorted ids', () => {
    const a = { ids: Int32Array.from([1, 3, 5]), values: Float64Array.from([1, 2, 3]) };
    const b = { ids: Int32Array.from([0, 3, 5, 9]), values: Float64Array.from([7, 1, 1, 7]) };
    expect(sparseDot(a, b)).toBe(5);
  });
  it('ratios', () => {
    expect(absLogRatio(100, 100)).toBe(0);
    expect(absLogRatio(50, 100)).toBeCloseTo(Math.log(2));
    expect(absLogRatio(0, 1)).toBeNaN();
    expect(minMaxRatio(50, 100)).toBe(0.5);
    expect(minMaxRatio(0, 0)).toBe(1);
  });
});
