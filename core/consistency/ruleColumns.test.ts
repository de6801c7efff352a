import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importFile, type ImportRequest } from '../ingest/importFile.js';
import { openWorkspace } from '../store/workspace.js';
import { gmcRss } from '../test-support/gmcRss.js';
import { useTempDir, writeTemp } from '../test-support/tmp.js';
import { loadRuleColumns } from './ruleColumns.js';

const SHOPIFY = [
  'Handle,Title,Body (HTML),Vendor,Type,Tags,Option1 Name,Option1 Value,Variant SKU,Variant Price,Status',
  'tee,Tee,"<p>Soft, light</p>',
  '<p>Second line</p>",Northwind,T-Shirts,"cotton, summer",Size,S,TEE-S,20.00,active',
  'tee,,,,,,,M,TEE-M,20.00,',
  'tee,,,,,,,L,TEE-L,20.00,',
  'knife,Chef Knife,Sharp,Northwind,Kitchen Knives,,Title,Default Title,KN-1,40.00,draft',
  'mug,Mug,Big,Northwind,,"",Title,Default Title,MUG-1,9.00,active',
].join('\n');

const WOO = [
  'ID,Type,SKU,Name,Published,In stock?,Regular price,Categories,Tags,Parent,Brands',
  '7,variation,MUG-L,"Mug - L",1,1,9.00,,,MUG,',
  '5,variable,MUG,Mug,1,1,,Kitchen,"gift, sale",,Harbor & Pine',
  '1,variable,TEE,Tee,1,1,,"Apparel > Tees",cotton,,Northwind',
  '2,variation,TEE-M,"Tee - M",1,1,20.00,,,id:1,',
  '3,variation,TEE-L,"Tee - L",1,1,20.00,,summer,id:1,',
  '4,simple,CAP,Cap,1,1,15.00,Apparel,,,',
].join('\n');

const RSS = gmcRss(
  [
    [
      '<g:id>G-1</g:id>',
      '<title>Plain title</title>',
      '<g:title>Google title</g:title>',
      '<g:price>20.00 USD</g:price>',
      '<g:custom_label_0>Summer</g:custom_label_0>',
      '<g:promotion_id>PROMO-7</g:promotion_id>',
      '<g:additional_image_link>https://x.example/a.jpg</g:additional_image_link>',
      '<g:additional_image_link>https://x.example/b.jpg</g:additional_image_link>',
    ],
    ['<g:id>G-2</g:id>', '<title>Only plain</title>', '<g:price>5.00 USD</g:price>'],
  ],
  'Feed',
);

const TSV = [
  'id\ttitle\tprice\tcustom_label_0',
  'T-1\tTee, black\t20.00 USD\tclearance',
  'T-2\t"Quoted ""tee"""\t21.00 USD\t',
].join('\n');

const SEMICOLON = [
  'product_id;name;price_eur;keywords',
  'MP-1;Tee;29,00;baumwolle|sommer',
  'MP-2;"Mug; large";9,00;küche',
].join('\n');

const JSONL = [
  '{"sku":"J-1","title":"Tee","price":20,"tags":["a","b"],"flag":true,"note":null}',
  '{"sku":"J-2","title":"Mug","price":9,"flag":false}',
].join('\n');

