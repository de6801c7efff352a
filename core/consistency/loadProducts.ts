/**
 * Reads what gap detection needs from a workspace in two passes: the product records (normalized fields, channel
 * priority, source format) and each cluster's golden record with the provenance of its values.
 */
import type Database from 'better-sqlite3';
import type { Availability, GtinStatus } from '../model/record.js';
import type { DetectField, GoldenView, ProductCluster } from './detect.js';
import type { ProductRecord } from './types.js';
import { storedProducts, type StoredProduct } from '../store/products.js';

type RecordRow = [
  number, // id
  string, // channel
  string, // format
  string, // record_id
  string | null, // parent_id
  number, // source_id
  number, // line
  string | null, // title
  number, // has description
  string | null, // brand
  string | null, // brand_key
  string | null, // gtin
  string | null, // gtin_raw
  string, // gtin_status
  string | null, // mpn
  string | null, // sku
  number | null, // price
  number | null, // sale price
  string | null, // currency
  string | null, // availability
  number | null, // weight
  string | null, // category
  string | null, // image
  string | null, // link
  string | null, // condition
  string | null, // status
  string | null, // tags
  string | null, // options
  number | null, // cluster_id
];

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

const GOLDEN_FIELD_OF: Record<DetectField, string> = {
  title: 'title',
  gtin: 'gtin',
  price: 'price',
  salePrice: 'salePrice',
  availability: 'availability',
  weight: 'weight',
  category: 'category',
  image: 'image',
};

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
  const rows = db
    .prepare(
      `SELECT r.id, r.channel, s.format, r.record_id, r.parent_id, r.source_id, r.line, r.title, r.description IS NOT NULL,
              r.brand, r.brand_key, r.gtin, r.gtin_raw, r.gtin_status, r.mpn, r.sku, r.price_minor, r.sale_price_minor,
              r.currency, r.availability, r.weight_g, r.category, r.image_url, r.link, r.condition, r.status, r.tags,
              r.options, c.cluster_id
       FROM records r JOIN sources s ON s.id = r.source_id LEFT JOIN clusters c ON c.record_id = r.id
       WHERE s.kind = 'products' ORDER BY r.id`,
    )
    .raw(true)
    .iterate() as IterableIterator<RecordRow>;
  const optionsOf = new SharedJson<Record<string, string>>(NO_OPTIONS);
  const tagsOf = new SharedJson<string[]>(NO_TAGS);
  const records: ProductRecord[] = [];
  const byCluster = new Map<number, ProductRecord[]>();
  for (const row of rows) {
    const rec: ProductRecord = {
      ref: row[0],
      channel: row[1],
      channelIndex: channelIndex.get(row[1]) ?? channels.length,
      format: row[2],
      recordId: row[3],
      parentId: row[4],
      sourceId: row[5],
      line: row[6],
      title: row[7],
      hasDescription: row[8] === 1,
      brand: row[9],
      brandKey: row[10],
      gtin: row[11],
      gtinRaw: row[12],
      gtinStatus: row[13] as GtinStatus,
      mpn: row[14],
      sku: row[15],
      priceMinor: row[16],
      salePriceMinor: row[17],
      currency: row[18],
      availability: row[19] as Availability | null,
      weightG: row[20],
      category: row[21],
      imageUrl: row[22],
      link: row[23],
      condition: row[24],
      status: row[25],
      tags: tagsOf.get(row[26]),
      options: optionsOf.get(row[27]),
    };
    records.push(rec);
    const cluster = row[28];
    if (cluster !== null) {
      const list = byCluster.get(cluster);
      if (list) list.push(rec);
      else byCluster.set(cluster, [rec]);
    }
  }

  const clusters: ProductCluster[] = [];
  const golden = db
    .prepare(
      `SELECT cluster_id, source_record, title, gtin, price_minor, sale_price_minor, currency, availability, weight_g,
              category, image_url, options, provenance FROM golden_records`,
    )
    .raw(true)
    .iterate() as IterableIterator<
    [
      number,
      number,
      string | null,
      string | null,
      number | null,
      number | null,
      string | null,
      string | null,
      number | null,
      string | null,
      string | null,
      string | null,
      string | null,
    ]
  >;
  for (const g of golden) {
    const members = byCluster.get(g[0]);
    if (!members) continue;
    members.sort((a, b) => a.channelIndex - b.channelIndex || a.ref - b.ref);
    // Without provenance every value came from the source record (none when the value is missing).
    const provenance = g[12] ? parseJson<Record<string, [number | null, string]>>(g[12], {}) : null;
    const own = (f: DetectField, value: unknown): number | null => {
      const p = provenance?.[GOLDEN_FIELD_OF[f]];
      return p ? p[0] : value === null ? null : g[1];
    };
    const from: GoldenView['from'] = {
      title: own('title', g[2]),
      gtin: own('gtin', g[3]),
      price: own('price', g[4]),
      salePrice: own('salePrice', g[5]),
      availability: own('availability', g[7]),
      weight: own('weight', g[8]),
      category: own('category', g[9]),
      image: own('image', g[10]),
    };
    clusters.push({
      clusterId: g[0],
      records: members,
      golden: {
        clusterId: g[0],
        title: g[2],
        options: optionsOf.get(g[11]),
        gtin: g[3],
        priceMinor: g[4],
        salePriceMinor: g[5],
        currency: g[6],
        availability: g[7],
        weightG: g[8],
        category: g[9],
        imageUrl: g[10],
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
