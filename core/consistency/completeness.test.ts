import { describe, expect, it } from 'vitest';
import { ChannelCompletenessSchema } from '../api/contract.js';
import { ATTRIBUTE_SPECS, CompletenessTally, productGrade, recordCompleteness } from './completeness.js';
import type { ProductRecord } from './types.js';
import { productRecord } from '../test-support/productRecord.js';

/** A record with every attribute any format asks for. */
function full(over: Partial<ProductRecord> = {}): ProductRecord {
  return productRecord({
    parentId: 'tee',
    title: 'Tee',
    hasDescription: true,
    brand: 'Northwind',
    brandKey: 'northwind',
    gtin: '00012345678905',
    gtinRaw: '012345678905',
    gtinStatus: 'valid',
    mpn: 'NW-1',
    sku: 'SKU-1',
    priceMinor: 1999,
    currency: 'USD',
    availability: 'in_stock',
    weightG: 200,
    category: 'Apparel > Tees',
    imageUrl: 'https://example.com/tee.jpg',
    link: 'https://example.com/tee',
    condition: 'new',
    status: 'active',
    tags: ['cotton'],
    options: { Size: 'M' },
    ...over,
  });
}

/** A record with nothing but its identity. */
const bare = productRecord;

/** Google's attributes, required and recommended, in its own words. */
const GMC_ATTRIBUTES = {
  required: [
    'id',
    'title',
    'description',
    'link',
    'image_link',
    'availability',
    'price',
    'brand',
    'gtin|mpn',
    'condition',
  ],
  recommended: ['google_product_category|product_type', 'shipping_weight', 'item_group_id'],
};

describe('ATTRIBUTE_SPECS', () => {
  it("names attributes in each channel's own words", () => {
    const names = (format: string) => ({
      required: ATTRIBUTE_SPECS[format].required.map((a) => a.name),
      recommended: ATTRIBUTE_SPECS[format].recommended.map((a) => a.name),
    });
    expect(names('gmc')).toEqual(GMC_ATTRIBUTES);
    expect(names('shopify').required).toEqual([
      'Handle',
      'Title',
      'Body (HTML)',
      'Vendor',
      'Variant SKU',
      'Variant Price',
      'Image Src',
    ]);
    expect(names('woocommerce').required).toEqual(['Name', 'SKU', 'Regular price', 'Description', 'Images']);
    expect(names('amazon').required).toEqual(['seller-sku', 'item-name', 'price', 'product-id', 'quantity']);
    expect(names('csv')).toEqual({
      required: ['title', 'price'],
      recommended: ['gtin', 'image', 'description', 'brand'],
    });
    expect(names('jsonl')).toEqual(names('csv'));
  });
});

describe('recordCompleteness', () => {
  it('a full record has everything, for every format', () => {
    for (const format of Object.keys(ATTRIBUTE_SPECS)) {
      const spec = ATTRIBUTE_SPECS[format];
      expect(recordCompleteness(full({ format })), format).toEqual({
        required: spec.required.length,
        requiredPresent: spec.required.length,
        recommended: spec.recommended.length,
        recommendedPresent: spec.recommended.length,
        missing: [],
      });
    }
  });

  it('lists what a Google record lacks, required first', () => {
    const k = recordCompleteness(bare({ format: 'gmc', recordId: 'G-1', options: { Size: 'M' } }));
    expect(k).toEqual({
      required: 10,
      requiredPresent: 1,
      recommended: 3,
      recommendedPresent: 0,
      missing: [...GMC_ATTRIBUTES.required.filter((a) => a !== 'id'), ...GMC_ATTRIBUTES.recommended],
    });
  });

  it('gtin|mpn is satisfied by either; an invalid GTIN still counts as present', () => {
    const gmc = (over: Partial<ProductRecord>) =>
      recordCompleteness(full({ format: 'gmc', ...over })).missing;
    expect(gmc({ gtin: null, gtinRaw: null })).toEqual([]);
    expect(gmc({ mpn: null })).toEqual([]);
    expect(gmc({ gtin: null, gtinRaw: null, mpn: null })).toEqual(['gtin|mpn']);
    expect(gmc({ gtin: null, gtinRaw: '123', gtinStatus: 'invalid', mpn: null })).toEqual([]);
  });

  it('item_group_id is only asked of records with options', () => {
    const withOptions = recordCompleteness(full({ format: 'gmc', parentId: null }));
    expect(withOptions.missing).toEqual(['item_group_id']);
    expect(withOptions.recommended).toBe(3);
    const simple = recordCompleteness(full({ format: 'gmc', parentId: null, options: {} }));
    expect(simple.missing).toEqual([]);
    expect(simple.recommended).toBe(2);
  });

  it('judges unknown formats like generic CSV', () => {
    expect(recordCompleteness(bare({ format: 'ebay' })).missing).toEqual([
      'title',
      'price',
      'gtin',
      'image',
      'description',
      'brand',
    ]);
  });

  it('counts a zero price as present and empty text as missing', () => {
    const k = recordCompleteness(full({ format: 'csv', priceMinor: 0, title: '' }));
    expect(k.missing).toEqual(['title']);
    expect(k.requiredPresent).toBe(1);
  });
});

