import { describe, expect, it } from 'vitest';
import { readSample, runAdapter, table } from './testkit.js';
import { woocommerceAdapter } from './woocommerce.js';

describe('woocommerce detect', () => {
  it('recognizes the export and rejects others', () => {
    expect(woocommerceAdapter.detect(readSample('woocommerce.csv').header)).toBeGreaterThanOrEqual(0.9);
    expect(woocommerceAdapter.detect(readSample('shopify-2024.csv').header)).toBeLessThan(0.5);
    expect(woocommerceAdapter.detect(readSample('generic-products.csv').header)).toBeLessThan(0.5);
    expect(woocommerceAdapter.detect(['ID', 'Name', 'SKU', 'Price'])).toBeLessThan(0.5);
  });
});

describe('woocommerce export sample', () => {
  const run = runAdapter(woocommerceAdapter, readSample('woocommerce.csv'));
  const { rec } = run;

  it('yields sellable rows only: variable parents and grouped products give no record', () => {
    expect(run.skipped).toEqual([2, 14, 18, 21]);
    expect(run.records).toHaveLength(18);
    expect(run.byId.has('NW-TEE')).toBe(false);
    expect(run.byId.has('KC-STARTER-KIT')).toBe(false);
  });

  it('variations inherit what they leave empty from their parent (by id:…)', () => {
    expect(rec('NW-TEE-WHT-M')).toMatchObject({
      parentId: 'NW-TEE',
      title: 'Classic Cotton Tee - White, M',
      brand: 'Northwind Outfitters',
      category: ['Apparel', 'T-Shirts'],
      tags: ['cotton', 'summer'],
      options: { Color: 'White', Size: 'M' },
      weightG: 180,
      priceMinor: 2400,
      availability: 'in_stock',
      stock: 7,
      status: 'published',
    });
    expect(rec('NW-TEE-WHT-M').description).toBe(
      'Our everyday tee in 100% organic cotton.\nCrew neck\nMachine wash cold',
    );
    expect(rec('NW-TEE-WHT-M').attributes.categories).toBe('Apparel > T-Shirts | Sale');
    expect(rec('NW-TEE-BLK-L').weightG).toBe(195); // its own weight wins
    expect(rec('NW-TEE-BLK-M')).toMatchObject({
      priceMinor: 2900,
      salePriceMinor: 2400,
      imageUrl: expect.stringContaining('classic-tee-black.jpg'),
    });
  });

  it('finds a parent by SKU and falls back to ID when a variation has no SKU', () => {
    expect(rec('NW-BEANIE-NVY')).toMatchObject({
      parentId: 'NW-BEANIE',
      imageUrl: expect.stringContaining('beanie-navy.jpg'),
    });
    expect(rec('133')).toMatchObject({
      parentId: 'NW-BEANIE',
      sku: null,
      options: { Color: 'Forest' },
      weightG: 95,
    });
  });

  it('maps In stock? 1 / 0 / backorder', () => {
    expect(rec('NW-TEE-BLK-L').availability).toBe('out_of_stock');
    expect(rec('NW-TEE-WHT-L')).toMatchObject({ availability: 'backorder', gtinStatus: 'absent' });
    expect(rec('BL-USBC-2M')).toMatchObject({ availability: 'in_stock', stock: null });
  });

  it('warns on decimal commas and spreadsheet junk, and still imports the row', () => {
    expect(rec('BL-USBC-2M').priceMinor).toBe(1299);
    expect(rec('KC-DRIP-WHT').weightG).toBe(410);
    expect(rec('NW-SOCKS-3P').priceMinor).toBeNull();
    expect(run.warnings.map((w) => [w.line, w.field, w.code])).toEqual([
      [8, 'Weight (kg)', 'decimal_comma'],
      [9, 'Regular price', 'decimal_comma'],
      [23, 'Regular price', 'unparsed_price'],
    ]);
  });

  it('decodes entities in categories and brands, splits escaped commas', () => {
    expect(rec('KC-FP-1000')).toMatchObject({
      brand: 'Kettle & Co.',
      brandKey: 'kettleandco',
      category: ['Kitchen', 'Coffee & Tea', 'Brewers'],
    });
    expect(rec('NW-SOCKS-3P')).toMatchObject({
      category: ['Apparel', 'Socks, Tights'],
      tags: ['hiking, trail', 'wool'],
    });
    expect(rec('BL-EBP-01')).toMatchObject({ brand: 'Brightline', priceMinor: 9900, salePriceMinor: 7400 });
  });

  it('keeps publication state, external links and simple-product attributes', () => {
    expect(rec('KC-BOARD-3')).toMatchObject({
      status: 'draft',
      attributes: expect.objectContaining({ visibility: 'hidden' }),
    });
    expect(rec('BL-PB-10K')).toMatchObject({
      link: 'https://partner.example.com/brightline-power-bank-10000',
      priceMinor: 2999,
      availability: null,
    });
    expect(rec('KC-DRIP-WHT').attributes).toMatchObject({ color: 'White', woo_id: '121' });
  });
});

