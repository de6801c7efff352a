/**
 * The clusters table (migration 003): every product record's cluster (cluster_id = the smallest records.id in it).
 * The one place that writes it and answers questions about it.
 */
import type Database from 'better-sqlite3';
import { BatchInsert, deleteScope } from './batchInsert.js';

/** Replaces the cluster rows of the records at the given ids (scope null = all records). */
export function saveClusters(
  db: Database.Database,
  ids: Float64Array,
  cluster: Int32Array,
  scope: readonly number[] | null,
): void {
  deleteScope(db, 'clusters', 'record_id', scope);
  const ins = new BatchInsert(db, 'clusters', ['record_id', 'cluster_id'], 256);
  for (let i = 0; i < ids.length; i++) ins.add(ids[i], ids[cluster[i]]);
  ins.flush();
}

/** Every record of the clusters of the given records (records.id), and those records. */
export function clusterScope(db: Database.Database, recordIds: readonly number[]): number[] {
  return db
    .prepare(
      `SELECT record_id FROM clusters WHERE cluster_id IN
         (SELECT cluster_id FROM clusters WHERE record_id IN (SELECT value FROM json_each(@ids)))
       UNION SELECT value FROM json_each(@ids)`,
    )
    .pluck()
    .all({ ids: JSON.stringify(recordIds) }) as number[];
}

/** The clusters the given records are in now. */
export function clustersOf(db: Database.Database, recordIds: readonly number[]): number[] {
  return db
    .prepare('SELECT DISTINCT cluster_id FROM clusters WHERE record_id IN (SELECT value FROM json_each(?))')
    .pluck()
    .all(JSON.stringify(recordIds)) as number[];
}

/** Clustered records, clusters (golden records) and records in clusters of two or more. */
export function clusterTotals(db: Database.Database): { records: number; clusters: number; matched: number } {
  return db
    .prepare(
      `SELECT (SELECT count(*) FROM clusters) AS records, (SELECT count(*) FROM golden_records) AS clusters,
              (SELECT coalesce(sum(size), 0) FROM golden_records WHERE size > 1) AS matched`,
    )
    .get() as { records: number; clusters: number; matched: number };
}

/** records.id of a cluster's records, ascending ([] for an unknown cluster). */
export function clusterMembers(db: Database.Database, clusterId: number): number[] {
  return db
    .prepare('SELECT record_id FROM clusters WHERE cluster_id = ? ORDER BY record_id')
    .pluck()
    .all(clusterId) as number[];
}

/** The stored cluster (records.id of its representative) of every clustered record, by records.id. */
export function storedClusters(db: Database.Database): Map<number, number> {
  const rows = db.prepare('SELECT record_id, cluster_id FROM clusters').raw(true).all() as [number, number][];
  return new Map(rows);
}

/** (record_id, cluster_id) of the given records that have a cluster, by record id. */
export function clusterRowsOf(db: Database.Database, recordIds: readonly number[]): [number, number][] {
  return db
    .prepare(
      `SELECT record_id, cluster_id FROM clusters WHERE record_id IN (SELECT value FROM json_each(?))
       ORDER BY record_id`,
    )
    .raw(true)
    .all(JSON.stringify(recordIds)) as [number, number][];
}

/** Puts back cluster rows as clusterRowsOf read them (the rows of those records are replaced). */
export function restoreClusterRows(
  db: Database.Database,
  rows: readonly (readonly [number, number])[],
): void {
  deleteScope(
    db,
    'clusters',
    'record_id',
    rows.map(([recordId]) => recordId),
  );
  const ins = new BatchInsert(db, 'clusters', ['record_id', 'cluster_id'], 256);
  for (const [recordId, clusterId] of rows) ins.add(recordId, clusterId);
  ins.flush();
}
