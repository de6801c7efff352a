import { describe, expect, it } from 'vitest';
import { abbreviates, titleColour, VariantOptions, withTitleColour } from './variants.js';

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

describe('titleColour', () => {
  it('reads a colour the title writes as a part of its own, and none inside a name or from parts that disagree', () => {
    const cases: [string | null, string | null][] = [
      ["M's Pelley Insulated Jacket - Ocean - Large", 'Ocean'],
      ['Tarnwood Pelley Jacket (White, 2XL)', 'White'],
      ['Pelley-800 USB-C Tail Light - Slvr', 'Slvr'],
      ['Linen Shirt | Heather Grey', 'Heather Grey'],
      ['Forest Trail Jacket', null],
      ['Zelen Hemp Pkt T-Shirt Clay 2XL', null],
      ['Candle - Sea Salt', null],
      ['Tee - Black - White', null],
      ['Rosey Inner Tube - 700 x 25c', null],
      [null, null],
    ];
    for (const [title, colour] of cases) expect(titleColour(title), String(title)).toBe(colour);
  });

  it("adds the title's colour only to options that state none", () => {
    expect(withTitleColour('Jacket - Ocean - Small', { Size: 'Small' })).toEqual({
      Size: 'Small',
      Color: 'Ocean',
    });
    expect(withTitleColour('Jacket - Ocean', null)).toEqual({ Color: 'Ocean' });
    const stated = { Colour: 'Navy', Size: 'S' };
    expect(withTitleColour('Jacket - Ocean - Small', stated)).toBe(stated);
    expect(withTitleColour('Jacket', { Size: 'S' })).toEqual({ Size: 'S' });
  });

  it('tells apart two colour variants whose options state only the size', () => {
    const v = new VariantOptions([
      withTitleColour("M's Pelley Jacket - Ocean - Small", { Size: 'Small' }),
      { Color: 'White', Size: 'S' },
      { Color: 'Ocean', Size: 'S' },
    ]);
    expect(v.conflict(0, 1)).toBe(true);
    expect(v.agree(0, 2)).toBe(true);
  });
});
