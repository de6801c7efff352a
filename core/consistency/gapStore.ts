/**
 * The stored gaps (migration 004): saving a detection (statuses users set survive by gap key; gaps that disappeared
 * become `fixed`), the table's filtered and sorted pages, status changes with undo, and the dashboard summary.
 */
import type Database from 'better-sqlite3';
import type {
  ChannelCompleteness,
  Gap,
  GapFacets,
  GapFilter,
  GapRow,
  GapsSummary,
  GapStatus,
  Tolerances,
} from '../api/contract.js';
import { GAP_STATUSES } from '../api/contract.js';
import { clusterIdOf, clusterName, productId } from '../model/ids.js';
import { BatchInsert } from '../store/batchInsert.js';
import { SEVERITY_RANK, type DetectedGap } from './detect.js';
import { detectionBasis, type DetectionBasis } from './staleness.js';
import type { PossibleMatch } from './types.js';

export interface ProductQuality {
  clusterId: number;
  completeness: number;
  grade: string;
}

export interface Detection {
  gaps: readonly DetectedGap[];
  titles: ReadonlyMap<number, string | null>;
  quality: readonly ProductQuality[];
  completeness: ChannelCompleteness[];
  sourceIds: number[];
  records: number;
  products: number;
  tolerances: Tolerances;
  /** Absences not reported because the channel has a close record: kept for review on the Matches page. */
  possible: readonly PossibleMatch[];
  /** performance.now() when detection started. */
  startedAt: number;
}

interface RunSummary {
  detectedAt: string;
  seconds: number;
  records: number;
  products: number;
  open: number;
  byKind: Record<string, number>;
  completeness: ChannelCompleteness[];
  grades: Record<string, number>;
  tolerances: Tolerances;
  /** The alignment detection read (absent in detections stored before it was recorded). */
  basis?: DetectionBasis;
}

const LIVE = `('open', 'accepted', 'ignored')`;

const GAP_COLUMNS = [
  'id',
  'key',
  'run_id',
  'kind',
  'channel',
  'record_id',
  'record_ref',
  'cluster_id',
  'product_id',
  'field',
  'expected',
  'actual',
  'severity',
  'severity_rank',
  'present_in',
  'status',
  'rule',
  'title',
] as const;

/** The gaps table's secondary indexes, as migration 004 creates them. */
const GAP_INDEXES: Record<string, string> = {
  gaps_severity: '(severity_rank, id)',
  gaps_kind: '(kind, severity_rank)',
  gaps_channel: '(channel, severity_rank)',
  gaps_status: '(status, severity_rank)',
  gaps_cluster: '(cluster_id)',
};

