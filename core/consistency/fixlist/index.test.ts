/**
 * Fix-list writers against a real workspace (a generated store, imported and aligned), with gaps inserted by hand
 * so each writer is checked without gap detection: the golden record is changed to the value a gap expects, the
 * fix list is built, applied to the channel's export as the channel would (apply.ts), the export re-imported, and
 * the channel's record must now carry the golden value.
 */
import type Database from 'better-sqlite3';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GeneratedStore } from '../../../fixtures/generator/index.js';
import { alignWorkspace } from '../../align/alignWorkspace.js';
import type { FixList, GapKind } from '../../api/contract.js';
import { importFile } from '../../ingest/importFile.js';
import type { ConcordError } from '../../model/errors.js';
import { rawRow } from '../../store/rawRows.js';
import { openWorkspace } from '../../store/workspace.js';
import { useTempDir } from '../../test-support/tmp.js';
import { applyFixList, type FixFormat } from './apply.js';
import { buildFixList } from './index.js';
import { importGeneratedStore } from '../../test-support/generatedStore.js';

interface Candidate {
  id: number;
  source_id: number;
  line: number;
  channel: string;
  record_id: string;
  parent_id: string | null;
  title: string | null;
  price_minor: number | null;
  sale_price_minor: number | null;
  availability: string | null;
  stock: number | null;
  weight_g: number | null;
  category: string | null;
  image_url: string | null;
  gtin: string | null;
  options: string | null;
  cluster_id: number;
}

type Rec = Omit<Candidate, 'cluster_id'>;

const GTIN = '04006381333931';

/** Builds one channel's scenario: picks records, changes golden values, inserts gaps. */
class Scenario {
  private readonly usedClusters = new Set<number>();
  private readonly usedParents = new Set<string>();
  private readonly run: number;
  private n = 0;

  constructor(
    readonly db: Database.Database,
    readonly channel: string,
  ) {
    this.run = Number(
      db
        .prepare(
          `INSERT INTO gap_runs (detected_at, sources, summary) VALUES ('2024-01-01T00:00:00Z', '[]', '{}')`,
        )
        .run().lastInsertRowid,
    );
  }

  /** A record of the channel (in a cluster) matching `where`, on a product not used yet. */
  pick(where = '1', options: { sameProductOk?: boolean } = {}): Candidate {
    const rows = this.db
      .prepare(
        `SELECT r.id, r.source_id, r.line, r.channel, r.record_id, r.parent_id, r.title, r.price_minor, r.sale_price_minor,
                r.availability, r.stock, r.weight_g, r.category, r.image_url, r.gtin, r.options, c.cluster_id
         FROM records r JOIN clusters c ON c.record_id = r.id
         WHERE r.channel = ? AND (${where}) ORDER BY r.id`,
      )
      .all(this.channel) as Candidate[];
    const r = rows.find(
      (x) =>
        !this.usedClusters.has(x.cluster_id) &&
        (options.sameProductOk || x.parent_id === null || !this.usedParents.has(x.parent_id)),
    );
    if (!r) throw new Error(`no ${this.channel} record where ${where}`);
    this.usedClusters.add(r.cluster_id);
    if (r.parent_id !== null) this.usedParents.add(r.parent_id);
    return r;
  }

  golden(r: Candidate, values: Record<string, string | number | null>): void {
    const sets = Object.keys(values)
      .map((k) => `${k} = @${k}`)
      .join(', ');
    this.db.prepare(`UPDATE golden_records SET ${sets} WHERE cluster_id = @cluster`).run({
      ...values,
      cluster: r.cluster_id,
    });
  }

