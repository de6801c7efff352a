/**
 * Reads what gap detection needs from a workspace in two passes: the product records (normalized fields, channel
 * priority, source format) and each cluster's golden record with the provenance of its values.
 */
import type Database from 'better-sqlite3';
import type { DetectField, GoldenView, ProductCluster } from './detect.js';
import { COMPARED_COLUMNS, statesNoSale } from './differs.js';
import type { ProductRecord } from './types.js';
import { parseProvenance, streamGolden, type GoldenColumn } from '../store/goldenRecords.js';
import { storedProducts, type StoredProduct } from '../store/products.js';
import { columnsExcept } from '../store/columns.js';
import {
  COVERED_FIELDS,
  RECORD_COLUMNS as STORED_RECORD_COLUMNS,
  streamProductRecords,
  type ChannelCoverage,
  type CoveredField,
} from '../store/records.js';

/** The record columns gap detection reads (with the source's format, description presence and cluster). */
const RECORD_COLUMNS = columnsExcept(STORED_RECORD_COLUMNS, ['description', 'stock', 'attributes']);
const FORMAT_AT = RECORD_COLUMNS.length;

const GOLDEN_READ = [
  'cluster_id',
  'source_record',
  ...COMPARED_COLUMNS,
  'brand',
  'options',
  'provenance',
] as const satisfies readonly GoldenColumn[];

const NO_TAGS: string[] = [];
const NO_OPTIONS: Record<string, string> = {};

/**
 * Option and tag lists repeat across a catalog (`{"Size":"M","Color":"Navy"}`): each distinct text is parsed once
 * and its (read-only) object shared, which saves most of the parsing and the memory.
 */
class SharedJson<T> {
  private readonly cache = new Map<string, T>();
  constructor(private readonly empty: T) {}
  get(json: string | null): T {
    if (!json) return this.empty;
    let v = this.cache.get(json);
    if (v === undefined) {
      v = parseJson(json, this.empty);
      this.cache.set(json, v);
    }
    return v;
  }
}

/**
 * Low-cardinality texts (channel, format, status, currency, brand, category…) as one shared string per value: the
 * copy each row brings dies young instead of being kept once per record, which spares memory and garbage collection.
 */
class SharedText {
  private readonly values = new Map<string, string>();
  get<T extends string | null>(text: T): T {
    if (text === null) return text;
    const v = this.values.get(text);
    if (v !== undefined) return v as T;
    this.values.set(text, text);
    return text;
  }
}

function parseJson<T>(json: string | null, fallback: T): T {
  if (!json) return fallback;
  try {
    return JSON.parse(json) as T;
  } catch {
    return fallback;
  }
}

/** Where each read column is in a raw row (records: the extra columns after RECORD_COLUMNS). */
const at = <C extends string>(columns: readonly C[], column: C): number => columns.indexOf(column);
const R = {
  id: at(RECORD_COLUMNS, 'id'),
  sourceId: at(RECORD_COLUMNS, 'source_id'),
  channel: at(RECORD_COLUMNS, 'channel'),
  line: at(RECORD_COLUMNS, 'line'),
  recordId: at(RECORD_COLUMNS, 'record_id'),
  parentId: at(RECORD_COLUMNS, 'parent_id'),
  title: at(RECORD_COLUMNS, 'title'),
  brand: at(RECORD_COLUMNS, 'brand'),
  brandKey: at(RECORD_COLUMNS, 'brand_key'),
  gtin: at(RECORD_COLUMNS, 'gtin'),
  gtinRaw: at(RECORD_COLUMNS, 'gtin_raw'),
  gtinStatus: at(RECORD_COLUMNS, 'gtin_status'),
  mpn: at(RECORD_COLUMNS, 'mpn'),
  sku: at(RECORD_COLUMNS, 'sku'),
  priceMinor: at(RECORD_COLUMNS, 'price_minor'),
  salePriceMinor: at(RECORD_COLUMNS, 'sale_price_minor'),
  currency: at(RECORD_COLUMNS, 'currency'),
  availability: at(RECORD_COLUMNS, 'availability'),
  weightG: at(RECORD_COLUMNS, 'weight_g'),
  category: at(RECORD_COLUMNS, 'category'),
  imageUrl: at(RECORD_COLUMNS, 'image_url'),
  link: at(RECORD_COLUMNS, 'link'),
  condition: at(RECORD_COLUMNS, 'condition'),
  status: at(RECORD_COLUMNS, 'status'),
  tags: at(RECORD_COLUMNS, 'tags'),
  options: at(RECORD_COLUMNS, 'options'),
  format: FORMAT_AT,
  hasDescription: FORMAT_AT + 1,
  cluster: FORMAT_AT + 2,
};
const G = {
  clusterId: at(GOLDEN_READ, 'cluster_id'),
  sourceRecord: at(GOLDEN_READ, 'source_record'),
  title: at(GOLDEN_READ, 'title'),
  gtin: at(GOLDEN_READ, 'gtin'),
  priceMinor: at(GOLDEN_READ, 'price_minor'),
  salePriceMinor: at(GOLDEN_READ, 'sale_price_minor'),
  currency: at(GOLDEN_READ, 'currency'),
  availability: at(GOLDEN_READ, 'availability'),
  weightG: at(GOLDEN_READ, 'weight_g'),
  category: at(GOLDEN_READ, 'category'),
  imageUrl: at(GOLDEN_READ, 'image_url'),
  brand: at(GOLDEN_READ, 'brand'),
  options: at(GOLDEN_READ, 'options'),
  provenance: at(GOLDEN_READ, 'provenance'),
};

