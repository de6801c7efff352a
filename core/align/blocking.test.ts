import { describe, expect, it } from 'vitest';
import { blockPairs, VIA_CODE, VIA_GTIN, VIA_IDENTIFIER, VIA_TEXT } from './blocking.js';
import { RecordProfiles, type AlignRecord } from './recordPairs.js';
import { alignRecord } from '../test-support/alignRecord.js';

let next = 1;
function rec(channel: number, title: string, extra: Partial<AlignRecord> = {}): AlignRecord {
  return alignRecord(next++, channel, title, extra);
}

const pairsOf = (c: ReturnType<typeof blockPairs>) => Array.from(c.a, (a, e) => `${a}-${c.b[e]}`);

describe('blocking', () => {
  it('pairs records through exact keys, model codes and text neighbours, across channels only', () => {
    const records = [
      rec(0, 'Bosch Kettle TWK8613 1.7 L', { gtin: '04242002842473', sku: 'HK-BSH-TWK8613' }),
      rec(1, 'BOSCH 1700 ml Kettle', { gtin: '04242002842473' }), // GTIN
      rec(1, 'Electric kettle by Bosch', { sku: 'WC-HK-BSH-TWK8613' }), // identifier with a prefix
      rec(2, 'TWK8613 stainless kettle'), // model code
      rec(2, 'Acme Wireless Mouse Silent Click'),
      rec(0, 'ACME wireless mouse silent click'), // text only
      rec(0, 'Bosch Kettle TWK8613 1.7 L (duplicate listing)', { gtin: '04242002842473' }),
    ];
    const c = blockPairs(new RecordProfiles(records));
    const pairs = pairsOf(c);
    const via = (a: number, b: number) => c.via[pairs.indexOf(`${a}-${b}`)];
    expect(via(0, 1) & VIA_GTIN).toBeTruthy();
    expect(via(0, 2) & VIA_IDENTIFIER).toBeTruthy();
    expect(via(0, 3) & VIA_CODE).toBeTruthy();
    expect(via(4, 5) & VIA_TEXT).toBeTruthy();
    // Same channel: only the equal-GTIN duplicate.
    for (const [k, key] of pairs.entries()) {
      const [a, b] = key.split('-').map(Number);
      if (records[a].channel === records[b].channel)
        expect([key, c.via[k] & VIA_GTIN]).toEqual(['0-6', VIA_GTIN]);
    }
    expect(c.sameChannel).toBe(1);
    expect(c.stats.crossPairs).toBe(3 * 2 + 3 * 2 + 2 * 2);
    expect(c.stats.candidatePairs).toBe(c.a.length - 1);
    expect(c.stats.keptFraction).toBeCloseTo(c.stats.candidatePairs / c.stats.crossPairs);
    for (let e = 0; e < c.a.length; e++) expect(c.a[e]).toBeLessThan(c.b[e]);
  });

  it('keeps the k most similar records of each other channel, not every record sharing a word', () => {
    const records: AlignRecord[] = [rec(0, 'Northwind Basics Cascade Tee Olive XS')];
    const sizes = ['XS', 'S', 'M', 'L', 'XL', 'XXL'];
    const colors = ['Olive', 'Navy', 'Black', 'White', 'Sand'];
    for (const c of colors)
      for (const s of sizes) records.push(rec(1, `Northwind Basics Cascade Tee ${c} ${s}`));
    const queries = new Uint8Array(records.length);
    queries[0] = 1; // record 0's own neighbours only
    const c = blockPairs(new RecordProfiles(records), { topK: 3, maxK: 3 }, null, undefined, queries);
    const partners = Array.from(c.b);
    expect(partners).toContain(1); // Olive XS
    expect(partners).toHaveLength(3);
  });

  it('runs the neighbour search only for the query records it is given', () => {
    const records = [
      rec(0, 'Acme Mouse Silent'),
      rec(1, 'ACME mouse silent'),
      rec(0, 'Zeta Lamp Oak'),
      rec(1, 'zeta lamp oak'),
    ];
    const p = new RecordProfiles(records);
    const all = blockPairs(p);
    expect(pairsOf(all)).toEqual(['0-1', '2-3']);
    const some = blockPairs(p, {}, null, undefined, Uint8Array.from([1, 0, 0, 0]));
    expect(pairsOf(some)).toEqual(['0-1']);
  });
});
