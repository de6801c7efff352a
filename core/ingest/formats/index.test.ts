import { readFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { PRODUCT_FORMATS } from '../../model/record.js';
import { DETECT_THRESHOLD, FORMAT_ADAPTERS, adapterFor, detectFormat } from './index.js';
import { parseTable, readSample, runAdapter } from './testkit.js';
import { shopifyAdapter } from './shopify.js';
import { GMC_ATTRIBUTES } from '../xml.js';

function sampleBytes(name: string): Buffer {
  return readFileSync(new URL(`../../../fixtures/samples/${name}`, import.meta.url));
}

describe('FORMAT_ADAPTERS', () => {
  it('has one adapter per product format', () => {
    expect(FORMAT_ADAPTERS.map((a) => a.name).sort()).toEqual([...PRODUCT_FORMATS].sort());
    for (const a of FORMAT_ADAPTERS) expect(a.label.length).toBeGreaterThan(3);
    expect(adapterFor('gmc')?.name).toBe('gmc');
    expect(adapterFor('magento')).toBeUndefined();
  });
});

describe('detectFormat', () => {
  it.each([
    ['shopify-2024.csv', 'shopify'],
    ['shopify-classic.csv', 'shopify'],
    ['woocommerce.csv', 'woocommerce'],
    ['gmc.tsv', 'gmc'],
    ['amazon-listings.tsv', 'amazon'],
  ])('%s -> %s', (name, format) => {
    const d = detectFormat(readSample(name).header);
    expect(d.format).toBe(format);
    expect(d.confidence).toBeGreaterThanOrEqual(0.9);
    expect(d.ranking[0]).toEqual({ format, confidence: d.confidence });
    expect(d.ranking).toHaveLength(FORMAT_ADAPTERS.length);
    // discriminative: the runner-up is far behind
    expect(d.ranking[1].confidence).toBeLessThan(DETECT_THRESHOLD);
  });

  it('detects the XML feeds header as gmc', () => {
    expect(detectFormat([...GMC_ATTRIBUTES])).toMatchObject({ format: 'gmc', confidence: 1 });
  });

  it.each([['generic-products.csv'], ['interactions.csv'], ['orders.csv']])(
    '%s matches no product format',
    (name) => {
      const d = detectFormat(readSample(name).header);
      expect(d.confidence).toBeLessThan(DETECT_THRESHOLD);
      for (const r of d.ranking) expect(r.confidence).toBeLessThan(DETECT_THRESHOLD);
    },
  );

  it('scores junk headers below the threshold everywhere', () => {
    for (const header of [
      [],
      [''],
      ['a', 'b', 'c'],
      ['\u0000\u0001', 'ÿþ'],
      ['id'],
      ['title', 'price'],
      ['Name', 'SKU', 'Price', 'Description'],
    ]) {
      expect(detectFormat(header).confidence).toBeLessThan(DETECT_THRESHOLD);
    }
  });

  it('chooses the generic format when a mapping fits', () => {
    const header = readSample('generic-products.csv').header;
    expect(detectFormat(header, { mapping: { recordId: 'product_id', title: 'name' } })).toMatchObject({
      format: 'csv',
      confidence: 1,
    });
    expect(detectFormat(header, { mapping: { recordId: 'product_id' }, generic: 'jsonl' })).toMatchObject({
      format: 'jsonl',
      confidence: 1,
    });
    expect(
      detectFormat(header, { mapping: { recordId: 'nope' } }).ranking.find((r) => r.format === 'csv')
        ?.confidence,
    ).toBe(0);
    // a mapping given for a file that is also a known export: the user's choice wins the tie
    expect(detectFormat(readSample('gmc.tsv').header, { mapping: { recordId: 'id' } }).format).toBe('csv');
  });
});

describe('encoded samples (fixtures/samples/make-encoded.mjs)', () => {
  it('UTF-8 with BOM, UTF-16 LE and BE all decode to the same Shopify table', () => {
    const utf8 = iconv.decode(sampleBytes('shopify-utf8-bom.csv'), 'utf8');
    const le = iconv.decode(sampleBytes('shopify-utf16le.csv'), 'utf-16le');
    const be = iconv.decode(sampleBytes('shopify-utf16be.csv'), 'utf-16be');
    expect(sampleBytes('shopify-utf8-bom.csv').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(sampleBytes('shopify-utf16le.csv').subarray(0, 2)).toEqual(Buffer.from([0xff, 0xfe]));
    expect(sampleBytes('shopify-utf16be.csv').subarray(0, 2)).toEqual(Buffer.from([0xfe, 0xff]));
    expect(le).toBe(utf8);
    expect(be).toBe(utf8);
    const t = parseTable(utf8);
    expect(detectFormat(t.header).format).toBe('shopify');
    const run = runAdapter(shopifyAdapter, t);
    expect(run.records.map((r) => r.title)).toEqual([
      'Café Crème Tasse – 250 ml',
      'Müsli-Schale „Nordlicht“',
      'Müsli-Schale „Nordlicht“',
      'Brightline Espresso-Set • 2 Tassen',
    ]);
    expect(run.records[2].options).toEqual({ Farbe: 'Moosgrün' });
  });

  it('Windows-1252 WooCommerce export carries é ü € ™ as single bytes', () => {
    const bytes = sampleBytes('woocommerce-windows1252.csv');
    expect(bytes.includes(0x80)).toBe(true); // €
    expect(bytes.includes(0x99)).toBe(true); // ™
    const text = iconv.decode(bytes, 'windows-1252');
    expect(text).toContain('Café');
    expect(text).toContain('Müsli');
    const t = parseTable(text);
    expect(detectFormat(t.header).format).toBe('woocommerce');
    const run = runAdapter(adapterFor('woocommerce')!, t);
    expect(run.records.map((r) => r.priceMinor)).toEqual([1290, 1950, 2490]);
    expect(run.records[2].brand).toBe('Brightline');
    expect(run.records[1].description).toContain('19,50 €');
  });

  it('GB18030 GMC feed decodes to Chinese titles', () => {
    const text = iconv.decode(sampleBytes('gmc-gb18030.tsv'), 'gb18030');
    const t = parseTable(text, '\t');
    expect(detectFormat(t.header).format).toBe('gmc');
    const run = runAdapter(adapterFor('gmc')!, t);
    expect(run.records.map((r) => r.title)).toEqual([
      '不锈钢法压壶 1升',
      '陶瓷手冲滤杯 白色',
      '无线降噪耳机 Pro(黑色)',
      '美利奴羊毛针织帽 炭灰色',
    ]);
    // `￥` is yuan or yen: kept unknown, with a warning
    expect(run.records.map((r) => [r.priceMinor, r.currency])).toEqual([
      [25900, 'CNY'],
      [13900, 'CNY'],
      [59900, null],
      [21900, 'CNY'],
    ]);
    expect(run.warnings).toEqual([
      expect.objectContaining({ line: 4, field: 'price', code: 'unknown_currency' }),
    ]);
    expect(run.records[3].brandKey).toBe('北风户外');
  });
});
