import { describe, expect, it } from 'vitest';
import {
  codeCore,
  commonSubstring,
  contextFeatureNames,
  editRatio,
  ID_SEPARATOR,
  identifierKeys,
  imageNameWords,
  matchTokens,
  PAIR_FEATURES,
  pairContext,
  pairFeatures,
  quantityOf,
  RecordProfiles,
  recordText,
  sameCode,
  type AlignRecord,
} from './recordPairs.js';
import { alignRecord } from '../test-support/alignRecord.js';

let next = 1;
function rec(channel: number, title: string, extra: Partial<AlignRecord> = {}): AlignRecord {
  return alignRecord(next++, channel, title, { currency: 'USD', ...extra });
}

const feature = (x: Float32Array, name: (typeof PAIR_FEATURES)[number]) => x[PAIR_FEATURES.indexOf(name)];

/** The pair features of records i and j of `profiles`. */
function featuresOf(profiles: RecordProfiles, i: number, j: number): Float32Array {
  const out = new Float32Array(PAIR_FEATURES.length);
  pairFeatures(profiles, i, j, out, 0);
  return out;
}

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
  const f = (i: number, j: number) => featuresOf(p, i, j);

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

  it('compare character n-grams of the titles and the descriptions when both have one', () => {
    expect(feature(f(0, 1), 'title.charCosine')).toBeGreaterThan(0.3);
    expect(feature(f(0, 1), 'title.charCosine')).toBeGreaterThan(feature(f(0, 2), 'title.charCosine'));
    expect(feature(f(0, 3), 'title.charCosine')).toBeLessThan(0.1);
    expect(Number.isNaN(feature(f(0, 1), 'description.cosine'))).toBe(true);
    const q = new RecordProfiles([
      rec(0, 'Kettle KT-200', { description: 'Stainless steel electric kettle, 1.7 litres, auto shut-off' }),
      rec(1, 'Electric Kettle', {
        description: 'Electric kettle in stainless steel with auto shut-off, 1.7 l',
      }),
      rec(1, 'Toaster TS-9', { description: 'Two-slot toaster with defrost and crumb tray' }),
    ]);
    const g = (i: number, j: number) => featuresOf(q, i, j);
    expect(feature(g(0, 1), 'description.cosine')).toBeGreaterThan(0.5);
    expect(feature(g(0, 2), 'description.cosine')).toBeLessThan(0.1);
  });

  it('tell a name word on each side from a shared rare word, whatever the shared brand and size', () => {
    const q = new RecordProfiles([
      rec(0, 'Harbor&Pine Sencha 80 Count'),
      rec(1, 'Harbor & Pine Sencha 80 Tea Bags'),
      rec(1, 'Harbor & Pine 80 Count Oolong'),
      rec(1, 'Harbor & Pine Peppermint 160 Count'),
      rec(1, 'Harbor & Pine Detox 100 Count'),
      rec(0, 'Harbor & Pine Chamomile 80 Count'),
    ]);
    const g = (i: number, j: number) => featuresOf(q, i, j);
    const twin = g(0, 1);
    const other = g(0, 2);
    // Each side of the look-alike has a word the other lacks; the twin's only mismatch is how it counts.
    expect(feature(twin, 'title.maxWordIdfOnlyMin')).toBe(0);
    expect(feature(other, 'title.maxWordIdfOnlyMin')).toBeGreaterThan(1);
    expect(feature(twin, 'title.maxWordIdfShared')).toBeGreaterThan(feature(other, 'title.maxWordIdfShared'));
    expect(feature(g(0, 3), 'title.maxWordIdfOnlyMin')).toBe(feature(g(3, 0), 'title.maxWordIdfOnlyMin'));
  });

  it('find a model code’s core in the other record’s text whatever its variant suffix, not inside a longer number', () => {
    expect(codeCore('dscw150b')).toBe('dscw150');
    expect(codeCore('yht390bk')).toBe('yht390');
    expect(codeCore('f3h98225')).toBe('f3h98225');
    expect(codeCore('abc')).toBe('');
    const q = new RecordProfiles([
      rec(0, 'Yamaha 5.1 Home Theater System YHT390BK'),
      rec(1, 'Yamaha YHT-390BL Home Theater System'),
      rec(1, 'Yamaha Home Theater System', { description: 'Model yht 390 bl, 5.1 channels' }),
      rec(1, 'Yamaha YHT-3905 Home Theater System'),
      rec(1, 'Yamaha Home Theater System'),
    ]);
    const g = (i: number, j: number) => featuresOf(q, i, j);
    expect(feature(g(0, 1), 'code.inTextAB')).toBe(0);
    expect(feature(g(0, 1), 'code.coreInTextAB')).toBe('yht390'.length);
    expect(feature(g(0, 1), 'code.coreInTextBA')).toBe('yht390'.length);
    expect(feature(g(0, 2), 'code.coreInTextAB')).toBe('yht390'.length);
    expect(feature(g(0, 3), 'code.coreInTextAB')).toBe(0);
    expect(Number.isNaN(feature(g(0, 4), 'code.coreInTextBA'))).toBe(true);
    expect(feature(g(0, 4), 'code.coreInTextAB')).toBe(0);
  });

  it('compare prices of an export without a currency (Shopify, WooCommerce CSV) with a feed that states one', () => {
    const q = new RecordProfiles([
      rec(0, 'Yarey Slub Cotton Pocket Tee', { priceMinor: 3999, currency: null }),
      rec(1, 'Osian Slub Pocket Tee', { priceMinor: 7799, currency: 'USD' }),
      rec(2, 'Osian Slub Pocket Tee', { priceMinor: 7799, currency: 'EUR' }),
    ]);
    const price = (i: number, j: number) => feature(featuresOf(q, i, j), 'price.absLogRatio');
    expect(price(0, 1)).toBeCloseTo(Math.log(7799 / 3999), 3);
    expect(Number.isNaN(price(1, 2))).toBe(true);
  });

  it('see a count that differs beside one that agrees (80 ct, Pack of 6 / 100 ct, Pack of 6)', () => {
    const q = new RecordProfiles([
      rec(0, 'Apple and Cinnamon 80 ct Pack of 6 by Harbor & Pine'),
      rec(1, 'Harbor & Pine Apple & Cinnamon 100 ct Pack of 6'),
      rec(1, 'Harbor & Pine Apple & Cinnamon 80 ct'),
    ]);
    const quantity = (i: number, j: number) => {
      const out = featuresOf(q, i, j);
      return [feature(out, 'quantity.equal'), feature(out, 'quantity.conflict')];
    };
    expect(quantity(0, 1)).toEqual([0, 1]);
    // A count the other title leaves out is no conflict.
    expect(quantity(0, 2)).toEqual([1, 0]);
  });

  it('uses embeddings when attached', () => {
    const q = new RecordProfiles(records.slice(0, 2));
    q.embeddings = { matrix: Float32Array.from([1, 0, 0.6, 0.8]), dims: 2, row: Int32Array.from([0, 1]) };
    expect(q.embeddingCosine(0, 1)).toBeCloseTo(0.6);
  });
});