/** Stores a detection; call inside a transaction. Returns the dashboard summary. */
export function saveDetection(db: Database.Database, d: Detection): GapsSummary {
  const detectedAt = new Date().toISOString();
  const runId = Number(
    db
      .prepare('INSERT INTO gap_runs (detected_at, sources, summary) VALUES (?, ?, ?)')
      .run(detectedAt, JSON.stringify(d.sourceIds), '{}').lastInsertRowid,
  );
  // The gaps table is rewritten whole: the previous rows are read by key (a gap found again keeps its id; a live gap
  // not found again stays, as fixed), the table is emptied, and everything goes back in with multi-row inserts and
  // without the secondary indexes, which are rebuilt at the end. Several times faster than upserting 100k+ rows.
  const previous = new Map<string, { id: number; status: GapStatus }>();
  for (const [key, id, status] of db
    .prepare('SELECT key, id, status FROM gaps')
    .raw(true)
    .iterate() as Iterable<[string, number, GapStatus]>)
    previous.set(key, { id, status });
  const userStatus = new Map(
    (db.prepare('SELECT key, status FROM gap_status').raw(true).all() as [string, GapStatus][]).map(
      ([k, s]) => [k, s],
    ),
  );
  const found = new Set<string>();
  for (const g of d.gaps) found.add(g.key);
  const vanished: number[] = [];
  for (const [key, p] of previous) if (!found.has(key) && p.status !== 'excluded') vanished.push(p.id);
  const keptRows = db
    .prepare('SELECT * FROM gaps WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id')
    .all(JSON.stringify(vanished)) as (GapDbRow & Record<string, unknown>)[];
  for (const name of Object.keys(GAP_INDEXES)) db.exec(`DROP INDEX IF EXISTS ${name}`);
  db.prepare('DELETE FROM gaps').run();
  let nextId = 1;
  for (const p of previous.values()) if (p.id >= nextId) nextId = p.id + 1;
  const insert = new BatchInsert(db, 'gaps', GAP_COLUMNS, 64);
  for (const r of keptRows) {
    insert.add(...GAP_COLUMNS.map((c) => (c === 'status' ? 'fixed' : r[c])));
  }
  const byKind: Record<string, number> = {};
  let open = 0;
  const seen = new Set<string>();
  for (const g of d.gaps) {
    if (seen.has(g.key)) continue;
    seen.add(g.key);
    const status: GapStatus = g.rule !== null ? 'excluded' : (userStatus.get(g.key) ?? 'open');
    if (status === 'open') {
      open++;
      byKind[g.kind] = (byKind[g.kind] ?? 0) + 1;
    }
    insert.add(
      previous.get(g.key)?.id ?? nextId++,
      g.key,
      runId,
      g.kind,
      g.channel,
      g.recordId,
      g.recordRef,
      g.clusterId,
      productId(g.clusterId),
      g.field,
      g.expected,
      g.actual,
      g.severity,
      SEVERITY_RANK[g.severity],
      JSON.stringify(g.presentIn),
      status,
      g.rule,
      d.titles.get(g.clusterId) ?? null,
    );
  }
  insert.flush();
  for (const [name, on] of Object.entries(GAP_INDEXES)) db.exec(`CREATE INDEX ${name} ON gaps${on}`);
  db.prepare('DELETE FROM product_quality').run();
  const ins = new BatchInsert(db, 'product_quality', ['cluster_id', 'completeness', 'grade'], 256);
  const grades: Record<string, number> = { A: 0, B: 0, C: 0, D: 0, E: 0 };
  for (const q of d.quality) {
    ins.add(q.clusterId, q.completeness, q.grade);
    grades[q.grade] = (grades[q.grade] ?? 0) + 1;
  }
  ins.flush();
  savePossibleMatches(db, d.possible);
  const summary: RunSummary = {
    detectedAt,
    seconds: Math.round((performance.now() - d.startedAt) / 10) / 100,
    records: d.records,
    products: d.products,
    open,
    byKind,
    completeness: d.completeness,
    grades,
    tolerances: d.tolerances,
    basis: detectionBasis(db),
  };
  db.prepare('UPDATE gap_runs SET summary = ? WHERE id = ?').run(JSON.stringify(summary), runId);
  return gapsSummary(db)!;
}

function savePossibleMatches(db: Database.Database, possible: readonly PossibleMatch[]): void {
  db.prepare('DELETE FROM possible_matches').run();
  const ins = new BatchInsert(db, 'possible_matches', ['a', 'b', 'probability'], 256);
  const seen = new Set<string>();
  for (const m of possible) {
    const [a, b] = m.a < m.b ? [m.a, m.b] : [m.b, m.a];
    if (seen.has(`${a}:${b}`)) continue;
    seen.add(`${a}:${b}`);
    ins.add(a, b, m.probability);
  }
  ins.flush();
}

/** The pairs detection left for review, closest first (records.id pairs, a < b), a page at a time. */
export function listPossibleMatches(db: Database.Database, limit: number, offset = 0): PossibleMatch[] {
  return db
    .prepare(
      'SELECT a, b, probability FROM possible_matches ORDER BY probability DESC, a, b LIMIT ? OFFSET ?',
    )
    .all(limit, offset) as PossibleMatch[];
}

