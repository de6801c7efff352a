import { describe, expect, it } from 'vitest';
import { parseMeasure, parseWeight, siUnitOf, toGrams, toSi, unitFromHeader } from './units.js';
import { expectRows } from '../test-support/table.js';

describe('parseMeasure', () => {
  it.each([
    ['0.35 kg', 350, 'g'],
    ['350 g', 350, 'g'],
    ['350g', 350, 'g'],
    ['12 oz', 340.194, 'g'],
    ['1.2 lb', 544.311, 'g'],
    ['1.2 lbs.', 544.311, 'g'],
    ['2 pounds', 907.185, 'g'],
    ['500 mg', 0.5, 'g'],
    ['1 KG', 1000, 'g'],
    ['1㎏', 1000, 'g'],
    ['500ml', 500, 'ml'],
    ['1,5 l', 1500, 'ml'],
    ['1.5 L', 1500, 'ml'],
    ['75 cl', 750, 'ml'],
    ['12 fl oz', 354.882, 'ml'],
    ['12 fl. oz.', 354.882, 'ml'],
    ['1 gal', 3785.412, 'ml'],
    ['30 cm', 300, 'mm'],
    ['2"', 50.8, 'mm'],
    ['2″', 50.8, 'mm'],
    ['10 in', 254, 'mm'],
    ['1.2 m', 1200, 'mm'],
    ["3'", 914.4, 'mm'],
    ['1,500 g', 1500, 'g'], // comma + three digits groups thousands
    ['1.500 kg', 1500, 'g'], // a dot is decimal in measures
  ])('%s', (input, value, unit) => {
    const m = parseMeasure(input);
    expect(m).not.toBeNull();
    expect(m?.value).toBeCloseTo(value, 3);
    expect(m?.unit).toBe(unit);
    expect(m?.original).toBe(input);
  });

  it('reports a decimal comma', () => {
    expect(parseMeasure('1,5 l')?.decimalComma).toBe(true);
    expect(parseMeasure('1.5 l')?.decimalComma).toBe(false);
  });

  it.each([
    '16GB',
    '16 GB',
    '30 x 20 cm',
    '1 kg 200 g',
    'heavy',
    'kg',
    '',
    '   ',
    '-2 kg',
    '2 pcs',
    '1.2.3 kg',
    '#N/A',
  ])('rejects %j', (input) => {
    expect(parseMeasure(input)).toBeNull();
  });

  it('reads a bare number in the default unit', () => {
    expect(parseMeasure('0.35', 'kg')?.value).toBe(350);
    expect(parseMeasure('0,35', 'kg')).toMatchObject({ value: 350, decimalComma: true });
    expect(parseMeasure('2.5', 'lbs')?.value).toBeCloseTo(1133.981, 3);
    expect(parseMeasure('2.5')).toBeNull();
    expect(parseMeasure('2.5', 'parsecs')).toBeNull();
    expect(parseMeasure('500 g', 'kg')?.value).toBe(500); // an explicit unit wins
    expect(parseMeasure(null)).toBeNull();
  });
});

describe('parseWeight', () => {
  it('accepts only masses', () => {
    expect(parseWeight('850 g')?.value).toBe(850);
    expect(parseWeight('1 l')).toBeNull();
    expect(parseWeight('16GB')).toBeNull();
    expect(parseWeight('1.2', 'kg')?.value).toBe(1200);
  });
});

describe('toGrams / toSi / siUnitOf', () => {
  it('converts Shopify weight units', () => {
    expect(toGrams(1, 'kg')).toBe(1000);
    expect(toGrams(250, 'g')).toBe(250);
    expect(toGrams(1, 'lb')).toBeCloseTo(453.592, 3);
    expect(toGrams(8, 'oz')).toBeCloseTo(226.796, 3);
    expect(toGrams(1, 'ml')).toBeNull();
    expect(toGrams(1, 'stone')).toBeNull();
    expect(toGrams(Number.NaN, 'kg')).toBeNull();
  });
  it('toSi and siUnitOf', () => {
    expect(toSi(2, 'cm')).toEqual({ value: 20, unit: 'mm' });
    expect(toSi(1, 'Litres')).toEqual({ value: 1000, unit: 'ml' });
    expect(siUnitOf('fl oz')).toBe('ml');
    expect(siUnitOf('GB')).toBeNull();
  });
});

describe('unitFromHeader', () => {
  it('reads WooCommerce-style headers', () => {
    expectRows(unitFromHeader, [
      ['Weight (kg)', 'kg'],
      ['Weight (lbs)', 'lbs'],
      ['Weight (g)', 'g'],
      ['Weight (oz)', 'oz'],
      ['Length (cm)', 'cm'],
      ['Weight', null],
      ['Weight (approx)', null],
    ]);
  });
});

describe('three decimals after a comma', () => {
  it('reads a decimal comma in large units and thousands in small ones', () => {
    expect(parseWeight('1,004', 'kg')?.value).toBe(1004);
    expect(parseWeight('1,004 kg')?.value).toBe(1004);
    expect(parseWeight('1,500 g')?.value).toBe(1500);
  });
});
