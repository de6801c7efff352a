import { describe, expect, it } from 'vitest';
import { abbreviates, VariantOptions } from './variants.js';

const conflict = (a: Record<string, string> | null, b: Record<string, string> | null): boolean =>
  new VariantOptions([a, b]).conflict(0, 1);

describe('VariantOptions', () => {
  it('reads one variant written each channel its own way as the same', () => {
    expect(conflict({ Color: 'Black', Size: 'XL' }, { color: 'Blk', size: 'Extra Large' })).toBe(false);
    expect(conflict({ Size: '32x32' }, { size: '32/32' })).toBe(false);
    expect(conflict({ Size: '32x32' }, { Größe: 'W32 L32' })).toBe(false);
    expect(conflict({ Size: 'XXL' }, { Size: '2XL' })).toBe(false);
    expect(conflict({ Colour: 'Sge' }, { Farbe: 'Sage' })).toBe(false);
    expect(conflict({ Color: 'Forest Green' }, { Color: 'Green' })).toBe(false);
    expect(conflict({ Size: 'S' }, { Size: 'Small (51-55 cm)' })).toBe(false);
    expect(conflict({ Size: '700x38c' }, { Size: '700 x 38C' })).toBe(false);
    expect(conflict({ Color: 'Gray' }, { Color: 'grey' })).toBe(false);
    expect(conflict({ Size: 'Full' }, { Size: 'Full Size' })).toBe(false);
    expect(conflict({ Size: 'King' }, { Size: 'King Size' })).toBe(false);
  });

  it('finds two variants of one product different', () => {
    expect(conflict({ Color: 'Black', Size: 'S' }, { Color: 'Black', Size: 'Large' })).toBe(true);
    expect(conflict({ Size: '32x32' }, { Size: '32/30' })).toBe(true);
    expect(conflict({ Color: 'Clay' }, { Color: 'Olv' })).toBe(true);
    expect(conflict({ Length: 'Regular' }, { Length: 'Long' })).toBe(true);
    expect(conflict({ Size: '700x38c' }, { Size: '700 x 25c' })).toBe(true);
  });

  it('compares only what both state', () => {
    expect(conflict({ Size: 'M' }, { Color: 'Navy' })).toBe(false);
    expect(conflict(null, { Size: 'M' })).toBe(false);
    expect(conflict({ Title: 'Default Title' }, { Title: 'Blue' })).toBe(false);
  });

  it('abbreviations keep the first letter and the order', () => {
    expect(abbreviates('blk', 'black')).toBe(true);
    expect(abbreviates('nvy', 'navy')).toBe(true);
    expect(abbreviates('bl', 'blue')).toBe(true);
    expect(abbreviates('lb', 'blue')).toBe(false);
    expect(abbreviates('b', 'black')).toBe(false);
  });
});
