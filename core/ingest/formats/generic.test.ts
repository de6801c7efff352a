import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readSample, runAdapter, table, type SampleTable } from './testkit.js';
import { csvAdapter, jsonlAdapter, mappingFit } from './generic.js';

const CSV_MAPPING = {
  recordId: 'product_id',
  parentId: 'variant_of',
  title: 'name',
  description: 'long_description',
  brand: 'manufacturer',
  gtin: 'ean',
  mpn: 'manufacturer_part_no',
  price: 'price_eur',
  salePrice: 'sale_price_eur',
  stock: 'stock_qty',
  availability: 'delivery_status',
  weight: 'weight',
  category: 'category_path',
  imageUrl: 'image',
  link: 'url',
  tags: 'keywords',
};

/** JSON Lines as the reader hands them over: keys of the first object as header, values as text. */
function readJsonlSample(name: string): SampleTable {
  const lines = readFileSync(new URL(`../../../fixtures/samples/${name}`, import.meta.url), 'utf8')
    .split('\n')
    .filter((l) => l.trim());
  const objects = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  const header = Object.keys(objects[0]);
  const text = (v: unknown) =>
    v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
  return {
    header,
    rows: objects.map((o, i) => ({ line: i + 1, raw: lines[i], cells: header.map((h) => text(o[h])) })),
  };
}

describe('generic csv with a mapping', () => {
  const run = runAdapter(csvAdapter, readSample('generic-products.csv'), { mapping: CSV_MAPPING });

  it('maps every row by the mapped id column', () => {
    expect(run.records).toHaveLength(10);
    expect(run.byId.get('MP-100231')).toMatchObject({
      parentId: 'MP-TEE',
      title: 'Classic Cotton Tee schwarz M',
      brandKey: 'northwindoutfitters',
      gtin: '00195058000123',
      mpn: 'NWT-100',
      priceMinor: 2900,
      salePriceMinor: 2400,
      currency: null,
      stock: 12,
      availability: 'in_stock',
      weightG: 180,
      category: ['Bekleidung', 'T-Shirts'],
      tags: ['baumwolle', 'sommer'],
      link: 'https://www.marktplatz.example/p/100231',
    });
    expect(run.byId.get('MP-100240')).toMatchObject({
      title: 'Kettle & Co. French Press "Classic" 1 l',
      description: 'Doppelwandiger Edelstahl, hält Kaffee eine Stunde heiß.',
    });
    expect(run.byId.get('MP-100241')).toMatchObject({ gtinStatus: 'mangled', brandKey: 'kettleandco' });
    expect(run.byId.get('MP-100251')).toMatchObject({ availability: null, stock: null });
    expect(run.byId.get('MP-100270')).toMatchObject({ availability: 'preorder' });
    expect(run.byId.get('MP-100280')).toMatchObject({ priceMinor: null });
  });

  it('attaches warnings to rows', () => {
    const codes = new Set(run.warnings.map((w) => w.code));
    expect(codes).toEqual(
      new Set(['decimal_comma', 'gtin_scientific_notation', 'unknown_availability', 'unparsed_price']),
    );
    expect(run.warnings.find((w) => w.code === 'unknown_availability')).toMatchObject({
      line: 8,
      field: 'delivery_status',
    });
    expect(run.warnings.find((w) => w.code === 'unparsed_price')).toMatchObject({
      line: 11,
      field: 'price_eur',
    });
  });

  it('takes the currency and weight unit from columns, and derives availability from stock', () => {
    const r = runAdapter(
      csvAdapter,
      table(
        ['id', 'price', 'cur', 'w', 'wu', 'qty', 'tags'],
        ['A', '12.50', 'eur', '1.2', 'lb', '0', 'a|b|a'],
        ['B', '9.99', 'dollars', '300', '', '4', ''],
      ),
      {
        mapping: {
          recordId: 'id',
          price: 'price',
          currency: 'cur',
          weight: 'w',
          weightUnit: 'wu',
          stock: 'qty',
          tags: 'tags',
        },
      },
    );
    expect(r.records[0]).toMatchObject({
      priceMinor: 1250,
      currency: 'EUR',
      weightG: 544.311,
      availability: 'out_of_stock',
      tags: ['a', 'b'],
    });
    expect(r.records[1]).toMatchObject({ currency: null, weightG: null, availability: 'in_stock' });
    expect(r.warnings.map((w) => w.code)).toEqual(['unknown_currency', 'unparsed_weight']);
  });
});

