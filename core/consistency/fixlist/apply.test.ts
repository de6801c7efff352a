import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importFile } from '../../ingest/importFile.js';
import { openWorkspace } from '../../store/workspace.js';
import { useTempDir, writeTemp } from '../../test-support/tmp.js';
import { applyFixList, type FixFormat } from './apply.js';

interface Rec {
  record_id: string;
  title: string | null;
  price_minor: number | null;
  sale_price_minor: number | null;
  weight_g: number | null;
  category: string | null;
  gtin: string | null;
  image_url: string | null;
  stock: number | null;
}

/** Imports a file into a new workspace with the real importer and returns its records by record id. */
async function importRecords(dir: string, file: string, format: FixFormat): Promise<Map<string, Rec>> {
  const ws = join(dir, `${format}-${Math.random().toString(36).slice(2)}.concord`);
  openWorkspace(ws, { create: true }).close();
  await importFile({ workspace: ws, file, channel: format, format });
  const w = openWorkspace(ws);
  try {
    const rows = w.db
      .prepare(
        'SELECT record_id, title, price_minor, sale_price_minor, weight_g, category, gtin, image_url, stock FROM records',
      )
      .all() as Rec[];
    return new Map(rows.map((r) => [r.record_id, r]));
  } finally {
    w.close();
  }
}

