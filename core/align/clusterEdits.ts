/**
 * Merging and splitting clusters by hand (the Matches page's Clusters view), what a merge would break, and undo.
 *
 * An edit is stored as match labels (a merge: every pair between the clusters matches; a split: the records moved
 * off match each other and none of the records staying) and applied by re-clustering the touched clusters. Each
 * edit also keeps the clusters and golden records of the records it touched as they were before and right after
 * (cluster_edits, migration 007), so undo puts back exactly the earlier assignment: it takes the edit's labels
 * back, restores the clusters and golden records, decides products again (they follow from the clusters) and
 * records an `undo` run, so that whatever reads alignment runs (gap detection's staleness) sees a change. Undo is
 * refused once the touched records' clusters changed since the edit, or a full alignment ran.
 */
import type Database from 'better-sqlite3';
import { ConcordError } from '../model/errors.js';
import { clusterName } from '../model/ids.js';
import { clusterMembers, clusterRowsOf, clusterScope, restoreClusterRows } from '../store/clusters.js';
import { goldenOfClusters, saveGolden, type GoldenRecordRow } from '../store/goldenRecords.js';
import { parseOptions, recordRefs, shownRecords } from '../store/records.js';
import { recluster } from './alignWorkspace.js';
import { addLabels, type PairLabel, type RecordRef } from './labels.js';
import { alignedSince, insertRun, requireRun } from './runs.js';
import { redecideProducts } from './stages/products.js';
import { reclusterSummary } from './stages/stored.js';
import { canonicalOptions, compatibleValues, dimensionOf, withTitleColour } from './variants.js';

/** Largest number of match labels one merge may write (all pairs between the merged clusters). */
export const MAX_MERGE_LABELS = 5000;
/** Edits kept for undo (the newest). */
const KEPT_EDITS = 20;

export type EditKind = 'merge' | 'split';

export interface EditOutcome {
  /** cluster_edits.id, for undo. */
  editId: number;
  /** The cluster every record in scope is in now (records.id -> cluster id). */
  clusterOf: Map<number, number>;
}

type ClusterRow = [recordId: number, clusterId: number];

interface EditRow {
  id: number;
  kind: EditKind;
  first_label: number;
  last_label: number;
  run_id: number;
  before: string;
  after: string;
}

interface Before {
  clusters: ClusterRow[];
  golden: GoldenRecordRow[];
}

/** records.id of a cluster's records; NOT_FOUND for an unknown cluster. */
export function requireMembers(db: Database.Database, clusterId: number): number[] {
  const members = clusterMembers(db, clusterId);
  if (members.length === 0)
    throw new ConcordError('NOT_FOUND', `no cluster ${clusterName(clusterId)} in this workspace`, {
      clusterId: clusterName(clusterId),
    });
  return members;
}

/** (channel, recordId) of records by records.id; NOT_FOUND for an unknown id. */
export function requireRefs(db: Database.Database, ids: readonly number[]): Map<number, RecordRef> {
  const out = new Map<number, RecordRef>([...recordRefs(db, ids)].map(([id, ref]) => [id, { ...ref, id }]));
  for (const id of ids)
    if (!out.has(id))
      throw new ConcordError('NOT_FOUND', `no record ${id} in this workspace`, { recordId: id });
  return out;
}

/** The records of each of the given clusters (duplicates ignored); BAD_INPUT unless there are two or more. */
function mergeGroups(db: Database.Database, clusterIds: readonly number[]): number[][] {
  const groups = [...new Set(clusterIds)].map((id) => requireMembers(db, id));
  if (groups.length < 2) throw new ConcordError('BAD_INPUT', 'merge needs two different clusters');
  return groups;
}

/** Merges clusters (stored as match labels); returns the edit and the records' new clusters. */
export function mergeClusters(db: Database.Database, clusterIds: readonly number[]): EditOutcome {
  requireRun(db);
  const groups = mergeGroups(db, clusterIds);
  const all = groups.flat();
  const refs = requireRefs(db, all);
  const labels: PairLabel[] = [];
  for (let g = 0; g < groups.length; g++)
    for (let h = g + 1; h < groups.length; h++)
      for (const x of groups[g])
        for (const y of groups[h]) labels.push({ a: refs.get(x)!, b: refs.get(y)!, label: 'match' });
  if (labels.length > MAX_MERGE_LABELS)
    throw new ConcordError(
      'BAD_INPUT',
      `these clusters are too large to merge by hand (${labels.length} record pairs)`,
    );
  return applyEdit(db, 'merge', all, labels);
}

