import { describe, expect, it } from 'vitest';
import { inferAttributes, PairFeaturizer, type PairRecord } from './features.js';

const records: PairRecord[] = [
  { title: 'sony bravia kdl-40v4100 40 lcd tv', maker: 'sony', price: '899.99' },
  { title: 'sony kdl40v4100 bravia lcd television', maker: '', price: '879.00' },
  { title: 'samsung ln40a550 40 lcd tv', maker: 'samsung', price: '' },
  { title: 'lg 24 dishwasher lds4821ww', maker: 'lg', price: '499' },
];

describe('PairFeaturizer', () => {
  const f = PairFeaturizer.fit(records);
  const value = (v: Float64Array, name: string) => v[f.names.indexOf(name)];

  it('finds the attributes and their kinds without knowing their names', () => {
    expect(inferAttributes(records).map((a) => [a.name, a.kind])).toEqual([
      ['title', 'text'],
      ['maker', 'text'],
      ['price', 'numeric'],
    ]);
    expect(f.names).toContain('title.cosChar');
    expect(f.names).toContain('_all.codeShared');
    expect(f.names).toContain('title.left~all.idfContain');
    expect(f.names).toContain('price.absLogRatio');
    expect(new Set(f.names).size).toBe(f.names.length);
  });

  it('gives one value per name, and the same pair the same values', () => {
    const v = f.features(records[0], records[1]);
    expect(v.length).toBe(f.size);
    expect([...f.features(records[0], records[1])]).toEqual([...v]);
  });

  it('scores the matching pair above the non-matching one', () => {
    const same = f.features(records[0], records[1]);
    const other = f.features(records[0], records[2]);
    for (const name of ['title.cosChar', 'title.idfJaccard', 'title.mongeElkan', '_all.cosChar']) {
      expect(value(same, name)).toBeGreaterThan(value(other, name));
    }
    // kdl-40v4100 and kdl40v4100 are the same model code once separators are removed.
    expect(value(same, 'title.codeShared')).toBe(1);
    expect(value(same, 'title.codeConflict')).toBe(0);
    expect(value(other, 'title.codeShared')).toBe(0);
    expect(value(other, 'title.codeConflict')).toBe(1);
    expect(value(same, 'price.minMaxRatio')).toBeCloseTo(879 / 899.99);
  });

  it('marks missing values and leaves their features NaN', () => {
    const v = f.features(records[0], records[1]);
    expect(value(v, 'maker.missing')).toBe(2);
    expect(value(v, 'maker.jaccard')).toBeNaN();
    const w = f.features(records[0], records[2]);
    expect(value(w, 'price.missing')).toBe(2);
    expect(value(w, 'price.absLogRatio')).toBeNaN();
  });

  it('copes with attributes that only one side has, and with unseen records', () => {
    const v = f.features({ title: 'sony kdl40v4100', extra: 'x' }, { name: 'other' });
    expect(v.length).toBe(f.size);
    expect(value(v, 'title.missing')).toBe(2);
  });
});
