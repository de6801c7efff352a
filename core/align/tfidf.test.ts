import { describe, expect, it } from 'vitest';
import { sparseDot } from './similarity.js';
import { Tfidf } from './tfidf.js';

describe('Tfidf', () => {
  const model = Tfidf.fit([
    ['sony', 'tv', 'black'],
    ['sony', 'camera', 'black'],
    ['lg', 'tv', 'black'],
  ]);
  it('gives rare terms more weight and unseen terms the most', () => {
    expect(model.documentCount).toBe(3);
    expect(model.idf('camera')).toBeGreaterThan(model.idf('sony'));
    expect(model.idf('sony')).toBeGreaterThan(model.idf('black'));
    expect(model.idf('unseen')).toBe(model.maxIdf);
  });
  it('makes unit vectors whose dot product is the cosine', () => {
    const a = model.vector(['sony', 'tv', 'black']);
    expect(sparseDot(a, a)).toBeCloseTo(1);
    const b = model.vector(['sony', 'camera']);
    const c = model.vector(['lg', 'camera']);
    expect(sparseDot(a, b)).toBeGreaterThan(0);
    expect(sparseDot(b, c)).toBeGreaterThan(0);
    expect(sparseDot(a, model.vector(['other']))).toBe(0);
    expect(model.vector([]).ids.length).toBe(0);
  });
});
