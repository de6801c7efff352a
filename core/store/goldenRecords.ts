/**
 * The golden_records table (migration 003): one golden record per cluster. Its one column list, row type and
 * hydrate function, and every read and write of it.
 */
import type Database from 'better-sqlite3';
import { BatchInsert, deleteScope } from './batchInsert.js';
import { fieldOf, hydrate, type FieldOf } from './columns.js';
import type { RecordColumn, RecordRow } from './records.js';

/** The record columns a golden record holds the chosen value of (with its provenance). */
export const GOLDEN_VALUE_COLUMNS = [
  'title',
  'brand',
  'gtin',
  'mpn',
  'sku',
  'price_minor',
  'sale_price_minor',
  'currency',
  'availability',
  'weight_g',
  'category',
  'image_url',
  'link',
] as const satisfies readonly RecordColumn[];

export const GOLDEN_COLUMNS = [
  'cluster_id',
  'source_record',
  'size',
  'channels',
  'duplicates',
  'confidence',
  ...GOLDEN_VALUE_COLUMNS,
  'options',
  'provenance',
] as const;

export type GoldenColumn = (typeof GOLDEN_COLUMNS)[number];

/** A stored golden record, as the table has it (options and provenance still JSON text). */
export interface GoldenRecordRow extends Pick<RecordRow, FieldOf<(typeof GOLDEN_VALUE_COLUMNS)[number]>> {
  clusterId: number;
  sourceRecord: number;
  size: number;
  /** Channel names, comma-separated. */
  channels: string;
  duplicates: number;
  confidence: number;
  options: string | null;
  /** JSON {field: [records.id | null, rule]}; null = every value from sourceRecord by rule 'priority'. */
  provenance: string | null;
}

export type GoldenFields<C extends GoldenColumn> = Pick<GoldenRecordRow, FieldOf<C>>;

/** A row read as `raw` in the order of `columns` -> the golden record's fields. */
export function hydrateGolden<C extends GoldenColumn>(
  columns: readonly C[],
  row: readonly unknown[],
): GoldenFields<C> {
  return hydrate(columns, row);
}

/** Provenance as stored: field -> [records.id | null, rule]. */
export function parseProvenance(json: string | null): Record<string, [number | null, string]> | null {
  if (!json) return null;
  try {
    return JSON.parse(json) as Record<string, [number | null, string]>;
  } catch {
    return null;
  }
}

/** The golden record of a cluster, or undefined. */
export function goldenOf(db: Database.Database, clusterId: number): GoldenRecordRow | undefined {
  const row = db
    .prepare(`SELECT ${GOLDEN_COLUMNS.join(', ')} FROM golden_records WHERE cluster_id = ?`)
    .raw(true)
    .get(clusterId) as unknown[] | undefined;
  return row ? hydrateGolden(GOLDEN_COLUMNS, row) : undefined;
}

/** The golden records of the given clusters, in cluster id order (unknown ids left out). */
export function goldenOfClusters(db: Database.Database, clusterIds: readonly number[]): GoldenRecordRow[] {
  const rows = db
    .prepare(
      `SELECT ${GOLDEN_COLUMNS.join(', ')} FROM golden_records
       WHERE cluster_id IN (SELECT value FROM json_each(?)) ORDER BY cluster_id`,
    )
    .raw(true)
    .all(JSON.stringify(clusterIds)) as unknown[][];
  return rows.map((row) => hydrateGolden(GOLDEN_COLUMNS, row));
}

/** The given columns of every golden record in cluster id order, streamed as raw rows (positions as in `columns`). */
export function streamGolden(
  db: Database.Database,
  columns: readonly GoldenColumn[],
): IterableIterator<unknown[]> {
  return db
    .prepare(`SELECT ${columns.join(', ')} FROM golden_records ORDER BY cluster_id`)
    .raw(true)
    .iterate() as IterableIterator<unknown[]>;
}

