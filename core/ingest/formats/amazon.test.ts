import { describe, expect, it } from 'vitest';
import { readSample, runAdapter, table } from './testkit.js';
import { amazonAdapter } from './amazon.js';

describe('amazon detect', () => {
  it('recognizes the All Listings Report, also with underscores', () => {
    const header = readSample('amazon-listings.tsv').header;
    expect(amazonAdapter.detect(header)).toBe(1);
    expect(amazonAdapter.detect(header.map((h) => h.replace(/-/g, '_')))).toBe(1);
  });
  it('scores other exports below 0.5', () => {
    expect(amazonAdapter.detect(readSample('gmc.tsv').header)).toBeLessThan(0.5);
    expect(amazonAdapter.detect(readSample('shopify-2024.csv').header)).toBeLessThan(0.5);
    expect(amazonAdapter.detect(['price', 'quantity', 'status'])).toBeLessThan(0.5);
  });
});

describe('amazon listings sample', () => {
  const run = runAdapter(amazonAdapter, readSample('amazon-listings.tsv'));
  const { rec } = run;

  it('maps every listing by seller-sku', () => {
    expect(run.records).toHaveLength(12);
    expect(rec('NW-TEE-BLK-M')).toMatchObject({
      sku: 'NW-TEE-BLK-M',
      title: 'Northwind Outfitters Classic Cotton Tee, Organic Cotton Crew Neck, Black, Medium',
      priceMinor: 2400,
      currency: null,
      stock: 12,
      availability: 'in_stock',
      condition: 'new',
      status: 'active',
      gtinStatus: 'absent',
      attributes: {
        asin: 'B0CDX4T1BM',
        listing_id: '0814XK1A201',
        fulfillment_channel: 'DEFAULT',
        open_date: '2023-08-14 09:12:44 PDT',
      },
    });
  });

  it('reads product-id by type: 3 UPC, 4 EAN, 2 ISBN, 1 ASIN', () => {
    expect(rec('NW-TEE-BLK-L')).toMatchObject({
      gtin: '00195058000130',
      status: 'inactive',
      availability: 'out_of_stock',
    });
    expect(rec('KC-FP-1000').gtin).toBe('08710999123452');
    expect(rec('BL-USBC-2M').gtin).toBe('00085456012357'); // leading zero dropped in the report
    expect(rec('BK-POUR-HB')).toMatchObject({
      gtin: '09780306406157',
      gtinRaw: '0306406152',
      condition: 'used',
      attributes: expect.objectContaining({ asin: '0306406152' }),
    });
    expect(rec('NW-BEANIE-CHR').attributes.asin).toBe('B0CJNWBCHR');
  });

  it('leaves FBA quantity unknown without a warning, and warns only on the mangled EAN', () => {
    expect(rec('NW-TEE-WHT-M')).toMatchObject({
      stock: null,
      availability: null,
      attributes: expect.objectContaining({ fulfillment_channel: 'AMAZON_NA' }),
    });
    expect(rec('BL-EBP-01').description).toBe('ANC earbuds with\nUSB-C case');
    expect(rec('KC-DRIP-WHT')).toMatchObject({ gtinStatus: 'mangled', gtinRaw: '8.71E+12' });
    expect(rec('NW-BEANIE-NVY')).toMatchObject({ priceMinor: null, status: 'incomplete' });
    expect(run.warnings).toEqual([
      expect.objectContaining({ line: 6, field: 'product-id', code: 'gtin_scientific_notation' }),
    ]);
  });
});

describe('amazon edge cases', () => {
  const H = [
    'item-name',
    'seller-sku',
    'price',
    'quantity',
    'product-id-type',
    'product-id',
    'item-condition',
  ];
  it('reads a currency written in the price, and bad quantities', () => {
    const run = runAdapter(
      amazonAdapter,
      table(H, ['向田邦子の手料理', 'JP-1', '1,299 JPY', 'x', '2', '9784062063364', '11']),
    );
    expect(run.records[0]).toMatchObject({
      priceMinor: 1299,
      currency: 'JPY',
      stock: null,
      gtin: '09784062063364',
      condition: 'new',
    });
    expect(run.warnings).toEqual([
      expect.objectContaining({ code: 'unknown_availability', field: 'quantity' }),
    ]);
  });
  it('refuses a listing without seller-sku', () => {
    expect(() => runAdapter(amazonAdapter, table(H, ['Thing', '', '1.00', '1', '', '', '']))).toThrow(
      'field "seller-sku"',
    );
    expect(() => amazonAdapter.bind(['item-name', 'price'], { file: 'a.txt' })).toThrow(
      'a.txt, line 1, field "seller-sku"',
    );
  });
});
