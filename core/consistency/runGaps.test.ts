import { describe, expect, it } from 'vitest';
import type { ProductCluster } from './detect.js';
import { joinVariantTwins, productFamilies } from './runGaps.js';
import type { ProductRecord } from './types.js';

function rec(
  ref: number,
  channel: string,
  channelIndex: number,
  parentId: string | null,
  options: Record<string, string>,
): ProductRecord {
  return {
    ref,
    channel,
    channelIndex,
    format: channel,
    recordId: `${channel}-${ref}`,
    parentId,
    sourceId: channelIndex + 1,
    line: ref + 1,
    title: 'Tee',
    hasDescription: false,
    brand: null,
    brandKey: null,
    gtin: null,
    gtinRaw: null,
    gtinStatus: 'absent',
    mpn: null,
    sku: null,
    priceMinor: null,
    salePriceMinor: null,
    currency: null,
    availability: null,
    weightG: null,
    category: null,
    imageUrl: null,
    link: null,
    condition: null,
    status: null,
    tags: [],
    options,
  };
}

function cluster(records: ProductRecord[]): ProductCluster {
  return {
    clusterId: records[0].ref,
    records,
    golden: {
      clusterId: records[0].ref,
      title: 'Tee',
      options: records[0].options,
      gtin: null,
      priceMinor: null,
      salePriceMinor: null,
      currency: null,
      availability: null,
      weightG: null,
      category: null,
      imageUrl: null,
      from: {},
    },
  };
}

describe('product families and variant twins', () => {
  const shopM = rec(1, 'shopify', 0, 'tee', { Size: 'M', Color: 'Navy' });
  const wooM = rec(2, 'woocommerce', 1, '10', { Size: 'M', Color: 'Navy' });
  const shopL = rec(3, 'shopify', 0, 'tee', { Size: 'L', Color: 'Navy' });
  const googleM = rec(4, 'google', 2, 'GRP-1', { size: 'Medium', color: 'navy' });
  const googleL = rec(5, 'google', 2, 'GRP-1', { size: 'L', color: 'navy' });

  it('joins clusters through the channels own product grouping', () => {
    const clusters = [cluster([shopM, wooM]), cluster([shopL, googleL]), cluster([googleM])];
    const family = productFamilies(clusters);
    expect(new Set(family).size).toBe(1);
  });

  it('reads a variant alignment left apart, with the same options and no channel in common, as one product', () => {
    const joined = joinVariantTwins([cluster([shopM, wooM]), cluster([shopL, googleL]), cluster([googleM])]);
    expect(joined.map((c) => c.records.map((r) => r.ref))).toEqual([
      [1, 2, 4],
      [3, 5],
    ]);
    expect(joined[0].clusterId).toBe(1);
  });

  it('leaves apart variants that share a channel or differ in an option', () => {
    const otherShopM = rec(6, 'shopify', 0, 'tee', { Size: 'M', Color: 'Navy' });
    const joined = joinVariantTwins([cluster([shopM]), cluster([otherShopM]), cluster([shopL])]);
    expect(joined).toHaveLength(3);
  });
});
