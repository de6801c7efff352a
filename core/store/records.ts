/**
 * The records table (migration 001): its one column list, its row type and hydrate function, and every read of
 * it: streaming readers for the hot paths (alignment's matching fields, gap detection's product records) and one
 * typed columnar loader (clustering and golden records).
 */
import type Database from 'better-sqlite3';
import type { NormalizedRecord } from '../model/record.js';
import { BatchInsert } from './batchInsert.js';
import { hydrate, type FieldOf } from './columns.js';
import { GOLDEN_VALUE_COLUMNS } from './goldenRecords.js';

/** The columns an import writes after (source_id, channel), in order (core/ingest/rowPipeline.ts packs them). */
export const RECORD_VALUE_COLUMNS = [
  'line',
  'record_id',
  'parent_id',
  'title',
  'description',
  'brand',
  'brand_key',
  'gtin',
  'gtin_raw',
  'gtin_status',
  'mpn',
  'sku',
  'price_minor',
  'sale_price_minor',
  'currency',
  'availability',
  'stock',
  'weight_g',
  'category',
  'image_url',
  'link',
  'condition',
  'status',
  'tags',
  'options',
  'attributes',
] as const;

/** A normalized record's values appended to `out` in RECORD_VALUE_COLUMNS order (the import's flat batches). */
export function packRecord(out: unknown[], line: number, r: NormalizedRecord): void {
  out.push(
    line,
    r.recordId,
    r.parentId,
    r.title,
    r.description,
    r.brand,
    r.brandKey,
    r.gtin,
    r.gtinRaw,
    r.gtinStatus,
    r.mpn,
    r.sku,
    r.priceMinor,
    r.salePriceMinor,
    r.currency,
    r.availability,
    r.stock,
    r.weightG,
    r.category.length ? r.category.join(' > ') : null,
    r.imageUrl,
    r.link,
    r.condition,
    r.status,
    r.tags.length ? JSON.stringify(r.tags) : null,
    jsonOrNull(r.options),
    jsonOrNull(r.attributes),
  );
}

function jsonOrNull(o: Record<string, string>): string | null {
  for (const _ in o) return JSON.stringify(o);
  return null;
}

/** Values per packed record, and where its record id is. */
export const RECORD_WIDTH = RECORD_VALUE_COLUMNS.length;
export const RECORD_ID_AT = RECORD_VALUE_COLUMNS.indexOf('record_id');

/** Inserts packed records (`addFrom([sourceId, channel], values, at)`). */
export function recordInserter(db: Database.Database): BatchInsert {
  return new BatchInsert(db, 'records', ['source_id', 'channel', ...RECORD_VALUE_COLUMNS]);
}

/** (record id, source id) of a channel's records outside the given sources. */
export function channelRecordIds(
  db: Database.Database,
  channel: string,
  excludeSources: readonly number[],
): [string, number][] {
  return db
    .prepare(
      `SELECT record_id, source_id FROM records WHERE channel = ? AND source_id NOT IN (${excludeSources.map(() => '?').join(',')})`,
    )
    .raw()
    .all(channel, ...excludeSources) as [string, number][];
}

/** Removes a source's records with these record ids (an import replacing an earlier row's record by a later one). */
export function deleteSourceRecords(
  db: Database.Database,
  sourceId: number,
  recordIds: readonly string[],
): void {
  const del = db.prepare('DELETE FROM records WHERE source_id = ? AND record_id = ?');
  for (const id of recordIds) del.run(sourceId, id);
}

/** (line, records.id) of a source's records, streamed (a row may give several records). */
export function recordLines(db: Database.Database, sourceId: number): IterableIterator<[number, number]> {
  return db
    .prepare('SELECT line, id FROM records WHERE source_id = ?')
    .raw()
    .iterate(sourceId) as IterableIterator<[number, number]>;
}

/** Every column of a record row, in table order. */
export const RECORD_COLUMNS = ['id', 'source_id', 'channel', ...RECORD_VALUE_COLUMNS] as const;

/** A stored record, as the table has it (JSON columns still text, the category path joined with ' > '). */
export interface RecordRow extends Omit<NormalizedRecord, 'category' | 'tags' | 'options' | 'attributes'> {
  id: number;
  sourceId: number;
  channel: string;
  line: number;
  category: string | null;
  /** JSON array. */
  tags: string | null;
  /** JSON object. */
  options: string | null;
  /** JSON object. */
  attributes: string | null;
}

export type RecordColumn = (typeof RECORD_COLUMNS)[number];
export type RecordFields<C extends RecordColumn> = Pick<RecordRow, FieldOf<C>>;