/**
 * A product record from its raw row, built as one object literal: every record has the same shape (fast property
 * access in detection, completeness and rules, and far less memory than objects filled column by column).
 */
function productRecord(
  row: readonly unknown[],
  channelIndex: ReadonlyMap<string, number>,
  unknownChannel: number,
  tagsOf: SharedJson<string[]>,
  optionsOf: SharedJson<Record<string, string>>,
  shared: SharedText,
): ProductRecord {
  const channel = shared.get(row[R.channel] as string);
  return {
    sourceId: row[R.sourceId] as number,
    channel,
    line: row[R.line] as number,
    recordId: row[R.recordId] as string,
    parentId: row[R.parentId] as string | null,
    title: row[R.title] as string | null,
    brand: shared.get(row[R.brand] as string | null),
    brandKey: shared.get(row[R.brandKey] as string | null),
    gtin: row[R.gtin] as string | null,
    gtinRaw: row[R.gtinRaw] as string | null,
    gtinStatus: shared.get(row[R.gtinStatus] as ProductRecord['gtinStatus']),
    mpn: row[R.mpn] as string | null,
    sku: row[R.sku] as string | null,
    priceMinor: row[R.priceMinor] as number | null,
    salePriceMinor: row[R.salePriceMinor] as number | null,
    currency: shared.get(row[R.currency] as string | null),
    availability: shared.get(row[R.availability] as ProductRecord['availability']),
    weightG: row[R.weightG] as number | null,
    category: shared.get(row[R.category] as string | null),
    imageUrl: row[R.imageUrl] as string | null,
    link: row[R.link] as string | null,
    condition: shared.get(row[R.condition] as string | null),
    status: shared.get(row[R.status] as string | null),
    ref: row[R.id] as number,
    channelIndex: channelIndex.get(channel) ?? unknownChannel,
    format: shared.get(row[R.format] as string),
    hasDescription: row[R.hasDescription] === 1,
    tags: tagsOf.get(row[R.tags] as string | null),
    options: optionsOf.get(row[R.options] as string | null),
  };
}

/** The value each covered field is read from (core/store/records.ts COVERED_SQL). */
const COVERED_VALUE: Record<CoveredField, (r: ProductRecord) => unknown> = {
  gtin: (r) => r.gtinRaw,
  salePrice: (r) => r.salePriceMinor,
  image: (r) => r.imageUrl,
  weight: (r) => r.weightG,
  category: (r) => r.category,
};
const COVERED_READ = COVERED_FIELDS.map((f) => COVERED_VALUE[f]);

/** Bit i set when the record has COVERED_FIELDS[i]. */
function coveredBits(r: ProductRecord): number {
  let bits = 0;
  for (let i = 0; i < COVERED_READ.length; i++) if (COVERED_READ[i](r) !== null) bits |= 1 << i;
  return bits;
}

/**
 * A cluster's records in channel priority order, then records.id: an insertion sort, as a cluster has a few records
 * that mostly come in that order already (a library sort per cluster costs more than the sorting).
 */
function sortByChannel(records: ProductRecord[]): void {
  for (let i = 1; i < records.length; i++) {
    const r = records[i];
    let j = i - 1;
    while (j >= 0 && (records[j].channelIndex - r.channelIndex || records[j].ref - r.ref) > 0) {
      records[j + 1] = records[j];
      j--;
    }
    records[j + 1] = r;
  }
}