/** Replaces golden records (all, or those of the given old cluster ids). */
export function saveGolden(
  db: Database.Database,
  rows: readonly GoldenRecordRow[],
  oldClusters: readonly number[] | null,
): void {
  deleteScope(db, 'golden_records', 'cluster_id', oldClusters);
  const ins = new BatchInsert(db, 'golden_records', GOLDEN_COLUMNS, 64);
  for (const g of rows) ins.add(...GOLDEN_COLUMNS.map((c) => g[fieldOf(c)]));
  ins.flush();
}

/**
 * Golden records by the product they speak for (the products table, migration 005): a record's product's golden
 * record, and the best stock of the product's in-stock records.
 */
export class ProductGoldenLookup<C extends GoldenColumn> {
  private readonly ofRecord;
  private readonly ofCluster;
  private readonly stock;
  constructor(
    db: Database.Database,
    private readonly columns: readonly C[],
  ) {
    const select = columns.map((c) => `g.${c}`).join(', ');
    this.ofRecord = db
      .prepare(
        `SELECT ${select} FROM clusters c LEFT JOIN products p ON p.cluster_id = c.cluster_id
         JOIN golden_records g ON g.cluster_id = coalesce(p.product_id, c.cluster_id) WHERE c.record_id = ?`,
      )
      .raw(true);
    this.ofCluster = db.prepare(`SELECT ${select} FROM golden_records g WHERE g.cluster_id = ?`).raw(true);
    this.stock = db
      .prepare(
        `SELECT max(r.stock) FROM clusters c JOIN records r ON r.id = c.record_id
         WHERE c.cluster_id IN (SELECT cluster_id FROM products WHERE product_id = @p UNION SELECT @p)
           AND r.availability = 'in_stock' AND r.stock > 0`,
      )
      .pluck();
  }
  /** The golden record of the product of the record at records.id `recordId`. */
  ofRecordId(recordId: number): GoldenFields<C> | undefined {
    const row = this.ofRecord.get(recordId) as unknown[] | undefined;
    return row ? hydrateGolden(this.columns, row) : undefined;
  }
  /** The golden record of a cluster. */
  ofClusterId(clusterId: number): GoldenFields<C> | undefined {
    const row = this.ofCluster.get(clusterId) as unknown[] | undefined;
    return row ? hydrateGolden(this.columns, row) : undefined;
  }
  /** The largest positive stock of the product's in-stock records, or null. */
  productStock(productId: number): number | null {
    return (this.stock.get({ p: productId }) as number | null | undefined) ?? null;
  }
}

export interface GoldenPageQuery {
  /** Matched against title, brand, sku, mpn and GTIN (substring, case-insensitive). */
  query?: string;
  multiOnly?: boolean;
  offset: number;
  limit: number;
}

/** One page of golden records (cluster id order) and how many match in all. */
export function goldenPage(
  db: Database.Database,
  q: GoldenPageQuery,
): {
  total: number;
  rows: GoldenFields<'cluster_id' | 'size' | 'channels' | 'title' | 'options' | 'confidence'>[];
} {
  const where: string[] = [];
  const params: unknown[] = [];
  if (q.multiOnly) where.push('size > 1');
  const text = q.query?.trim();
  if (text) {
    const like = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where.push(
      `(title LIKE ? ESCAPE '\\' OR brand LIKE ? ESCAPE '\\' OR sku LIKE ? ESCAPE '\\' OR mpn LIKE ? ESCAPE '\\' OR gtin LIKE ? ESCAPE '\\')`,
    );
    params.push(like, like, like, like, like);
  }
  const sql = `FROM golden_records${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`;
  const total =
    (db
      .prepare(`SELECT count(*) ${sql}`)
      .pluck()
      .get(...params) as number) ?? 0;
  const columns = ['cluster_id', 'size', 'channels', 'title', 'options', 'confidence'] as const;
  const rows = db
    .prepare(`SELECT ${columns.join(', ')} ${sql} ORDER BY cluster_id LIMIT ? OFFSET ?`)
    .raw(true)
    .all(...params, q.limit, q.offset) as unknown[][];
  return { total, rows: rows.map((r) => hydrateGolden(columns, r)) };
}