/** `r.a, r.b, …` for a SELECT over `records r`. */
export function recordSelect(columns: readonly RecordColumn[]): string {
  return columns.map((c) => `r.${c}`).join(', ');
}

/** A row read as `raw` in the order of `columns` -> the record's fields. */
export function hydrateRecord<C extends RecordColumn>(
  columns: readonly C[],
  row: readonly unknown[],
): RecordFields<C> {
  return hydrate(columns, row);
}

/** Records of product sources only (`records r`, `sources s`). */
export const PRODUCT_RECORDS = `records r JOIN sources s ON s.id = r.source_id WHERE s.kind = 'products'`;

/** Channel names in priority order (0 = system of record). */
export function channelOrder(db: Database.Database): string[] {
  return db.prepare('SELECT name FROM channels ORDER BY priority, name').pluck().all() as string[];
}

/**
 * The product records' given columns, in records.id order, streamed as raw rows (positions as in `columns`), with
 * more columns of the row after them when `extra` names SQL expressions (e.g. `c.cluster_id` with `join`).
 */
export function streamProductRecords(
  db: Database.Database,
  columns: readonly RecordColumn[],
  options: { extra?: readonly string[]; join?: string; where?: string; params?: unknown[] } = {},
): IterableIterator<unknown[]> {
  const select = [recordSelect(columns), ...(options.extra ?? [])].join(', ');
  const from = `records r JOIN sources s ON s.id = r.source_id ${options.join ?? ''}`;
  const where = `s.kind = 'products'${options.where ? ` AND ${options.where}` : ''}`;
  return db
    .prepare(`SELECT ${select} FROM ${from} WHERE ${where} ORDER BY r.id`)
    .raw(true)
    .iterate(...(options.params ?? [])) as IterableIterator<unknown[]>;
}

/** True when some product record has no cluster (alignment has not seen it). */
export function unalignedRecords(db: Database.Database): boolean {
  return (
    db
      .prepare(
        `SELECT EXISTS (SELECT 1 FROM ${PRODUCT_RECORDS}
           AND NOT EXISTS (SELECT 1 FROM clusters c WHERE c.record_id = r.id))`,
      )
      .pluck()
      .get() === 1
  );
}

/** Records as clustering and golden records read them: columns indexed by position (records.id order). */
export interface RecordColumns {
  channels: string[];
  id: Float64Array;
  channel: Int32Array;
  recordId: string[];
  parentId: (string | null)[];
  title: (string | null)[];
  hasDescription: Uint8Array;
  brand: (string | null)[];
  brandKey: (string | null)[];
  gtin: (string | null)[];
  mpn: (string | null)[];
  sku: (string | null)[];
  price: (number | null)[];
  salePrice: (number | null)[];
  currency: (string | null)[];
  availability: (string | null)[];
  weight: (number | null)[];
  category: (string | null)[];
  image: (string | null)[];
  link: (string | null)[];
  /** JSON text of a non-empty object, else null. */
  options: (string | null)[];
}

/** The JSON text of a non-empty object (record options) parsed, else null. */
export function parseOptions(json: string | null): Record<string, string> | null {
  if (!json) return null;
  try {
    const o = JSON.parse(json) as Record<string, string>;
    return o && typeof o === 'object' && Object.keys(o).length > 0 ? o : null;
  } catch {
    return null;
  }
}

/** What clustering and golden records read: a record's identity, brand key and the values a golden record holds. */
const COLUMNS_READ = [
  'id',
  'channel',
  'record_id',
  'parent_id',
  'brand_key',
  ...GOLDEN_VALUE_COLUMNS,
  'options',
] as const satisfies readonly RecordColumn[];

