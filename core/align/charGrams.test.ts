import { describe, expect, it } from 'vitest';
import { CharGramsBuilder } from './charGrams.js';

function grams(texts: string[]) {
  const b = new CharGramsBuilder();
  for (const t of texts) b.add(t);
  return b.done();
}

describe('character n-grams', () => {
  const g = grams([
    'Harbor&Pine Sencha',
    'harbor pine sencha',
    'Speck case MB13-PNK-SEE-V2',
    'speck case mb13pnkseev2',
    'Bodum Chambord French Press',
    '',
  ]);

  it('see spacing and punctuation variants as near the same text', () => {
    expect(g.cosine(0, 1)).toBeGreaterThan(0.7);
    expect(g.cosine(2, 3)).toBeGreaterThan(0.45);
    expect(g.cosine(2, 3)).toBeGreaterThan(3 * g.cosine(2, 4));
    expect(g.cosine(0, 0)).toBeCloseTo(1, 5);
    expect(g.cosine(0, 1)).toBe(g.cosine(1, 0));
  });

  it('tell different texts apart, and give 0 for an empty one', () => {
    expect(g.cosine(0, 4)).toBeLessThan(0.15);
    expect(g.cosine(2, 4)).toBeLessThan(0.15);
    expect(g.cosine(0, 5)).toBe(0);
  });

  it('grow past their first buffers', () => {
    const many = grams(Array.from({ length: 3000 }, (_, i) => `item ${i.toString(36).repeat(20)}`));
    expect(many.cosine(2999, 2999)).toBeCloseTo(1, 5);
    expect(many.cosine(10, 2999)).toBeLessThan(0.2);
  });
});