describe('woocommerce edge cases', () => {
  const H = [
    'ID',
    'Type',
    'SKU',
    'Name',
    'Published',
    'In stock?',
    'Stock',
    'Backorders allowed?',
    'Weight (lbs)',
    'Sale price',
    'Regular price',
    'Categories',
    'Parent',
    'Brands',
    'Attribute 1 name',
    'Attribute 1 value(s)',
    'Attribute 2 name',
    'Attribute 2 value(s)',
  ];

  it('reads the weight unit from the header and attributes named Brand / EAN', () => {
    const run = runAdapter(
      woocommerceAdapter,
      table(H, [
        '9',
        'simple',
        'X-1',
        'Kettle',
        '1',
        '',
        '3',
        '0',
        '2',
        '',
        '30',
        'Kitchen',
        '',
        '',
        'Brand',
        'Kettle & Co.',
        'EAN',
        '4012345678901',
      ]),
    );
    expect(run.records[0]).toMatchObject({
      weightG: 907.185,
      brandKey: 'kettleandco',
      gtin: '04012345678901',
      availability: 'in_stock',
    });
  });

  it('derives availability from stock and backorders when In stock? is blank', () => {
    const run = runAdapter(
      woocommerceAdapter,
      table(
        H,
        ['9', 'simple', 'X-1', 'A', '1', '', '0', 'notify', '', '', '5', '', '', '', '', '', '', ''],
        ['10', 'simple', 'X-2', 'B', '-1', 'maybe', '', '', '', '', '5', '', '', '', '', '', '', ''],
      ),
    );
    expect(run.records[0].availability).toBe('backorder');
    expect(run.records[1]).toMatchObject({ availability: null, status: 'private' });
    expect(run.warnings).toEqual([
      expect.objectContaining({ line: 3, code: 'unknown_availability', field: 'In stock?' }),
    ]);
  });

  it('keeps a variation whose parent was not seen, pointing at the reference', () => {
    const run = runAdapter(
      woocommerceAdapter,
      table(H, [
        '21',
        'variation',
        'V-1',
        '',
        '1',
        '1',
        '',
        '',
        '',
        '',
        '5',
        '',
        'id:20',
        '',
        'Size',
        'L',
        '',
        '',
      ]),
    );
    expect(run.records[0]).toMatchObject({ parentId: '20', title: null, options: { Size: 'L' } });
  });

  it('refuses a row with neither SKU nor ID, and a header without them', () => {
    expect(() =>
      runAdapter(
        woocommerceAdapter,
        table(H, ['', 'simple', '', 'Nameless', '1', '1', '', '', '', '', '5', '', '', '', '', '', '', '']),
      ),
    ).toThrow('sample, line 2, field "SKU": row has neither a SKU nor an ID');
    expect(() => woocommerceAdapter.bind(['Name', 'Regular price'], { file: 'w.csv' })).toThrow(
      'w.csv, line 1, field "SKU"',
    );
  });
});