describe('applyFixList (a channel updating its export with a fix list)', () => {
  const tmp = useTempDir();

  it('Shopify: product fields on the Handle first row, variants by SKU or option values', async () => {
    const dir = tmp();
    const exportFile = writeTemp(
      dir,
      'shopify.csv',
      [
        'Handle,Title,Option1 Name,Option1 Value,Variant SKU,Variant Price,Variant Compare At Price,Variant Barcode,Image Src,Product Category',
        'tee,Tee,Size,S,TEE-S,10.00,,,https://img.example/tee-1.jpg,Apparel',
        'tee,,,M,TEE-M,10.00,,,,',
        'tee,,,,,,,,https://img.example/tee-2.jpg,',
        'mug,Mug,Title,Default Title,,5.00,,,,Home',
        '',
      ].join('\n'),
    );
    const fix = writeTemp(
      dir,
      'fix.csv',
      [
        'Handle,Option1 Value,Variant SKU,Title,Option1 Name,Product Category,Variant Price,Variant Compare At Price,Variant Barcode',
        'tee,S,TEE-S,Tee,Size,Apparel > Tops,,,',
        'tee,M,TEE-M,,,,8.00,12.00,4006381333931',
        'mug,Default Title,,=Mug,Title,,6.00,,',
        '',
      ].join('\n'),
    );
    const out = join(dir, 'out', 'shopify.csv');
    mkdirSync(join(dir, 'out'));
    const r = await applyFixList(exportFile, fix, 'shopify', out);
    expect(r).toMatchObject({ rows: 3, addedColumns: [] });
    const text = readFileSync(out, 'utf8');
    expect(text.split('\n')[1]).toBe(
      'tee,Tee,Size,S,TEE-S,10.00,,,https://img.example/tee-1.jpg,Apparel > Tops',
    );
    expect(text.split('\n')[2]).toBe('tee,,,M,TEE-M,8.00,12.00,4006381333931,,');
    expect(text.split('\n')[3]).toBe('tee,,,,,,,,https://img.example/tee-2.jpg,'); // image row untouched
    expect(text.split('\n')[4]).toBe('mug,=Mug,Title,Default Title,,6.00,,,,Home');
    expect(text.endsWith('\n')).toBe(true);

    const recs = await importRecords(dir, out, 'shopify');
    expect(recs.get('TEE-M')).toMatchObject({
      price_minor: 1200,
      sale_price_minor: 800,
      gtin: '04006381333931',
      category: 'Apparel > Tops',
    });
    expect(recs.get('TEE-S')).toMatchObject({ price_minor: 1000, sale_price_minor: null });
    expect(recs.get('mug/Default Title')).toMatchObject({ title: '=Mug', price_minor: 600 });
  });

  it('Shopify: a row that names no variant is refused', async () => {
    const dir = tmp();
    const exportFile = writeTemp(
      dir,
      'shopify.csv',
      'Handle,Title,Option1 Value,Variant SKU,Variant Price\nt,T,S,T-S,1.00\n',
    );
    const fix = writeTemp(dir, 'fix.csv', 'Handle,Option1 Value,Variant SKU,Variant Price\nt,XL,,2.00\n');
    await expect(applyFixList(exportFile, fix, 'shopify', join(dir, 'o.csv'))).rejects.toThrow(
      /no listing in the export has Handle "t" and options XL/,
    );
    const unknown = writeTemp(dir, 'fix2.csv', 'Handle,Variant SKU,Variant Price\nnope,T-S,2.00\n');
    await expect(applyFixList(exportFile, unknown, 'shopify', join(dir, 'o.csv'))).rejects.toThrow(
      /no product in the export has Handle "nope"/,
    );
  });

  it('WooCommerce: rows by ID (else SKU), decimal comma and BOM kept, a new column added', async () => {
    const dir = tmp();
    const exportFile = writeTemp(
      dir,
      'woocommerce.csv',
      '\ufeff' +
        [
          'ID,Type,SKU,Name,Published,In stock?,Stock,Backorders allowed?,Regular price,Sale price,Weight (kg),Categories,Parent',
          '10,variable,HOOD,Hoodie,1,1,,0,,,,Clothing,',
          '11,variation,HOOD-S,Hoodie - S,1,1,,0,"12,99",,"0,35",,id:10',
          '12,simple,,Mug,1,0,0,0,"5,00",,"0,4",Kitchen,',
          '',
        ].join('\n'),
    );
    const fix = writeTemp(
      dir,
      'fix.csv',
      '\ufeff' +
        [
          'ID,SKU,Regular price,In stock?,Stock,Weight (kg),Categories,"GTIN, UPC, EAN, or ISBN"',
          '11,HOOD-S,"13,99",,,,,4006381333931',
          '12,,,1,7,"0,45",,',
          '10,HOOD,,,,,Clothing > Hoodies,',
          '',
        ].join('\n'),
    );
    const out = join(dir, 'woo-out.csv');
    const r = await applyFixList(exportFile, fix, 'woocommerce', out);
    expect(r.addedColumns).toEqual(['GTIN, UPC, EAN, or ISBN']);
    const bytes = readFileSync(out);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const recs = await importRecords(dir, out, 'woocommerce');
    expect(recs.get('HOOD-S')).toMatchObject({
      price_minor: 1399,
      weight_g: 350,
      gtin: '04006381333931',
      category: 'Clothing > Hoodies',
    });
    expect(recs.get('12')).toMatchObject({ price_minor: 500, weight_g: 450, stock: 7, category: 'Kitchen' });

    const bySku = writeTemp(dir, 'fix2.csv', 'ID,SKU,Name\n,HOOD-S,Hoodie S\n');
    await applyFixList(exportFile, bySku, 'woocommerce', out);
    expect((await importRecords(dir, out, 'woocommerce')).get('HOOD-S')?.title).toBe('Hoodie S');
    const wrong = writeTemp(dir, 'fix3.csv', 'ID,SKU,Name\n99,,X\n');
    await expect(applyFixList(exportFile, wrong, 'woocommerce', out)).rejects.toThrow(/ID "99"/);
  });

  it('Google XML feed: g: elements replaced, plain RSS title kept plain, missing attributes added', async () => {
    const dir = tmp();
    const feed = [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<rss xmlns:g="http://base.google.com/ns/1.0" version="2.0">',
      '<channel>',
      '<title>Store &amp; Co</title>',
      '<item>',
      '<g:id>A&amp;1</g:id>',
      '<title>Old &amp; title</title>',
      '<g:price>10.00 USD</g:price>',
      '<g:availability>in stock</g:availability>',
      '</item>',
      '<item>',
      '<g:id>B2</g:id>',
      '<g:title>B</g:title>',
      '<g:price>5.00 USD</g:price>',
      '<g:shipping_weight>0.2 kg</g:shipping_weight>',
      '</item>',
      '</channel>',
      '</rss>',
      '',
    ].join('\n');
    const exportFile = writeTemp(dir, 'google.xml', feed);
    const fix = writeTemp(
      dir,
      'fix.tsv',
      [
        'id\ttitle\tprice\tavailability\tshipping_weight\tgtin',
        'A&1\tNew <b> & title\t\tout_of_stock\t\t4006381333931',
        'B2\t\t6.00 USD\t\t350 g\t',
        '',
      ].join('\n'),
    );
    const out = join(dir, 'google-out.xml');
    const r = await applyFixList(exportFile, fix, 'gmc', out);
    expect(r.rows).toBe(2);
    expect(r.addedColumns).toEqual(['gtin']);
    const text = readFileSync(out, 'utf8');
    expect(text).toContain('<title>Store &amp; Co</title>');
    expect(text).toContain('<title>New &lt;b&gt; &amp; title</title>');
    expect(text).toContain('<g:gtin>4006381333931</g:gtin>');
    const recs = await importRecords(dir, out, 'gmc');
    expect(recs.get('A&1')).toMatchObject({
      title: 'New <b> & title',
      price_minor: 1000,
      gtin: '04006381333931',
    });
    expect(recs.get('B2')).toMatchObject({ price_minor: 600, weight_g: 350 });

    const unknown = writeTemp(dir, 'fix2.tsv', 'id\tprice\nZZ\t1.00 USD\n');
    await expect(applyFixList(exportFile, unknown, 'gmc', out)).rejects.toThrow(
      /no item in the feed has id "ZZ"/,
    );
  });

  it('Google TSV feed and Amazon listings (unquoted TSV) by id / seller-sku', async () => {
    const dir = tmp();
    const gmc = writeTemp(
      dir,
      'google.tsv',
      'id\ttitle\tprice\tsale_price\tavailability\nG-1\t"A ""quoted"" title"\t10.00 USD\t\tin_stock\nG-2\tB\t5.00 USD\t\tin_stock\n',
    );
    const gfix = writeTemp(
      dir,
      'gfix.tsv',
      'id\tsale_price\tavailability\nG-1\t8.00 USD\t\nG-2\t\tbackorder\n',
    );
    const gout = join(dir, 'google-out.tsv');
    await applyFixList(gmc, gfix, 'gmc', gout);
    const g = await importRecords(dir, gout, 'gmc');
    expect(g.get('G-1')).toMatchObject({
      title: 'A "quoted" title',
      price_minor: 1000,
      sale_price_minor: 800,
    });

    const amazon = writeTemp(
      dir,
      'amazon.txt',
      'item-name\tseller-sku\tprice\tquantity\tproduct-id-type\tproduct-id\tfulfillment-channel\n' +
        'Mug "Big"\tAM-1\t5.00\t3\t1\tB0ABCDEFGH\tDEFAULT\n' +
        'Tee\tAM-2\t9.00\t0\t4\t4006381333931\tDEFAULT\n',
    );
    const afix = writeTemp(
      dir,
      'afix.txt',
      'seller-sku\tprice\tquantity\tproduct-id\tproduct-id-type\titem-name\nAM-1\t5.50\t\t012345678905\t3\t\nAM-2\t\t12\t\t\tTee - M\n',
    );
    const aout = join(dir, 'amazon-out.txt');
    await applyFixList(amazon, afix, 'amazon', aout);
    const lines = readFileSync(aout, 'utf8').split('\n');
    expect(lines[1]).toBe('Mug "Big"\tAM-1\t5.50\t3\t3\t012345678905\tDEFAULT');
    const a = await importRecords(dir, aout, 'amazon');
    expect(a.get('AM-1')).toMatchObject({ price_minor: 550, gtin: '00012345678905' });
    expect(a.get('AM-2')).toMatchObject({ title: 'Tee - M', stock: 12 });
  });
});
