import { describe, expect, it } from 'vitest';
import type { ProductCluster } from './detect.js';
import { attachByModelCode, decideProducts, joinVariantTwins, productFamilies } from '../align/products.js';
import type { ProductRecord } from './types.js';
import { productRecord } from '../test-support/productRecord.js';
import { CategoryModel } from './categoryMap.js';
import { FamilyPairings, RememberedJudge, unsureChannels } from './runGaps.js';
import { join } from 'node:path';
import { openWorkspace } from '../store/workspace.js';
import { useTempDir } from '../test-support/tmp.js';

function rec(
  ref: number,
  channel: string,
  channelIndex: number,
  parentId: string | null,
  options: Record<string, string>,
): ProductRecord {
  return productRecord({
    ref,
    channel,
    channelIndex,
    format: channel,
    recordId: `${channel}-${ref}`,
    parentId,
    sourceId: channelIndex + 1,
    line: ref + 1,
    title: 'Tee',
    options,
  });
}

function cluster(records: ProductRecord[]): ProductCluster {
  return {
    clusterId: records[0].ref,
    records,
    golden: {
      clusterId: records[0].ref,
      title: records[0].title,
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

  it("decides each cluster's product (the twin holding the highest-priority record) and family", () => {
    const shopL2 = rec(7, 'shopify', 0, 'tee', { Size: 'XL', Color: 'Navy' });
    expect(
      decideProducts([
        cluster([googleM]),
        cluster([shopM, wooM]),
        cluster([shopL, googleL]),
        cluster([shopL2]),
      ]),
    ).toEqual([
      { clusterId: 4, productId: 1, familyId: 1 },
      { clusterId: 1, productId: 1, familyId: 1 },
      { clusterId: 3, productId: 3, familyId: 1 },
      { clusterId: 7, productId: 7, familyId: 1 },
    ]);
  });

  it('leaves apart variants that share a channel or differ in an option', () => {
    const otherShopM = rec(6, 'shopify', 0, 'tee', { Size: 'M', Color: 'Navy' });
    const joined = joinVariantTwins([cluster([shopM]), cluster([otherShopM]), cluster([shopL])]);
    expect(joined).toHaveLength(3);
  });
});

describe('products of channels without a grouping', () => {
  const titled = (r: ProductRecord, title: string, brandKey: string | null): ProductRecord => ({
    ...r,
    title,
    brandKey,
  });
  it('join the family whose titles carry their model code, or whose words their title has', () => {
    const clusters = [
      cluster([
        titled(rec(1, 'shopify', 0, 'card', { Capacity: '64GB' }), 'PNY PRO Elite SDXC P-SDU235', 'pny'),
      ]),
      cluster([
        titled(rec(2, 'shopify', 0, 'card', { Capacity: '128GB' }), 'PNY PRO Elite SDXC P-SDU235', 'pny'),
      ]),
      cluster([
        titled(rec(3, 'amazon', 1, null, {}), 'Pny PRO Elite SDXC Memory Card P-SDU235, 256GB', null),
      ]),
      cluster([titled(rec(4, 'amazon', 1, null, {}), 'Pny PRO Elite SDXC Memory Card P-SDU999, 64GB', null)]),
      cluster([
        titled(
          rec(5, 'shopify', 0, 'hoodie', { Size: 'S' }),
          'adidas Unisex Coastline Full-Zip Hoodie',
          'adidas',
        ),
      ]),
      cluster([
        titled(rec(6, 'amazon', 1, null, {}), 'adidas Unisex Coastline Full-Zip Hoodie, M, Black', null),
      ]),
    ];
    const family = productFamilies(clusters);
    attachByModelCode(clusters, family);
    expect(family[2]).toBe(family[0]);
    expect(family[3]).toBe(3);
    expect(family[5]).toBe(family[4]);
  });
});

describe('category judgements remembered per pairing', () => {
  it('answers as the model does, asked again or in another order', () => {
    const m = new CategoryModel();
    for (let i = 0; i < 6; i++) {
      m.observe('woo', 'Clothing > Tops', 'Apparel > Shirts');
      m.observe('woo', 'Kitchen > Knives', 'Home > Kitchen > Knives');
      m.observe('shopify', 'Knives', 'Home > Kitchen > Knives');
    }
    m.observe('woo', 'Kitchen > Knives', 'Apparel > Shirts');
    const pairings: [string, string, string][] = [];
    for (const channel of ['woo', 'shopify'])
      for (const category of ['Clothing > Tops', 'Kitchen > Knives', 'Knives'])
        for (const golden of ['Apparel > Shirts', 'Home > Kitchen > Knives'])
          pairings.push([channel, category, golden]);
    const judge = new RememberedJudge(m);
    const expected = pairings.map(([c, k, g]) => m.disagrees(c, k, g));
    expect(expected).toContain(true);
    expect(expected).toContain(false);
    expect(pairings.map(([c, k, g]) => judge.disagrees(c, k, g))).toEqual(expected);
    expect([...pairings].reverse().map(([c, k, g]) => judge.disagrees(c, k, g))).toEqual(
      [...expected].reverse(),
    );
  });
});

describe('pairings per product family', () => {
  it('is true once per family and pairing', () => {
    const p = new FamilyPairings();
    expect(p.firstTime(1, 'woo', 'Tops', 'Apparel > Shirts')).toBe(true);
    expect(p.firstTime(1, 'woo', 'Tops', 'Apparel > Shirts')).toBe(false);
    expect(p.firstTime(2, 'woo', 'Tops', 'Apparel > Shirts')).toBe(true);
    expect(p.firstTime(1, 'shopify', 'Tops', 'Apparel > Shirts')).toBe(true);
    expect(p.firstTime(1, 'woo', 'Tops > Tees', 'Apparel > Shirts')).toBe(true);
    expect(p.firstTime(1, 'woo', 'Tops', 'Apparel')).toBe(true);
    expect(p.firstTime(1, 'woo', 'Tops', 'Apparel')).toBe(false);
  });
});

describe('unsureChannels', () => {
  const tmp = useTempDir();

  it('lets a close record stand for its product on every channel of that product, both ways', () => {
    const ws = openWorkspace(join(tmp(), 'ws.concord'), { create: true });
    try {
      // X: a WooCommerce record alone; Y: its Shopify and Google twins. X scored 0.88 against Y's Google record.
      const x = cluster([rec(10, 'woocommerce', 1, null, {})]);
      const y = cluster([rec(20, 'shopify', 0, null, {}), rec(30, 'google', 2, null, {})]);
      const z = cluster([rec(40, 'shopify', 0, null, {})]);
      const insert = ws.db.prepare(
        'INSERT INTO pair_scores (a, b, probability, model, evidence) VALUES (?, ?, ?, ?, 0)',
      );
      insert.run(10, 30, 0.88, 0.88);
      // Below the unsure probability: no stand-in.
      insert.run(10, 40, 0.1, 0.1);
      const unsure = unsureChannels(ws.db, [x, y, z]);
      expect([...unsure.get(x.clusterId)!.keys()].sort()).toEqual(['google', 'shopify']);
      expect(unsure.get(x.clusterId)!.get('shopify')).toEqual({ a: 10, b: 30, probability: 0.88 });
      expect([...unsure.get(y.clusterId)!.keys()]).toEqual(['woocommerce']);
      expect(unsure.has(z.clusterId)).toBe(false);
    } finally {
      ws.close();
    }
  });
});