/** The product records (all, or those with the given records.id), in records.id order, as columns. */
export function loadColumns(db: Database.Database, scope: readonly number[] | null = null): RecordColumns {
  const channels = channelOrder(db);
  const index = new Map(channels.map((c, i) => [c, i]));
  const c: RecordColumns = {
    channels,
    id: new Float64Array(0),
    channel: new Int32Array(0),
    recordId: [],
    parentId: [],
    title: [],
    hasDescription: new Uint8Array(0),
    brand: [],
    brandKey: [],
    gtin: [],
    mpn: [],
    sku: [],
    price: [],
    salePrice: [],
    currency: [],
    availability: [],
    weight: [],
    category: [],
    image: [],
    link: [],
    options: [],
  };
  const ids: number[] = [];
  const chans: number[] = [];
  const desc: number[] = [];
  // A catalogue repeats a few option sets over many records: each distinct JSON text is parsed once.
  const optionsNonEmpty = new Map<string, boolean>();
  const rows = streamProductRecords(db, COLUMNS_READ, {
    extra: ['r.description IS NOT NULL'],
    ...(scope ? { where: 'r.id IN (SELECT value FROM json_each(?))', params: [JSON.stringify(scope)] } : {}),
  });
  for (const r of rows) {
    ids.push(r[0] as number);
    let ch = index.get(r[1] as string);
    if (ch === undefined) {
      ch = channels.length;
      channels.push(r[1] as string);
      index.set(r[1] as string, ch);
    }
    chans.push(ch);
    c.recordId.push(r[2] as string);
    c.parentId.push(r[3] as string | null);
    c.brandKey.push(r[4] as string | null);
    c.title.push(r[5] as string | null);
    c.brand.push(r[6] as string | null);
    c.gtin.push(r[7] as string | null);
    c.mpn.push(r[8] as string | null);
    c.sku.push(r[9] as string | null);
    c.price.push(r[10] as number | null);
    c.salePrice.push(r[11] as number | null);
    c.currency.push(r[12] as string | null);
    c.availability.push(r[13] as string | null);
    c.weight.push(r[14] as number | null);
    c.category.push(r[15] as string | null);
    c.image.push(r[16] as string | null);
    c.link.push(r[17] as string | null);
    const options = r[18] as string | null;
    let nonEmpty = options === null ? false : optionsNonEmpty.get(options);
    if (nonEmpty === undefined) optionsNonEmpty.set(options!, (nonEmpty = parseOptions(options) !== null));
    c.options.push(nonEmpty ? options : null);
    desc.push(r[19] as number);
  }
  c.id = Float64Array.from(ids);
  c.channel = Int32Array.from(chans);
  c.hasDescription = Uint8Array.from(desc);
  return c;
}

/** Single-record lookups over prepared statements (fix lists read one record per gap). */
export class RecordLookup<C extends RecordColumn> {
  private readonly byRef;
  private readonly latest;
  private readonly stock;
  constructor(
    db: Database.Database,
    private readonly columns: readonly C[],
  ) {
    const select = recordSelect(columns);
    this.byRef = db
      .prepare(`SELECT ${select} FROM records r WHERE r.id = ? AND r.channel = ? AND r.record_id = ?`)
      .raw(true);
    this.latest = db
      .prepare(
        `SELECT ${select} FROM ${PRODUCT_RECORDS} AND r.channel = ? AND r.record_id = ? ORDER BY r.id DESC LIMIT 1`,
      )
      .raw(true);
    this.stock = db.prepare('SELECT stock FROM records WHERE id = ?').pluck();
  }
  /** The record at records.id `id` if it still is (channel, recordId). */
  byId(id: number, channel: string, recordId: string): RecordFields<C> | undefined {
    const row = this.byRef.get(id, channel, recordId) as unknown[] | undefined;
    return row ? hydrateRecord(this.columns, row) : undefined;
  }
  /** The newest product record with this (channel, recordId). */
  newest(channel: string, recordId: string): RecordFields<C> | undefined {
    const row = this.latest.get(channel, recordId) as unknown[] | undefined;
    return row ? hydrateRecord(this.columns, row) : undefined;
  }
  stockOf(id: number): number | null | undefined {
    return this.stock.get(id) as number | null | undefined;
  }
}

/** Looks up the first line of a product's rows (records with this parent id) in a source. */
export function firstLineOfParent(
  db: Database.Database,
): (sourceId: number, parentId: string) => number | null {
  const stmt = db.prepare('SELECT min(line) FROM records WHERE source_id = ? AND parent_id = ?').pluck();
  return (sourceId, parentId) => stmt.get(sourceId, parentId) as number | null;
}

/** The columns a record is shown with (Matches page, product drawer). */
export const RECORD_VIEW_COLUMNS = [
  'id',
  'source_id',
  'line',
  'channel',
  'record_id',
  'description',
  'gtin_raw',
  ...GOLDEN_VALUE_COLUMNS,
  'options',
] as const satisfies readonly RecordColumn[];

export type ShownRecord = RecordFields<(typeof RECORD_VIEW_COLUMNS)[number]> & { fileName: string };

/** Records by records.id with the file they came from (unknown ids are left out). */
export function shownRecords(db: Database.Database, ids: readonly number[]): ShownRecord[] {
  const rows = db
    .prepare(
      `SELECT ${recordSelect(RECORD_VIEW_COLUMNS)}, s.file_name
       FROM records r JOIN sources s ON s.id = r.source_id WHERE r.id IN (SELECT value FROM json_each(?))`,
    )
    .raw(true)
    .all(JSON.stringify([...new Set(ids)])) as unknown[][];
  const n = RECORD_VIEW_COLUMNS.length;
  return rows.map((row) => ({ ...hydrateRecord(RECORD_VIEW_COLUMNS, row), fileName: row[n] as string }));
}