  gap(kind: GapKind, r: Candidate | null, expected: string | null = null, clusterId?: number): number {
    const n = this.n++;
    const info = this.db
      .prepare(
        `INSERT INTO gaps (key, run_id, kind, channel, record_id, record_ref, cluster_id, product_id, field, expected,
                           actual, severity, severity_rank, present_in, status, title)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, NULL, 'high', 3, '[]', 'open', NULL)`,
      )
      .run(
        `${kind}|${this.channel}|${r?.record_id ?? `absent-${n}`}`,
        this.run,
        kind,
        this.channel,
        r?.record_id ?? null,
        r?.id ?? null,
        r?.cluster_id ?? clusterId ?? 1,
        `p_${n}`,
        expected,
      );
    return Number(info.lastInsertRowid);
  }

  /** A record matching `where` with a gap of `kind`, the golden record first set to what `golden` gives. */
  plant(
    kind: GapKind,
    where: string,
    golden?: (r: Candidate) => Record<string, string | number | null>,
    expected: string | null = null,
  ): Candidate {
    const r = this.pick(where);
    if (golden) this.golden(r, golden(r));
    this.gap(kind, r, expected);
    return r;
  }

  categoryMap(category: string, mapsTo: string): void {
    this.db
      .prepare(
        `INSERT OR REPLACE INTO category_map (channel, category, maps_to, support, source) VALUES (?, ?, ?, 9, 'user')`,
      )
      .run(this.channel, category, mapsTo);
  }
}

