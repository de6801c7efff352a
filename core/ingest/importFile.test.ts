import Database from 'better-sqlite3';
import { readFileSync, writeFileSync } from 'node:fs';
import Papa from 'papaparse';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConcordError } from '../model/errors.js';
import { countRawRows, rawRow, rawRows } from '../store/rawRows.js';
import { listSources } from '../store/sources.js';
import { openWorkspace } from '../store/workspace.js';
import { fingerprintOf } from '../test-support/fingerprint.js';
import { useTempDir } from '../test-support/tmp.js';
import { importFile } from './importFile.js';

const sample = (name: string) => fileURLToPath(new URL(`../../fixtures/samples/${name}`, import.meta.url));
const HEADER =
  'Handle,Title,Body (HTML),Vendor,Type,Tags,Published,Option1 Name,Option1 Value,Variant SKU,Variant Grams,Variant Inventory Qty,Variant Inventory Policy,Variant Price,Variant Compare At Price,Variant Barcode,Image Src,Status';

function bigShopifyCsv(path: string, rows: number): void {
  const lines = [HEADER];
  for (let i = 0; i < rows; i++) {
    lines.push(
      `p-${i},Widget ${i} 16GB,<p>Widget</p>,Acme,Gadget,,true,Title,Default Title,W-${i},350,5,deny,19.99,,,,active`,
    );
  }
  writeFileSync(path, lines.join('\n') + '\n');
}

/** The data rows of a CSV exactly as written (the verbatim text each raw row must keep). */
function sourceRows(path: string): string[] {
  const text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  const out: string[] = [];
  let prev = 0;
  Papa.parse<string[]>(text, {
    step: (r) => {
      out.push(text.slice(prev, r.meta.cursor).replace(/\r?\n$/, ''));
      prev = r.meta.cursor;
    },
  });
  return out.slice(1).filter((row) => row.trim() !== '');
}

function newWorkspace(dir: string): string {
  const file = join(dir, 'w.concord');
  openWorkspace(file, { create: true }).close();
  return file;
}

