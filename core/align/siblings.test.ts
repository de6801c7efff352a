import { describe, expect, it } from 'vitest';
import { siblingPairs } from './siblings.js';
import { VariantOptions } from './variants.js';

describe('siblingPairs', () => {
  // Records 0-2: one Shopify product in three sizes (group 0); 3-5: the same on WooCommerce (group 1), written
  // in words; 6: a WooCommerce record outside any group.
  const channel = Int32Array.from([0, 0, 0, 1, 1, 1, 1]);
  const parent = Int32Array.from([0, 0, 0, 1, 1, 1, -1]);
  const variants = new VariantOptions([
    { Size: 'S' },
    { Size: 'M' },
    { Size: 'L' },
    { Size: 'Large' },
    { Size: 'Small' },
    { Size: 'Medium' },
    { Size: 'Medium' },
  ]);
  const n = channel.length;
  const pairs = (keys: number[]) => keys.map((k) => [Math.floor(k / n), k % n]).sort((x, y) => x[0] - y[0]);

  it('pairs the agreeing members of two groups blocking linked through one wrong pair', () => {
    // Blocking found only S ~ Large: the three right pairs come from the groups.
    expect(
      pairs(siblingPairs(Int32Array.from([0]), Int32Array.from([3]), channel, parent, variants)),
    ).toEqual([
      [0, 4],
      [1, 5],
      [2, 3],
    ]);
  });

  it('pairs a record outside any group with the agreeing sibling of its candidate', () => {
    expect(
      pairs(siblingPairs(Int32Array.from([0]), Int32Array.from([6]), channel, parent, variants)),
    ).toEqual([[1, 6]]);
  });
});
