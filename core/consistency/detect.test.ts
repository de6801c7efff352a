import { describe, expect, it } from 'vitest';
import type { CoveredField } from '../store/records.js';
import { productRecord } from '../test-support/productRecord.js';
import { recordGaps, type DetectedGap, type GoldenView, type ProductCluster } from './detect.js';
import type { CategoryJudge, DiffersContext } from './differs.js';
import { DEFAULT_TOLERANCES } from './settings.js';
import type { ProductRecord } from './types.js';

const sameCategory: CategoryJudge = { disagrees: () => false };

function context(coverage: Record<string, CoveredField[]>): DiffersContext {
  return {
    tolerances: DEFAULT_TOLERANCES,
    categories: sameCategory,
    coverage: new Map(Object.entries(coverage).map(([c, f]) => [c, new Set(f)])),
  };
}

const shop = productRecord({
  ref: 1,
  channel: 'shopify',
  recordId: 'TEE-M',
  gtin: '07350177880121',
  gtinRaw: '7350177880121',
  gtinStatus: 'valid',
  priceMinor: 2500,
  currency: 'EUR',
  imageUrl: 'https://cdn.example/tee.jpg',
});
const woo = (over: Partial<ProductRecord> = {}): ProductRecord =>
  productRecord({
    ref: 2,
    channel: 'woocommerce',
    channelIndex: 1,
    format: 'woocommerce',
    recordId: 'W-17',
    priceMinor: 2500,
    currency: 'EUR',
    imageUrl: 'https://cdn.example/tee-w.jpg',
    ...over,
  });

function cluster(records: ProductRecord[], golden: Partial<GoldenView> = {}): ProductCluster {
  return {
    clusterId: 1,
    records,
    golden: {
      clusterId: 1,
      title: null,
      options: {},
      gtin: shop.gtin,
      priceMinor: 2500,
      salePriceMinor: null,
      currency: 'EUR',
      availability: null,
      weightG: null,
      category: null,
      imageUrl: shop.imageUrl,
      from: { gtin: 1, price: 1, image: 1 },
      ...golden,
    },
  };
}

function kinds(c: ProductCluster, ctx: DiffersContext): string[] {
  const out: DetectedGap[] = [];
  recordGaps(c, ctx, out);
  return out.map((g) => `${g.kind}:${g.recordId}`);
}

describe('record gaps and what a channel exports at all', () => {
  it('blames a record without a GTIN only where its channel exports GTINs', () => {
    const c = cluster([shop, woo()]);
    expect(kinds(c, context({ shopify: ['gtin'], woocommerce: ['gtin'] }))).toEqual(['missing_gtin:W-17']);
    // A WooCommerce export without a GTIN column (before 9.2), or with it empty throughout: not per record.
    expect(kinds(c, context({ shopify: ['gtin'], woocommerce: [] }))).toEqual([]);
  });

  it('blames a record without an image only where its channel exports images', () => {
    const c = cluster([shop, woo({ imageUrl: null })]);
    expect(kinds(c, context({ shopify: ['image'], woocommerce: ['image'] }))).toEqual(['missing_image:W-17']);
    expect(kinds(c, context({ shopify: ['image'], woocommerce: [] }))).toEqual([]);
  });

  it('reports a sale price on one channel where the golden record states none, with "no sale price"', () => {
    const c = cluster([shop, woo({ salePriceMinor: 1900 })], { noSale: true, from: { salePrice: 1 } });
    const out: DetectedGap[] = [];
    recordGaps(c, context({ shopify: ['salePrice'], woocommerce: ['salePrice'] }), out);
    expect(out.map((g) => [g.kind, g.recordId, g.expected, g.actual])).toEqual([
      ['sale_price_mismatch', 'W-17', 'no sale price', '19.00 EUR'],
    ]);
  });

  it("shows a price an export gives without a currency (Shopify, Amazon) in the golden record's", () => {
    const c = cluster([shop, woo({ priceMinor: 2990, currency: null })]);
    const out: DetectedGap[] = [];
    recordGaps(c, context({}), out);
    expect(out.map((g) => [g.kind, g.recordId, g.expected, g.actual])).toEqual([
      ['price_mismatch', 'W-17', '25.00 EUR', '29.90 EUR'],
    ]);
  });
});
