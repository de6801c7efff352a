import { describe, expect, it } from 'vitest';
import {
  currencyFromToken,
  currencyMinorDigits,
  formatMinor,
  isCurrencyCode,
  normalizeCurrency,
  parsePrice,
} from './price.js';
import { expectRows } from '../test-support/table.js';

describe('parsePrice', () => {
  it.each([
    ['15.00 USD', 1500, 'USD', false],
    ['USD 15.00', 1500, 'USD', false],
    ['15.00USD', 1500, 'USD', false],
    ['usd 15', 1500, 'USD', false],
    ['$15', 1500, 'USD', false],
    ['US$ 15.5', 1550, 'USD', false],
    ['C$19.99', 1999, 'CAD', false],
    ['€ 12,99', 1299, 'EUR', true],
    ['12,99 €', 1299, 'EUR', true],
    ['1.299,00 EUR', 129900, 'EUR', true],
    ['1,299.00', 129900, null, false],
    ['1 299,00 €', 129900, 'EUR', true],
    ['12,99', 1299, null, true],
    ['£9.99', 999, 'GBP', false],
    ['0', 0, null, false],
    ['0.00 USD', 0, 'USD', false],
    ['19.999 USD', 1999900, 'USD', false], // a lone three-digit group is a thousands group
    ['15,- €', 1500, 'EUR', false],
    ['R$ 10,00', 1000, 'BRL', true],
    ['CHF 12.50', 1250, 'CHF', false],
    ['１５．００ ＵＳＤ', 1500, 'USD', false], // full-width
  ])('%s', (input, minor, currency, decimalComma) => {
    expect(parsePrice(input)).toEqual({ minor, currency, decimalComma, unknownCurrency: null });
  });

  it('uses the currency minor digits: JPY/KRW 0, KWD/BHD 3', () => {
    expect(parsePrice('1,299 JPY')).toMatchObject({ minor: 1299, currency: 'JPY' });
    expect(parsePrice('JP¥1,299')).toMatchObject({ minor: 1299, currency: 'JPY' });
    expect(parsePrice('¥1,299', 'JPY')).toMatchObject({ minor: 1299, currency: 'JPY' });
    expect(parsePrice('1299.00 JPY')).toMatchObject({ minor: 1299, currency: 'JPY' });
    expect(parsePrice('1299.5 JPY')).toMatchObject({ minor: 1300, currency: 'JPY' });
    expect(parsePrice('₩15,000')).toMatchObject({ minor: 15000, currency: 'KRW' });
    expect(parsePrice('15000 KRW')).toMatchObject({ minor: 15000, currency: 'KRW' });
    expect(parsePrice('1.250 KWD')).toMatchObject({ minor: 1250, currency: 'KWD' });
    expect(parsePrice('BHD 3.5')).toMatchObject({ minor: 3500, currency: 'BHD' });
    expect(parsePrice('12.345,678 KWD')).toMatchObject({
      minor: 12345678,
      currency: 'KWD',
      decimalComma: true,
    });
  });

  it('takes a default currency when the value names none', () => {
    expect(parsePrice('24.00', 'usd')).toMatchObject({ minor: 2400, currency: 'USD' });
    expect(parsePrice('1299', 'JPY')).toMatchObject({ minor: 1299, currency: 'JPY' });
    expect(parsePrice('24.00 EUR', 'USD')).toMatchObject({ currency: 'EUR' });
    expect(parsePrice('24.00', 'dollars')).toMatchObject({
      minor: 2400,
      currency: null,
      unknownCurrency: 'dollars',
    });
  });

  it('settles shared symbols with the default currency', () => {
    expect(parsePrice('$19.99', 'CAD')).toMatchObject({
      minor: 1999,
      currency: 'CAD',
      unknownCurrency: null,
    });
    expect(parsePrice('$19.99', 'EUR')).toMatchObject({ currency: 'USD' });
    expect(parsePrice('￥599.00', 'CNY')).toMatchObject({
      minor: 59900,
      currency: 'CNY',
      unknownCurrency: null,
    });
    expect(parsePrice('99,00 kr', 'SEK')).toMatchObject({
      minor: 9900,
      currency: 'SEK',
      unknownCurrency: null,
    });
  });

  it('reports currency tokens it does not know, or that are ambiguous', () => {
    expect(parsePrice('￥599.00')).toEqual({
      minor: 59900,
      currency: null,
      decimalComma: false,
      unknownCurrency: '¥',
    });
    expect(parsePrice('15.00 ABC')).toEqual({
      minor: 1500,
      currency: null,
      decimalComma: false,
      unknownCurrency: 'ABC',
    });
    expect(parsePrice('99,00 kr')).toEqual({
      minor: 9900,
      currency: null,
      decimalComma: true,
      unknownCurrency: 'kr',
    });
  });

  it.each([
    '',
    '   ',
    '#VALUE!',
    '#N/A',
    '=A2*1.2',
    '@SUM(A1)',
    '1.5E+3',
    '1,5E+03',
    'N/A',
    'TBD',
    'free',
    '-15.00',
    '(15.00)',
    '15.00.00',
    '15 20',
    '$',
    'USD 15 EUR',
    '15 each',
    '99999999999999999999.00',
  ])('junk %j -> null', (input) => {
    expect(parsePrice(input)).toBeNull();
  });

  it('handles null/undefined', () => {
    expect(parsePrice(null)).toBeNull();
    expect(parsePrice(undefined)).toBeNull();
  });
});

describe('currency helpers', () => {
  it('minor digits', () => {
    expectRows(currencyMinorDigits, [
      ['USD', 2],
      ['JPY', 0],
      ['KWD', 3],
      ['CLF', 4],
      [null, 2],
    ]);
  });
  it('codes and symbols', () => {
    expect(isCurrencyCode('EUR')).toBe(true);
    expect(isCurrencyCode('EURO')).toBe(false);
    expectRows(normalizeCurrency, [
      [' eur ', 'EUR'],
      ['€', 'EUR'],
      ['xyz', null],
      ['', null],
      [null, null],
    ]);
    expect(currencyFromToken('kr')).toEqual({ code: null, known: false });
    expect(currencyFromToken('E+3')).toBeUndefined();
    expect(currencyFromToken(' ')).toBeUndefined();
  });
  it('formatMinor', () => {
    expect(formatMinor(1999, 'USD')).toBe('19.99 USD');
    expect(formatMinor(5, 'EUR')).toBe('0.05 EUR');
    expect(formatMinor(1299, 'JPY')).toBe('1299 JPY');
    expect(formatMinor(1250, 'KWD')).toBe('1.250 KWD');
    expect(formatMinor(-250, null)).toBe('-2.50');
  });
});
