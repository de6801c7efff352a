import { describe, expect, it } from 'vitest';
import { ConcordError } from '../../model/errors.js';
import { readSample, runAdapter, table } from './testkit.js';
import { shopifyAdapter } from './shopify.js';

const HEADER_2025 = [
  'Title',
  'URL handle',
  'Description',
  'Vendor',
  'Product category',
  'Type',
  'Tags',
  'Published on online store',
  'Status',
  'SKU',
  'Barcode',
  'Option1 name',
  'Option1 value',
  'Option1 Linked To',
  'Option2 name',
  'Option2 value',
  'Option2 Linked To',
  'Option3 name',
  'Option3 value',
  'Option3 Linked To',
  'Price',
  'Compare-at price',
  'Cost per item',
  'Charge tax',
  'Tax code',
  'Inventory tracker',
  'Inventory quantity',
  'Continue selling when out of stock',
  'Weight value (grams)',
  'Weight unit for display',
  'Requires shipping',
  'Fulfillment service',
  'Product image URL',
  'Image position',
  'Image alt text',
  'Variant image URL',
  'Gift card',
  'SEO title',
  'SEO description',
  'Google Shopping / Google product category',
  'Google Shopping / Manufacturer part number (MPN)',
  'Google Shopping / Condition',
];

function row2025(values: Record<string, string>): string[] {
  return HEADER_2025.map((h) => values[h] ?? '');
}

describe('shopify detect', () => {
  it('recognizes the classic, 2024 and 2025 headers', () => {
    expect(shopifyAdapter.detect(readSample('shopify-classic.csv').header)).toBeGreaterThanOrEqual(0.9);
    expect(shopifyAdapter.detect(readSample('shopify-2024.csv').header)).toBeGreaterThanOrEqual(0.9);
    expect(shopifyAdapter.detect(HEADER_2025)).toBeGreaterThanOrEqual(0.85);
  });
  it('scores other exports and unknown headers below 0.5', () => {
    expect(shopifyAdapter.detect(readSample('woocommerce.csv').header)).toBeLessThan(0.5);
    expect(shopifyAdapter.detect(readSample('gmc.tsv').header)).toBeLessThan(0.5);
    expect(shopifyAdapter.detect(readSample('amazon-listings.tsv').header)).toBeLessThan(0.5);
    expect(shopifyAdapter.detect(['Title', 'Price', 'SKU', 'Description'])).toBeLessThan(0.5);
    expect(shopifyAdapter.detect(['user_id', 'item_id'])).toBe(0);
    expect(shopifyAdapter.detect([])).toBe(0);
  });
});

describe('shopify 2024 export sample', () => {
  const run = runAdapter(shopifyAdapter, readSample('shopify-2024.csv'));
  const { rec } = run;

  it('yields one record per variant and none for image-only rows', () => {
    expect(run.records).toHaveLength(19);
    expect(run.skipped).toEqual([10, 18, 19, 31]);
    expect(new Set(run.records.map((r) => r.recordId)).size).toBe(19);
  });

  it('fills variant rows from the first row of their Handle', () => {
    const r = rec('NW-TEE-WHT-L');
    expect(r).toMatchObject({
      parentId: 'classic-cotton-tee',
      sku: 'NW-TEE-WHT-L',
      title: 'Classic Cotton Tee',
      brand: 'Northwind Outfitters',
      brandKey: 'northwindoutfitters',
      category: ['Apparel & Accessories', 'Clothing', 'Shirts & Tops'],
      tags: ['cotton', 'summer', 'tees'],
      status: 'active',
      options: { Color: 'White', Size: 'L' },
      gtin: '00195058000154',
      gtinStatus: 'valid',
      priceMinor: 2400,
      salePriceMinor: null,
      currency: null,
      availability: 'in_stock',
      stock: 3,
      weightG: 195,
      mpn: 'NWT-100',
      condition: 'new',
    });
    expect(r.description).toBe(
      'Our everyday tee in 100% organic cotton, 180 g/m2. Pre-shrunk, true to size.\nCrew neck\nMachine wash cold',
    );
    expect(r.imageUrl).toContain('classic-tee-white.jpg'); // its Variant Image
    expect(r.attributes).toMatchObject({
      product_type: 'T-Shirts',
      google_product_category: '212',
      published: 'true',
    });
    // the product image, not the second image that happens to sit on this row
    expect(rec('NW-TEE-BLK-L').imageUrl).toContain('classic-tee-black.jpg');
  });

  it('reads Compare At as the regular price and Variant Price as the sale price', () => {
    expect(rec('NW-TEE-BLK-M')).toMatchObject({ priceMinor: 2900, salePriceMinor: 2400 });
    expect(rec('BL-EBP-01')).toMatchObject({ priceMinor: 9900, salePriceMinor: 7900 });
  });

  it('keeps an Excel-mangled barcode raw and warns', () => {
    expect(rec('KC-FP-1000')).toMatchObject({
      gtin: null,
      gtinRaw: '8.71E+12',
      gtinStatus: 'mangled',
      options: {},
    });
    expect(run.warnings).toEqual([
      expect.objectContaining({ line: 11, field: 'Variant Barcode', code: 'gtin_scientific_notation' }),
    ]);
  });

  it('identifies a variant without SKU by Handle and option values', () => {
    expect(rec('pour-over-dripper/Matte Black')).toMatchObject({
      sku: null,
      parentId: 'pour-over-dripper',
      availability: 'backorder',
      stock: 0,
      attributes: expect.objectContaining({ inventory_policy: 'continue' }),
    });
    expect(rec('northwind-gift-card/$25').options).toEqual({ Denominations: '$25' });
  });

  it('maps stock: deny at 0 is out of stock, untracked inventory is always in stock', () => {
    expect(rec('NW-TEE-BLK-L').availability).toBe('out_of_stock');
    expect(rec('KC-CB-500').availability).toBe('out_of_stock');
    expect(rec('BL-USBC-2M')).toMatchObject({ availability: 'in_stock', stock: 0 });
  });

  it('never treats values as markup', () => {
    expect(rec('KC-MUG-350').title).toBe('Insulated Travel Mug <script>alert(1)</script>');
    expect(rec('northwind-gift-card/$50').title).toBe('=HYPERLINK("http://x","y")');
    const earbuds = rec('BL-EBP-01');
    expect(earbuds.description).not.toContain('dataLayer');
    expect(earbuds.description).toBe(
      'Active noise cancelling, 30 h battery with the case.\nBluetooth 5.3\nWeight 55 g\nQuestions? Contact us.',
    );
    expect(earbuds.brand).toBe('Brightline');
  });

  it('keeps draft and archived status, gift cards without weight', () => {
    expect(rec('KC-BOARD-3')).toMatchObject({
      status: 'draft',
      attributes: expect.objectContaining({ published: 'false' }),
    });
    expect(rec('NW-CAMP-MUG').status).toBe('archived');
    expect(rec('northwind-gift-card/$50')).toMatchObject({
      weightG: null,
      attributes: expect.objectContaining({ gift_card: 'true' }),
    });
    expect(rec('KC-SKILLET-10').weightG).toBe(2300); // Variant Grams is grams whatever the display unit (lb)
  });
});

