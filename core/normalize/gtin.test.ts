import { describe, expect, it } from 'vitest';
import {
  displayGtin,
  gtinCheckDigit,
  hasValidCheckDigit,
  isbn10ToGtin,
  isScientificNotation,
  normalizeGtin,
} from './gtin.js';
import { expectRows } from '../test-support/table.js';

describe('normalizeGtin', () => {
  it.each([
    ['4006381333931', '04006381333931'], // EAN-13
    ['012345678905', '00012345678905'], // UPC-A
    ['96385074', '00000096385074'], // EAN-8
    ['10012345678902', '10012345678902'], // GTIN-14
    ['00012345678905', '00012345678905'], // UPC-A already padded
    ['0012345678905', '00012345678905'], // EAN-13 form of a UPC-A
    ['12345678905', '00012345678905'], // UPC-A whose leading zero a spreadsheet dropped
    ['000000012345678905', '00012345678905'], // extra leading zeros
    [' 4006381333931 ', '04006381333931'],
    ['0 12345 67890 5', '00012345678905'], // printed with spaces
    ['400-6381-33393-1', '04006381333931'],
  ])('%s is valid -> %s', (raw, gtin) => {
    expect(normalizeGtin(raw)).toEqual({ status: 'valid', gtin, raw: raw.trim() });
  });

  it('treats leading zeros added or dropped as the same GTIN', () => {
    const a = normalizeGtin('012345678905').gtin;
    expect(normalizeGtin('12345678905').gtin).toBe(a);
    expect(normalizeGtin('0012345678905').gtin).toBe(a);
    expect(normalizeGtin('00012345678905').gtin).toBe(a);
  });

  it.each(['8.71E+12', '8,71234E+12', '8.71234e12', '8.7123E+012', '4.00638E+12', '8E+12'])(
    '%s is mangled (kept raw)',
    (raw) => {
      expect(normalizeGtin(raw)).toEqual({ status: 'mangled', gtin: null, raw });
    },
  );

  it.each([
    '4006381333932', // wrong check digit
    '012345678900',
    '1234567', // too short
    '123456789012345', // 15 digits, not zero-padded
    '00000000000000', // all zeros
    '00000000',
    'ABC123456789',
    '8712345678906.0', // a number rendering: not trusted
    'N/A',
  ])('%s is invalid', (raw) => {
    expect(normalizeGtin(raw)).toEqual({ status: 'invalid', gtin: null, raw });
  });

  it('blank is absent', () => {
    expect(normalizeGtin('')).toEqual({ status: 'absent', gtin: null, raw: null });
    expect(normalizeGtin('   ')).toEqual({ status: 'absent', gtin: null, raw: null });
    expect(normalizeGtin(null).status).toBe('absent');
    expect(normalizeGtin(undefined).status).toBe('absent');
  });
});

describe('check digits and helpers', () => {
  it('computes GS1 check digits', () => {
    expect(gtinCheckDigit('400638133393')).toBe(1);
    expect(gtinCheckDigit('01234567890')).toBe(5);
    expect(gtinCheckDigit('9638507')).toBe(4);
    expectRows(hasValidCheckDigit, [
      ['4006381333931', true],
      ['4006381333930', false],
      ['4', false],
      ['40063813339x1', false],
    ]);
  });
  it('recognizes scientific notation', () => {
    expect(isScientificNotation(' 8.71E+12 ')).toBe(true);
    expect(isScientificNotation('8712345678906')).toBe(false);
  });
  it('converts ISBN-10 to GTIN-14', () => {
    expect(isbn10ToGtin('0-306-40615-2')).toBe('09780306406157');
    expect(isbn10ToGtin('080442957X')).toBe('09780804429573');
    expect(isbn10ToGtin('0306406153')).toBeNull(); // bad ISBN check digit
    expect(isbn10ToGtin('03064061')).toBeNull();
    expect(isbn10ToGtin('03064X6152')).toBeNull();
  });
  it('displays the usual short form', () => {
    expectRows(displayGtin, [
      ['04006381333931', '4006381333931'],
      ['00012345678905', '012345678905'],
      ['00000096385074', '96385074'],
      ['10012345678902', '10012345678902'],
    ]);
  });
});