/** (channel, recordId) of records by records.id (unknown ids are left out). */
export function recordRefs(
  db: Database.Database,
  ids: readonly number[],
): Map<number, { channel: string; recordId: string }> {
  const rows = db
    .prepare('SELECT id, channel, record_id FROM records WHERE id IN (SELECT value FROM json_each(?))')
    .raw(true)
    .all(JSON.stringify(ids)) as [number, string, string][];
  return new Map(rows.map(([id, channel, recordId]) => [id, { channel, recordId }]));
}

/** Every product record's (channel, recordId, cluster id — its own id when unclustered), channels in priority order. */
export function recordClusters(db: Database.Database): IterableIterator<[string, string, number]> {
  return db
    .prepare(
      `SELECT r.channel, r.record_id, coalesce(c.cluster_id, r.id)
       FROM records r JOIN sources s ON s.id = r.source_id
       LEFT JOIN channels ch ON ch.name = r.channel
       LEFT JOIN clusters c ON c.record_id = r.id
       WHERE s.kind = 'products'
       ORDER BY ch.priority, r.id`,
    )
    .raw(true)
    .iterate() as IterableIterator<[string, string, number]>;
}

const TEXT_COLUMNS = ['id', 'channel', 'title', 'brand', 'gtin', 'gtin_status'] as const;

/** Records with a title (what the text encoder reads), in records.id order. */
export function titledRecords(db: Database.Database): RecordFields<(typeof TEXT_COLUMNS)[number]>[] {
  const rows = db
    .prepare(
      `SELECT ${recordSelect(TEXT_COLUMNS)} FROM records r WHERE coalesce(r.title, '') <> '' ORDER BY r.id`,
    )
    .raw(true)
    .all() as unknown[][];
  return rows.map((row) => hydrateRecord(TEXT_COLUMNS, row));
}

/** Fields a channel's export may not carry at all (no column, or the column empty on every record). */
export const COVERED_FIELDS = ['gtin', 'salePrice', 'image', 'weight', 'category'] as const;
export type CoveredField = (typeof COVERED_FIELDS)[number];

const COVERED_SQL: Record<CoveredField, string> = {
  gtin: 'r.gtin_raw',
  salePrice: 'r.sale_price_minor',
  image: 'r.image_url',
  weight: 'r.weight_g',
  category: 'r.category',
};

export type ChannelCoverage = ReadonlyMap<string, ReadonlySet<CoveredField>>;

/** Coverage changes only when sources do: remembered per connection, keyed by the sources' state. */
const coverageMemo = new WeakMap<Database.Database, { key: string; coverage: ChannelCoverage }>();

/** What changes whenever sources do (an import, a replacement, a removal). */
function sourcesKey(db: Database.Database): string {
  return JSON.stringify(db.prepare('SELECT count(*), max(id), total(rows) FROM sources').raw().get());
}

/** Per channel, the fields at least one of its product records has (one scan of the records per sources state). */
export function channelCoverage(db: Database.Database): ChannelCoverage {
  const key = sourcesKey(db);
  const memo = coverageMemo.get(db);
  if (memo?.key === key) return memo.coverage;
  const coverage = scanCoverage(db);
  coverageMemo.set(db, { key, coverage });
  return coverage;
}

function scanCoverage(db: Database.Database): ChannelCoverage {
  const select = COVERED_FIELDS.map((f) => `max(${COVERED_SQL[f]} IS NOT NULL)`).join(', ');
  const rows = db
    .prepare(`SELECT r.channel, ${select} FROM ${PRODUCT_RECORDS} GROUP BY r.channel`)
    .raw(true)
    .all() as [string, ...number[]][];
  return new Map(
    rows.map(([channel, ...flags]) => [channel, new Set(COVERED_FIELDS.filter((_, i) => flags[i] === 1))]),
  );
}

const currencyMemo = new WeakMap<Database.Database, { key: string; currency: string | null }>();

/**
 * The store's currency: the one currency every product record that names a currency names, else null (several).
 * Exports that state none (Shopify's product CSV, Amazon's listings report) are priced in it. One scan of the
 * records per sources state.
 */
export function storeCurrency(db: Database.Database): string | null {
  const key = sourcesKey(db);
  const memo = currencyMemo.get(db);
  if (memo?.key === key) return memo.currency;
  const found = db
    .prepare(`SELECT DISTINCT r.currency FROM ${PRODUCT_RECORDS} AND r.currency IS NOT NULL LIMIT 2`)
    .pluck()
    .all() as string[];
  const currency = found.length === 1 ? found[0] : null;
  currencyMemo.set(db, { key, currency });
  return currency;
}
