import { describe, expect, it } from 'vitest';
import {
  availabilityFromStock,
  mapAvailability,
  mapStockFlag,
  parsePolicy,
  parseStock,
} from './availability.js';

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
    expect(mapStockFlag('1')).toBe('in_stock');
    expect(mapStockFlag('0')).toBe('out_of_stock');
    expect(mapStockFlag('-1')).toBe('out_of_stock');
    expect(mapStockFlag('backorder')).toBe('backorder');
    expect(mapStockFlag('onbackorder')).toBe('backorder');
    expect(mapStockFlag('outofstock')).toBe('out_of_stock');
    expect(mapStockFlag('2')).toBeNull();
    expect(mapStockFlag(null)).toBeNull();
  });
});

describe('parseStock', () => {
  it('parses integer counts', () => {
    expect(parseStock('12')).toBe(12);
    expect(parseStock(' -3 ')).toBe(-3);
    expect(parseStock('1,200')).toBe(1200);
    expect(parseStock('12.0')).toBe(12);
    expect(parseStock('1.5')).toBeNull();
    expect(parseStock('many')).toBeNull();
    expect(parseStock('')).toBeNull();
    expect(parseStock(null)).toBeNull();
  });
});

describe('parsePolicy', () => {
  it('reads Shopify policies and boolean spellings', () => {
    expect(parsePolicy('deny')).toBe('deny');
    expect(parsePolicy('CONTINUE')).toBe('continue');
    expect(parsePolicy('TRUE')).toBe('continue');
    expect(parsePolicy('false')).toBe('deny');
    expect(parsePolicy('notify')).toBe('continue');
    expect(parsePolicy('')).toBeNull();
    expect(parsePolicy('sometimes')).toBeNull();
    expect(parsePolicy(undefined)).toBeNull();
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
