import { describe, expect, it } from 'vitest';
import {
  DEFAULT_FEATURIZER,
  featureStrings,
  featurize,
  featurizeBatch,
  hashFeature,
  modelCodes,
  normalizeTitle,
  words,
  type FeaturizerConfig,
} from './featurize.js';

describe('featurize', () => {
  it('normalizes case, accents and Unicode compatibility forms', () => {
    expect(normalizeTitle('Café CRÈME ﬁne')).toBe('cafe creme fine');
  });

  it('joins numbers to their units and keeps decimals', () => {
    expect(words(normalizeTitle('SanDisk 16 GB, 1,5 L kettle 2.5-inch 16GB'))).toEqual([
      'sandisk',
      '16gb',
      '1.5l',
      'kettle',
      '2.5inch',
      '16gb',
    ]);
    expect(words(normalizeTitle('2 in 1 charger'))).toEqual(['2', 'in', '1', 'charger']);
  });

  it('finds model codes whatever their separators, and not measures', () => {
    expect(modelCodes(normalizeTitle('Sony WH-1000XM4 Headphones 16GB'))).toEqual(['wh1000xm4']);
    expect(modelCodes(normalizeTitle('Sony WH1000XM4'))).toEqual(['wh1000xm4']);
  });

  it('writes the same ids as hashing its feature strings, in the same order', () => {
    const text = 'Sony WH-1000XM4 Wireless Noise Cancelling Headphones, Black — 30h';
    const ids = Array.from(featurize(text));
    expect(ids).toEqual(featureStrings(text).map((f) => hashFeature(f, DEFAULT_FEATURIZER.buckets)));
    expect(featureStrings(text).slice(0, 3)).toEqual(['c:wh1000xm4', 'c:30h', 'w:sony']);
  });

  it('is deterministic and pinned (a change here must bump FEATURIZER_VERSION)', () => {
    const a = featurize('SanDisk Ultra 64GB');
    expect(Array.from(a)).toEqual(Array.from(featurize('SanDisk Ultra 64GB')));
    expect(Array.from(a.slice(0, 6))).toEqual([80903, 233025, 34549, 67095, 212232, 188298]);
    expect(a.length).toBe(44);
  });

  it('treats unit-format drift and case as the same text', () => {
    const base = Array.from(featurize('SanDisk Ultra 64GB microSD')).sort();
    expect(Array.from(featurize('sandisk ULTRA 64 GB microSD')).sort()).toEqual(base);
    expect(Array.from(featurize('SanDisk Ultra 64-GB microSD')).sort()).toEqual(base);
  });

  it('caps features per text and pads batches with the padding id', () => {
    const config: FeaturizerConfig = { ...DEFAULT_FEATURIZER, buckets: 1000, maxFeatures: 10 };
    expect(featurize('a very long product title with many words in it', config).length).toBe(10);
    const batch = featurizeBatch(['abc', '', 'abc def'], config);
    expect(batch.rows).toBe(3);
    expect(batch.width).toBe(10);
    expect(Array.from(batch.ids.slice(10, 20))).toEqual(new Array(10).fill(1000));
    for (const id of batch.ids) expect(id >= 0 && id <= 1000).toBe(true);
    expect(featurizeBatch([''], config).width).toBe(1);
  });
});
