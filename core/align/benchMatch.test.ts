import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { benchMatch, benchPairs, benchRecord } from './benchMatch.js';
import { parseDitto } from './ditto.js';

/** The public benchmark data sits in the shared folder beside the repository (shared/data/em). */
const dir = fileURLToPath(new URL('../../../shared/data/em/abt-buy/', import.meta.url));
const have = existsSync(`${dir}train.txt`);

function slice(name: string, lines: number) {
  const text = readFileSync(`${dir}${name}.txt`, 'utf8').split('\n').slice(0, lines).join('\n');
  return parseDitto(text, `${name}.txt`);
}

describe.skipIf(!have)('benchMatch on a slice of abt-buy', () => {
  it('learns a matcher far better than trivial baselines, deterministically', () => {
    const train = slice('train', 800);
    const valid = slice('valid', 400);
    const test = slice('test', 400);
    const out = benchMatch(train, valid, test);
    const r = out.result;
    expect([r.train, r.valid, r.test]).toEqual([800, 400, 400]);
    // Trivial baseline: everything positive, F1 = 2p / (1 + p) with p the positive rate (about 0.1 here).
    const p = test.filter((q) => q.label === 1).length / test.length;
    const trivial = (2 * p) / (1 + p);
    expect(trivial).toBeLessThan(0.3);
    expect(r.f1).toBeGreaterThan(0.75);
    expect(r.precision).toBeGreaterThan(0.6);
    expect(r.recall).toBeGreaterThan(0.6);
    expect(r.threshold).toBeGreaterThan(0);
    expect(r.threshold).toBeLessThan(1);
    expect(out.predictions.length).toBe(400);
    for (const v of out.probabilities) expect(v >= 0 && v <= 1).toBe(true);
    const again = benchMatch(train, valid, test);
    expect(again.result.f1).toBe(r.f1);
    expect([...again.probabilities]).toEqual([...out.probabilities]);
  });

  it('still answers with a handful of training pairs (one stage, no out-of-fold scores)', () => {
    const train = slice('train', 400);
    const few = [
      ...train.filter((p) => p.label === 1).slice(0, 3),
      ...train.filter((p) => p.label === 0).slice(0, 3),
    ];
    const out = benchMatch(few, slice('valid', 50), slice('test', 50));
    expect(out.result.train).toBe(6);
    expect(out.predictions.length).toBe(50);
    expect(Number.isFinite(out.result.threshold)).toBe(true);
  });
});

describe('pair-file records as alignment records', () => {
  it('reads the title, brand, price and the rest as the description', () => {
    const r = benchRecord(
      {
        name: 'sony bravia kdl40v4100',
        description: 'lcd tv 40 inch',
        manufacturer: 'Sony',
        price: '$899.99',
      },
      7,
      1,
    );
    expect(r).toMatchObject({
      id: 7,
      channel: 1,
      title: 'sony bravia kdl40v4100',
      brandKey: 'sony',
      priceMinor: 89999,
      description: 'lcd tv 40 inch',
    });
    const first = benchRecord({ label: 'acme kettle', price: '' }, 1, 0);
    expect(first).toMatchObject({
      title: 'acme kettle',
      priceMinor: null,
      description: null,
      brandKey: null,
    });
  });

  it('makes equal records of one side one record', () => {
    const pairs = parseDitto(
      'COL title VAL a1\tCOL title VAL b1\t1\nCOL title VAL a1\tCOL title VAL b2\t0\nCOL title VAL b1\tCOL title VAL a1\t0\n',
      'x.txt',
    );
    const { records, a, b } = benchPairs(pairs);
    expect(records.map((r) => [r.channel, r.title])).toEqual([
      [0, 'a1'],
      [0, 'b1'],
      [1, 'b1'],
      [1, 'b2'],
      [1, 'a1'],
    ]);
    expect([...a]).toEqual([0, 0, 1]);
    expect([...b]).toEqual([2, 3, 4]);
  });
});