describe('string measures', () => {
  it('editRatio: 1 − Levenshtein distance / longer length', () => {
    expect(editRatio('kitten', 'sitting')).toBeCloseTo(1 - 3 / 7, 10);
    expect(editRatio('lds4821ww', 'lds4821wh')).toBeCloseTo(8 / 9, 10);
    expect(editRatio('wh1000xm4', 'wh1000xm5')).toBeCloseTo(8 / 9, 10);
    expect(editRatio('abc', 'abc')).toBe(1);
    expect(editRatio('', 'abc')).toBe(0);
    const long = 'x'.repeat(90);
    expect(editRatio(long, long)).toBe(1);
    expect(editRatio(long, 'x')).toBeCloseTo(1 / 90, 10);
    expect(editRatio('sdsquar', 'sdsqxcg')).toBe(editRatio('sdsqxcg', 'sdsquar'));
  });

  it('commonSubstring: length of the longest common substring', () => {
    expect(commonSubstring('xxdvd2930ci', 'dvd2930')).toBe(7);
    expect(commonSubstring('abcd', 'zzabcz')).toBe(3);
    expect(commonSubstring('kitten', 'sitting')).toBe(3);
    expect(commonSubstring('', 'abc')).toBe(0);
    expect(commonSubstring('x'.repeat(90), 'x'.repeat(90))).toBe(90);
    expect(commonSubstring('a', 'b')).toBe(0);
  });

  it('identifier features read every key of a record', () => {
    const q = new RecordProfiles([
      rec(0, 'Kettle', { sku: 'WC-KT200-WHT', mpn: null }),
      rec(1, 'Kettle', { sku: 'XX-99', mpn: 'kt200wht' }),
      rec(1, 'Kettle', { sku: 'KT200WHX', mpn: null }),
      rec(1, 'Kettle', { sku: null, mpn: null }),
    ]);
    const g = (j: number) => featuresOf(q, 0, j);
    expect(feature(g(1), 'identifier.equal')).toBe(1);
    expect(feature(g(1), 'identifier.commonSubstring')).toBe(1);
    expect(feature(g(2), 'identifier.equal')).toBe(0);
    // kt200wh of kt200wht (the SKU without its prefix) and kt200whx: 7 of 8.
    expect(feature(g(2), 'identifier.commonSubstring')).toBeCloseTo(7 / 8, 6);
    expect(Number.isNaN(feature(g(3), 'identifier.equal'))).toBe(true);
  });
});

