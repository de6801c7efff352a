import { describe, expect, it } from 'vitest';
import { candidateContext } from './candidateContext.js';
import {
  commonSubstring,
  editRatio,
  identifierKeys,
  matchTokens,
  PAIR_FEATURES,
  pairContext,
  pairFeatures,
  quantityOf,
  RecordProfiles,
  recordText,
  type AlignRecord,
} from './recordPairs.js';
import { levenshteinRatio, longestCommonSubstring } from './similarity.js';

let next = 1;
function rec(channel: number, title: string, extra: Partial<AlignRecord> = {}): AlignRecord {
  return {
    id: next++,
    channel,
    recordId: `r${next}`,
    title,
    brandKey: null,
    gtin: null,
    mpn: null,
    sku: null,
    priceMinor: null,
    salePriceMinor: null,
    currency: 'USD',
    weightG: null,
    category: null,
    options: null,
    ...extra,
  };
}

const feature = (x: Float32Array, name: (typeof PAIR_FEATURES)[number]) => x[PAIR_FEATURES.indexOf(name)];

describe('record text for matching', () => {
  it('joins numbers to units in base units, reads count phrases and possessives alike', () => {
    expect(matchTokens('Coffee 1 kg')).toEqual(matchTokens('Coffee 1000g'));
    expect(matchTokens('Kettle 1.7 L')).toContain('1700ml');
    expect(matchTokens('Kettle 1,7 l')).toContain('1700ml');
    expect(matchTokens('Olive Oil Pack of 4')).toContain('4pcs');
    expect(matchTokens('Olive Oil 4-Pack')).toContain('4pcs');
    expect(matchTokens("Men's Tee")).toEqual(matchTokens('Mens Tee'));
    expect(matchTokens('microSD 64 GB')).toContain('64gb');
    expect(matchTokens('SSD 1 TB')).toContain('1024gb');
    expect(quantityOf('65w')).toEqual([4, 65]);
    expect(quantityOf('wh1000xm4')).toBeNull();
  });

  it('adds the option values a title does not say; identifiers squashed, with a short prefix stripped', () => {
    expect(recordText({ title: 'Night Cream', options: { Size: '50 ml' } })).toBe('Night Cream 50 ml');
    expect(recordText({ title: 'Night Cream - 50 ml', options: { Size: '50 ml' } })).toBe(
      'Night Cream - 50 ml',
    );
    expect(identifierKeys({ sku: 'WC-AP-CNV-A0311', mpn: null })).toEqual(['wcapcnva0311', 'apcnva0311']);
    expect(identifierKeys({ sku: 'ab', mpn: 'SK-3102/50ML' })).toEqual(['sk310250ml', '310250ml']);
    expect(identifierKeys({ sku: 'NW100042', mpn: null })).toEqual(['nw100042']);
  });
});

describe('pair features', () => {
  const records = [
    rec(0, 'SanDisk Ultra microSD 64GB SDSQUAR', {
      options: { Capacity: '64GB' },
      sku: 'EL-SDK-SDSQUAR-064G',
      priceMinor: 1299,
      weightG: 20,
    }),
    rec(1, 'Sandisk Ultra micro SD 64 GB - SDSQUAR', {
      options: { capacity: '64 GB' },
      mpn: 'SDSQUAR-064G',
      priceMinor: 1300,
      weightG: 20,
    }),
    rec(1, 'Sandisk Ultra micro SD 128 GB - SDSQUAR', {
      options: { capacity: '128 GB' },
      mpn: 'SDSQUAR-128G',
      priceMinor: 2199,
      weightG: 20,
    }),
    rec(2, 'Le Creuset Mug 350 ml Set of 4', { priceMinor: 4000 }),
  ];
  const p = new RecordProfiles(records);
  const f = (i: number, j: number) => {
    const out = new Float32Array(PAIR_FEATURES.length);
    pairFeatures(p, i, j, out, 0);
    return out;
  };

  it('agree on the same product written differently', () => {
    const same = f(0, 1);
    expect(feature(same, 'title.cosine')).toBeGreaterThan(0.6);
    expect(feature(same, 'quantity.equal')).toBe(1);
    expect(feature(same, 'quantity.conflict')).toBe(0);
    expect(feature(same, 'options.equal')).toBe(1);
    expect(feature(same, 'options.different')).toBe(0);
    expect(feature(same, 'identifier.commonSubstring')).toBeGreaterThan(0.8);
    expect(feature(same, 'price.absLogRatio')).toBeLessThan(0.01);
    expect(feature(same, 'weight.absLogRatio')).toBe(0);
  });

  it('see the identity token of a look-alike (capacity) and leave missing values as NaN', () => {
    const other = f(0, 2);
    expect(feature(other, 'quantity.conflict')).toBe(1);
    expect(feature(other, 'options.different')).toBe(1);
    expect(feature(other, 'price.absLogRatio')).toBeGreaterThan(0.4);
    expect(feature(other, 'title.cosine')).toBeLessThan(feature(f(0, 1), 'title.cosine'));
    const far = f(0, 3);
    expect(Number.isNaN(feature(far, 'weight.absLogRatio'))).toBe(true);
    expect(Number.isNaN(feature(far, 'embedding.cosine'))).toBe(true);
    expect(feature(far, 'title.cosine')).toBeLessThan(0.1);
  });

  it('uses embeddings when attached', () => {
    const q = new RecordProfiles(records.slice(0, 2));
    q.embeddings = { matrix: Float32Array.from([1, 0, 0.6, 0.8]), dims: 2, row: Int32Array.from([0, 1]) };
    expect(q.embeddingCosine(0, 1)).toBeCloseTo(0.6);
  });
});

describe('allocation-free helpers agree with their references', () => {
  it('editRatio and commonSubstring', () => {
    const words = [
      '',
      'a',
      'sdsquar',
      'sdsqxcg',
      'wh1000xm4',
      'wh1000xm5',
      'kitten',
      'sitting',
      'x'.repeat(90),
    ];
    for (const s of words)
      for (const t of words) {
        if (s && t) expect(editRatio(s, t)).toBeCloseTo(levenshteinRatio(s, t), 10);
        expect(commonSubstring(s, t)).toBe(longestCommonSubstring(s, t));
      }
  });

  it('pairContext equals candidateContext on the same groups', () => {
    const left = Int32Array.from([0, 0, 0, 1, 1, 2]);
    const right = Int32Array.from([3, 4, 3, 3, 4, 5]);
    const score = [0.9, 0.5, 0.9, 0.2, 0.7, 0.4];
    const typed = pairContext(left, right, score, 6);
    const ref = candidateContext(Array.from(left, String), Array.from(right, String), [score]);
    ref.forEach((row, e) =>
      row.forEach((v, k) =>
        Number.isNaN(v) ? expect(typed[e * 4 + k]).toBeNaN() : expect(typed[e * 4 + k]).toBeCloseTo(v, 6),
      ),
    );
  });
});