describe('buildFixList: each channel format, applied and re-imported', () => {
  const tmp = useTempDir();
  let base = '';
  let store: GeneratedStore;
  let baseDir = '';

  beforeAll(async () => {
    baseDir = join(
      (await import('node:os')).tmpdir(),
      `concord-fixlist-${process.pid}-${Math.random().toString(36).slice(2)}`,
    );
    base = join(baseDir, 'base.concord');
    store = await importGeneratedStore(base, {
      outDir: baseDir,
      products: 60,
      seed: 11,
      wooDecimalComma: true,
    });
    await alignWorkspace(base);
  });

  afterAll(async () => {
    if (baseDir) (await import('node:fs')).rmSync(baseDir, { recursive: true, force: true });
  });

  /** A copy of the aligned workspace, a scenario on it, the fix list, and the channel's records after the update. */
  async function roundTrip(
    channel: string,
    setup: (s: Scenario) => void,
  ): Promise<{
    fl: FixList;
    /** The spreadsheet-safe copy of the same fix list. */
    safe: FixList;
    before: Map<string, Rec>;
    after: Map<string, Rec>;
    ws: string;
  }> {
    const dir = tmp();
    const ws = join(dir, 'ws.concord');
    copyFileSync(base, ws);
    const w = openWorkspace(ws);
    let fl: FixList;
    let safe: FixList;
    let before: Map<string, Rec>;
    try {
      before = records(w.db, channel);
      setup(new Scenario(w.db, channel));
      fl = buildFixList(w.db, { channel });
      safe = buildFixList(w.db, { channel, spreadsheetSafe: true });
    } finally {
      w.close();
    }
    const c = store.channels.find((x) => x.name === channel)!;
    const fixFile = join(dir, fl.fileName);
    writeFileSync(fixFile, fl.content);
    mkdirSync(join(dir, 'fixed'));
    const fixed = join(dir, 'fixed', c.file);
    await applyFixList(c.path, fixFile, c.format as FixFormat, fixed);
    await importFile({ workspace: ws, file: fixed, channel, replace: true });
    const w2 = openWorkspace(ws);
    try {
      return { fl, safe, before, after: records(w2.db, channel), ws };
    } finally {
      w2.close();
    }
  }

  function records(db: Database.Database, channel: string): Map<string, Rec> {
    const rows = db
      .prepare(
        `SELECT id, source_id, line, channel, record_id, parent_id, title, price_minor, sale_price_minor, availability,
                stock, weight_g, category, image_url, gtin, options FROM records WHERE channel = ?`,
      )
      .all(channel) as Rec[];
    return new Map(rows.map((r) => [r.record_id, r]));
  }

  /** Records of other products than the picked ones are exactly as before the update. */
  function othersUnchanged(before: Map<string, Rec>, after: Map<string, Rec>, picks: Candidate[]): number {
    expect(after.size).toBe(before.size);
    const ids = new Set(picks.map((p) => p.record_id));
    const parents = new Set(picks.map((p) => p.parent_id).filter((p) => p !== null));
    const fields = [
      'title',
      'price_minor',
      'sale_price_minor',
      'availability',
      'stock',
      'weight_g',
      'category',
      'image_url',
      'gtin',
    ] as const;
    let n = 0;
    for (const [id, b] of before) {
      if (ids.has(id) || (b.parent_id !== null && parents.has(b.parent_id))) continue;
      const a = after.get(id);
      expect(a, id).toBeDefined();
      for (const f of fields) expect(a![f], `${id} ${f}`).toEqual(b[f]);
      n++;
    }
    return n;
  }

  function table(fl: FixList): string[][] {
    const text = fl.content.replace(/^\ufeff/, '');
    return Papa.parse<string[]>(text, {
      delimiter: fl.format === 'shopify' || fl.format === 'woocommerce' ? ',' : '\t',
    }).data.filter((r) => r.length > 1);
  }

  it('Shopify: variant prices (sale as Price + Compare At), stock, grams, barcode; product title, category, image', async () => {
    const picks: Record<string, Candidate> = {};
    const ids: Record<string, number> = {};
    const { fl, before, after, ws } = await roundTrip('shopify', (s) => {
      // price on a variant that is not its product's first row: the first row is written too (Title)
      let r =
        s.pick(`r.line > (SELECT min(line) FROM records x WHERE x.source_id = r.source_id AND x.parent_id = r.parent_id)
                      AND r.sale_price_minor IS NULL AND r.price_minor IS NOT NULL`);
      picks.price = r;
      s.golden(r, { price_minor: r.price_minor! + 500, sale_price_minor: null });
      ids.price = s.gap('price_mismatch', r, 'x');
      r = s.pick('r.price_minor > 1000');
      picks.sale = r;
      s.golden(r, { price_minor: r.price_minor! + 1000, sale_price_minor: r.price_minor! - 100 });
      ids.sale = s.gap('sale_price_mismatch', r);
      ids.salePrice = s.gap('price_mismatch', r);
      r = s.pick(`r.availability = 'in_stock' AND r.stock > 0`);
      picks.stock = r;
      s.golden(r, { availability: 'out_of_stock' });
      ids.stock = s.gap('availability_mismatch', r);
      r = s.pick('r.weight_g IS NOT NULL');
      picks.weight = r;
      s.golden(r, { weight_g: Math.round(r.weight_g!) + 100 });
      ids.weight = s.gap('weight_mismatch', r);
      r = s.pick('1');
      picks.gtin = r;
      s.golden(r, { gtin: GTIN });
      ids.gtin = s.gap('invalid_gtin', r);
      r = s.pick(`r.options IS NOT NULL AND r.options != '{}'`);
      picks.title = r;
      const values = Object.values(JSON.parse(r.options!) as Record<string, string>).join(' / ');
      ids.title = s.gap('title_mismatch', r, `Fixed Product Title - ${values}`);
      r = s.pick('r.category IS NOT NULL');
      picks.category = r;
      s.golden(r, { category: 'Reference > Fixed' });
      s.categoryMap('Home & Garden > Fixed Category', 'Reference > Fixed');
      ids.category = s.gap('category_mismatch', r);
      r = s.pick(
        `r.line = (SELECT min(line) FROM records x WHERE x.source_id = r.source_id AND x.parent_id = r.parent_id)`,
      );
      picks.image = r;
      s.golden(r, { image_url: 'https://img.example/fixed.jpg' });
      ids.image = s.gap('missing_image', r);
      ids.absent = s.gap('missing_in_channel', null, null, r.cluster_id);
      r = s.pick('r.category IS NOT NULL');
      s.golden(r, { category: 'Reference > Unmapped' });
      ids.unmapped = s.gap('category_mismatch', r);
    });
    expect(fl).toMatchObject({
      channel: 'shopify',
      format: 'shopify',
      fileName: 'shopify-fixlist.csv',
      mimeType: 'text/csv',
    });
    expect(fl.gaps).toBe(9);
    expect(fl.skipped.map((x) => x.id).sort((a, b) => a - b)).toEqual(
      [ids.absent, ids.unmapped].sort((a, b) => a - b),
    );
    expect(fl.skipped.find((x) => x.id === ids.absent)?.reason).toMatch(/not listed on shopify/);
    expect(fl.skipped.find((x) => x.id === ids.unmapped)?.reason).toMatch(
      /no shopify category is known .*Reference > Unmapped/,
    );

    const rows = table(fl);
    const header = rows[0];
    expect(header.slice(0, 2)).toEqual(['Handle', 'Option1 Value']);
    expect(header).toContain('Variant SKU');
    expect(header).toContain('Title');
    // the price fix's product: its first row (with the Title) precedes the variant's row
    const handleCol = header.indexOf('Handle');
    const titleCol = header.indexOf('Title');
    const handleRows = rows.filter((r) => r[handleCol] === picks.price.parent_id);
    expect(handleRows.length).toBe(2);
    expect(handleRows[0][titleCol]).not.toBe('');
    expect(handleRows[1][titleCol]).toBe('');

    const get = (c: Candidate) => after.get(c.record_id)!;
    expect(get(picks.price).price_minor).toBe(picks.price.price_minor! + 500);
    expect(get(picks.sale)).toMatchObject({
      price_minor: picks.sale.price_minor! + 1000,
      sale_price_minor: picks.sale.price_minor! - 100,
    });
    expect(get(picks.stock).availability).not.toBe('in_stock');
    expect(get(picks.stock).stock).toBe(0);
    expect(get(picks.weight).weight_g).toBe(Math.round(picks.weight.weight_g!) + 100);
    expect(get(picks.gtin).gtin).toBe(GTIN);
    expect(get(picks.title).title).toBe('Fixed Product Title');
    expect(get(picks.category).category).toBe('Home & Garden > Fixed Category');
    const w = openWorkspace(ws);
    try {
      const imageRow = rawRow(w.db, get(picks.image).source_id, get(picks.image).line);
      expect(imageRow).toContain('https://img.example/fixed.jpg');
    } finally {
      w.close();
    }
    expect(othersUnchanged(before, after, Object.values(picks))).toBeGreaterThan(50);
  });

  it('WooCommerce: ID/SKU rows, decimal comma, weight in the header unit, categories on the parent row', async () => {
    const picks: Record<string, Candidate> = {};
    const { fl, safe, before, after } = await roundTrip('woocommerce', (s) => {
      picks.price = s.plant('price_mismatch', 'r.price_minor IS NOT NULL', (r) => ({
        price_minor: r.price_minor! + 123,
      }));
      picks.sale = s.plant('sale_price_mismatch', 'r.price_minor > 1000', (r) => ({
        price_minor: r.price_minor,
        sale_price_minor: r.price_minor! - 250,
      }));
      picks.stock = s.plant('availability_mismatch', `r.availability = 'in_stock'`, () => ({
        availability: 'backorder',
      }));
      picks.instock = s.plant('availability_mismatch', `r.availability != 'in_stock'`, () => ({
        availability: 'in_stock',
      }));
      picks.weight = s.plant('weight_mismatch', 'r.weight_g IS NOT NULL', (r) => ({
        weight_g: Math.round(r.weight_g!) + 55,
      }));
      picks.gtin = s.plant('missing_gtin', '1', () => ({ gtin: GTIN }));
      picks.title = s.plant('title_mismatch', '1', undefined, '=Fixed, "quoted" title');
      const r = s.pick('r.parent_id IS NOT NULL AND r.category IS NOT NULL');
      picks.category = r;
      s.golden(r, { category: 'Reference > Fixed' });
      s.categoryMap('Fixed, Store > Category', 'Reference > Fixed');
      s.gap('category_mismatch', r);
      picks.image = s.plant('missing_image', '1', () => ({ image_url: 'https://img.example/woo.jpg' }));
    });
    expect(fl).toMatchObject({ format: 'woocommerce', fileName: 'woocommerce-fixlist.csv', skipped: [] });
    expect(fl.gaps).toBe(9);
    expect(fl.content.startsWith('\ufeffID,SKU,')).toBe(true);
    const [header, ...rows] = table(fl);
    const col = (name: string) => header.indexOf(name);
    const priceRow = rows.find(
      (r) => r[col('Regular price')] !== '' && r[col('Regular price')] !== undefined,
    )!;
    expect(priceRow[col('Regular price')]).toMatch(/^\d+,\d\d$/); // the store's decimal comma
    expect(rows.find((r) => r[col('Weight (kg)')])![col('Weight (kg)')]).toMatch(/^\d+(,\d+)?$/);
    // For upload the title goes out exactly (WooCommerce would publish an apostrophe), counted as a formula cell;
    // the spreadsheet-safe copy escapes it.
    expect(fl.content).toContain(`,"=Fixed, ""quoted"" title",`);
    expect(fl).toMatchObject({ formulaCells: 1, spreadsheetSafe: false });
    expect(safe).toMatchObject({
      fileName: 'woocommerce-spreadsheet-fixlist.csv',
      formulaCells: 1,
      spreadsheetSafe: true,
      rows: fl.rows,
    });
    expect(safe.content).toContain(`,"'=Fixed, ""quoted"" title",`);
    expect(safe.content.replace(`'=Fixed`, '=Fixed')).toBe(fl.content);
    // the category goes on the variable parent's row: an ID that is no record's
    const categoryRow = rows.find((r) => r[col('Categories')])!;
    expect(categoryRow[col('Categories')]).toMatch(/^Fixed\\, Store > Category/);
    expect([...after.values()].some((x) => x.record_id === categoryRow[col('ID')])).toBe(false);

    const get = (c: Candidate) => after.get(c.record_id)!;
    expect(get(picks.price).price_minor).toBe(picks.price.price_minor! + 123);
    expect(get(picks.sale).sale_price_minor).toBe(picks.sale.price_minor! - 250);
    expect(get(picks.stock).availability).toBe('backorder');
    expect(get(picks.instock).availability).toBe('in_stock');
    expect(get(picks.weight).weight_g).toBe(Math.round(picks.weight.weight_g!) + 55);
    expect(get(picks.gtin).gtin).toBe(GTIN);
    expect(get(picks.title).title).toBe('=Fixed, "quoted" title');
    expect(get(picks.category).category).toBe('Fixed, Store > Category');
    expect(get(picks.image).image_url).toBe('https://img.example/woo.jpg');
    expect(othersUnchanged(before, after, Object.values(picks))).toBeGreaterThan(50);
  });

  it('Google: supplemental feed keyed by id, prices with currency, the category in the attribute the feed used', async () => {
    const picks: Record<string, Candidate> = {};
    const { fl, before, after } = await roundTrip('google', (s) => {
      picks.price = s.plant('price_mismatch', 'r.price_minor IS NOT NULL', (r) => ({
        price_minor: r.price_minor! + 77,
        currency: 'USD',
      }));
      picks.sale = s.plant('sale_price_mismatch', 'r.price_minor > 1000', (r) => ({
        price_minor: r.price_minor,
        sale_price_minor: r.price_minor! - 300,
        currency: 'USD',
      }));
      picks.stock = s.plant('availability_mismatch', `r.availability = 'in_stock'`, () => ({
        availability: 'out_of_stock',
      }));
      picks.weight = s.plant('weight_mismatch', 'r.weight_g IS NOT NULL', (r) => ({
        weight_g: Math.round(r.weight_g!) + 40,
      }));
      picks.gtin = s.plant('invalid_gtin', '1', () => ({ gtin: GTIN }));
      picks.title = s.plant('title_mismatch', '1', undefined, '-20% Fixed feed title 64GB');
      const r = s.pick('r.category IS NOT NULL');
      picks.category = r;
      s.golden(r, { category: 'Reference > Fixed' });
      s.categoryMap('Fixed > Feed Category', 'Reference > Fixed');
      s.gap('category_mismatch', r);
      picks.image = s.plant('missing_image', '1', () => ({ image_url: 'https://img.example/g.jpg' }));
    });
    expect(fl).toMatchObject({
      format: 'gmc',
      fileName: 'google-fixlist.tsv',
      mimeType: 'text/tab-separated-values',
      skipped: [],
      gaps: 8,
      rows: 8,
    });
    const rows = table(fl);
    expect(rows[0][0]).toBe('id');
    expect(rows[0]).toEqual(
      expect.arrayContaining([
        'title',
        'price',
        'sale_price',
        'availability',
        'product_type',
        'gtin',
        'image_link',
      ]),
    );
    expect(fl.content).toMatch(/\t\d+\.\d\d USD\t/);
    const get = (c: Candidate) => after.get(c.record_id)!;
    expect(get(picks.price).price_minor).toBe(picks.price.price_minor! + 77);
    expect(get(picks.sale).sale_price_minor).toBe(picks.sale.price_minor! - 300);
    expect(get(picks.stock).availability).toBe('out_of_stock');
    expect(get(picks.weight).weight_g).toBe(Math.round(picks.weight.weight_g!) + 40);
    expect(get(picks.gtin).gtin).toBe(GTIN);
    expect(get(picks.title).title).toBe('-20% Fixed feed title 64GB'); // Google reads the file: no apostrophe
    expect(get(picks.category).category).toBe('Fixed > Feed Category');
    expect(get(picks.image).image_url).toBe('https://img.example/g.jpg');
    expect(othersUnchanged(before, after, Object.values(picks))).toBeGreaterThan(50);
  });

  it('Amazon: seller-sku rows the importer reads back; what the report cannot carry is skipped', async () => {
    const picks: Record<string, Candidate> = {};
    const ids: Record<string, number> = {};
    const { fl, before, after } = await roundTrip('amazon', (s) => {
      let r = s.pick('r.price_minor IS NOT NULL');
      picks.price = r;
      s.golden(r, { price_minor: r.price_minor! + 200 });
      ids.price = s.gap('price_mismatch', r);
      r = s.pick(`r.availability = 'in_stock' AND r.stock > 0`);
      picks.stock = r;
      s.golden(r, { availability: 'out_of_stock' });
      ids.stock = s.gap('availability_mismatch', r);
      r = s.pick(`r.stock IS NULL`);
      s.golden(r, { availability: 'out_of_stock' });
      ids.fba = s.gap('availability_mismatch', r);
      r = s.pick('1');
      picks.gtin = r;
      s.golden(r, { gtin: '00012345678905' });
      ids.gtin = s.gap('missing_gtin', r);
      r = s.pick('1');
      picks.title = r;
      ids.title = s.gap('title_mismatch', r, 'Fixed listing title');
      r = s.pick('1');
      picks.image = r;
      s.golden(r, { image_url: 'https://img.example/a.jpg' });
      ids.image = s.gap('missing_image', r);
      r = s.pick('1');
      ids.weight = s.gap('weight_mismatch', r);
      ids.category = s.gap('category_mismatch', r);
      ids.sale = s.gap('sale_price_mismatch', r);
    });
    expect(fl).toMatchObject({ format: 'amazon', fileName: 'amazon-fixlist.txt', gaps: 5 });
    const reasons = new Map(fl.skipped.map((x) => [x.id, x.reason]));
    expect(reasons.get(ids.fba)).toMatch(/fulfilled by Amazon/);
    expect(reasons.get(ids.weight)).toMatch(/no weight/);
    expect(reasons.get(ids.category)).toMatch(/category/);
    expect(reasons.get(ids.sale)).toMatch(/no sale price/);
    const header = table(fl)[0];
    expect(header[0]).toBe('seller-sku');
    expect(header).toEqual(
      expect.arrayContaining([
        'price',
        'quantity',
        'product-id',
        'product-id-type',
        'item-name',
        'image-url',
      ]),
    );
    expect(fl.content).toMatch(/\t012345678905\t3\t/);

    const get = (c: Candidate) => after.get(c.record_id)!;
    expect(get(picks.price).price_minor).toBe(picks.price.price_minor! + 200);
    expect(get(picks.stock)).toMatchObject({ availability: 'out_of_stock', stock: 0 });
    expect(get(picks.gtin).gtin).toBe('00012345678905');
    expect(get(picks.title).title).toBe('Fixed listing title');
    expect(get(picks.image).image_url).toBe('https://img.example/a.jpg');
    expect(othersUnchanged(before, after, Object.values(picks))).toBeGreaterThan(50);
  });

  it('selects open gaps by default, exactly the given ids otherwise; refuses foreign ids, unknown channels, no detection', () => {
    const dir = tmp();
    const ws = join(dir, 'ws.concord');
    copyFileSync(base, ws);
    const w = openWorkspace(ws);
    try {
      const err = (f: () => unknown): ConcordError => {
        try {
          f();
        } catch (e) {
          return e as ConcordError;
        }
        throw new Error('no error');
      };
      expect(err(() => buildFixList(w.db, { channel: 'google' })).message).toMatch(/no gaps detected yet/);
      expect(err(() => buildFixList(w.db, { channel: 'ebay' })).message).toMatch(
        /unknown channel "ebay".*shopify, woocommerce, google, amazon/,
      );
      const s = new Scenario(w.db, 'google');
      const a = s.pick('r.price_minor IS NOT NULL');
      s.golden(a, { price_minor: a.price_minor! + 100, currency: 'USD' });
      const open = s.gap('price_mismatch', a);
      const b = s.pick('r.price_minor IS NOT NULL');
      s.golden(b, { price_minor: b.price_minor! + 100, currency: 'USD' });
      const ignored = s.gap('price_mismatch', b);
      w.db.prepare(`UPDATE gaps SET status = 'ignored' WHERE id = ?`).run(ignored);
      const other = new Scenario(w.db, 'amazon').gap('missing_in_channel', null);

      expect(buildFixList(w.db, { channel: 'google' }).gaps).toBe(1);
      expect(buildFixList(w.db, { channel: 'google', ids: [ignored] })).toMatchObject({ gaps: 1, rows: 1 });
      expect(buildFixList(w.db, { channel: 'google', ids: [open, ignored] })).toMatchObject({
        gaps: 2,
        rows: 2,
      });
      const foreign = err(() => buildFixList(w.db, { channel: 'google', ids: [open, other] }));
      expect(foreign.code).toBe('BAD_INPUT');
      expect(foreign.message).toMatch(new RegExp(`${other} \\(amazon\\).*another channel than "google"`));
      expect(err(() => buildFixList(w.db, { channel: 'google', ids: [999999] })).message).toMatch(
        /no gap with id 999999/,
      );
      // an empty selection still writes the header
      const none = buildFixList(w.db, { channel: 'shopify' });
      expect(none).toMatchObject({ rows: 0, gaps: 0, skipped: [] });
      expect(none.content).toMatch(/^Handle,/);
    } finally {
      w.close();
    }
  });
});
