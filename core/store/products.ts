/**
 * The products table (migration 005): each cluster's product and family as alignment decided them
 * (core/align/products.ts). The one place that reads and writes it.
 */
import type Database from 'better-sqlite3';
import type { FamilyCluster, FamilyRecord, ProductOfCluster } from '../align/products.js';
import { BatchInsert } from './batchInsert.js';
import { channelOrder, parseOptions } from './records.js';

/**
 * The stored clusters as the product decision reads them, in cluster id order: each cluster's product records in
 * channel priority order (then records.id) and its golden title and options.
 */
export function familyClusters(db: Database.Database): FamilyCluster[] {
  const channels = channelOrder(db);
  const channelIndex = new Map(channels.map((c, i) => [c, i]));
  const optionsCache = new Map<string, Record<string, string>>();
  const options = (json: string | null): Record<string, string> => {
    if (!json) return {};
    let o = optionsCache.get(json);
    if (o === undefined) optionsCache.set(json, (o = parseOptions(json) ?? {}));
    return o;
  };
  const byCluster = new Map<number, FamilyRecord[]>();
  const rows = db
    .prepare(
      `SELECT r.id, r.channel, r.parent_id, r.title, r.brand_key, r.options, c.cluster_id
       FROM records r JOIN sources s ON s.id = r.source_id JOIN clusters c ON c.record_id = r.id
       WHERE s.kind = 'products' ORDER BY r.id`,
    )
    .raw(true)
    .iterate() as IterableIterator<
    [number, string, string | null, string | null, string | null, string | null, number]
  >;
  for (const [ref, channel, parentId, title, brandKey, opts, cluster] of rows) {
    const rec: FamilyRecord = {
      ref,
      channel,
      channelIndex: channelIndex.get(channel) ?? channels.length,
      parentId,
      title,
      brandKey,
      options: options(opts),
    };
    const list = byCluster.get(cluster);
    if (list) list.push(rec);
    else byCluster.set(cluster, [rec]);
  }
  const out: FamilyCluster[] = [];
  const golden = db
    .prepare('SELECT cluster_id, title, options FROM golden_records ORDER BY cluster_id')
    .raw(true)
    .iterate() as IterableIterator<[number, string | null, string | null]>;
  for (const [clusterId, title, opts] of golden) {
    const records = byCluster.get(clusterId);
    if (!records) continue;
    records.sort((a, b) => a.channelIndex - b.channelIndex || a.ref - b.ref);
    out.push({ clusterId, records, golden: { title, options: options(opts) } });
  }
  return out;
}

/** Replaces every cluster's product and family. */
export function saveProducts(db: Database.Database, rows: readonly ProductOfCluster[]): void {
  db.prepare('DELETE FROM products').run();
  const ins = new BatchInsert(db, 'products', ['cluster_id', 'product_id', 'family_id'], 256);
  for (const r of rows) ins.add(r.clusterId, r.productId, r.familyId);
  ins.flush();
}

export interface StoredProduct {
  productId: number;
  familyId: number;
}

/** Every cluster's stored product and family. */
export function storedProducts(db: Database.Database): Map<number, StoredProduct> {
  const out = new Map<number, StoredProduct>();
  const rows = db
    .prepare('SELECT cluster_id, product_id, family_id FROM products')
    .raw(true)
    .iterate() as IterableIterator<[number, number, number]>;
  for (const [clusterId, productId, familyId] of rows) out.set(clusterId, { productId, familyId });
  return out;
}

/** The product a cluster is part of (the cluster itself when no product is stored for it). */
export function productOfCluster(db: Database.Database, clusterId: number): number {
  const p = db.prepare('SELECT product_id FROM products WHERE cluster_id = ?').pluck().get(clusterId) as
    number | undefined;
  return p ?? clusterId;
}

/** The clusters of a product, in cluster id order (the product's own first when it has no stored row). */
export function clustersOfProduct(db: Database.Database, productId: number): number[] {
  const ids = db
    .prepare('SELECT cluster_id FROM products WHERE product_id = ? ORDER BY cluster_id')
    .pluck()
    .all(productId) as number[];
  return ids.length > 0 ? ids : [productId];
}

/** True when some product record has no cluster, or some cluster no product: alignment must run (again). */
export function productsStale(db: Database.Database): boolean {
  return (
    (db
      .prepare(
        `SELECT EXISTS (SELECT 1 FROM records r JOIN sources s ON s.id = r.source_id
           WHERE s.kind = 'products' AND NOT EXISTS (SELECT 1 FROM clusters c WHERE c.record_id = r.id))
         OR EXISTS (SELECT 1 FROM golden_records g WHERE NOT EXISTS (SELECT 1 FROM products p WHERE p.cluster_id = g.cluster_id))`,
      )
      .pluck()
      .get() as number) === 1
  );
}
