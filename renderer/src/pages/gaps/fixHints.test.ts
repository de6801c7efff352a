import { describe, expect, it } from 'vitest';
import { FormatSchema, GAP_KINDS } from '../../../../core/api/contract';
import { FIX_HINTS, fixHint } from './fixHints';

/** Each channel's own words: its admin, or (Google) the feed attribute the kind is about. */
const OWN_WORDS: Record<string, RegExp> = {
  shopify: /^Shopify admin › /,
  woocommerce: /^WooCommerce › /,
  amazon: /^Seller Central › /,
  gmc: /^Merchant Center: /,
};

const GMC_ATTRIBUTE: Record<string, string> = {
  price_mismatch: 'price',
  sale_price_mismatch: 'sale_price',
  availability_mismatch: 'availability',
  title_mismatch: 'title',
  category_mismatch: 'google_product_category',
  weight_mismatch: 'shipping_weight',
  invalid_gtin: 'gtin',
  missing_gtin: 'gtin',
  missing_image: 'image_link',
  variant_missing: 'item_group_id',
  missing_in_channel: 'id',
};

describe('fix hints', () => {
  it('have one line for every gap kind (DESIGN.md "Gaps") in every channel format', () => {
    for (const format of FormatSchema.options) {
      for (const kind of GAP_KINDS) {
        const hint = FIX_HINTS[format][kind];
        expect(hint, `${format} ${kind}`).toMatch(/\S/);
        expect(hint, `${format} ${kind}: one line`).not.toMatch(/\n/);
        expect(hint.length, `${format} ${kind}: one line`).toBeLessThanOrEqual(170);
        if (OWN_WORDS[format]) expect(hint, `${format} ${kind}`).toMatch(OWN_WORDS[format]);
      }
    }
  });

  it('name the Merchant Center attribute each kind is about', () => {
    for (const kind of GAP_KINDS)
      expect(FIX_HINTS.gmc[kind], kind).toMatch(new RegExp(`\\b${GMC_ATTRIBUTE[kind]}\\b`));
  });

  it('read as generic for a format Concord does not know', () => {
    expect(fixHint('price_mismatch', 'shopify')).toContain('Compare-at price');
    expect(fixHint('price_mismatch', undefined)).toBe(FIX_HINTS.csv.price_mismatch);
  });
});