describe('CompletenessTally', () => {
  it('sums per channel in priority order, with per-attribute counts and percentages rounded to 0.1', () => {
    const tally = new CompletenessTally();
    tally.add(full({ channel: 'google', channelIndex: 1, format: 'gmc' }));
    tally.add(full({ channel: 'google', channelIndex: 1, format: 'gmc', link: null, weightG: null }));
    tally.add(full({ channel: 'google', channelIndex: 1, format: 'gmc', options: {}, parentId: null }));
    const shop = [full(), full({ imageUrl: null, tags: [] }), full({ imageUrl: null, sku: null })];
    for (const r of shop) tally.add(r, recordCompleteness(r));
    const result = tally.result();
    for (const c of result) ChannelCompletenessSchema.parse(c);
    expect(result.map((c) => c.channel)).toEqual(['shop', 'google']);

    const [s, g] = result;
    expect(s).toMatchObject({
      channel: 'shop',
      format: 'shopify',
      records: 3,
      // 21 required cells, 3 missing; 12 recommended, 1 missing
      requiredPct: 85.7,
      recommendedPct: 91.7,
      completeRecords: 1,
    });
    expect(s.attributes.find((a) => a.attribute === 'Image Src')).toEqual({
      attribute: 'Image Src',
      required: true,
      present: 1,
      pct: 33.3,
    });
    expect(s.attributes.find((a) => a.attribute === 'Tags')).toEqual({
      attribute: 'Tags',
      required: false,
      present: 2,
      pct: 66.7,
    });
    expect(s.attributes.filter((a) => a.required)).toHaveLength(7);

    expect(g).toMatchObject({ records: 3, requiredPct: 96.7, completeRecords: 2 });
    // item_group_id applied to two records (those with options), both have it
    expect(g.attributes.find((a) => a.attribute === 'item_group_id')).toEqual({
      attribute: 'item_group_id',
      required: false,
      present: 2,
      pct: 100,
    });
    // 8 recommended cells (3 + 3 + 2), one shipping_weight missing
    expect(g.recommendedPct).toBe(87.5);
  });

  it('leaves out attributes that applied to no record', () => {
    const tally = new CompletenessTally();
    tally.add(full({ format: 'gmc', options: {} }));
    const [g] = tally.result();
    expect(g.attributes.map((a) => a.attribute)).not.toContain('item_group_id');
    expect(g.recommendedPct).toBe(100);
  });

  it('keeps a channel that mixes formats apart per format', () => {
    const tally = new CompletenessTally();
    tally.add(full({ format: 'shopify' }));
    tally.add(bare({ format: 'csv' }));
    expect(tally.result().map((c) => [c.channel, c.format, c.requiredPct])).toEqual([
      ['shop', 'csv', 0],
      ['shop', 'shopify', 100],
    ]);
  });

  it('is empty with no records', () => {
    expect(new CompletenessTally().result()).toEqual([]);
  });
});

describe('productGrade', () => {
  const none = { high: 0, medium: 0, low: 0 };

  it('grades completeness alone at each threshold', () => {
    expect(productGrade(100, none)).toBe('A');
    expect(productGrade(90, none)).toBe('A');
    expect(productGrade(89.9, none)).toBe('B');
    expect(productGrade(75, none)).toBe('B');
    expect(productGrade(74.9, none)).toBe('C');
    expect(productGrade(60, none)).toBe('C');
    expect(productGrade(59.9, none)).toBe('D');
    expect(productGrade(40, none)).toBe('D');
    expect(productGrade(39.9, none)).toBe('E');
    expect(productGrade(0, none)).toBe('E');
  });

  it('takes 25 per high, 10 per medium and 4 per low open gap', () => {
    expect(productGrade(100, { high: 1, medium: 0, low: 0 })).toBe('B'); // 75
    expect(productGrade(100, { high: 2, medium: 0, low: 0 })).toBe('D'); // 50
    expect(productGrade(100, { high: 3, medium: 0, low: 0 })).toBe('E'); // 25
    expect(productGrade(100, { high: 0, medium: 1, low: 0 })).toBe('A'); // 90
    expect(productGrade(100, { high: 0, medium: 2, low: 0 })).toBe('B'); // 80
    expect(productGrade(100, { high: 0, medium: 0, low: 2 })).toBe('A'); // 92
    expect(productGrade(100, { high: 0, medium: 0, low: 3 })).toBe('B'); // 88
    expect(productGrade(100, { high: 1, medium: 1, low: 1 })).toBe('C'); // 61
    expect(productGrade(100, { high: 1, medium: 1, low: 2 })).toBe('D'); // 57
    expect(productGrade(95, { high: 0, medium: 2, low: 0 })).toBe('B'); // 75
    expect(productGrade(95, { high: 0, medium: 2, low: 1 })).toBe('C'); // 71
  });
});