describe('loadRuleColumns', () => {
  const tmp = useTempDir();

  async function workspace(imports: Omit<ImportRequest, 'workspace'>[]) {
    const file = join(tmp(), 'ws.concord');
    openWorkspace(file, { create: true }).close();
    for (const req of imports) await importFile({ workspace: file, ...req });
    const ws = openWorkspace(file);
    const ids = new Map(
      (
        ws.db.prepare('SELECT channel, record_id, id FROM records').raw().all() as [string, string, number][]
      ).map(([channel, recordId, id]) => [`${channel}/${recordId}`, id]),
    );
    /** channel/recordId → its cells, as plain objects (undefined when it has none). */
    const load = (columns: Record<string, string[]>) => {
      const loaded = loadRuleColumns(ws.db, new Map(Object.entries(columns)));
      const byRecord: Record<string, Record<string, string>> = {};
      for (const [key, id] of ids) {
        const cells = loaded.get(id);
        if (cells) byRecord[key] = Object.fromEntries(cells);
      }
      return byRecord;
    };
    return { ws, load };
  }

  it('reads Shopify columns through quoted multi-line cells, and variants inherit the product row', async () => {
    const { ws, load } = await workspace([
      { file: writeTemp(tmp(), 'shopify.csv', SHOPIFY), channel: 'shop', format: 'shopify' },
    ]);
    try {
      expect(load({ Shop: ['type', 'TAGS', 'Body (HTML)', 'Nope'] })).toEqual({
        'shop/TEE-S': {
          type: 'T-Shirts',
          tags: 'cotton, summer',
          'body (html)': '<p>Soft, light</p>\n<p>Second line</p>',
        },
        'shop/TEE-M': {
          type: 'T-Shirts',
          tags: 'cotton, summer',
          'body (html)': '<p>Soft, light</p>\n<p>Second line</p>',
        },
        'shop/TEE-L': {
          type: 'T-Shirts',
          tags: 'cotton, summer',
          'body (html)': '<p>Soft, light</p>\n<p>Second line</p>',
        },
        'shop/KN-1': { type: 'Kitchen Knives', 'body (html)': 'Sharp' },
        'shop/MUG-1': { 'body (html)': 'Big' },
      });
      // A variant's own cell is not overwritten by the product row's.
      expect(load({ shop: ['Option1 Value'] })['shop/TEE-M']).toEqual({ 'option1 value': 'M' });
    } finally {
      ws.close();
    }
  });

  it('WooCommerce variations inherit their parent row, also one listed after them', async () => {
    const { ws, load } = await workspace([
      { file: writeTemp(tmp(), 'woo.csv', WOO), channel: 'web', format: 'woocommerce' },
    ]);
    try {
      expect(load({ web: ['Tags', 'Brands'] })).toEqual({
        'web/TEE-M': { tags: 'cotton', brands: 'Northwind' },
        'web/TEE-L': { tags: 'summer', brands: 'Northwind' },
        'web/MUG-L': { tags: 'gift, sale', brands: 'Harbor & Pine' },
      });
      expect(load({ web: ['Categories'] })).toEqual({
        'web/TEE-M': { categories: 'Apparel > Tees' },
        'web/TEE-L': { categories: 'Apparel > Tees' },
        'web/MUG-L': { categories: 'Kitchen' },
        'web/CAP': { categories: 'Apparel' },
      });
    } finally {
      ws.close();
    }
  });

  it('reads only the channels asked for, and skips sources without the columns', async () => {
    const { ws, load } = await workspace([
      { file: writeTemp(tmp(), 'shopify.csv', SHOPIFY), channel: 'shop', format: 'shopify' },
      { file: writeTemp(tmp(), 'feed.tsv', TSV), channel: 'google', format: 'gmc' },
    ]);
    try {
      expect(load({ google: ['Type'] })).toEqual({});
      expect(load({ elsewhere: ['Type'] })).toEqual({});
      expect(Object.keys(load({ shop: ['Type'] }))).toEqual([
        'shop/TEE-S',
        'shop/TEE-M',
        'shop/TEE-L',
        'shop/KN-1',
      ]);
      expect(load({})).toEqual({});
    } finally {
      ws.close();
    }
  });

  it('reads tab-separated rows, quoted or not', async () => {
    const { ws, load } = await workspace([
      { file: writeTemp(tmp(), 'feed.tsv', TSV), channel: 'google', format: 'gmc' },
    ]);
    try {
      expect(load({ google: ['title', 'custom_label_0'] })).toEqual({
        'google/T-1': { title: 'Tee, black', custom_label_0: 'clearance' },
        'google/T-2': { title: 'Quoted "tee"' },
      });
    } finally {
      ws.close();
    }
  });

  it('reads semicolon-separated generic CSV', async () => {
    const { ws, load } = await workspace([
      {
        file: writeTemp(tmp(), 'market.csv', SEMICOLON),
        channel: 'market',
        format: 'csv',
        mapping: { recordId: 'product_id', title: 'name', price: 'price_eur' },
      },
    ]);
    try {
      expect(load({ market: ['keywords', 'name'] })).toEqual({
        'market/MP-1': { keywords: 'baumwolle|sommer', name: 'Tee' },
        'market/MP-2': { keywords: 'küche', name: 'Mug; large' },
      });
    } finally {
      ws.close();
    }
  });

  it('reads XML items by element local name, the g: form first, any element of the item', async () => {
    const { ws, load } = await workspace([{ file: writeTemp(tmp(), 'feed.xml', RSS), channel: 'google' }]);
    try {
      expect(load({ google: ['title', 'Custom_Label_0', 'promotion_id', 'additional_image_link'] })).toEqual({
        'google/G-1': {
          title: 'Google title',
          custom_label_0: 'Summer',
          promotion_id: 'PROMO-7',
          additional_image_link: 'https://x.example/a.jpg,https://x.example/b.jpg',
        },
        'google/G-2': { title: 'Only plain' },
      });
    } finally {
      ws.close();
    }
  });

  it('reads JSON Lines keys; lists and objects as JSON, null as absent', async () => {
    const { ws, load } = await workspace([
      {
        file: writeTemp(tmp(), 'app.jsonl', JSONL),
        channel: 'app',
        format: 'jsonl',
        mapping: { recordId: 'sku', title: 'title', price: 'price' },
      },
    ]);
    try {
      expect(load({ app: ['tags', 'flag', 'note'] })).toEqual({
        'app/J-1': { tags: '["a","b"]', flag: 'true' },
        'app/J-2': { flag: 'false' },
      });
    } finally {
      ws.close();
    }
  });

  it('tells the container from the stored rows when the file name has no extension', async () => {
    const { ws, load } = await workspace([
      { file: writeTemp(tmp(), 'feed', RSS), channel: 'google' },
      {
        file: writeTemp(tmp(), 'app', JSONL),
        channel: 'app',
        format: 'jsonl',
        mapping: { recordId: 'sku', title: 'title', price: 'price' },
      },
      { file: writeTemp(tmp(), 'tsv', TSV), channel: 'tsv', format: 'gmc' },
    ]);
    try {
      expect(load({ google: ['promotion_id'], app: ['flag'], tsv: ['custom_label_0'] })).toEqual({
        'google/G-1': { promotion_id: 'PROMO-7' },
        'app/J-1': { flag: 'true' },
        'app/J-2': { flag: 'false' },
        'tsv/T-1': { custom_label_0: 'clearance' },
      });
    } finally {
      ws.close();
    }
  });
});
