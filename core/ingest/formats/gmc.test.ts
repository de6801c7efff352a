import { describe, expect, it } from 'vitest';
import { readSample, runAdapter, table } from './testkit.js';
import { gmcAdapter, gmcKey } from './gmc.js';
import { GMC_ATTRIBUTES } from '../xml.js';

/** What the XML reader passes for a feed: attribute names without the g: prefix, cells aligned to them. */
const XML_HEADER = [...GMC_ATTRIBUTES];

function xmlRow(values: Record<string, string>): string[] {
  return XML_HEADER.map((h) => values[h] ?? '');
}

describe('gmc detect', () => {
  it('recognizes TSV and XML attribute headers, with or without g: and with spaces', () => {
    expect(gmcAdapter.detect(readSample('gmc.tsv').header)).toBe(1);
    expect(gmcAdapter.detect(XML_HEADER)).toBe(1);
    expect(
      gmcAdapter.detect([
        'g:id',
        'g:title',
        'g:price',
        'g:availability',
        'g:image_link',
        'g:brand',
        'g:gtin',
        'g:condition',
      ]),
    ).toBeGreaterThan(0.6);
    expect(
      gmcAdapter.detect([
        'ID',
        'Title',
        'Description',
        'Link',
        'Image link',
        'Availability',
        'Price',
        'Brand',
        'GTIN',
        'Condition',
        'Product type',
      ]),
    ).toBe(1);
  });
  it('scores other exports below 0.5', () => {
    expect(gmcAdapter.detect(readSample('shopify-2024.csv').header)).toBeLessThan(0.5);
    expect(gmcAdapter.detect(readSample('woocommerce.csv').header)).toBeLessThan(0.5);
    expect(gmcAdapter.detect(readSample('amazon-listings.tsv').header)).toBeLessThan(0.5);
    expect(gmcAdapter.detect(readSample('generic-products.csv').header)).toBeLessThan(0.5);
    expect(gmcAdapter.detect(['title', 'description', 'link'])).toBeLessThan(0.5);
  });
  it('gmcKey', () => {
    expect(gmcKey(' g:Image Link ')).toBe('image_link');
    expect(gmcKey('\ufeffid')).toBe('id');
  });
});

describe('gmc TSV sample', () => {
  const run = runAdapter(gmcAdapter, readSample('gmc.tsv'));
  const { rec } = run;

  it('maps every item', () => {
    expect(run.records).toHaveLength(14);
    expect(run.skipped).toEqual([]);
    expect(rec('shopify_US_8101000000001_45101000000011')).toMatchObject({
      parentId: 'shopify_US_8101000000001',
      title: 'Classic Cotton Tee - Black / M',
      priceMinor: 2900,
      salePriceMinor: 2400,
      currency: 'USD',
      availability: 'in_stock',
      gtin: '00195058000123',
      mpn: 'NWT-100',
      condition: 'new',
      weightG: 180,
      category: ['Apparel', 'T-Shirts'],
      options: { color: 'Black', size: 'M', material: 'cotton' },
      attributes: {
        google_product_category: '212',
        gender: 'unisex',
        age_group: 'adult',
        custom_label_0: 'bestseller',
      },
      link: expect.stringContaining('variant=45101000000011'),
    });
  });

  it('normalizes units, GTIN padding, vocabularies', () => {
    const press = rec('shopify_US_8101000000002_45101000000021');
    expect(press).toMatchObject({
      gtin: '08710999123452',
      gtinRaw: '08710999123452',
      weightG: 861.826,
      parentId: null,
      priceMinor: 4295,
    });
    expect(press.attributes.google_product_category).toBe(
      'Home & Garden > Kitchen & Dining > Kitchen Appliances > Coffee Makers & Espresso Machines',
    );
    expect(rec('shopify_US_8101000000003_45101000000031').availability).toBe('in_stock');
    expect(rec('shopify_US_8101000000003_45101000000032').availability).toBe('backorder');
    expect(rec('shopify_US_8101000000005_45101000000052').availability).toBe('preorder');
    expect(rec('shopify_US_8101000000004_45101000000041')).toMatchObject({
      gtinStatus: 'absent',
      brandKey: 'brightline',
      weightG: 54.431,
    });
    expect(rec('shopify_US_8101000000005_45101000000051').title).toBe(
      'Insulated Travel Mug <script>alert(1)</script> - 350 ml',
    );
  });

  it('warns on a wrong check digit, an unknown availability and a decimal comma', () => {
    expect(rec('shopify_US_8101000000010_45101000000101').availability).toBeNull();
    expect(rec('shopify_US_8101000000012_45101000000122').priceMinor).toBe(3200);
    expect(run.warnings.map((w) => [w.line, w.field, w.code])).toEqual([
      [12, 'gtin', 'gtin_check_digit'],
      [13, 'availability', 'unknown_availability'],
      [15, 'price', 'decimal_comma'],
    ]);
  });
});