/** Moves records out of their cluster into one of their own (stored as labels). */
export function splitCluster(
  db: Database.Database,
  clusterId: number,
  recordIds: readonly number[],
): EditOutcome {
  requireRun(db);
  const members = requireMembers(db, clusterId);
  const inCluster = new Set(members);
  const moved = [...new Set(recordIds)];
  for (const r of moved)
    if (!inCluster.has(r))
      throw new ConcordError('BAD_INPUT', `record ${r} is not in cluster ${clusterName(clusterId)}`, {
        recordId: r,
      });
  const staying = members.filter((m) => !moved.includes(m));
  if (staying.length === 0)
    throw new ConcordError('BAD_INPUT', 'a split must leave at least one record in the cluster');
  const refs = requireRefs(db, members);
  const labels: PairLabel[] = [];
  for (const x of moved)
    for (const y of staying) labels.push({ a: refs.get(x)!, b: refs.get(y)!, label: 'no_match' });
  for (let i = 0; i < moved.length; i++)
    for (let j = i + 1; j < moved.length; j++)
      labels.push({ a: refs.get(moved[i])!, b: refs.get(moved[j])!, label: 'match' });
  return applyEdit(db, 'split', members, labels);
}

/** Stores the labels, re-clusters the touched records and keeps what they were before, in one transaction. */
function applyEdit(
  db: Database.Database,
  kind: EditKind,
  records: readonly number[],
  labels: readonly PairLabel[],
): EditOutcome {
  return db.transaction(() => {
    const scope = clusterScope(db, records);
    const beforeClusters = clusterRowsOf(db, scope);
    const before: Before = {
      clusters: beforeClusters,
      golden: goldenOfClusters(db, distinctClusters(beforeClusters)),
    };
    const batch = addLabels(db, labels, kind);
    const seqs = db
      .prepare('SELECT min(seq) AS lo, max(seq) AS hi FROM match_labels WHERE batch = ?')
      .get(batch) as { lo: number; hi: number };
    const { clusterOf, runId } = recluster(db, { scopeIds: records, kind });
    const after = clusterRowsOf(db, scope);
    const info = db
      .prepare(
        `INSERT INTO cluster_edits (kind, created_at, first_label, last_label, run_id, before, after)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        kind,
        new Date().toISOString(),
        seqs.lo,
        seqs.hi,
        runId,
        JSON.stringify(before),
        JSON.stringify(after),
      );
    const editId = Number(info.lastInsertRowid);
    db.prepare('DELETE FROM cluster_edits WHERE id <= ?').run(editId - KEPT_EDITS);
    return { editId, clusterOf };
  })();
}

function distinctClusters(rows: readonly ClusterRow[]): number[] {
  return [...new Set(rows.map(([, c]) => c))];
}

const sameRows = (a: readonly ClusterRow[], b: readonly ClusterRow[]): boolean =>
  a.length === b.length && a.every(([r, c], i) => b[i][0] === r && b[i][1] === c);

/**
 * Undoes a merge or split: its labels go and the touched records' clusters and golden records are what they were
 * before it. Returns the edit's kind and the restored clusters (the first record's first). NOT_FOUND for an edit
 * not kept (or undone already); CONFLICT when the clusters changed since.
 */
export function undoClusterEdit(
  db: Database.Database,
  editId: number,
): { kind: EditKind; clusterIds: number[] } {
  const run = requireRun(db);
  return db.transaction(() => {
    const edit = db.prepare('SELECT * FROM cluster_edits WHERE id = ?').get(editId) as EditRow | undefined;
    if (!edit)
      throw new ConcordError(
        'NOT_FOUND',
        'this merge or split cannot be undone any more (not kept, or undone)',
        {
          editId,
        },
      );
    const what = edit.kind === 'merge' ? 'merge' : 'split';
    if (alignedSince(db, edit.run_id))
      throw new ConcordError(
        'CONFLICT',
        `the products were aligned again since this ${what}: undo is not possible`,
      );
    const after = JSON.parse(edit.after) as ClusterRow[];
    const scope = after.map(([r]) => r);
    const now = clusterRowsOf(db, scope);
    if (!sameRows(now, after) || clusterScope(db, scope).length !== scope.length)
      throw new ConcordError(
        'CONFLICT',
        `these records' clusters changed since this ${what}: undo is not possible (split or merge them by hand)`,
      );
    const before = JSON.parse(edit.before) as Before;
    db.prepare('DELETE FROM match_labels WHERE seq BETWEEN ? AND ?').run(edit.first_label, edit.last_label);
    restoreClusterRows(db, before.clusters);
    saveGolden(db, before.golden, distinctClusters(now));
    redecideProducts(db);
    insertRun(db, 'undo', run.threshold, reclusterSummary(db, run, run.threshold, 0), null);
    db.prepare('DELETE FROM cluster_edits WHERE id = ?').run(editId);
    return { kind: edit.kind, clusterIds: distinctClusters(before.clusters) };
  })();
}