describe('shopify classic export sample', () => {
  const run = runAdapter(shopifyAdapter, readSample('shopify-classic.csv'));

  it('reads the older header', () => {
    expect(run.records).toHaveLength(11);
    expect(run.skipped).toEqual([5, 14]);
    const tee = run.byId.get('NW-TEE-BLK-L');
    expect(tee).toMatchObject({
      category: ['T-Shirts'],
      availability: 'backorder',
      title: 'Classic Cotton Tee',
    });
    expect(tee?.attributes.google_product_category).toBe('Apparel & Accessories > Clothing > Shirts & Tops');
    expect(run.byId.get('KC-FP-1000')).toMatchObject({
      brand: 'KETTLE AND CO',
      brandKey: 'kettleandco',
      priceMinor: 3995,
      salePriceMinor: 3695,
    });
    expect(run.byId.get('KC-FP-1000')?.description).toBe('Double-wall stainless steel.\nBrews 8 cups.');
  });

  it('warns on a wrong check digit and accepts a dropped leading zero', () => {
    expect(run.byId.get('KC-SKILLET-10')).toMatchObject({
      gtin: null,
      gtinStatus: 'invalid',
      gtinRaw: '4012345678919',
    });
    expect(run.warnings).toEqual([
      expect.objectContaining({ line: 10, code: 'gtin_check_digit', field: 'Variant Barcode' }),
    ]);
    const cable2024 = runAdapter(shopifyAdapter, readSample('shopify-2024.csv')).byId.get('BL-USBC-2M');
    expect(run.byId.get('BL-USBC-2M')?.gtin).toBe(cable2024?.gtin);
    expect(run.byId.get('BL-USBC-2M')).toMatchObject({
      stock: null,
      availability: 'in_stock',
      imageUrl: null,
      description: null,
    });
  });

  it('treats a variant row without an image as using the product image', () => {
    expect(run.byId.get('pour-over-dripper/Matte Black')?.imageUrl).toContain('dripper-white.jpg');
  });
});

