/**
 * Reads what gap detection needs from a workspace in two passes: the product records (normalized fields, channel
 * priority, source format) and each cluster's golden record with the provenance of its values.
 */
import type Database from 'better-sqlite3';
import type { DetectField, GoldenView, ProductCluster } from './detect.js';
import { COMPARED_COLUMNS, statesNoSale } from './differs.js';
import type { ProductRecord } from './types.js';
import { hydrateGolden, parseProvenance, streamGolden, type GoldenColumn } from '../store/goldenRecords.js';
import { storedProducts, type StoredProduct } from '../store/products.js';
import { columnsExcept } from '../store/columns.js';
import {
  hydrateRecord,
  RECORD_COLUMNS as STORED_RECORD_COLUMNS,
  streamProductRecords,
} from '../store/records.js';

/** The record columns gap detection reads (with the source's format, description presence and cluster). */
const RECORD_COLUMNS = columnsExcept(STORED_RECORD_COLUMNS, ['description', 'stock', 'attributes']);
const FORMAT_AT = RECORD_COLUMNS.length;

const GOLDEN_READ = [
  'cluster_id',
  'source_record',
  ...COMPARED_COLUMNS,
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

function parseJson<T>(json: string | null, fallback: T): T {
  if (!json) return fallback;
  try {
    return JSON.parse(json) as T;
  } catch {
    return fallback;
  }
}

export interface LoadedWorkspace {
  /** Product channels in priority order. */
  channels: string[];
  records: ProductRecord[];
  clusters: ProductCluster[];
  /** Each cluster's product and family, as alignment stored them. */
  productOf: Map<number, StoredProduct>;
  sourceIds: number[];
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
  const records: ProductRecord[] = [];
  const byCluster = new Map<number, ProductRecord[]>();
  for (const row of rows) {
    const { id, tags, options, ...r } = hydrateRecord(RECORD_COLUMNS, row);
    const rec: ProductRecord = {
      ...r,
      ref: id,
      channelIndex: channelIndex.get(r.channel) ?? channels.length,
      format: row[FORMAT_AT] as string,
      hasDescription: row[FORMAT_AT + 1] === 1,
      tags: tagsOf.get(tags),
      options: optionsOf.get(options),
    };
    records.push(rec);
    const cluster = row[FORMAT_AT + 2] as number | null;
    if (cluster !== null) {
      const list = byCluster.get(cluster);
      if (list) list.push(rec);
      else byCluster.set(cluster, [rec]);
    }
  }

  const clusters: ProductCluster[] = [];
  for (const row of streamGolden(db, GOLDEN_READ)) {
    const g = hydrateGolden(GOLDEN_READ, row);
    const members = byCluster.get(g.clusterId);
    if (!members) continue;
    members.sort((a, b) => a.channelIndex - b.channelIndex || a.ref - b.ref);
    // Without provenance every value came from the source record (none when the value is missing).
    const provenance = parseProvenance(g.provenance);
    const own = (f: DetectField, value: unknown): number | null => {
      const p = provenance?.[f];
      return p ? p[0] : value === null ? null : g.sourceRecord;
    };
    const from: GoldenView['from'] = {
      title: own('title', g.title),
      gtin: own('gtin', g.gtin),
      price: own('price', g.priceMinor),
      salePrice: own('salePrice', g.salePriceMinor),
      availability: own('availability', g.availability),
      weight: own('weight', g.weightG),
      category: own('category', g.category),
      image: own('image', g.imageUrl),
    };
    clusters.push({
      clusterId: g.clusterId,
      records: members,
      golden: {
        clusterId: g.clusterId,
        title: g.title,
        options: optionsOf.get(g.options),
        gtin: g.gtin,
        priceMinor: g.priceMinor,
        salePriceMinor: g.salePriceMinor,
        currency: g.currency,
        availability: g.availability,
        weightG: g.weightG,
        category: g.category,
        imageUrl: g.imageUrl,
        noSale: statesNoSale(g.salePriceMinor, provenance),
        from,
      },
    });
  }
  const sourceIds = db
    .prepare(`SELECT id FROM sources WHERE kind = 'products' ORDER BY id`)
    .pluck()
    .all() as number[];
  return { channels, records, clusters, productOf: storedProducts(db), sourceIds };
}
