import { describe, expect, it } from 'vitest';
import { GAP_KINDS } from '../../../../core/api/contract';
import { FAMILIES, FAMILY_KINDS, familyTotals, HEAT_STEPS, heatStep, heatThresholds } from './chartScales';

describe('matrix heat scale', () => {
  it('spreads the real range over every step', () => {
    // The demo store's matrix: 1 to 48 gaps a cell.
    const counts = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 16, 17, 19, 43, 48];
    const steps = counts.map((n) => heatStep(n, 1, 48));
    expect(steps[0]).toBe(1);
    expect(steps.at(-1)).toBe(HEAT_STEPS);
    expect(new Set(steps).size).toBe(HEAT_STEPS);
    // Steps never go down as counts go up.
    for (let i = 1; i < steps.length; i++) expect(steps[i]).toBeGreaterThanOrEqual(steps[i - 1]);
    expect(heatStep(0, 1, 48)).toBe(0);
    expect(heatStep(7, 7, 7)).toBe(HEAT_STEPS);
  });

  it('labels each step of the legend with the lowest count it holds', () => {
    for (const [min, max] of [
      [1, 48],
      [3, 12000],
      [2, 6],
    ]) {
      const t = heatThresholds(min, max);
      expect(t[0]).toBe(min);
      for (let i = 0; i < t.length; i++) {
        expect(heatStep(t[i], min, max)).toBeGreaterThan(i > 0 ? heatStep(t[i - 1], min, max) : 0);
        if (t[i] > min) expect(heatStep(t[i] - 1, min, max)).toBeLessThan(heatStep(t[i], min, max));
      }
    }
    expect(heatThresholds(1, 48)).toHaveLength(HEAT_STEPS);
    expect(heatThresholds(5, 5)).toEqual([5]);
  });
});

describe('gap families', () => {
  it('hold every kind once', () => {
    expect(FAMILIES.flatMap((f) => FAMILY_KINDS[f]).sort()).toEqual([...GAP_KINDS].sort());
  });

  it('sum the matrix per channel and family', () => {
    const rows = familyTotals(
      ['shopify', 'google'],
      [
        { channel: 'google', kind: 'missing_in_channel', count: 48 },
        { channel: 'google', kind: 'variant_missing', count: 13 },
        { channel: 'google', kind: 'price_mismatch', count: 9 },
        { channel: 'google', kind: 'missing_gtin', count: 2 },
        { channel: 'amazon', kind: 'title_mismatch', count: 6 },
      ],
    );
    expect(rows).toEqual([
      { channel: 'shopify', total: 0, absence: 0, price: 0, content: 0, identity: 0 },
      { channel: 'google', total: 72, absence: 61, price: 9, content: 0, identity: 2 },
      { channel: 'amazon', total: 6, absence: 0, price: 0, content: 6, identity: 0 },
    ]);
  });
});