describe('importFile', () => {
  const tmp = useTempDir();

  it('keeps raw rows verbatim with line numbers, and records per DESIGN identity', async () => {
    const ws = newWorkspace(tmp());
    const r = await importFile({ workspace: ws, file: sample('shopify-2024.csv'), channel: 'shopify' });
    expect(r).toMatchObject({ channel: 'shopify', format: 'shopify', kind: 'products', encoding: 'utf-8' });
    expect(r.formatConfidence).toBeGreaterThan(0.5);
    expect(r.records).toBeGreaterThan(0);
    expect(r.rows).toBeGreaterThanOrEqual(r.records);
    const db = new Database(ws, { readonly: true });
    expect(countRawRows(db, r.sourceId)).toBe(r.rows);
    const texts = [...rawRows(db, r.sourceId)];
    expect(texts.map((t) => t.text)).toEqual(sourceRows(sample('shopify-2024.csv')));
    const recs = db.prepare('SELECT line, record_id FROM records').all() as {
      line: number;
      record_id: string;
    }[];
    for (const rec of recs) expect(rawRow(db, r.sourceId, rec.line)).toContain(rec.record_id.split('/')[0]);
    db.close();
  });

  it('reports progress, and a cancelled import leaves the workspace exactly as it was', async () => {
    const dir = tmp();
    const ws = newWorkspace(dir);
    await importFile({ workspace: ws, file: sample('gmc.tsv'), channel: 'google' });
    const before = fingerprintOf(ws);
    const big = join(dir, 'big.csv');
    bigShopifyCsv(big, 200_000);
    const controller = new AbortController();
    const seen: number[] = [];
    const run = importFile({
      workspace: ws,
      file: big,
      channel: 'shopify',
      signal: controller.signal,
      onProgress: (p) => {
        seen.push(p.done);
        if (p.done > 0) controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(seen.length).toBeGreaterThan(0);
    expect(fingerprintOf(ws)).toEqual(before);
  });

  it('the threaded path (large files) stores exactly what the single-thread path stores', async () => {
    const dir = tmp();
    const contents = [];
    for (const threaded of [false, true]) {
      const ws = join(dir, `${threaded ? 't' : 's'}.concord`);
      openWorkspace(ws, { create: true }).close();
      for (const file of ['shopify-2024.csv', 'gmc-gb18030.tsv', 'woocommerce-windows1252.csv']) {
        await importFile({ workspace: ws, file: sample(file), channel: file, threaded });
      }
      const db = new Database(ws, { readonly: true });
      contents.push({
        records: db.prepare('SELECT * FROM records ORDER BY id').all(),
        warnings: db.prepare('SELECT * FROM row_warnings ORDER BY source_id, line, field').all(),
        raw: [1, 2, 3].map((id) => [...rawRows(db, id)]),
      });
      db.close();
    }
    expect(contents[0].records.length).toBeGreaterThan(0);
    expect(contents[1]).toEqual(contents[0]);
  });

  it('detects every sample format and encoding', async () => {
    const ws = newWorkspace(tmp());
    const cases: [string, string, string][] = [
      ['shopify-classic.csv', 'shopify', 'utf-8'],
      ['woocommerce.csv', 'woocommerce', 'utf-8'],
      ['gmc-rss.xml', 'gmc', 'utf-8'],
      ['gmc-atom.xml', 'gmc', 'utf-8'],
      ['amazon-listings.tsv', 'amazon', 'utf-8'],
      ['shopify-utf16le.csv', 'shopify', 'utf-16le'],
      ['shopify-utf16be.csv', 'shopify', 'utf-16be'],
      ['woocommerce-windows1252.csv', 'woocommerce', 'windows-1252'],
      ['gmc-gb18030.tsv', 'gmc', 'gb18030'],
    ];
    for (const [file, format, encoding] of cases) {
      const r = await importFile({ workspace: ws, file: sample(file), channel: file });
      expect({ file, format: r.format, encoding: r.encoding }).toEqual({ file, format, encoding });
      expect(r.records).toBeGreaterThan(0);
    }
    const db = new Database(ws, { readonly: true });
    const cp1252 = db
      .prepare("SELECT group_concat(title, ' ') FROM records WHERE channel = 'woocommerce-windows1252.csv'")
      .pluck()
      .get() as string;
    expect(cp1252).toMatch(/[éü€™]/);
    const gb = db
      .prepare("SELECT group_concat(title, ' ') FROM records WHERE channel = 'gmc-gb18030.tsv'")
      .pluck()
      .get() as string;
    expect(gb).toMatch(/[\u4e00-\u9fff]/);
    expect(listSources(db)).toHaveLength(cases.length);
    db.close();
  });

  it('imports behavioural data with default column names', async () => {
    const ws = newWorkspace(tmp());
    const r = await importFile({
      workspace: ws,
      file: sample('interactions.csv'),
      channel: 'web',
      kind: 'interactions',
    });
    expect(r.records).toBeGreaterThan(0);
    const reviews = await importFile({
      workspace: ws,
      file: sample('reviews.jsonl'),
      channel: 'web',
      kind: 'reviews',
    });
    expect(reviews.records).toBeGreaterThan(0);
    const db = new Database(ws, { readonly: true });
    expect(db.prepare("SELECT count(*) FROM interactions WHERE kind = 'reviews'").pluck().get()).toBe(
      reviews.records,
    );
    expect(
      db
        .prepare("SELECT count(*) FROM interactions WHERE kind = 'reviews' AND rating BETWEEN 1 AND 5")
        .pluck()
        .get(),
    ).toBeGreaterThan(0);
    expect(
      db
        .prepare(
          "SELECT count(*) FROM interactions WHERE kind = 'interactions' AND user_id != '' AND item_id != ''",
        )
        .pluck()
        .get(),
    ).toBe(r.records);
    db.close();
  });

  it('a missing file is NOT_FOUND and a missing workspace too', async () => {
    const ws = newWorkspace(tmp());
    await expect(importFile({ workspace: ws, file: join(tmp(), 'nope.csv') })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(
      importFile({ workspace: join(tmp(), 'none.concord'), file: sample('gmc.tsv') }),
    ).rejects.toBeInstanceOf(ConcordError);
  });
});