// ---------------------------------------------------------------------------------------------------------------
// What a merge would break

export type MergeConflict =
  /** More records of one channel than any of the clusters has alone (DESIGN.md: one record per channel). */
  | { kind: 'channel'; channel: string; records: number; message: string }
  /** More different valid GTINs than any of the clusters has alone. */
  | { kind: 'gtin'; values: string[]; message: string }
  /** Variant options (a size, a colour…) that cannot be the same variant. */
  | { kind: 'option'; option: string; values: string[]; message: string };

export interface MergePreview {
  clusters: number;
  records: number;
  conflicts: MergeConflict[];
}

interface PreviewRecord {
  cluster: number;
  channel: string;
  gtin: string | null;
  /** Canonical option values by dimension, with the value as the record writes it. */
  options: Map<string, { canonical: string; shown: string }>;
}

/** How a message names several values of a dimension. */
const DIMENSION_PLURAL: Record<string, string> = { size: 'sizes', color: 'colours' };

/** Groups values that may be one variant (compatibleValues); returns one shown value per group. */
function distinctVariants(
  dimension: string,
  values: readonly { canonical: string; shown: string }[],
): string[] {
  const groups: { canonical: string; shown: string }[] = [];
  for (const v of values)
    if (!groups.some((g) => compatibleValues(dimension, g.canonical, v.canonical))) groups.push(v);
  return groups.map((g) => g.shown);
}

/** The most distinct things (from `count`) any one cluster has on its own: what a merge adds beyond it. */
function mostInOneCluster<T>(records: readonly PreviewRecord[], count: (rs: PreviewRecord[]) => T[]): number {
  const byCluster = new Map<number, PreviewRecord[]>();
  for (const r of records) {
    const list = byCluster.get(r.cluster);
    if (list) list.push(r);
    else byCluster.set(r.cluster, [r]);
  }
  let most = 0;
  for (const rs of byCluster.values()) most = Math.max(most, count(rs).length);
  return most;
}

/**
 * What merging these clusters would break, in words: more records of a channel than one product should have
 * ("2 shopify records"), different GTINs ("2 different GTINs"), variant options that cannot be one variant
 * ("2 different sizes: M, L"). Only what the merge itself brings: a conflict one of the clusters already has alone
 * is not repeated. Reads only.
 */
export function mergePreview(db: Database.Database, clusterIds: readonly number[]): MergePreview {
  requireRun(db);
  const groups = mergeGroups(db, clusterIds);
  const clusterOf = new Map<number, number>();
  groups.forEach((g) => g.forEach((r) => clusterOf.set(r, g[0])));
  const records: PreviewRecord[] = shownRecords(db, [...clusterOf.keys()]).map((r) => {
    const options = new Map<string, { canonical: string; shown: string }>();
    const raw = withTitleColour(r.title, parseOptions(r.options));
    const canonical = canonicalOptions(raw) ?? {};
    for (const [name, value] of Object.entries(raw ?? {})) {
      const dim = dimensionOf(name);
      if (canonical[dim] !== undefined) options.set(dim, { canonical: canonical[dim], shown: value });
    }
    return { cluster: clusterOf.get(r.id)!, channel: r.channel, gtin: r.gtin, options };
  });
  const conflicts: MergeConflict[] = [];

  const channels = [...new Set(records.map((r) => r.channel))];
  for (const channel of channels) {
    const ofChannel = (rs: PreviewRecord[]) => rs.filter((r) => r.channel === channel);
    const n = ofChannel(records).length;
    if (n > 1 && n > mostInOneCluster(records, ofChannel))
      conflicts.push({ kind: 'channel', channel, records: n, message: `${n} ${channel} records` });
  }

  const gtins = (rs: PreviewRecord[]) => [...new Set(rs.flatMap((r) => (r.gtin ? [r.gtin] : [])))];
  const allGtins = gtins(records);
  if (allGtins.length > 1 && allGtins.length > mostInOneCluster(records, gtins))
    conflicts.push({ kind: 'gtin', values: allGtins, message: `${allGtins.length} different GTINs` });

  const dimensions = [...new Set(records.flatMap((r) => [...r.options.keys()]))];
  for (const dim of dimensions) {
    const variants = (rs: PreviewRecord[]) =>
      distinctVariants(
        dim,
        rs.flatMap((r) => r.options.get(dim) ?? []),
      );
    const values = variants(records);
    if (values.length > 1 && values.length > mostInOneCluster(records, variants)) {
      const plural = DIMENSION_PLURAL[dim] ?? `${dim} values`;
      conflicts.push({
        kind: 'option',
        option: dim,
        values,
        message: `${values.length} different ${plural}: ${values.join(', ')}`,
      });
    }
  }
  return { clusters: groups.length, records: records.length, conflicts };
}
