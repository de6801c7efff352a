/**
 * The knowledge graph's parts (subgraphs) and what each is built from: a fingerprint per part, so a build rebuilds
 * the parts whose fingerprint changed since the previous build and keeps the rest (DESIGN.md "Knowledge graph",
 * incremental build). A part that depends on another (the products on the catalog sources whose offers they link,
 * the gaps on the products) carries that one's fingerprint inside its own.
 */
import type Database from 'better-sqlite3';

export const PART_CHANNELS = 'channels';
export const PART_PRODUCTS = 'products';
export const PART_CATEGORY_MAP = 'category-map';
export const PART_GAPS = 'gaps';
export const PART_SIMILAR = 'similar';
/** The offers and categories of one product source. */
export const catalogPart = (sourceId: number): string => `source:${sourceId}`;
/** The users and interacted edges of one interactions, orders or reviews source. */
export const behaviourPart = (sourceId: number): string => `interactions:${sourceId}`;

export interface PartPlan {
  /** Part name -> fingerprint, in build order (a part reads the nodes of the parts before it). */
  parts: Map<string, string>;
  catalogSources: number[];
  behaviourSources: number[];
}

interface SourceRow {
  id: number;
  kind: string;
  sha256: string;
  rows: number;
  records: number;
  imported_at: string;
}

/** One line of aggregates: changes when any row of what it sums changes (ids, counts, lengths). */
function aggregate(db: Database.Database, sql: string): string {
  return (db.prepare(sql).raw(true).get() as unknown[]).join(':');
}

/** Every part the store has now, with its fingerprint. */
export function planParts(db: Database.Database): PartPlan {
  const sources = db
    .prepare('SELECT id, kind, sha256, rows, records, imported_at FROM sources ORDER BY id')
    .all() as SourceRow[];
  const catalog = sources.filter((s) => s.kind === 'products');
  const behaviour = sources.filter((s) => s.kind !== 'products');
  const sourceFingerprint = (s: SourceRow): string => `${s.sha256}:${s.rows}:${s.records}:${s.imported_at}`;

  const parts = new Map<string, string>();
  parts.set(
    PART_CHANNELS,
    aggregate(db, `SELECT count(*), group_concat(name || '=' || priority, ',') FROM channels`),
  );
  for (const s of catalog) parts.set(catalogPart(s.id), sourceFingerprint(s));
  const catalogFingerprint = catalog.map((s) => `${s.id}=${sourceFingerprint(s)}`).join(',');
  const products = [
    catalogFingerprint,
    aggregate(db, 'SELECT max(id) FROM align_runs'),
    aggregate(db, 'SELECT count(*), total(record_id * 7 + cluster_id) FROM clusters'),
    aggregate(db, 'SELECT count(*), total(cluster_id * 3 + product_id + family_id) FROM products'),
    aggregate(
      db,
      `SELECT count(*), total(length(coalesce(provenance, '')) + length(coalesce(title, '')) +
         length(coalesce(brand, '')) + length(coalesce(options, '')) + coalesce(price_minor, 0)) FROM golden_records`,
    ),
  ].join('|');
  parts.set(PART_PRODUCTS, products);
  parts.set(
    PART_CATEGORY_MAP,
    `${catalogFingerprint}|${aggregate(db, `SELECT count(*), total(length(category) + length(coalesce(maps_to, '')) + support) FROM category_map`)}`,
  );
  for (const s of behaviour) parts.set(behaviourPart(s.id), sourceFingerprint(s));
  parts.set(
    PART_GAPS,
    `${products}|${aggregate(db, `SELECT max(id) FROM gap_runs`)}|${aggregate(db, `SELECT count(*), total(id) FROM gaps WHERE status = 'open'`)}`,
  );
  parts.set(
    PART_SIMILAR,
    `${products}|${aggregate(db, `SELECT max(id), total(rows) FROM embeddings WHERE scope = 'records'`)}`,
  );
  return { parts, catalogSources: catalog.map((s) => s.id), behaviourSources: behaviour.map((s) => s.id) };
}
