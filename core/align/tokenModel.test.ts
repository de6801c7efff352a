import { describe, expect, it } from 'vitest';
import { pairTokenFeatures, TokenModel } from './tokenModel.js';

/** Token ids of words (sorted, without repeats), as RecordProfiles gives them. */
const vocab = new Map<string, number>();
const ids = (...words: string[]) =>
  Int32Array.from(
    new Set(words.map((w) => vocab.get(w) ?? (vocab.set(w, vocab.size), vocab.size - 1))),
  ).sort();

describe('TokenModel', () => {
  it('learns that a token differing between the sides means a different product', () => {
    const ex: Int32Array[] = [];
    const y: number[] = [];
    const brands = ['acme', 'globex', 'initech', 'umbrella', 'hooli'];
    for (let i = 0; i < 400; i++) {
      const b = brands[i % brands.length];
      const differ = i % 2 === 0;
      const left = ids(b, 'suite', `v${i % 7}`);
      const right = ids(b, 'suite', `v${i % 7}`, differ ? 'upgrade' : 'box');
      ex.push(pairTokenFeatures(left, right, 12));
      y.push(differ ? 0 : 1);
    }
    const m = TokenModel.train(ex, y, { bits: 12 });
    const upgrade = pairTokenFeatures(ids('acme', 'office'), ids('acme', 'office', 'upgrade'), 12);
    const box = pairTokenFeatures(ids('acme', 'office'), ids('acme', 'office', 'box'), 12);
    expect(m.score(upgrade)).toBeLessThan(0);
    expect(m.score(box)).toBeGreaterThan(0);
    // Deterministic.
    expect(TokenModel.train(ex, y, { bits: 12 }).score(upgrade)).toBe(m.score(upgrade));
  });

  it('hashes shared and one-sided tokens differently', () => {
    const shared = pairTokenFeatures(ids('a'), ids('a'), 16);
    const leftOnly = pairTokenFeatures(ids('a'), ids(), 16);
    const rightOnly = pairTokenFeatures(ids(), ids('a'), 16);
    expect(shared.length).toBe(1);
    expect(new Set([shared[0], leftOnly[0], rightOnly[0]]).size).toBe(3);
  });
});
