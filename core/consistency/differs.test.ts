import { describe, expect, it } from 'vitest';
import { CategoryModel, StoredCategoryMap } from './categoryMap.js';
import { DEFAULT_TOLERANCES } from './settings.js';
import {
  differingFromGolden,
  fieldDiffers,
  titleConflicts,
  type CompareValues,
  type DiffersContext,
} from './differs.js';

const golden: CompareValues = {
  channel: 'shopify',
  title: 'Acme Runner 2 Trail Shoe',
  brand: 'Acme',
  gtin: '00012345678905',
  mpn: 'AR-2',
  sku: 'AR2-42',
  priceMinor: 12000,
  salePriceMinor: null,
  currency: 'EUR',
  availability: 'in_stock',
  weightG: 520,
  category: 'Apparel > Shoes',
  imageUrl: 'https://cdn.example/ar2.jpg',
  options: { Size: '42' },
};
const mapped = new StoredCategoryMap([
  { channel: 'woo', category: 'Schuhe', mapsTo: 'Apparel > Shoes', support: 9, source: 'learned' },
  { channel: 'woo', category: 'Zubehör', mapsTo: 'Apparel > Accessories', support: 4, source: 'learned' },
  { channel: 'woo', category: 'Diverses', mapsTo: null, support: 2, source: 'user' },
]);
/** Coverage: what each channel's export carries at all (here `woo` has no sale prices anywhere). */
const ctx: DiffersContext = { tolerances: DEFAULT_TOLERANCES, categories: mapped, coverage: new Map() };
const withSales: DiffersContext = { ...ctx, coverage: new Map([['woo', new Set(['salePrice'] as const)]]) };
const record = (over: Partial<CompareValues>): CompareValues => ({ ...golden, channel: 'woo', ...over });

describe('differs: one rule for detection, the Matches page and the product drawer', () => {
  it('finds nothing in a record written differently but saying the same', () => {
    const same = record({
      title: 'ACME runner 2 trail shoe - 42',
      brand: 'ACME',
      mpn: 'ar 2',
      priceMinor: 12100, // 0.8 %: within the 1 % price tolerance
      weightG: 540, // 3.8 %: within the 5 % weight tolerance
      availability: 'in_stock',
      category: 'Schuhe', // the learned mapping sends it to the golden category
      options: { size: '42' },
    });
    expect(differingFromGolden(same, golden, ctx)).toEqual([]);
  });

  it('names each field beyond its rule', () => {
    const other = record({
      title: 'Acme Runner 3 Trail Shoe',
      gtin: '00012345678912',
      priceMinor: 12200,
      salePriceMinor: null,
      availability: 'out_of_stock',
      weightG: 560,
      category: 'Zubehör',
      imageUrl: 'https://cdn.example/other.jpg',
    });
    expect(differingFromGolden(other, golden, ctx)).toEqual([
      'title',
      'gtin',
      'price',
      'availability',
      'weight',
      'category',
      'image',
    ]);
  });

  it('reads tolerances from the settings given', () => {
    const r = record({ priceMinor: 13000 });
    expect(fieldDiffers('price', r, golden, ctx)).toBe(true);
    expect(
      fieldDiffers('price', r, golden, { ...ctx, tolerances: { ...DEFAULT_TOLERANCES, pricePct: 10 } }),
    ).toBe(false);
  });

  it('does not compare prices in other currencies, missing values, or categories pinned to nothing', () => {
    expect(fieldDiffers('price', record({ priceMinor: 9000, currency: 'USD' }), golden, ctx)).toBe(false);
    expect(fieldDiffers('weight', record({ weightG: null }), golden, ctx)).toBe(false);
    expect(fieldDiffers('category', record({ category: 'Diverses' }), golden, ctx)).toBe(false);
    expect(fieldDiffers('category', record({ category: 'Unknown here' }), golden, ctx)).toBe(false);
    expect(fieldDiffers('category', record({ category: 'Apparel' }), golden, ctx)).toBe(false);
  });

  it('compares availability by whether the product sells now', () => {
    expect(fieldDiffers('availability', record({ availability: 'preorder' }), golden, ctx)).toBe(true);
    const out = { ...golden, availability: 'out_of_stock' };
    expect(fieldDiffers('availability', record({ availability: 'preorder' }), out, ctx)).toBe(false);
  });

  it('counts a sale price on one side only, where the channel has sale prices and the golden record says none', () => {
    const noSale = { ...golden, salePriceMinor: null, noSale: true };
    expect(fieldDiffers('salePrice', record({ salePriceMinor: 9900 }), noSale, ctx)).toBe(true);
    // The golden record does not know (its price's channel has no sale prices): nothing to compare.
    expect(
      fieldDiffers('salePrice', record({ salePriceMinor: 9900 }), { ...noSale, noSale: false }, ctx),
    ).toBe(false);
    const onSale = { ...golden, salePriceMinor: 9900 };
    expect(fieldDiffers('salePrice', record({ salePriceMinor: null }), onSale, withSales)).toBe(true);
    // A channel whose export carries no sale prices at all is not blamed for lacking one.
    expect(fieldDiffers('salePrice', record({ salePriceMinor: null }), onSale, ctx)).toBe(false);
    expect(fieldDiffers('salePrice', record({ salePriceMinor: null }), noSale, withSales)).toBe(false);
  });

  it('takes the learned model as judge the same way (gap detection)', () => {
    const model = new CategoryModel();
    for (let i = 0; i < 5; i++) model.observe('woo', 'Schuhe', 'Apparel > Shoes');
    for (let i = 0; i < 5; i++) model.observe('woo', 'Zubehör', 'Apparel > Accessories');
    const learned = { ...ctx, categories: model };
    expect(fieldDiffers('category', record({ category: 'Schuhe' }), golden, learned)).toBe(false);
    expect(fieldDiffers('category', record({ category: 'Zubehör' }), golden, learned)).toBe(true);
  });
});

describe('title identity read once per text', () => {
  const title = 'Acme Trail Shoe, 43';
  const shoe42 = { title: 'Acme Trail Shoe', options: { Size: '42' } };
  const shoe43 = { title: 'Acme Trail Shoe', options: { Size: '43' } };
  // 43 is the golden title's own number: it names no variant.
  const ownNumbers = { title: 'Acme Trail Shoe, 43', options: { Size: '42' } };

  it('answers the same however often and in whatever order a title is compared', () => {
    const fresh = [
      titleConflicts(shoe42, title),
      titleConflicts(shoe43, title),
      titleConflicts(ownNumbers, title),
    ];
    expect(fresh).toEqual([true, false, false]);
    // The golden title's own numbers are set aside for one comparison only, not for the next.
    for (let i = 0; i < 3; i++) {
      expect(titleConflicts(ownNumbers, title)).toBe(false);
      expect(titleConflicts(shoe42, title)).toBe(true);
      expect(titleConflicts({ ...shoe42 }, title)).toBe(true);
      expect(titleConflicts(shoe43, title)).toBe(false);
    }
  });

  it('tells apart golden records with one title and other options, compared in turn', () => {
    const options = [{ Size: '42' }, { Size: '43' }, { Size: '42' }, { Size: '43' }];
    expect(options.map((o) => titleConflicts({ title: shoe42.title, options: o }, title))).toEqual([
      true,
      false,
      true,
      false,
    ]);
  });
});