describe('candidate context', () => {
  const row = (x: Float32Array, e: number) => [...x.subarray(e * 4, e * 4 + 4)].map((v) => +v.toFixed(6));

  it('ranks a pair among its records’ candidates and measures the margin to the best other one', () => {
    // Left record A (0) has candidates x (2, 0.9), y (3, 0.5); left B (1) has only x (0.7).
    const x = pairContext(Int32Array.from([0, 0, 1]), Int32Array.from([2, 3, 2]), [0.9, 0.5, 0.7], 4);
    expect(contextFeatureNames(['s'])).toEqual([
      's.leftRank',
      's.leftMargin',
      's.rightRank',
      's.rightMargin',
    ]);
    expect(row(x, 0)).toEqual([1, 0.4, 1, 0.2]);
    expect(row(x, 1)).toEqual([2, -0.4, 1, NaN]);
    expect(row(x, 2)).toEqual([1, NaN, 2, -0.2]);
  });

  it('gives ties the same rank and a zero margin', () => {
    const x = pairContext(Int32Array.from([0, 0]), Int32Array.from([1, 2]), [0.5, 0.5], 3);
    expect(x[0]).toBe(1);
    expect(x[4]).toBe(1);
    expect(x[1]).toBe(0);
  });
});

describe('sameCode', () => {
  const ids = (...records: { sku?: string; mpn?: string; recordId: string }[]) => {
    const p = new RecordProfiles(
      records.map((r, i) => rec(i, 'x', { sku: r.sku ?? null, mpn: r.mpn ?? null, recordId: r.recordId })),
    );
    return { ids: p.ids, whole: p.wholeIds };
  };

  it('takes an equal SKU, or a feed id that is the shop SKU, as one article', () => {
    const k = ids({ sku: 'RK-CRANE-BLK', recordId: 'RK-CRANE-BLK' }, { recordId: 'rk-crane-blk' });
    expect(sameCode(k.ids, 0, 1)).toBe(true);
    expect(sameCode(k.ids, 0, 1, k.whole)).toBe(true);
  });

  it('does not take short or all-digit numbers (a WooCommerce ID beside a feed id) as one article', () => {
    expect(sameCode(ids({ recordId: '4579' }, { recordId: '4579' }).ids, 0, 1)).toBe(false);
    expect(sameCode(ids({ recordId: '1234567' }, { recordId: '1234567' }).ids, 0, 1)).toBe(false);
    const siblings = ids({ sku: 'TW-GARM-BLK-S', recordId: 'x1' }, { sku: 'TW-GARM-BLK-L', recordId: 'x2' });
    expect(sameCode(siblings.ids, 0, 1)).toBe(false);
  });

  it("with whole keys only, two brands' SKUs that differ in their leading segment are not one article", () => {
    const k = ids({ sku: 'RS-GAC8-FIG', recordId: 'r1' }, { sku: 'SM-GAC8-FIG', recordId: 'r2' });
    expect(k.ids[0].split(ID_SEPARATOR)).toContain('gac8fig');
    expect(sameCode(k.ids, 0, 1)).toBe(true);
    expect(sameCode(k.ids, 0, 1, k.whole)).toBe(false);
  });
});

describe('image names', () => {
  it('reads the words of the file name, without query, extension and copy or size numbers', () => {
    expect(
      imageNameWords('https://shop.example/wp-content/uploads/2024/02/osey-rattan-floor-lamp-sand-1.jpg'),
    ).toEqual(['osey', 'rattan', 'floor', 'lamp', 'sand']);
    expect(
      imageNameWords('https://cdn.shopify.com/s/files/1/07/files/Osey_Rattan_Floor_Lamp.PNG?v=1700000000'),
    ).toEqual(['osey', 'rattan', 'floor', 'lamp']);
    expect(imageNameWords('https://x.example/img/IMG_4711_1024x1024.jpeg')).toEqual(['img', '4711']);
  });

  it("compares two records by their images' names; missing when either has none", () => {
    const p = new RecordProfiles([
      rec(0, 'Osey Rattan Desk Lamp', {
        imageUrl: 'https://cdn.example/files/osey-rattan-floor-lamp-sand.jpg',
      }),
      rec(1, 'Osey Rattan Floor Light - Sand', {
        imageUrl: 'https://woo.example/osey-rattan-floor-lamp-sand-1.jpg',
      }),
      rec(1, 'Osey Rattan Desk Light - Sand', {
        imageUrl: 'https://woo.example/osey-rattan-desk-lamp-sand-1.jpg',
      }),
      rec(2, 'Osey Rattan Desk Lamp (Sand)'),
    ]);
    const x = new Float32Array(PAIR_FEATURES.length);
    pairFeatures(p, 0, 1, x, 0);
    expect(feature(x, 'image.nameJaccard')).toBe(1);
    pairFeatures(p, 0, 2, x, 0);
    expect(feature(x, 'image.nameJaccard')).toBeCloseTo(4 / 6);
    pairFeatures(p, 0, 3, x, 0);
    expect(feature(x, 'image.nameJaccard')).toBeNaN();
  });
});