describe('gmc XML feed rows (RSS/Atom, as the XML reader passes them)', () => {
  it('maps an RSS item with HTML description, nested shipping and several image links', () => {
    const run = runAdapter(
      gmcAdapter,
      table(
        XML_HEADER,
        xmlRow({
          id: 'NW-TEE-BLK-M',
          title: 'Classic Cotton Tee - Black, M',
          link: 'https://shop.example/tee?a=1&b=2',
          description:
            '<p>Our everyday tee in <strong>100% organic cotton</strong>.</p><ul><li>Crew neck</li></ul>',
          image_link: 'https://shop.example/tee.jpg',
          additional_image_link: 'https://shop.example/a.jpg,https://shop.example/b.jpg',
          availability: 'in_stock',
          price: '29.00 USD',
          sale_price: '24.00 USD',
          brand: 'Northwind Outfitters',
          gtin: '195058000123',
          item_group_id: 'NW-TEE',
          color: 'Black',
          size: 'M',
          product_type: 'Apparel > T-Shirts',
          shipping_weight: '0.18 kg',
          shipping: 'US:Standard:4.95 USD',
        }),
        xmlRow({
          id: 'EU-KC-DRIP-WHT',
          title: 'Porzellan-Handfilter Weiß',
          description: '<p>Handglasiertes Porzellan.</p>',
          availability: 'out of stock',
          price: '21,50 EUR',
          brand: 'KETTLE AND CO',
          gtin: '8,71234E+12',
          shipping_weight: '0,41 kg',
          product_weight: '0.39 kg',
        }),
        xmlRow({
          id: 'MULTI',
          price: '10.00 USD',
          gtin: '4012345678901,4012345678918',
          size: '500 ml',
          google_product_category: '736',
        }),
      ),
    );
    expect(run.records[0]).toMatchObject({
      description: 'Our everyday tee in 100% organic cotton.\nCrew neck',
      options: { color: 'Black', size: 'M' },
      priceMinor: 2900,
      salePriceMinor: 2400,
      weightG: 180,
    });
    expect(run.records[1]).toMatchObject({
      currency: 'EUR',
      priceMinor: 2150,
      gtinStatus: 'mangled',
      gtinRaw: '8,71234E+12',
      weightG: 390,
      availability: 'out_of_stock',
    });
    expect(run.records[2]).toMatchObject({
      gtin: '04012345678901',
      attributes: { gtins: '4012345678901,4012345678918', size: '500 ml', google_product_category: '736' },
      category: ['736'],
    });
    expect(run.warnings.map((w) => [w.line, w.code])).toEqual([
      [3, 'gtin_scientific_notation'],
      [3, 'decimal_comma'],
    ]);
  });

  it('keeps a sale price only when it is below the price', () => {
    const run = runAdapter(
      gmcAdapter,
      table(['id', 'price', 'sale_price'], ['A', '20.00 USD', '25.00 USD'], ['B', '', '15.00 USD']),
    );
    expect(run.records[0]).toMatchObject({ priceMinor: 2000, salePriceMinor: null });
    expect(run.records[1]).toMatchObject({ priceMinor: 1500, salePriceMinor: null, currency: 'USD' });
  });

  it('refuses an item without id and a header without id', () => {
    expect(() => runAdapter(gmcAdapter, table(['id', 'title'], [' ', 'Nameless']))).toThrow(
      'sample, line 2, field "id"',
    );
    expect(() => gmcAdapter.bind(['title', 'price'], { file: 'feed.xml' })).toThrow(
      'feed.xml, line 1, field "id"',
    );
  });
});