describe('shopify 2025 template headers', () => {
  it('maps the renamed columns', () => {
    const run = runAdapter(
      shopifyAdapter,
      table(
        HEADER_2025,
        row2025({
          Title: 'Merino Wool Beanie',
          'URL handle': 'merino-wool-beanie',
          Description: '<p>Rib knit.</p>',
          Vendor: 'Northwind Outfitters',
          'Product category': 'Apparel & Accessories > Clothing Accessories > Hats',
          Type: 'Hats',
          Tags: 'winter,wool',
          'Published on online store': 'TRUE',
          Status: 'Active',
          SKU: 'NW-BEANIE-CHR',
          Barcode: '195058000161',
          'Option1 name': 'Color',
          'Option1 value': 'Charcoal',
          Price: '29.00',
          'Compare-at price': '32.00',
          'Inventory tracker': 'shopify',
          'Inventory quantity': '0',
          'Continue selling when out of stock': 'CONTINUE',
          'Weight value (grams)': '95',
          'Weight unit for display': 'g',
          'Product image URL': 'https://cdn.example/beanie.jpg',
          'Google Shopping / Manufacturer part number (MPN)': 'NWB-1',
        }),
        row2025({
          'URL handle': 'merino-wool-beanie',
          'Option1 value': 'Navy',
          Price: '32.00',
          'Inventory tracker': 'shopify',
          'Inventory quantity': '4',
          'Continue selling when out of stock': 'DENY',
          'Weight value (grams)': '95',
        }),
        row2025({
          'URL handle': 'merino-wool-beanie',
          'Product image URL': 'https://cdn.example/beanie-2.jpg',
          'Image position': '2',
        }),
      ),
    );
    expect(run.skipped).toEqual([4]);
    expect(run.records.map((r) => r.recordId)).toEqual(['NW-BEANIE-CHR', 'merino-wool-beanie/Navy']);
    expect(run.records[0]).toMatchObject({
      title: 'Merino Wool Beanie',
      description: 'Rib knit.',
      status: 'active',
      priceMinor: 3200,
      salePriceMinor: 2900,
      availability: 'backorder',
      weightG: 95,
      gtin: '00195058000161',
      mpn: 'NWB-1',
      tags: ['winter', 'wool'],
      category: ['Apparel & Accessories', 'Clothing Accessories', 'Hats'],
      imageUrl: 'https://cdn.example/beanie.jpg',
    });
    expect(run.records[1]).toMatchObject({
      options: { Color: 'Navy' },
      availability: 'in_stock',
      stock: 4,
      title: 'Merino Wool Beanie',
    });
  });
});

describe('shopify edge cases', () => {
  const H = [
    'Handle',
    'Title',
    'Option1 Name',
    'Option1 Value',
    'Variant SKU',
    'Variant Price',
    'Variant Inventory Qty',
    'Variant Weight',
    'Variant Weight Unit',
    'Price / Europe',
    'Price / United States',
  ];

  it('takes the currency from a market price column naming it for the same amount', () => {
    const run = runAdapter(
      shopifyAdapter,
      table(H, [
        'mug',
        'Mug',
        'Title',
        'Default Title',
        'M-1',
        '14.00',
        '3',
        '',
        '',
        '13.00 EUR',
        '14.00 USD',
      ]),
    );
    expect(run.records[0]).toMatchObject({ priceMinor: 1400, currency: 'USD' });
    const none = runAdapter(
      shopifyAdapter,
      table(H, ['mug', 'Mug', 'Title', 'Default Title', 'M-1', '14.00', '3', '', '', '13.00', '']),
    );
    expect(none.records[0].currency).toBeNull();
  });

  it('reads Variant Weight in Variant Weight Unit when a tool exports it', () => {
    const run = runAdapter(
      shopifyAdapter,
      table(
        H,
        ['pan', 'Pan', 'Title', 'Default Title', 'P-1', '44.00', '2', '5.07', 'lb', '', ''],
        ['box', 'Box', 'Title', 'Default Title', 'B-1', '4', '1', 'heavy', 'kg', '', ''],
      ),
    );
    expect(run.records[0].weightG).toBeCloseTo(2299.713, 3);
    expect(run.records[1].weightG).toBeNull();
    expect(run.warnings).toEqual([
      expect.objectContaining({ line: 3, code: 'unparsed_weight', field: 'Variant Weight' }),
    ]);
  });

  it('warns on unreadable prices and quantities', () => {
    const run = runAdapter(
      shopifyAdapter,
      table(H, ['mug', 'Mug', 'Title', 'Default Title', 'M-1', '#N/A', 'lots', '', '', '', '']),
    );
    expect(run.records[0]).toMatchObject({ priceMinor: null, stock: null, availability: null });
    expect(run.warnings.map((w) => w.code)).toEqual(['unparsed_price', 'unknown_availability']);
  });

  it('accepts a row with a SKU but no Handle as a product of its own', () => {
    const run = runAdapter(
      shopifyAdapter,
      table(H, ['', 'Loose item', '', '', 'L-1', '5.00', '1', '', '', '', '']),
    );
    expect(run.records[0]).toMatchObject({ recordId: 'L-1', parentId: null, title: 'Loose item' });
  });

  it('refuses a row with no identity, naming file, line and column', () => {
    const mapper = shopifyAdapter.bind(H, { file: 'products.csv' });
    const ctx = { file: 'products.csv', line: 7, warn: () => {} };
    const call = () =>
      mapper.map({ line: 7, raw: '', cells: ['', 'Nameless', '', '', '', '5.00', '', '', '', '', ''] }, ctx);
    expect(call).toThrow(ConcordError);
    expect(call).toThrow('products.csv, line 7, field "Handle"');
  });

  it('refuses a header without Handle', () => {
    expect(() => shopifyAdapter.bind(['Title', 'Variant SKU'], { file: 'x.csv' })).toThrow(
      'x.csv, line 1, field "Handle"',
    );
    expect(() => shopifyAdapter.bind(['Handle', 'Title'], { file: 'x.csv' })).toThrow('field "Variant SKU"');
  });
});
