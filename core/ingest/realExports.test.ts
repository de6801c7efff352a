/**
 * Real-shaped exports (fixtures/real): the quirks merchants' files have in the wild, imported end to end into a
 * real workspace. Each file is small and written by hand after a real export; fixtures/real/README.md says which.
 */
import Database from 'better-sqlite3';
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
});