export function hasDetection(db: Database.Database): boolean {
  return db.prepare('SELECT 1 FROM gap_runs LIMIT 1').get() !== undefined;
}

export function gapsSummary(db: Database.Database): GapsSummary | null {
  const runs = db.prepare('SELECT id, detected_at, sources, summary FROM gap_runs ORDER BY id').all() as {
    id: number;
    detected_at: string;
    sources: string;
    summary: string;
  }[];
  if (runs.length === 0) return null;
  const last = runs[runs.length - 1];
  const s = JSON.parse(last.summary) as RunSummary;
  const byStatus: Record<string, number> = {};
  for (const r of db.prepare('SELECT status, count(*) AS n FROM gaps GROUP BY status').all() as {
    status: string;
    n: number;
  }[])
    byStatus[r.status] = r.n;
  const bySeverity: Record<string, number> = {};
  for (const r of db
    .prepare(`SELECT severity, count(*) AS n FROM gaps WHERE status = 'open' GROUP BY severity`)
    .all() as { severity: string; n: number }[])
    bySeverity[r.severity] = r.n;
  const matrix = db
    .prepare(
      `SELECT channel, kind, count(*) AS count FROM gaps WHERE status = 'open' GROUP BY channel, kind ORDER BY channel, kind`,
    )
    .all() as GapsSummary['matrix'];
  const grades: Record<string, number> = { A: 0, B: 0, C: 0, D: 0, E: 0 };
  for (const r of db.prepare('SELECT grade, count(*) AS n FROM product_quality GROUP BY grade').all() as {
    grade: string;
    n: number;
  }[])
    grades[r.grade] = r.n;
  return {
    detectedAt: last.detected_at,
    runId: last.id,
    seconds: s.seconds ?? 0,
    records: s.records ?? 0,
    products: s.products ?? 0,
    byStatus,
    matrix,
    bySeverity,
    // Detections before "not exported" was reported have none.
    completeness: (s.completeness ?? []).map((c) => ({ ...c, notExported: c.notExported ?? [] })),
    grades,
    possibleMatches: db.prepare('SELECT count(*) FROM possible_matches').pluck().get() as number,
    trend: runs.map((r) => {
      const rs = JSON.parse(r.summary) as Partial<RunSummary>;
      return {
        runId: r.id,
        detectedAt: r.detected_at,
        sources: (JSON.parse(r.sources) as unknown[]).length,
        open: rs.open ?? 0,
        byKind: rs.byKind ?? {},
      };
    }),
    tolerances: s.tolerances,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Listing

interface Where {
  sql: string;
  args: unknown[];
}

function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function inList(
  column: string,
  values: readonly string[] | undefined,
  where: string[],
  args: unknown[],
): void {
  if (!values) return;
  if (values.length === 0) {
    where.push('0');
    return;
  }
  where.push(`${column} IN (${values.map(() => '?').join(', ')})`);
  args.push(...values);
}

export function filterSql(filter: GapFilter): Where {
  const where: string[] = [];
  const args: unknown[] = [];
  inList('channel', filter.channels, where, args);
  inList('kind', filter.kinds, where, args);
  inList('severity', filter.severities, where, args);
  inList('status', filter.statuses ?? ['open', 'accepted', 'ignored'], where, args);
  const q = filter.query?.trim();
  if (q) {
    const p = likePattern(q);
    where.push(
      `(record_id LIKE ? ESCAPE '\\' OR product_id LIKE ? ESCAPE '\\' OR title LIKE ? ESCAPE '\\' OR expected LIKE ? ESCAPE '\\' OR actual LIKE ? ESCAPE '\\')`,
    );
    args.push(p, p, p, p, p);
  }
  if (filter.clusterId !== undefined) {
    where.push('cluster_id = ?');
    args.push(clusterIdOf(filter.clusterId) ?? -1);
  }
  if (filter.grades) {
    const grades = filter.grades.length ? filter.grades.map(() => '?').join(', ') : 'NULL';
    where.push(`cluster_id IN (SELECT cluster_id FROM product_quality WHERE grade IN (${grades}))`);
    args.push(...filter.grades);
  }
  return { sql: where.length ? `WHERE ${where.join(' AND ')}` : '', args };
}

/** The filter's parts a facet counts over, and the column each reads. */
const FACETS = {
  channels: 'channel',
  kinds: 'kind',
  severities: 'severity',
  statuses: 'status',
  grades: '(SELECT grade FROM product_quality q WHERE q.cluster_id = gaps.cluster_id)',
} as const satisfies Partial<Record<keyof GapFilter, string>>;

/**
 * For each facet, gaps per value under the rest of the filter (OpenRefine's facets): choosing a value of one
 * facet keeps the others' counts of what that choice would show. The status facet counts every status.
 */
export function gapFacets(db: Database.Database, filter: GapFilter): GapFacets {
  const out = {} as GapFacets;
  for (const [facet, column] of Object.entries(FACETS) as [keyof typeof FACETS, string][]) {
    const w = filterSql({ ...filter, [facet]: facet === 'statuses' ? [...GAP_STATUSES] : undefined });
    const counts: Record<string, number> = {};
    for (const [value, n] of db
      .prepare(`SELECT ${column} AS v, count(*) FROM gaps ${w.sql} GROUP BY v`)
      .raw(true)
      .all(...w.args) as [string | null, number][])
      if (value !== null) counts[value] = n;
    out[facet] = counts;
  }
  return out;
}

const ORDER: Record<string, string> = {
  severity: 'severity_rank',
  kind: 'kind',
  channel: 'channel',
  productId: 'cluster_id',
  title: 'title',
  status: 'status',
};

interface GapDbRow {
  id: number;
  key: string;
  kind: Gap['kind'];
  channel: string;
  record_id: string | null;
  cluster_id: number;
  product_id: string;
  field: string | null;
  expected: string | null;
  actual: string | null;
  severity: Gap['severity'];
  present_in: string;
  status: GapStatus;
  rule: string | null;
  title: string | null;
}

/** A stored gap in DESIGN.md's gap JSON schema, with its status (and `rule` only for an excluded absence). */
function toGap(r: GapDbRow): Gap {
  const g: Gap = {
    kind: r.kind,
    channel: r.channel,
    recordId: r.record_id,
    productId: r.product_id,
    field: r.field,
    expected: r.expected,
    actual: r.actual,
    severity: r.severity,
    presentIn: JSON.parse(r.present_in) as Gap['presentIn'],
    status: r.status,
  };
  if (r.rule !== null) g.rule = r.rule;
  return g;
}

export function toGapRow(r: GapDbRow): GapRow {
  return { id: r.id, ...toGap(r), rule: r.rule, clusterId: clusterName(r.cluster_id), title: r.title };
}

export function listGaps(
  db: Database.Database,
  p: {
    filter: GapFilter;
    sort: { column: string; direction: 'asc' | 'desc' };
    offset: number;
    limit: number;
  },
): { total: number; rows: GapRow[] } {
  const w = filterSql(p.filter);
  const total = db
    .prepare(`SELECT count(*) FROM gaps ${w.sql}`)
    .pluck()
    .get(...w.args) as number;
  const dir = p.sort.direction === 'asc' ? 'ASC' : 'DESC';
  // Absences have no record id of their own: they come after the records either way, by their reference record
  // (the product's highest-priority record), so they do not fill the first pages.
  const column =
    p.sort.column === 'recordId'
      ? `record_id IS NULL, coalesce(record_id, json_extract(present_in, '$[0].recordId'))`
      : (ORDER[p.sort.column] ?? 'severity_rank');
  // Page ids first (sorting narrow index entries), then their rows: sorting whole rows to skip a million of them
  // took a second at the end of a 1M-gap table.
  const ids = db
    .prepare(`SELECT id FROM gaps ${w.sql} ORDER BY ${column} ${dir}, id ${dir} LIMIT ? OFFSET ?`)
    .pluck()
    .all(...w.args, p.limit, p.offset) as number[];
  const byId = new Map(
    (
      db
        .prepare('SELECT * FROM gaps WHERE id IN (SELECT value FROM json_each(?))')
        .all(JSON.stringify(ids)) as GapDbRow[]
    ).map((r) => [r.id, r]),
  );
  return { total, rows: ids.map((id) => toGapRow(byId.get(id)!)) };
}

/** Every gap of the latest detection, in DESIGN.md's gap JSON schema (with status; rule for excluded ones). */
export function* currentGaps(
  db: Database.Database,
  options: { includeExcluded?: boolean; statuses?: GapStatus[] } = {},
): Generator<Gap> {
  const statuses = options.statuses ?? [
    'open',
    'accepted',
    'ignored',
    ...(options.includeExcluded ? (['excluded'] as const) : []),
  ];
  const rows = db
    .prepare(
      `SELECT * FROM gaps WHERE status IN (${statuses.map(() => '?').join(', ')}) ORDER BY channel, kind, cluster_id, id`,
    )
    .iterate(...statuses) as IterableIterator<GapDbRow>;
  for (const r of rows) yield toGap(r);
}

// ---------------------------------------------------------------------------------------------------------------
// Statuses

/** Sets the status of live gaps (by ids or filter); the previous statuses are kept for one undo. */
export function setGapStatus(
  db: Database.Database,
  p: { ids?: number[]; filter?: GapFilter; status: 'open' | 'accepted' | 'ignored' },
): { updated: number } {
  let target: Where;
  if (p.ids !== undefined) {
    target = {
      sql: `WHERE id IN (SELECT value FROM json_each(?)) AND status IN ${LIVE}`,
      args: [JSON.stringify(p.ids)],
    };
  } else {
    const f = filterSql(p.filter ?? {});
    target = { sql: `${f.sql ? `${f.sql} AND` : 'WHERE'} status IN ${LIVE}`, args: f.args };
  }
  return db.transaction(() => {
    db.prepare('DELETE FROM gap_status_undo').run();
    db.prepare(
      `INSERT INTO gap_status_undo (key, previous) SELECT key, status FROM gaps ${target.sql} AND status != ?`,
    ).run(...target.args, p.status);
    const now = new Date().toISOString();
    if (p.status === 'open') {
      db.prepare('DELETE FROM gap_status WHERE key IN (SELECT key FROM gap_status_undo)').run();
    } else {
      db.prepare(
        `INSERT INTO gap_status (key, status, updated_at) SELECT key, ?, ? FROM gap_status_undo WHERE true
         ON CONFLICT(key) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at`,
      ).run(p.status, now);
    }
    const updated = db
      .prepare('UPDATE gaps SET status = ? WHERE key IN (SELECT key FROM gap_status_undo)')
      .run(p.status).changes;
    return { updated };
  })();
}

/** Takes back the last status change. */
export function undoGapStatus(db: Database.Database): { restored: number } {
  return db.transaction(() => {
    const now = new Date().toISOString();
    db.prepare(
      `DELETE FROM gap_status WHERE key IN (SELECT key FROM gap_status_undo WHERE previous = 'open')`,
    ).run();
    db.prepare(
      `INSERT INTO gap_status (key, status, updated_at) SELECT key, previous, ? FROM gap_status_undo
       WHERE previous IN ('accepted', 'ignored') ON CONFLICT(key) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at`,
    ).run(now);
    const restored = db
      .prepare(
        `UPDATE gaps SET status = (SELECT previous FROM gap_status_undo u WHERE u.key = gaps.key)
         WHERE key IN (SELECT key FROM gap_status_undo) AND status IN ${LIVE}`,
      )
      .run().changes;
    db.prepare('DELETE FROM gap_status_undo').run();
    return { restored };
  })();
}
