import { describe, expect, it } from 'vitest';
import { useTempDir } from '../test-support/tmp.js';
import {
  createAnnIndex,
  exactSearch,
  loadAnnIndex,
  recallAtK,
  recallAtKByScore,
  usearchStatus,
} from './ann.js';
import { Rng } from './rng.js';

/** Clustered unit vectors (like product embeddings: families of near neighbours). */
function vectors(n: number, dims: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  const centers = Array.from({ length: 50 }, () => Array.from({ length: dims }, () => rng.normal()));
  const out = new Float32Array(n * dims);
  for (let i = 0; i < n; i++) {
    const c = centers[rng.int(centers.length)];
    let ss = 0;
    for (let d = 0; d < dims; d++) {
      const v = c[d] + 0.6 * rng.normal();
      out[i * dims + d] = v;
      ss += v * v;
    }
    const inv = 1 / Math.sqrt(ss);
    for (let d = 0; d < dims; d++) out[i * dims + d] *= inv;
  }
  return out;
}

describe('ANN index', () => {
  const tmp = useTempDir();
  const dims = 32;
  const n = 5000;
  const base = vectors(n, dims, 1);
  const keys = Array.from({ length: n }, (_, i) => 1000 + i * 3);
  const queries = vectors(200, dims, 2);

  it('loads usearch here', () => {
    expect(usearchStatus()).toEqual({ available: true, reason: null });
  });

  it('brute force finds the true top-k', () => {
    const r = exactSearch(base, keys, dims, base.subarray(0, 3 * dims), 5);
    expect(Array.from(r.keys.subarray(0, 1))).toEqual([1000]);
    expect(Array.from(r.keys.subarray(5, 6))).toEqual([1003]);
    expect(r.scores[0]).toBeCloseTo(1, 5);
    for (let p = 1; p < 5; p++) expect(r.scores[p]).toBeLessThanOrEqual(r.scores[p - 1]);
  });

  it('has recall@10 ≥ 0.99 against brute force, with cosine scores', () => {
    const index = createAnnIndex({ dims });
    expect(index.kind).toBe('usearch');
    index.add(keys, base);
    expect(index.size()).toBe(n);
    const approx = index.search(queries, 10);
    const exact = exactSearch(base, keys, dims, queries, 10);
    expect(recallAtK(approx, exact)).toBeGreaterThanOrEqual(0.99);
    // scores are inner products, best first
    for (let p = 0; p < 10; p++) expect(Math.abs(approx.scores[p] - exact.scores[p])).toBeLessThan(1e-4);
  });

  it('keeps exact duplicates (the same title on several channels) out of the graph but returns them', () => {
    // every vector three times, as a product listed on three channels with the same title
    const dupKeys = [...keys, ...keys.map((k) => k + 1), ...keys.map((k) => k + 2)];
    const dupBase = new Float32Array(3 * n * dims);
    for (let c = 0; c < 3; c++) dupBase.set(base, c * n * dims);
    const index = createAnnIndex({ dims });
    index.add(dupKeys, dupBase);
    expect(index.size()).toBe(3 * n);
    const approx = index.search(queries, 10);
    const exact = exactSearch(dupBase, dupKeys, dims, queries, 10);
    expect(recallAtK(approx, exact)).toBeGreaterThanOrEqual(0.99);
    expect(recallAtKByScore(approx, exact)).toBeGreaterThanOrEqual(0.99);
    // the three copies of the nearest vector come back together, with one score
    expect(approx.keys[1] - approx.keys[0]).toBe(1);
    expect(approx.scores[1]).toBe(approx.scores[0]);
  });

  it('counts ties at the k-th place as found when recall is by score', () => {
    const exact = { keys: Float64Array.of(1, 2), scores: Float32Array.of(0.9, 0.5), k: 2 };
    const approx = { keys: Float64Array.of(1, 3), scores: Float32Array.of(0.9, 0.5), k: 2 };
    expect(recallAtK(approx, exact)).toBe(0.5);
    expect(recallAtKByScore(approx, exact)).toBe(1);
  });

  it('saves by hash and loads back with the same answers', () => {
    const index = createAnnIndex({ dims });
    index.add(keys, base);
    index.add([1], base.subarray(0, dims)); // a duplicate of key 1000's vector
    const saved = index.save(tmp());
    expect(saved.path).toBe(`ann/${saved.sha256}.usearch`);
    const again = loadAnnIndex(tmp(), saved, { dims });
    expect(again.size()).toBe(n + 1);
    expect(again.search(queries, 10).keys).toEqual(index.search(queries, 10).keys);
    expect(Array.from(again.search(base.subarray(0, dims), 2).keys)).toEqual([1000, 1]);
  });

  it('offers an exact index with the same interface', () => {
    const index = createAnnIndex({ dims, exact: true });
    expect(index.kind).toBe('exact');
    index.add(keys.slice(0, 100), base.subarray(0, 100 * dims));
    index.add(keys.slice(100), base.subarray(100 * dims));
    const got = index.search(queries, 10);
    expect(recallAtK(got, exactSearch(base, keys, dims, queries, 10))).toBe(1);
    const saved = index.save(tmp());
    expect(loadAnnIndex(tmp(), saved, { dims }).search(queries, 10).keys).toEqual(got.keys);
  });
});
