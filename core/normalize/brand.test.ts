import { describe, expect, it } from 'vitest';
import { brandDisplay, brandKey } from './brand.js';

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
    expect(brandKey('')).toBeNull();
    expect(brandKey('™')).toBeNull();
    expect(brandKey(' - ')).toBeNull();
    expect(brandKey(null)).toBeNull();
  });
});

describe('brandDisplay', () => {
  it('keeps the display form, drops marks, decodes entities', () => {
    expect(brandDisplay('  Brightline™  ')).toBe('Brightline');
    expect(brandDisplay('Kettle &amp; Co.')).toBe('Kettle & Co.');
    expect(brandDisplay('Acme (R) Tools')).toBe('Acme Tools');
    expect(brandDisplay("L'Oréal")).toBe("L'Oréal");
    expect(brandDisplay('')).toBeNull();
    expect(brandDisplay(undefined)).toBeNull();
  });
});
