import { describe, expect, it } from 'vitest';
import { Gbdt, rng } from './gbdt.js';

function dataset(n: number, seed: number, label: (a: number, b: number) => number) {
  const r = rng(seed);
  const x: Float64Array[] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = r() * 2 - 1;
    const b = r() * 2 - 1;
    x.push(Float64Array.from([a, b, r()]));
    y.push(label(a, b));
  }
  return { x, y };
}

function accuracy(m: { predict(row: ArrayLike<number>): number }, x: Float64Array[], y: number[]): number {
  let ok = 0;
  for (let i = 0; i < x.length; i++) ok += (m.predict(x[i]) >= 0.5 ? 1 : 0) === y[i] ? 1 : 0;
  return ok / x.length;
}

describe('Gbdt', () => {
  const xor = (a: number, b: number) => (a > 0 !== b > 0 ? 1 : 0);
  const linear = (a: number, b: number) => (a + 2 * b > 0.1 ? 1 : 0);

  it('learns XOR, which no linear model can', () => {
    const train = dataset(1500, 1, xor);
    const test = dataset(500, 2, xor);
    const m = Gbdt.train(train.x, train.y, { nTrees: 150, maxDepth: 3 });
    expect(accuracy(m, test.x, test.y)).toBeGreaterThan(0.95);
  });

  it('learns linearly separable data', () => {
    const train = dataset(1500, 3, linear);
    const test = dataset(500, 4, linear);
    const m = Gbdt.train(train.x, train.y, { nTrees: 200, maxDepth: 3 });
    expect(accuracy(m, test.x, test.y)).toBeGreaterThan(0.95);
    // The noise feature (index 2) matters least.
    expect(m.gain[2]).toBeLessThan(m.gain[0]);
    expect(m.gain[2]).toBeLessThan(m.gain[1]);
  });

  it('is deterministic for a seed and differs for another seed', () => {
    const { x, y } = dataset(800, 5, xor);
    const a = Gbdt.train(x, y, { nTrees: 30, seed: 7 });
    const b = Gbdt.train(x, y, { nTrees: 30, seed: 7 });
    const c = Gbdt.train(x, y, { nTrees: 30, seed: 8 });
    expect(JSON.stringify(a.toJSON())).toBe(JSON.stringify(b.toJSON()));
    expect(JSON.stringify(a.toJSON())).not.toBe(JSON.stringify(c.toJSON()));
  });

  it('routes missing values (NaN) to the side that fits them', () => {
    const x: Float64Array[] = [];
    const y: number[] = [];
    for (let i = 0; i < 600; i++) {
      const kind = i % 3;
      // Missing means positive; present: positive when > 0.5.
      const v = kind === 0 ? NaN : (i % 7) / 7;
      x.push(Float64Array.from([v]));
      y.push(kind === 0 || v > 0.5 ? 1 : 0);
    }
    const m = Gbdt.train(x, y, { nTrees: 50, subsample: 1, colsample: 1 });
    expect(m.predict([NaN])).toBeGreaterThan(0.9);
    expect(m.predict([0.1])).toBeLessThan(0.1);
    expect(m.predict([0.9])).toBeGreaterThan(0.9);
  });

  it('stops early on a validation set', () => {
    const train = dataset(600, 6, linear);
    const valid = dataset(300, 7, linear);
    const rounds: number[] = [];
    const m = Gbdt.train(
      train.x,
      train.y,
      { nTrees: 2000, earlyStoppingRounds: 20, learningRate: 0.3 },
      { valid, onRound: (r) => rounds.push(r) },
    );
    expect(rounds.length).toBeLessThan(2000);
    expect(m.treeCount).toBeLessThanOrEqual(rounds.length);
  });

  it('saves to JSON and loads back with the same predictions', () => {
    const { x, y } = dataset(500, 8, xor);
    const m = Gbdt.train(x, y, { nTrees: 40 });
    const loaded = Gbdt.fromJSON(JSON.parse(JSON.stringify(m)));
    for (const row of x.slice(0, 50)) expect(loaded.predictRaw(row)).toBe(m.predictRaw(row));
    expect(() => Gbdt.fromJSON({ kind: 'other' })).toThrow(/concord-gbdt/);
  });

  it('scores a matrix of rows as it scores each row', () => {
    const { x, y } = dataset(800, 9, xor);
    x.forEach((row, i) => (row[2] = i % 5 === 0 ? NaN : row[2]));
    const m = Gbdt.train(x, y, { nTrees: 60 });
    const flat = new Float32Array(x.length * 3);
    x.forEach((row, i) => flat.set(row, i * 3));
    const raw = m.predictRawMatrix(flat);
    // The same Float32 values row by row.
    x.forEach((_, i) => expect(raw[i]).toBe(m.predictRaw(flat.subarray(i * 3, i * 3 + 3))));
    const loaded = Gbdt.fromJSON(JSON.parse(JSON.stringify(m)));
    expect([...loaded.predictRawMatrix(flat)]).toEqual([...raw]);
    expect(() => m.predictRawMatrix(new Float32Array(4))).toThrow(/rows of 3/);
  });

  it('samples only features with values: a column missing everywhere changes nothing', () => {
    const train = dataset(600, 5, linear);
    const test = dataset(200, 6, linear);
    const withMissing = (rows: Float64Array[]) => rows.map((r) => Float64Array.from([...r, NaN]));
    const params = { nTrees: 40, maxDepth: 3, colsample: 0.5, seed: 9 };
    const m = Gbdt.train(train.x, train.y, params);
    const mm = Gbdt.train(withMissing(train.x), train.y, params);
    const tx = withMissing(test.x);
    for (let i = 0; i < test.x.length; i++) expect(mm.predict(tx[i])).toBe(m.predict(test.x[i]));
  });

  it('rejects bad input', () => {
    expect(() => Gbdt.train([], [])).toThrow(/no training rows/);
    expect(() => Gbdt.train([[1], [1, 2]], [0, 1])).toThrow(/lengths/);
    const m = Gbdt.train([[0], [1], [0], [1]], [0, 1, 0, 1], { nTrees: 2, minSamplesLeaf: 1 });
    expect(() => m.predict([1, 2])).toThrow(/expected 1 features/);
  });
});
