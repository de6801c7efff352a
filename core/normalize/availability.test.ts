import { describe, expect, it } from 'vitest';
import {
  availabilityFromStock,
  mapAvailability,
  mapStockFlag,
  parsePolicy,
  parseStock,
} from './availability.js';
import { expectRows } from '../test-support/table.js';

describe('mapAvailability', () => {
  it.each([
    ['in stock', 'in_stock'],
    ['in_stock', 'in_stock'],
    ['In Stock', 'in_stock'],
    ['instock', 'in_stock'],
    ['https://schema.org/InStock', 'in_stock'],
    ['http://schema.org/LimitedAvailability', 'in_stock'],
    ['available for order', 'in_stock'],
    ['out of stock', 'out_of_stock'],
    ['out_of_stock', 'out_of_stock'],
    ['outofstock', 'out_of_stock'],
    ['Sold Out', 'out_of_stock'],
    ['discontinued', 'out_of_stock'],
    ['https://schema.org/OutOfStock', 'out_of_stock'],
    ['preorder', 'preorder'],
    ['pre-order', 'preorder'],
    ['Pre Order', 'preorder'],
    ['https://schema.org/PreOrder', 'preorder'],
    ['backorder', 'backorder'],
    ['onbackorder', 'backorder'],
    ['on backorder', 'backorder'],
    ['https://schema.org/BackOrder', 'backorder'],
    [' yes ', 'in_stock'],
    ['no', 'out_of_stock'],
  ])('%j -> %s', (input, expected) => {
    expect(mapAvailability(input)).toBe(expected);
  });

  it.each(['', '  ', 'maybe', 'in stock soon?', '5', 'http://example.com/InStock'])('%j -> null', (input) => {
    expect(mapAvailability(input)).toBeNull();
  });

  it('null/undefined', () => {
    expect(mapAvailability(null)).toBeNull();
    expect(mapAvailability(undefined)).toBeNull();
  });
});

describe('mapStockFlag (WooCommerce In stock?)', () => {
  it('maps 1/0/backorder and older words', () => {
    expectRows(mapStockFlag, [
      ['1', 'in_stock'],
      ['0', 'out_of_stock'],
      ['-1', 'out_of_stock'],
      ['backorder', 'backorder'],
      ['onbackorder', 'backorder'],
      ['outofstock', 'out_of_stock'],
      ['2', null],
      [null, null],
    ]);
  });
});

describe('parseStock', () => {
  it('parses integer counts', () => {
    expectRows(parseStock, [
      ['12', 12],
      [' -3 ', -3],
      ['1,200', 1200],
      ['12.0', 12],
      ['1.5', null],
      ['many', null],
      ['', null],
      [null, null],
    ]);
  });
});

describe('parsePolicy', () => {
  it('reads Shopify policies and boolean spellings', () => {
    expectRows(parsePolicy, [
      ['deny', 'deny'],
      ['CONTINUE', 'continue'],
      ['TRUE', 'continue'],
      ['false', 'deny'],
      ['notify', 'continue'],
      ['', null],
      ['sometimes', null],
      [undefined, null],
    ]);
  });
});

describe('availabilityFromStock', () => {
  it('maps quantity and policy', () => {
    expect(availabilityFromStock(5)).toBe('in_stock');
    expect(availabilityFromStock(0)).toBe('out_of_stock');
    expect(availabilityFromStock(0, 'deny')).toBe('out_of_stock');
    expect(availabilityFromStock(0, 'continue')).toBe('backorder');
    expect(availabilityFromStock(-2, 'continue')).toBe('backorder');
    expect(availabilityFromStock(3, 'continue')).toBe('in_stock');
    expect(availabilityFromStock(null)).toBeNull();
    expect(availabilityFromStock(null, 'deny', false)).toBe('in_stock');
    expect(availabilityFromStock(0, 'deny', false)).toBe('in_stock');
  });
});
