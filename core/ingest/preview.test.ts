import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { gmcRss } from '../test-support/gmcRss.js';
import { SHOPIFY_HEADER, shopifyCsv, shopifyRow, writeShopifyCsv } from '../test-support/shopifyCsv.js';
import { useTempDir, writeTemp } from '../test-support/tmp.js';
import { previewFile } from './preview.js';

const GMC_FEED = gmcRss([
  ['<g:id>G-1</g:id>', '<g:title>Blue mug</g:title>', '<g:price>9.99 USD</g:price>'],
  ['<g:id>G-2</g:id>', '<g:title>Red mug</g:title>', '<g:price>10.99 USD</g:price>'],
]);

describe('previewFile', () => {
  const tmp = useTempDir();

  it('previews a Shopify CSV: encoding, container, format ranking, header and the first rows only', async () => {
    const file = writeTemp(tmp(), 'shop.csv', shopifyCsv(50));
    const p = await previewFile(file, { rows: 3 });
    expect(p).toMatchObject({
      file: 'shop.csv',
      container: 'delimited',
      encoding: 'utf-8',
      format: 'shopify',
      formatConfidence: 1,
    });
    expect(p.error).toBeUndefined();
    expect(p.sizeBytes).toBe(Buffer.byteLength(shopifyCsv(50)));
    expect(p.ranking[0]).toEqual({ format: 'shopify', confidence: 1 });
    expect(p.ranking.map((r) => r.format)).toEqual(expect.arrayContaining(['woocommerce', 'gmc', 'amazon']));
    expect(p.header).toEqual(SHOPIFY_HEADER.split(','));
    expect(p.rows.map((r) => r.line)).toEqual([2, 3, 4]);
    expect(p.rows[0].cells[9]).toBe('TEE-1-M');
    expect(p.rows[0].cells[2]).toBe('<p>Soft cotton</p>'); // cells are text as written, never rendered
  });

  it('stops reading once it has enough rows: a problem far down a large file is not reached', async () => {
    const file = join(tmp(), 'big.csv');
    await writeShopifyCsv(file, 300_000);
    appendFileSync(file, 'ragged,row\n');
    const p = await previewFile(file, { rows: 5 });
    expect(p.rows.map((r) => r.line)).toEqual([2, 3, 4, 5, 6]);
    expect(p.error).toBeUndefined();
  });

  it('reads tab- and semicolon-separated files', async () => {
    const tsv = writeTemp(tmp(), 'amazon.txt', 'seller-sku\titem-name\tprice\tquantity\nA-1\tMug\t9.99\t3\n');
    const p = await previewFile(tsv, { rows: 10 });
    expect(p.header).toEqual(['seller-sku', 'item-name', 'price', 'quantity']);
    expect(p.rows).toEqual([{ line: 2, cells: ['A-1', 'Mug', '9.99', '3'] }]);
    const semi = writeTemp(tmp(), 'semi.csv', 'sku;name\nS1;Mug\n');
    expect((await previewFile(semi, { rows: 10 })).rows[0].cells).toEqual(['S1', 'Mug']);
  });

  it('previews a Google Merchant Center XML feed as a gmc table', async () => {
    const file = writeTemp(tmp(), 'feed.xml', GMC_FEED);
    const p = await previewFile(file, { rows: 1 });
    expect(p).toMatchObject({ container: 'xml', format: 'gmc', formatConfidence: 1 });
    expect(p.rows).toHaveLength(1);
    const cell = (name: string) => p.rows[0].cells[p.header.indexOf(name)];
    expect([cell('id'), cell('title'), cell('price')]).toEqual(['G-1', 'Blue mug', '9.99 USD']);
    expect(p.rows[0].line).toBe(5);
  });

  it('previews JSON Lines, and tells containers apart by content when the name has no extension', async () => {
    const lines = '{"sku":"S1","name":"Mug"}\n{"sku":"S2","name":"Cup","extra":null}\n';
    const jsonl = writeTemp(tmp(), 'items.jsonl', '{"sku":"S1","name":"Mug"}\n{"sku":"S2"}\n');
    const p = await previewFile(jsonl, { rows: 10 });
    expect(p).toMatchObject({ container: 'jsonl', header: ['sku', 'name'], format: null });
    expect(p.rows).toEqual([
      { line: 1, cells: ['S1', 'Mug'] },
      { line: 2, cells: ['S2', ''] },
    ]);
    const upload = writeTemp(tmp(), '0123456789abcdef0123456789abcdef', GMC_FEED);
    expect((await previewFile(upload, { rows: 1, displayName: 'feed' })).container).toBe('xml');
    const bad = writeTemp(tmp(), 'abc', lines);
    const q = await previewFile(bad, { rows: 10, displayName: 'items' });
    expect(q.container).toBe('jsonl');
    expect(q.error?.message).toBe(
      'items, line 2, field "extra": key "extra" is not in the first line\'s keys (sku, name)',
    );
  });

  it('detects UTF-16 and Windows-1252, and takes an encoding override', async () => {
    const text = 'sku,name\nS1,Crème brûlée\n';
    const utf16 = writeTemp(
      tmp(),
      'u16.csv',
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
    );
    const p16 = await previewFile(utf16, { rows: 5 });
    expect(p16).toMatchObject({ encoding: 'utf-16le', encodingConfidence: 1 });
    expect(p16.rows[0].cells).toEqual(['S1', 'Crème brûlée']);
    const cp1252 = writeTemp(tmp(), 'latin.csv', iconv.encode(text, 'windows-1252'));
    const p1252 = await previewFile(cp1252, { rows: 5, encoding: 'cp1252' });
    expect(p1252).toMatchObject({ encoding: 'windows-1252', encodingConfidence: 1 });
    expect(p1252.rows[0].cells[1]).toBe('Crème brûlée');
  });

  it('returns the problem, with file and line, instead of throwing for a broken file', async () => {
    const unterminated = writeTemp(
      tmp(),
      'quote.csv',
      `${SHOPIFY_HEADER}\n${shopifyRow(1)}\n${shopifyRow(2)}\ntee-3,"Tee 3,<p>x</p>\n`,
    );
    const q = await previewFile(unterminated, { rows: 20, displayName: 'Shop Export.csv' });
    expect(q.error).toMatchObject({ code: 'BAD_INPUT', details: { file: 'Shop Export.csv', line: 4 } });
    expect(q.error!.message).toMatch(/^Shop Export\.csv, line 4, .*unterminated quote/);
    expect(q.rows.map((r) => r.line)).toEqual([2, 3]); // what came before the problem is still shown

    const ragged = writeTemp(tmp(), 'ragged.csv', 'sku,name\nS1,Mug\nS2,Mug, large\n');
    expect((await previewFile(ragged, { rows: 20 })).error).toMatchObject({
      code: 'BAD_INPUT',
      details: { file: 'ragged.csv', line: 3 },
    });

    const xml = writeTemp(
      tmp(),
      'broken.xml',
      GMC_FEED.replace('</item>\n    <item>', '</item>\n    <item>\n<oops>'),
    );
    const x = await previewFile(xml, { rows: 20 });
    expect(x.error).toMatchObject({ code: 'BAD_INPUT', details: { file: 'broken.xml' } });
    expect(x.error!.message).toMatch(/^broken\.xml, line \d+, column \d+: malformed XML/);

    const empty = writeTemp(tmp(), 'empty.csv', '');
    expect((await previewFile(empty, { rows: 5 })).error).toMatchObject({
      code: 'BAD_INPUT',
      message: 'empty.csv, line 1: file is empty',
    });

    const headerOnly = writeTemp(tmp(), 'header.csv', `${SHOPIFY_HEADER}\n`);
    const h = await previewFile(headerOnly, { rows: 5 });
    expect(h.header).toHaveLength(18);
    expect(h.error?.message).toBe('header.csv, line 2: file has a header but no data rows');

    const binary = writeTemp(
      tmp(),
      'garbage.csv',
      Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0xff, 0x13, 0x00, 0x01]),
    );
    const b = await previewFile(binary, { rows: 5 });
    expect(b.error).toMatchObject({ code: 'BAD_INPUT', details: { file: 'garbage.csv', line: 1 } });
    expect(b.error!.message).toMatch(/binary data/);

    const badJson = writeTemp(tmp(), 'bad.jsonl', '{"sku":"S1"}\n{"sku":"S2"}\n{"sku": S3}\n');
    const j = await previewFile(badJson, { rows: 5 });
    expect(j.error).toMatchObject({ code: 'BAD_INPUT', details: { file: 'bad.jsonl', line: 3 } });
    expect(j.rows).toHaveLength(2);

    const badBytes = writeTemp(
      tmp(),
      'declared.csv',
      Buffer.concat([Buffer.from('sku,name\nS1,Mug\n'), Buffer.from([0x53, 0x32, 0x2c, 0xe9, 0x0a])]),
    );
    const e = await previewFile(badBytes, { rows: 5, encoding: 'utf-8' });
    expect(e.error).toMatchObject({ code: 'BAD_INPUT', details: { file: 'declared.csv', line: 3 } });
  });

  it('throws NOT_FOUND for a file that does not exist', async () => {
    await expect(previewFile(join(tmp(), 'missing.csv'), { rows: 5 })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'missing.csv: no such file',
    });
  });
});