/** A cluster's golden record from its raw row (GOLDEN_READ order), with the record each value came from. */
function goldenView(
  row: readonly unknown[],
  optionsOf: SharedJson<Record<string, string>>,
  shared: SharedText,
): GoldenView {
  const clusterId = row[G.clusterId] as number;
  const sourceRecord = row[G.sourceRecord] as number;
  const title = row[G.title] as string | null;
  const gtin = row[G.gtin] as string | null;
  const priceMinor = row[G.priceMinor] as number | null;
  const salePriceMinor = row[G.salePriceMinor] as number | null;
  const availability = shared.get(row[G.availability] as string | null);
  const weightG = row[G.weightG] as number | null;
  const category = shared.get(row[G.category] as string | null);
  const imageUrl = row[G.imageUrl] as string | null;
  // Without provenance every value came from the source record (none when the value is missing).
  const provenance = parseProvenance(row[G.provenance] as string | null);
  const own = (f: DetectField, value: unknown): number | null => {
    const p = provenance?.[f];
    return p ? p[0] : value === null ? null : sourceRecord;
  };
  return {
    clusterId,
    title,
    brand: shared.get(row[G.brand] as string | null),
    options: optionsOf.get(row[G.options] as string | null),
    gtin,
    priceMinor,
    salePriceMinor,
    currency: shared.get(row[G.currency] as string | null),
    availability,
    weightG,
    category,
    imageUrl,
    noSale: statesNoSale(salePriceMinor, provenance),
    from: {
      title: own('title', title),
      gtin: own('gtin', gtin),
      price: own('price', priceMinor),
      salePrice: own('salePrice', salePriceMinor),
      availability: own('availability', availability),
      weight: own('weight', weightG),
      category: own('category', category),
      image: own('image', imageUrl),
    },
  };
}

export interface LoadedWorkspace {
  /** Product channels in priority order. */
  channels: string[];
  records: ProductRecord[];
  clusters: ProductCluster[];
  /** Each cluster's product and family, as alignment stored them. */
  productOf: Map<number, StoredProduct>;
  sourceIds: number[];
  /**
   * Per channel, the fields at least one of its product records has: what core/store/records.ts `channelCoverage`
   * answers, taken from the records read here instead of another scan of the table.
   */
  coverage: ChannelCoverage;
}

export function loadProducts(db: Database.Database): LoadedWorkspace {
  const channels = (
    db
      .prepare(
        `SELECT c.name FROM channels c WHERE EXISTS (SELECT 1 FROM sources s WHERE s.channel = c.name AND s.kind = 'products')
         ORDER BY c.priority, c.name`,
      )
      .pluck()
      .all() as string[]
  ).slice();
  const channelIndex = new Map(channels.map((c, i) => [c, i]));
  const rows = streamProductRecords(db, RECORD_COLUMNS, {
    extra: ['s.format', 'r.description IS NOT NULL', 'c.cluster_id'],
    join: 'LEFT JOIN clusters c ON c.record_id = r.id',
  });
  const optionsOf = new SharedJson<Record<string, string>>(NO_OPTIONS);
  const tagsOf = new SharedJson<string[]>(NO_TAGS);
  const shared = new SharedText();
  const records: ProductRecord[] = [];
  const byCluster = new Map<number, ProductRecord[]>();
  const covered = new Map<string, number>();
  for (const row of rows) {
    const rec = productRecord(row, channelIndex, channels.length, tagsOf, optionsOf, shared);
    records.push(rec);
    const carried = covered.get(rec.channel) ?? 0;
    covered.set(rec.channel, carried | coveredBits(rec));
    const cluster = row[R.cluster] as number | null;
    if (cluster !== null) {
      const list = byCluster.get(cluster);
      if (list) list.push(rec);
      else byCluster.set(cluster, [rec]);
    }
  }

  const clusters: ProductCluster[] = [];
  for (const row of streamGolden(db, GOLDEN_READ)) {
    const clusterId = row[G.clusterId] as number;
    const members = byCluster.get(clusterId);
    if (!members) continue;
    sortByChannel(members);
    clusters.push({ clusterId, records: members, golden: goldenView(row, optionsOf, shared) });
  }
  const sourceIds = db
    .prepare(`SELECT id FROM sources WHERE kind = 'products' ORDER BY id`)
    .pluck()
    .all() as number[];
  const coverage: ChannelCoverage = new Map(
    [...covered]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([channel, bits]) => [channel, new Set(COVERED_FIELDS.filter((_, i) => (bits >> i) & 1))]),
  );
  return { channels, records, clusters, productOf: storedProducts(db), sourceIds, coverage };
}
