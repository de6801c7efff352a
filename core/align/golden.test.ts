import { describe, expect, it } from 'vitest';
import { goldenRecord, type GoldenField, type GoldenMember } from './golden.js';

function member(index: number, priority: number, values: Partial<Record<GoldenField, string>>): GoldenMember {
  return { index, priority, value: (f) => values[f] ?? null };
}

describe('golden records (field-wise survivorship)', () => {
  it('takes the system-of-record value first, with its provenance', () => {
    const g = goldenRecord([
      member(7, 1, { title: 'Woo title', price: '2000' }),
      member(3, 0, { title: 'Shop title', price: '1999' }),
      member(9, 2, { title: 'Google title', price: '2000' }),
    ]);
    expect(g.title).toEqual({ value: 'Shop title', from: 3, rule: 'priority' });
    // The priority record wins even against a majority of the others.
    expect(g.price).toEqual({ value: '1999', from: 3, rule: 'priority' });
  });

  it('fills a field the system of record lacks by majority, else from the next record by priority', () => {
    const g = goldenRecord([
      member(1, 0, { title: 'A' }),
      member(2, 1, { gtin: '00012345678905', weight: '350' }),
      member(3, 2, { gtin: '00012345678905', weight: '360' }),
      member(4, 3, { weight: '370' }),
    ]);
    expect(g.gtin).toEqual({ value: '00012345678905', from: 2, rule: 'majority' });
    expect(g.weight).toEqual({ value: '350', from: 2, rule: 'completeness' });
    expect(g.image).toEqual({ value: null, from: null, rule: 'none' });
  });

  it("compares values for a majority through the members' keys (case, spacing)", () => {
    const withKey = (m: GoldenMember): GoldenMember => ({
      ...m,
      key: (_f, v) => v.replace(/\s+/g, '').toLowerCase(),
    });
    const g = goldenRecord([
      withKey(member(1, 0, {})),
      withKey(member(2, 1, { brand: 'Kettle Co' })),
      withKey(member(3, 2, { brand: 'KETTLECO' })),
      withKey(member(4, 3, { brand: 'Other' })),
    ]);
    expect(g.brand).toEqual({ value: 'Kettle Co', from: 2, rule: 'majority' });
  });
});
