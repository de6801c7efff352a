import { describe, expect, it } from 'vitest';
import { parseDecimal, parseDecimalParts, toScaledInteger } from './number.js';
import { expectRows } from '../test-support/table.js';

describe('parseDecimalParts', () => {
  it.each([
    ['15.00', '15', '00', false],
    ['12,99', '12', '99', true],
    ['1,299.00', '1299', '00', false],
    ['1.299,00', '1299', '00', true],
    ['1 299,00', '1299', '00', true],
    ['1\u00a0299,50', '1299', '50', true],
    ["1'299.50", '1299', '50', false],
    ['1,299,000', '1299000', '', false],
    ['1.299.000', '1299000', '', false],
    ['1,299', '1299', '', false],
    ['0,500', '0', '500', true],
    ['1234,567', '1234', '567', true],
    ['.5', '0', '5', false],
    ['7', '7', '', false],
  ])('%s', (input, int, frac, comma) => {
    expect(parseDecimalParts(input)).toEqual({ int, frac, negative: false, decimalComma: comma });
  });

  it('reads a lone three-digit group per option', () => {
    expect(parseDecimalParts('1.250', { threeDigits: 'decimal' })).toMatchObject({ int: '1', frac: '250' });
    expect(parseDecimalParts('1,250', { threeDigits: 'decimal' })).toMatchObject({
      int: '1',
      frac: '250',
      decimalComma: true,
    });
    expect(parseDecimalParts('1.500', { threeDigits: 'dot-decimal' })).toMatchObject({
      int: '1',
      frac: '500',
    });
    expect(parseDecimalParts('1,500', { threeDigits: 'dot-decimal' })).toMatchObject({
      int: '1500',
      frac: '',
    });
  });

  it('knows signs', () => {
    expect(parseDecimalParts('-3')).toMatchObject({ int: '3', negative: true });
    expect(parseDecimalParts('\u22123,5')).toMatchObject({ int: '3', frac: '5', negative: true });
    expect(parseDecimalParts('+4')).toMatchObject({ int: '4', negative: false });
  });

  it.each([
    '',
    ' ',
    '-',
    'abc',
    '15.00.00',
    '1,2,3',
    '1.5E+3',
    '12 34',
    '1,,2',
    ' 1 ',
    '15.',
    '1.2.3,4,5',
    '1.234.5',
    '12a',
  ])('rejects %j', (input) => {
    if (input === ' 1 ')
      expect(parseDecimalParts(input)).not.toBeNull(); // outer spaces are fine
    else expect(parseDecimalParts(input)).toBeNull();
  });
});

describe('parseDecimal', () => {
  it('returns numbers', () => {
    expectRows(parseDecimal, [
      ['1,5', 1.5],
      ['-2.25', -2.25],
      ['1,299.5', 1299.5],
      ['x', null],
    ]);
  });
});

describe('toScaledInteger', () => {
  it('scales and rounds half up', () => {
    expect(toScaledInteger('12', '99', 2)).toBe(1299);
    expect(toScaledInteger('12', '9', 2)).toBe(1290);
    expect(toScaledInteger('12', '', 2)).toBe(1200);
    expect(toScaledInteger('12', '995', 2)).toBe(1300);
    expect(toScaledInteger('12', '994', 2)).toBe(1299);
    expect(toScaledInteger('1299', '50', 0)).toBe(1300);
    expect(toScaledInteger('1', '250', 3)).toBe(1250);
    expect(toScaledInteger('99999999999999999999', '', 2)).toBeNull();
  });
});
