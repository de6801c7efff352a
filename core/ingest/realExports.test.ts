/**
 * Real-shaped exports (fixtures/real): the quirks merchants' files have in the wild, imported end to end into a
 * real workspace. Each file is small and written by hand after a real export; fixtures/real/README.md says which.
 */
import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openWorkspace } from '../store/workspace.js';
import { useTempDir } from '../test-support/tmp.js';
import { importFile, type ImportRequest, type ImportResult } from './importFile.js';

const real = (name: string) => fileURLToPath(new URL(`../../fixtures/real/${name}`, import.meta.url));

interface WarningRow {
  line: number;
  field: string;
  code: string;
  message: string;
}

interface Imported {
  result: ImportResult;
  db: Database.Database;
  /** The source's records in file order, with the columns named. */
  records(columns: string): Record<string, unknown>[];
  warnings(): WarningRow[];
}

describe('real-shaped exports', () => {
  const tmp = useTempDir();
  const open: Database.Database[] = [];
  let imports = 0;
  afterEach(() => {
    for (const db of open.splice(0)) db.close();
  });

  async function importReal(
    name: string,
    request: Partial<ImportRequest> = {},
    file = real(name),
  ): Promise<Imported> {
    const workspace = join(tmp(), `${++imports}-${name}.concord`);
    openWorkspace(workspace, { create: true }).close();
    const result = await importFile({ workspace, file, ...request });
    const db = new Database(workspace, { readonly: true });
    open.push(db);
    return {
      result,
      db,
      records: (columns) =>
        db
          .prepare(`SELECT ${columns} FROM records WHERE source_id = ? ORDER BY line`)
          .all(result.sourceId) as Record<string, unknown>[],
      warnings: () =>
        db
          .prepare(
            'SELECT line, field, code, message FROM row_warnings WHERE source_id = ? ORDER BY line, rowid',
          )
          .all(result.sourceId) as WarningRow[],
    };
  }

  describe("a spreadsheet's text marker on barcodes and SKUs ('7350177880121)", () => {
    it('Shopify: the barcode is a valid GTIN and the SKU is the record id, without the apostrophe', async () => {
      const r = await importReal('shopify-text-markers.csv');
      expect(r.result).toMatchObject({ format: 'shopify', records: 4 });
      expect(r.records('record_id, sku, gtin, gtin_raw, gtin_status')).toEqual([
        { record_id: '1', sku: '1', gtin: '07350177880121', gtin_raw: '7350177880121', gtin_status: 'valid' },
        { record_id: '2', sku: '2', gtin: '07350177880138', gtin_raw: '7350177880138', gtin_status: 'valid' },
        {
          record_id: '2-6',
          sku: '2-6',
          gtin: '07350177880145',
          gtin_raw: '7350177880145',
          gtin_status: 'valid',
        },
        // a wrong check digit stays wrong once the marker is gone
        { record_id: 'CUP-1', sku: 'CUP-1', gtin: null, gtin_raw: '7350177880122', gtin_status: 'invalid' },
      ]);
      expect(r.warnings()).toEqual([
        expect.objectContaining({ line: 5, field: 'Variant Barcode', code: 'gtin_check_digit' }),
      ]);
    });

    it('WooCommerce, Google, Amazon and generic files strip it from SKUs, ids, parents and GTINs too', async () => {
      const woo = await importReal('woocommerce-text-markers.csv');
      expect(woo.records('record_id, parent_id, gtin_status')).toEqual([
        { record_id: '1', parent_id: 'OAT', gtin_status: 'valid' },
        { record_id: '2', parent_id: 'OAT', gtin_status: 'valid' },
      ]);
      const gmc = await importReal('gmc-text-markers.tsv');
      expect(gmc.records('record_id, gtin')).toEqual([
        { record_id: '1', gtin: '07350177880121' },
        { record_id: '2', gtin: '07350177880138' },
      ]);
      const amazon = await importReal('amazon-text-markers.txt');
      expect(amazon.records('record_id, gtin')).toEqual([
        { record_id: '1', gtin: '07350177880121' },
        { record_id: '2', gtin: '07350177880138' },
      ]);
      const generic = await importReal('generic-text-markers.csv', {
        format: 'csv',
        mapping: { recordId: 'sku', sku: 'sku', gtin: 'ean', title: 'name', price: 'price_eur' },
      });
      expect(generic.records('record_id, sku, gtin')).toEqual([
        { record_id: '1', sku: '1', gtin: '07350177880121' },
        { record_id: '2', sku: '2', gtin: '07350177880138' },
      ]);
      for (const r of [woo, gmc, amazon, generic]) expect(r.warnings()).toEqual([]);
    });
  });
  describe('rows that lack trailing empty cells', () => {
    it('Amazon FBA 2025: 29-field rows under a 31-column header import, padded, with one short_row warning each', async () => {
      const r = await importReal('amazon-fba-2025-short-rows.txt');
      expect(r.result).toMatchObject({
        format: 'amazon',
        rows: 5,
        records: 5,
        warnings: 4,
        warningsByKind: { short_row: 4 },
      });
      expect(r.warnings()).toEqual(
        [2, 3, 5, 6].map((line) => ({
          line,
          field: 'Minimum order quantity',
          code: 'short_row',
          message:
            '29 fields where the header has 31: the missing last 2 cells ("Minimum order quantity", "Sell remainder") read as empty',
        })),
      );
      expect(r.records('record_id, status, attributes')).toEqual([
        {
          record_id: 'FBA-OAT-1L',
          status: 'active',
          attributes: expect.stringContaining('"fulfillment_channel":"AMAZON_EU"'),
        },
        { record_id: 'FBA-OAT-CHOC', status: 'active', attributes: expect.any(String) },
        { record_id: 'HV-CUP-1', status: 'active', attributes: expect.any(String) },
        { record_id: 'FBA-OAT-MINI', status: 'active', attributes: expect.any(String) },
        { record_id: 'FBA-OAT-ORIG', status: 'inactive', attributes: expect.any(String) },
      ]);
    });
  });
  describe('a Google feed in XML named .txt', () => {
    it('is read as XML from its content, with or without --format gmc', async () => {
      for (const format of [undefined, 'gmc'] as const) {
        const r = await importReal('google-feed-xml-saved-as.txt', { format });
        expect(r.result).toMatchObject({ format: 'gmc', channel: 'google', rows: 2, records: 2 });
        expect(r.records('record_id, parent_id, availability, gtin')).toEqual([
          {
            record_id: 'shopify_SE_8812345_4401',
            parent_id: 'shopify_SE_8812345',
            availability: 'in_stock',
            gtin: '07350177880121',
          },
          {
            record_id: 'shopify_SE_8812346_4402',
            parent_id: 'shopify_SE_8812346',
            availability: 'out_of_stock',
            gtin: '07350177880138',
          },
        ]);
      }
    });

    it('a TSV feed named .txt stays a table, and a named format that cannot be XML is refused clearly', async () => {
      const tsv = await importReal('google-feed-tsv.txt', { format: 'gmc' });
      expect(tsv.result).toMatchObject({ format: 'gmc', records: 1 });
      await expect(importReal('google-feed-xml-saved-as.txt', { format: 'shopify' })).rejects.toThrow(
        'google-feed-xml-saved-as.txt, line 1: the file is XML, and an XML file can only be a Google Merchant Center feed, not --format shopify',
      );
    });
  });
  describe('an encoding whose first non-ASCII byte is far into the file', () => {
    it('Windows-1252 with the first accent on line 152 (past 64 KiB) is detected from samples across the file', async () => {
      const r = await importReal('amazon-windows1252-late-accents.txt');
      expect(r.result).toMatchObject({ format: 'amazon', encoding: 'windows-1252', rows: 160, records: 160 });
      const titles = r.db
        .prepare(
          'SELECT line, title FROM records WHERE source_id = ? AND line BETWEEN 152 AND 154 ORDER BY line',
        )
        .all(r.result.sourceId);
      expect(titles).toEqual([
        { line: 152, title: 'Crème brûlée Schale aus Porzellan – 4er Set' },
        { line: 153, title: 'Café-Tasse „Nordisk“ 250 ml' },
        { line: 154, title: 'Couteau d’office Lame 9 cm' },
      ]);
    });
  });
  describe('record ids a file repeats', () => {
    it('Shopify: draft and archived copies keep their SKUs; later rows take Handle + options, with a warning each', async () => {
      const r = await importReal('shopify-duplicate-skus.csv');
      expect(r.result).toMatchObject({
        rows: 8,
        records: 7,
        duplicates: 5,
        warningsByKind: { duplicate_id: 5 },
      });
      expect(r.records('line, record_id, sku, status')).toEqual([
        { line: 2, record_id: 'LS-S', sku: 'LS-S', status: 'active' },
        { line: 3, record_id: 'LS-M', sku: 'LS-M', status: 'active' },
        { line: 4, record_id: 'linen-shirt-copy/S', sku: 'LS-S', status: 'draft' },
        { line: 5, record_id: 'linen-shirt-copy/M', sku: 'LS-M', status: 'draft' },
        { line: 6, record_id: 'linen-shirt-2023/S', sku: 'LS-S', status: 'archived' },
        { line: 7, record_id: 'LT-M', sku: 'LT-M', status: 'active' },
        { line: 8, record_id: 'linen-trousers/M', sku: 'LT-M', status: 'active' },
      ]);
      expect(r.warnings()).toEqual([
        {
          line: 4,
          field: 'Variant SKU',
          code: 'duplicate_id',
          message:
            'record id "LS-S" is already on line 2: this row is the record "linen-shirt-copy/S" (the format\'s fallback identity)',
        },
        expect.objectContaining({ line: 5, message: expect.stringContaining('"LS-M" is already on line 3') }),
        expect.objectContaining({ line: 6, message: expect.stringContaining('"LS-S" is already on line 2') }),
        expect.objectContaining({ line: 8, message: expect.stringContaining('"linen-trousers/M"') }),
        {
          line: 9,
          field: 'Variant SKU',
          code: 'duplicate_id',
          message:
            'record id "LT-M" is already on line 7 and its fallback identity "linen-trousers/M" is taken too (line 8): the row is kept as raw text only, the record on line 7 stands',
        },
      ]);
      expect(
        r.db.prepare('SELECT count(*) FROM raw_blocks WHERE source_id = ?').pluck().get(r.result.sourceId),
      ).toBe(1);
    });

    it('WooCommerce: a repeated SKU takes the product ID', async () => {
      const r = await importReal('woocommerce-duplicate-skus.csv');
      expect(r.result).toMatchObject({ records: 3, duplicates: 1 });
      expect(r.records('record_id, sku, title')).toEqual([
        { record_id: 'OAT-1L', sku: 'OAT-1L', title: 'Nordic Oat Drink 1 l' },
        { record_id: '502', sku: 'OAT-1L', title: 'Nordic Oat Drink 1 l (old listing)' },
        { record_id: 'OAT-CHOC', sku: 'OAT-CHOC', title: 'Nordic Oat Drink Chocolate 250 ml' },
      ]);
      expect(r.warnings()).toEqual([
        expect.objectContaining({ line: 3, field: 'SKU', code: 'duplicate_id' }),
      ]);
    });

    describe('a generic CSV keyed by a repeated URL, by --on-duplicate', () => {
      const mapping = { recordId: 'url', title: 'title', price: 'price', availability: 'availability' };
      const generic = (onDuplicate?: 'warn' | 'first' | 'last' | 'error') =>
        importReal('generic-duplicate-urls.csv', { format: 'csv', mapping, onDuplicate });
      const prices = (r: Imported) =>
        r
          .records('line, record_id, price_minor')
          .map((x) => [
            x.line,
            String(x.record_id).replace('https://havre.example/products/', ''),
            x.price_minor,
          ]);

      it('warn (the default) keeps the first and lists every later row', async () => {
        const r = await generic();
        expect(r.result).toMatchObject({ rows: 5, records: 3, duplicates: 2, warnings: 2 });
        expect(prices(r)).toEqual([
          [2, 'nordic-oat-drink', 249],
          [3, 'oat-cup', 900],
          [5, 'nordic-oat-drink-chocolate', 129],
        ]);
        expect(r.warnings().map((w) => [w.line, w.field, w.code])).toEqual([
          [4, 'url', 'duplicate_id'],
          [6, 'url', 'duplicate_id'],
        ]);
        expect(r.warnings()[0].message).toBe(
          'record id "https://havre.example/products/nordic-oat-drink" is already on line 2 and the format has no other identity: the row is kept as raw text only, the record on line 2 stands',
        );
      });

      it('first and last keep that row quietly; error refuses the file naming both lines', async () => {
        const first = await generic('first');
        expect(first.result).toMatchObject({ records: 3, duplicates: 2, warnings: 0 });
        expect(prices(first)).toEqual(prices(await generic('warn')));
        const last = await generic('last');
        expect(last.result).toMatchObject({ records: 3, duplicates: 2, warnings: 0 });
        expect(prices(last)).toEqual([
          [4, 'nordic-oat-drink', 229],
          [5, 'nordic-oat-drink-chocolate', 129],
          [6, 'oat-cup', 850],
        ]);
        await expect(generic('error')).rejects.toMatchObject({
          message:
            'generic-duplicate-urls.csv, line 4, field "url": duplicate record id "https://havre.example/products/nordic-oat-drink" (first seen on line 2)',
          details: { remedy: { do: 'onDuplicate' } },
        });
      });

      it('last replaces records already written by an earlier batch (the threaded path too)', async () => {
        const rows = ['url,title,price'];
        for (let i = 0; i < 3000; i++) rows.push(`https://havre.example/p/${i % 1000},Item ${i},${i}.00`);
        const file = join(tmp(), 'many.csv');
        writeFileSync(file, rows.join('\n') + '\n');
        for (const threaded of [false, true]) {
          const r = await importReal(
            'many.csv',
            { format: 'csv', mapping: { recordId: 'url', price: 'price' }, onDuplicate: 'last', threaded },
            file,
          );
          expect(r.result).toMatchObject({ rows: 3000, records: 1000, duplicates: 2000 });
          const stored = r.records('record_id, price_minor');
          expect(stored).toHaveLength(1000);
          expect(new Set(stored.map((x) => x.record_id)).size).toBe(1000);
          expect(stored.every((x) => Number(x.price_minor) >= 200000)).toBe(true);
        }
      });
    });
  });
  describe('WooCommerce exports from stores in other languages', () => {
    const LOCALES = {
      de: ['Größe', 'Leinenhemd'],
      fr: ['Taille', 'Chemise en lin'],
      es: ['Talla', 'Camisa de lino'],
      it: ['Taglia', 'Camicia di lino'],
      nl: ['Maat', 'Linnen overhemd'],
      'pt-BR': ['Tamanho', 'Camisa de linho'],
      pl: ['Rozmiar', 'Koszula lniana'],
      sv: ['Storlek', 'Linneskjorta'],
      ja: ['サイズ', 'リネンシャツ'],
      'zh-CN': ['尺码', '亚麻衬衫'],
    };
    for (const [locale, [size, shirt]] of Object.entries(LOCALES)) {
      it(`${locale}: the translated header is recognised and every column is read`, async () => {
        const r = await importReal(`woocommerce-${locale}.csv`);
        expect(r.result).toMatchObject({
          format: 'woocommerce',
          channel: 'woocommerce',
          rows: 4,
          records: 3,
          warnings: 0,
        });
        expect(r.result.formatConfidence).toBe(1);
        expect(
          r.records(
            'record_id, parent_id, title, sku, gtin, price_minor, sale_price_minor, availability, stock, weight_g, category, brand, status, options',
          ),
        ).toEqual([
          {
            record_id: 'LS-S',
            parent_id: 'LS',
            title: `${shirt} - S`,
            sku: 'LS-S',
            gtin: null,
            price_minor: 5900,
            sale_price_minor: 4900,
            availability: 'in_stock',
            stock: 5,
            weight_g: 220,
            category: expect.stringMatching(/^[^>]+ > [^>]+$/),
            brand: 'Havre & Co',
            status: 'published',
            options: JSON.stringify({ [size]: 'S' }),
          },
          expect.objectContaining({
            record_id: '42',
            parent_id: 'LS',
            sku: null,
            price_minor: 5900,
            availability: 'out_of_stock',
            weight_g: 220,
            options: JSON.stringify({ [size]: 'M' }),
          }),
          expect.objectContaining({
            record_id: 'MUG-1',
            gtin: '07350177880121',
            price_minor: 950,
            availability: 'backorder',
            weight_g: 350,
            brand: 'Havre & Co',
          }),
        ]);
      });
    }
  });
});
