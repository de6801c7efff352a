import { describe, expect, it } from 'vitest';
import { RecordProfiles } from '../recordPairs.js';
import { alignRecord } from '../../test-support/alignRecord.js';
import { identifierPairs } from './features.js';

/** Records (channel, SKU) and candidate pairs among them; no pair decided by a GTIN unless `sure` says. */
function setUp(records: [number, string][], pairs: [number, number][], sure: number[] = []) {
  const profiles = new RecordProfiles(
    records.map(([channel, sku], i) => alignRecord(i + 1, channel, `Tee ${i}`, { sku, recordId: `r${i}` })),
  );
  const A = Int32Array.from(pairs, (p) => p[0]);
  const B = Int32Array.from(pairs, (p) => p[1]);
  const s = Int8Array.from(pairs, (_, e) => sure[e] ?? 0);
  const out = identifierPairs(profiles, A, B, s);
  const label = (e: number) => (out.pairs.includes(e) ? out.same[e] : null);
  return { out, label };
}

describe('identifierPairs', () => {
  it('labels two channels\u2019 records with one SKU the same product, and their other candidates there another', () => {
    // 0: shop TW-PELM-OCN-S, 1: woo TW-PELM-OCN-S, 2: woo TW-PELM-WHT-S (a sibling), 3: shop TW-PELM-WHT-S.
    const { label } = setUp(
      [
        [0, 'TW-PELM-OCN-S'],
        [1, 'TW-PELM-OCN-S'],
        [1, 'TW-PELM-WHT-S'],
        [0, 'TW-PELM-WHT-S'],
      ],
      [
        [0, 1],
        [0, 2],
        [2, 3],
        [1, 3],
      ],
    );
    expect(label(0)).toBe(1);
    expect(label(1)).toBe(0);
    expect(label(2)).toBe(1);
    expect(label(3)).toBe(0);
  });

  it('gives no label where the SKU is not one record\u2019s only match, or a GTIN decides already', () => {
    // Record 0 shares its SKU with two records of channel 1: neither is sure.
    const twice = setUp(
      [
        [0, 'NL-ORDPO-CHR-L'],
        [1, 'NL-ORDPO-CHR-L'],
        [1, 'NL-ORDPO-CHR-L'],
      ],
      [
        [0, 1],
        [0, 2],
      ],
    );
    expect(twice.out.pairs).toEqual([]);
    const decided = setUp(
      [
        [0, 'NL-ORDPO-CHR-L'],
        [1, 'NL-ORDPO-CHR-L'],
      ],
      [[0, 1]],
      [1],
    );
    expect(decided.out.pairs).toEqual([]);
  });

  it('does not take two brands\u2019 SKUs that share all but the leading segment as one product', () => {
    const { out } = setUp(
      [
        [0, 'RS-GAC8-FIG'],
        [1, 'SM-GAC8-FIG'],
      ],
      [[0, 1]],
    );
    expect(out.pairs).toEqual([]);
  });
});