describe('generic jsonl with a mapping', () => {
  const run = runAdapter(jsonlAdapter, readJsonlSample('generic-products.jsonl'), {
    mapping: {
      recordId: 'sku',
      parentId: 'group',
      title: 'title',
      brand: 'brand',
      gtin: 'barcode',
      price: 'price',
      salePrice: 'sale_price',
      currency: 'currency',
      availability: 'availability',
      stock: 'inventory',
      weight: 'weight',
      weightUnit: 'weight_unit',
      category: 'category',
      imageUrl: 'image',
      link: 'url',
      tags: 'tags',
    },
  });

  it('reads values that arrive as JSON text', () => {
    expect(run.records).toHaveLength(8);
    expect(run.byId.get('APP-TEE-BLK-M')).toMatchObject({
      priceMinor: 2900,
      salePriceMinor: 2400,
      currency: 'USD',
      weightG: 180,
      tags: ['cotton', 'summer'],
      category: ['Apparel', 'T-Shirts'],
    });
    expect(run.byId.get('APP-FP-1000')).toMatchObject({ priceMinor: 3995, weightG: 850, parentId: null });
    expect(run.byId.get('APP-EBP-01')).toMatchObject({
      currency: 'USD',
      weightG: 55,
      brand: 'Brightline',
      tags: ['audio', 'bluetooth', '新品'],
    });
    expect(run.byId.get('APP-MUG-350')).toMatchObject({
      title: 'Insulated Travel Mug <script>alert(1)</script> 350 ml',
      weightG: 290.299,
      tags: [],
      availability: 'preorder',
    });
    expect(run.byId.get('APP-SKILLET-10')?.weightG).toBeCloseTo(2296.311, 3);
    expect(run.byId.get('APP-GIFT-25')).toMatchObject({
      weightG: null,
      stock: null,
      availability: 'in_stock',
    });
    expect(run.byId.get('APP-BEANIE-NVY')?.availability).toBe('preorder'); // "coming soon"
    expect(run.warnings).toEqual([]);
  });
});

describe('generic bind errors', () => {
  const header = ['id', 'name'];
  it('needs a mapping with recordId', () => {
    expect(() => csvAdapter.bind(header, { file: 'p.csv' })).toThrow('p.csv, line 1, field "recordId"');
    expect(() => csvAdapter.bind(header, { file: 'p.csv', mapping: { title: 'name' } })).toThrow(
      expect.objectContaining({
        details: expect.objectContaining({ remedy: { do: 'map', target: 'recordId' } }),
      }),
    );
  });
  it('names the missing column and unknown targets', () => {
    expect(() => csvAdapter.bind(header, { file: 'p.csv', mapping: { recordId: 'sku' } })).toThrow(
      'p.csv, line 1, field "sku": --map recordId=sku: no column "sku"',
    );
    expect(() =>
      jsonlAdapter.bind(header, { file: 'p.jsonl', mapping: { recordId: 'id', colour: 'name' } }),
    ).toThrow('unknown target field');
  });
  it('matches columns without case and refuses rows without id', () => {
    const run = runAdapter(csvAdapter, table(['ID', 'Name'], ['7', 'Seven']), {
      mapping: { recordId: 'id', title: 'name' },
    });
    expect(run.records[0]).toMatchObject({ recordId: '7', title: 'Seven' });
    expect(() => runAdapter(csvAdapter, table(['id'], ['  ']), { mapping: { recordId: 'id' } })).toThrow(
      'sample, line 2, field "id"',
    );
  });
  it('never detects from a header; mappingFit scores a mapping', () => {
    expect(csvAdapter.detect(['id'])).toBe(0);
    expect(jsonlAdapter.detect(['sku', 'title'])).toBe(0);
    expect(mappingFit(['sku', 'title'], { recordId: 'sku', title: 'title' })).toBe(1);
    expect(mappingFit(['sku'], { recordId: 'sku', title: 'title' })).toBe(0.5);
    expect(mappingFit(['sku'], { title: 'sku' })).toBe(0);
  });
});
