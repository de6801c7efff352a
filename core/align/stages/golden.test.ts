import { describe, expect, it } from 'vitest';
import type { RecordColumns } from '../../store/records.js';
import { goldenRecords } from './golden.js';

/** Three records of one product (shopify, woocommerce, google), each with `sale` as its sale price. */
function columns(sale: (number | null)[], otherSales: (number | null)[] = []): RecordColumns {
  const n = sale.length + otherSales.length;
  const col = <T>(v: T): T[] => Array.from({ length: n }, () => v);
  return {
    channels: ['shopify', 'woocommerce', 'google'],
    id: Float64Array.from({ length: n }, (_, i) => i + 1),
    channel: Int32Array.from({ length: n }, (_, i) => i % 3),
    recordId: Array.from({ length: n }, (_, i) => `R${i}`),
    parentId: col(null),
    title: col('Tee'),
    hasDescription: new Uint8Array(n),
    brand: col(null),
    brandKey: col(null),
    gtin: col(null),
    mpn: col(null),
    sku: col(null),
    price: col(2500),
    salePrice: [...sale, ...otherSales],
    currency: col('USD'),
    availability: col(null),
    weight: col(null),
    category: col(null),
    image: col(null),
    link: col(null),
    options: col(null),
  };
}

/** Records 0-2 clustered together; any further records alone. */
function golden(c: RecordColumns) {
  const n = c.id.length;
  const cluster = Int32Array.from({ length: n }, (_, i) => (i < 3 ? 0 : i));
  return goldenRecords(c, cluster, new Uint8Array(n), new Float32Array(n).fill(1))[0];
}

describe('golden sale price', () => {
  it('follows the record the price came from, "no sale" included, with its provenance', () => {
    // Another Shopify product (record 4, alone) is on sale: Shopify exports sale prices.
    const g = golden(columns([null, 1900, null], [1700]));
    expect(g.priceMinor).toBe(2500);
    expect(g.salePriceMinor).toBeNull();
    // Stated: the system of record (records.id 1) has no sale, and its channel has sale prices elsewhere.
    expect(JSON.parse(g.provenance!).salePrice).toEqual([1, 'priority']);
  });

  it('falls back to survivorship where the price record channel has no sale prices at all', () => {
    // Shopify (channel 0) has no sale anywhere; WooCommerce has one.
    const g = golden(columns([null, 1900, 1900]));
    expect(g.salePriceMinor).toBe(1900);
    expect(JSON.parse(g.provenance!).salePrice[1]).toBe('majority');
  });

  it('keeps the price record sale price when it has one', () => {
    const g = golden(columns([1800, null, 1900], [1700]));
    expect(g.salePriceMinor).toBe(1800);
  });
});

describe('golden record of a one-record cluster', () => {
  it('is the record itself, every value from it, without provenance', () => {
    const c = columns([1999]);
    c.image[0] = 'https://shop.example/tee.jpg';
    c.link[0] = 'https://shop.example/tee';
    c.weight[0] = 180.5;
    c.availability[0] = 'in_stock';
    c.options[0] = '{"Size":"M"}';
    const [row] = goldenRecords(c, Int32Array.from([0]), new Uint8Array(1), new Float32Array(1).fill(1));
    expect(row).toEqual({
      clusterId: 1,
      sourceRecord: 1,
      size: 1,
      channels: 'shopify',
      duplicates: 0,
      confidence: 1,
      title: 'Tee',
      brand: null,
      gtin: null,
      mpn: null,
      sku: null,
      priceMinor: 2500,
      salePriceMinor: 1999,
      currency: 'USD',
      availability: 'in_stock',
      weightG: 180.5,
      category: null,
      imageUrl: 'https://shop.example/tee.jpg',
      link: 'https://shop.example/tee',
      options: '{"Size":"M"}',
      provenance: null,
    });
  });
});
