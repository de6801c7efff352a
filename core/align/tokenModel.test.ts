import { describe, expect, it } from 'vitest';
import { pairTokenFeatures, TokenModel } from './tokenModel.js';

describe('TokenModel', () => {
  it('learns that a token differing between the sides means a different product', () => {
    const ex: Int32Array[] = [];
    const y: number[] = [];
    const brands = ['acme', 'globex', 'initech', 'umbrella', 'hooli'];
    for (let i = 0; i < 400; i++) {
      const b = brands[i % brands.length];
      const differ = i % 2 === 0;
      const left = new Set([b, 'suite', `v${i % 7}`]);
      const right = new Set([b, 'suite', `v${i % 7}`, differ ? 'upgrade' : 'box']);
      ex.push(pairTokenFeatures(left, right, 12));
      y.push(differ ? 0 : 1);
    }
    const m = TokenModel.train(ex, y, { bits: 12 });
    const upgrade = pairTokenFeatures(
      new Set(['acme', 'office']),
      new Set(['acme', 'office', 'upgrade']),
      12,
    );
    const box = pairTokenFeatures(new Set(['acme', 'office']), new Set(['acme', 'office', 'box']), 12);
    expect(m.score(upgrade)).toBeLessThan(0);
    expect(m.score(box)).toBeGreaterThan(0);
    // Deterministic.
    expect(TokenModel.train(ex, y, { bits: 12 }).score(upgrade)).toBe(m.score(upgrade));
  });

  it('hashes shared and one-sided tokens differently', () => {
    const shared = pairTokenFeatures(new Set(['a']), new Set(['a']), 16);
    const leftOnly = pairTokenFeatures(new Set(['a']), new Set(), 16);
    const rightOnly = pairTokenFeatures(new Set(), new Set(['a']), 16);
    expect(shared.length).toBe(1);
    expect(new Set([shared[0], leftOnly[0], rightOnly[0]]).size).toBe(3);
  });
});
