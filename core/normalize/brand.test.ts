import { describe, expect, it } from 'vitest';
import { brandDisplay, brandKey } from './brand.js';
import { expectRows } from '../test-support/table.js';

describe('brandKey', () => {
  it.each([
    ['Kettle & Co.', 'kettleandco'],
    ['KETTLE AND CO', 'kettleandco'],
    ['kettle&co', 'kettleandco'],
    ['Brightline™', 'brightline'],
    ['BRIGHTLINE(TM)', 'brightline'],
    ['Brightline®', 'brightline'],
    ["L'Oréal", 'loreal'],
    ['LOREAL', 'loreal'],
    ['Dr. Oetker', 'droetker'],
    ['Dr.Oetker', 'droetker'],
    ['H&M', 'handm'],
    ['Procter & Gamble', 'procterandgamble'],
    ['Northwind Outfitters, Inc.', 'northwindoutfitters'],
    ['Northwind Outfitters LLC', 'northwindoutfitters'],
    ['Nestlé S.A.', 'nestle'],
    ['Miele GmbH', 'miele'],
    ['Ｓｏｎｙ', 'sony'],
    ['Straße & Söhne', 'strasseandsohne'],
    ['小米', '小米'],
    ['Inc', 'inc'], // a suffix alone is the name
    ['Kettle &amp; Co.', 'kettleandco'],
  ])('%s -> %s', (input, key) => {
    expect(brandKey(input)).toBe(key);
  });

  it('null when nothing is left', () => {
    expectRows(brandKey, [
      ['', null],
      ['™', null],
      [' - ', null],
      [null, null],
    ]);
  });
});

describe('brandDisplay', () => {
  it('keeps the display form, drops marks, decodes entities', () => {
    expectRows(brandDisplay, [
      ['  Brightline™  ', 'Brightline'],
      ['Kettle &amp; Co.', 'Kettle & Co.'],
      ['Acme (R) Tools', 'Acme Tools'],
      ["L'Oréal", "L'Oréal"],
      ['', null],
      [undefined, null],
    ]);
  });
});
