/**
 * Handlers of the alignment methods (DESIGN.md "Alignment"): align and retrain as jobs, the summary, re-clustering
 * at another threshold, the review queue (most uncertain pairs first), labels and undo, the precision/recall curve
 * from the labels, and clusters with their golden records, split and merge. Reads go through the session's
 * read-only connection; writes open their own connection and are refused while an import or an alignment runs.
 */
import type Database from 'better-sqlite3';
import { alignWorkspace, latestRun, recluster, requireRun, EVIDENCE_MODEL } from './alignWorkspace.js';
import { GOLDEN_FIELDS, type GoldenField } from './golden.js';
import {
  addLabels,
  countLabels,
  currentLabels,
  pairKey,
  undoLastBatch,
  type PairLabel,
  type RecordRef,
} from './labels.js';
import { squash } from './text.js';
import { readTruthClusters } from './truth.js';
import { StoredCategoryMap } from '../consistency/categoryMap.js';
import { DIFFERS_FIELDS, differingFromGolden, statesNoSale } from '../consistency/differs.js';
import { listPossibleMatches } from '../consistency/gapStore.js';
import type { PossibleMatch } from '../consistency/types.js';
import { getTitleContrasts, getTolerances } from '../consistency/settings.js';
import { ConcordError } from '../model/errors.js';
import { clusterIdOf, clusterName } from '../model/ids.js';
import { formatMinor } from '../normalize/price.js';
import { clusterMembers as storedClusterMembers } from '../store/clusters.js';
import { goldenOf, goldenPage, parseProvenance, type GoldenRecordRow } from '../store/goldenRecords.js';
import {
  channelCoverage,
  recordClusters,
  recordRefs,
  shownRecords,
  type ShownRecord,
} from '../store/records.js';
import { openWorkspace } from '../store/workspace.js';
import type { PairView, RecordView, Result } from '../api/contract.js';
import type { HandlerContext, Handlers } from '../app/context.js';
import { requireReady } from '../app/readiness.js';

type AlignMethods =
  | 'align.start'
  | 'align.summary'
  | 'align.recluster'
  | 'matches.queue'
  | 'matches.label'
  | 'matches.undo'
  | 'matches.retrain'
  | 'matches.curve'
  | 'matches.export'
  | 'clusters.list'
  | 'clusters.get'
  | 'clusters.split'
  | 'clusters.merge';

/** Largest number of match labels one merge may write (all pairs between the merged clusters). */
const MAX_MERGE_LABELS = 5000;

export const alignHandlers: Pick<Handlers, AlignMethods> = {
  async 'align.start'({ threshold, labelsFile, truthFile }, ctx) {
    const workspace = ctx.session.requirePath();
    requireReady(ctx.session.requireDb(), 'align');
    const truth = truthFile === undefined ? undefined : await readTruthClusters(truthFile);
    const job = ctx.jobs.start({
      kind: 'align',
      title: 'Align products across channels',
      writes: true,
      workspace,
      run: async ({ signal, progress }) => {
        const outcome = await alignWorkspace(workspace, {
          threshold,
          labelsFile,
          truth,
          signal,
          onProgress: progress,
        });
        if (!outcome.truth) return outcome.summary;
        const t = outcome.truth;
        return {
          ...outcome.summary,
          truth: {
            precision: t.precision,
            recall: t.recall,
            f1: t.f1,
            truePairs: t.truePairs,
            predictedPairs: t.predictedPairs,
            blockingRecall: t.blockingRecall,
          },
        };
      },
    });
    return { jobId: job.id };
  },

  async 'align.summary'(_params, ctx) {
    return latestRun(ctx.session.requireDb())?.summary ?? null;
  },

  async 'align.recluster'({ threshold }, ctx) {
    return withWriter(ctx, (db) => recluster(db, { threshold }).summary);
  },

  async 'matches.queue'({ limit }, ctx) {
    const db = ctx.session.requireDb();
    const run = requireRun(db);
    const labelled = new Set(currentLabels(db).map((l) => pairKey(l.a, l.b)));
    const out: PairView[] = [];
    // Pages through `page` (pairs in queue order), leaving out labelled pairs (skips included), until `limit`.
    const fill = (page: (offset: number, n: number) => PossibleMatch[], possible: boolean): void => {
      const batch = Math.max(limit * 2, 100);
      for (let offset = 0; out.length < limit; offset += batch) {
        const rows = page(offset, batch);
        if (rows.length === 0) return;
        const views = recordViews(
          db,
          rows.flatMap((r) => [r.a, r.b]),
        );
        for (const r of rows) {
          const a = views.get(r.a);
          const b = views.get(r.b);
          if (!a || !b || labelled.has(pairKey(refOf(a), refOf(b)))) continue;
          labelled.add(pairKey(refOf(a), refOf(b)));
          const pair: PairView = {
            a,
            b,
            probability: r.probability,
            label: null,
            differing: differingFields(a, b),
          };
          out.push(possible ? { ...pair, possible } : pair);
          if (out.length >= limit) return;
        }
      }
    };
    // First the possible matches gap detection left for review (a close record where a product seemed absent),
    // then the pairs the model decided closest to the threshold.
    fill((offset, n) => listPossibleMatches(db, n, offset), true);
    const stmt = db.prepare(
      `SELECT p.a, p.b, p.model AS probability FROM pair_scores p
       WHERE p.evidence = ${EVIDENCE_MODEL} AND p.model IS NOT NULL
       ORDER BY abs(p.model - ?) LIMIT ? OFFSET ?`,
    );
    fill((offset, n) => stmt.all(run.threshold, n, offset) as PossibleMatch[], false);
    return out;
  },

  async 'matches.label'({ a, b, label }, ctx) {
    return withWriter(ctx, (db) => {
      requireRun(db);
      if (a === b)
        throw new ConcordError('BAD_INPUT', 'a record cannot be labelled against itself', { a, b });
      const refs = refsOf(db, [a, b]);
      addLabels(db, [{ a: refs.get(a)!, b: refs.get(b)!, label }], 'user');
      if (label !== 'skip') recluster(db, { scopeIds: [a, b] });
      return { labels: countLabels(db) };
    });
  },

  async 'matches.undo'(_params, ctx) {
    return withWriter(ctx, (db) => {
      const undone = undoLastBatch(db);
      if (undone.length === 0) return { undone: null, labels: countLabels(db) };
      const ids = idsOfRefs(
        db,
        undone.flatMap((l) => [l.a, l.b]),
      );
      if (latestRun(db) && ids.length > 0) recluster(db, { scopeIds: ids });
      const last = undone[undone.length - 1];
      const idOf = (r: RecordRef) => idsOfRefs(db, [r])[0] ?? -1;
      return { undone: { a: idOf(last.a), b: idOf(last.b), label: last.label }, labels: countLabels(db) };
    });
  },

  async 'matches.retrain'(_params, ctx) {
    const workspace = ctx.session.requirePath();
    const run = requireRun(ctx.session.requireDb());
    const job = ctx.jobs.start({
      kind: 'align',
      title: 'Retrain the matcher from the labels and re-cluster',
      writes: true,
      workspace,
      run: async ({ signal, progress }) =>
        (
          await alignWorkspace(workspace, {
            threshold: run.threshold,
            kind: 'retrain',
            signal,
            onProgress: progress,
          })
        ).summary,
    });
    return { jobId: job.id };
  },

  async 'matches.curve'(_params, ctx) {
    const db = ctx.session.requireDb();
    const labels = currentLabels(db).filter((l) => l.label !== 'skip');
    const scored: { p: number; y: number }[] = [];
    const get = db.prepare('SELECT model FROM pair_scores WHERE a = ? AND b = ?').pluck();
    for (const l of labels) {
      const ids = idsOfRefs(db, [l.a, l.b]);
      if (ids.length !== 2) continue;
      const [x, y] = ids[0] < ids[1] ? ids : [ids[1], ids[0]];
      const p = get.get(x, y) as number | null | undefined;
      if (p === null || p === undefined) continue;
      scored.push({ p, y: l.label === 'match' ? 1 : 0 });
    }
    const positives = scored.filter((s) => s.y === 1).length;
    const points: { threshold: number; precision: number; recall: number }[] = [];
    for (let k = 1; k <= 19; k++) {
      const t = k / 20;
      let tp = 0;
      let fp = 0;
      for (const s of scored) {
        if (s.p < t) continue;
        if (s.y) tp++;
        else fp++;
      }
      if (tp + fp === 0 || positives === 0) continue;
      points.push({ threshold: t, precision: tp / (tp + fp), recall: tp / positives });
    }
    return { labels: scored.length, points };
  },

  async 'matches.export'(_params, ctx) {
    const db = ctx.session.requireDb();
    requireRun(db);
    const out: Result<'matches.export'> = [];
    for (const [channel, recordId, cluster] of recordClusters(db))
      out.push({ channel, recordId, clusterId: clusterName(cluster) });
    return out;
  },

  async 'clusters.list'({ query, offset, limit, multiOnly }, ctx) {
    const db = ctx.session.requireDb();
    requireRun(db);
    const { total, rows } = goldenPage(db, { query, multiOnly, offset, limit });
    return {
      total,
      items: rows.map((r) => ({
        clusterId: clusterName(r.clusterId),
        size: r.size,
        channels: r.channels ? r.channels.split(',') : [],
        title: r.title,
        confidence: r.confidence,
      })),
    };
  },

  async 'clusters.get'({ clusterId }, ctx) {
    const db = ctx.session.requireDb();
    requireRun(db);
    return clusterView(db, parseClusterId(clusterId));
  },

  async 'clusters.split'({ clusterId, recordIds }, ctx) {
    return withWriter(ctx, (db) => {
      requireRun(db);
      const id = parseClusterId(clusterId);
      const members = clusterMembers(db, id);
      const inCluster = new Set(members);
      const moved = [...new Set(recordIds)];
      for (const r of moved)
        if (!inCluster.has(r))
          throw new ConcordError('BAD_INPUT', `record ${r} is not in cluster ${clusterId}`, { recordId: r });
      const staying = members.filter((m) => !moved.includes(m));
      if (staying.length === 0)
        throw new ConcordError('BAD_INPUT', 'a split must leave at least one record in the cluster');
      const refs = refsOf(db, members);
      const labels: PairLabel[] = [];
      for (const x of moved)
        for (const y of staying) labels.push({ a: refs.get(x)!, b: refs.get(y)!, label: 'no_match' });
      for (let i = 0; i < moved.length; i++)
        for (let j = i + 1; j < moved.length; j++)
          labels.push({ a: refs.get(moved[i])!, b: refs.get(moved[j])!, label: 'match' });
      addLabels(db, labels, 'split');
      const { clusterOf } = recluster(db, { scopeIds: members });
      const ids = [...new Set([clusterOf.get(staying[0])!, clusterOf.get(moved[0])!])];
      return { clusterIds: ids.map(clusterName) };
    });
  },

  async 'clusters.merge'({ clusterIds }, ctx) {
    return withWriter(ctx, (db) => {
      requireRun(db);
      const groups = [...new Set(clusterIds.map(parseClusterId))].map((id) => clusterMembers(db, id));
      if (groups.length < 2) throw new ConcordError('BAD_INPUT', 'merge needs two different clusters');
      const all = groups.flat();
      const refs = refsOf(db, all);
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
      addLabels(db, labels, 'merge');
      const { clusterOf } = recluster(db, { scopeIds: all });
      return { clusterId: clusterName(clusterOf.get(all[0])!) };
    });
  },
};

// ---------------------------------------------------------------------------------------------------------------

/** Runs `fn` on a write connection of the open workspace; refused while an import or an alignment runs. */
export function withWriter<T>(ctx: HandlerContext, fn: (db: Database.Database) => T): T {
  const path = ctx.session.requirePath();
  if (ctx.jobs.hasPendingWrites())
    throw new ConcordError(
      'CONFLICT',
      'an import or an alignment is running in this workspace: wait for it to finish',
    );
  const ws = openWorkspace(path);
  try {
    return fn(ws.db);
  } finally {
    ws.close();
  }
}

export { clusterName };

export function parseClusterId(name: string): number {
  const id = clusterIdOf(name);
  if (id === null)
    throw new ConcordError('BAD_INPUT', `not a cluster id: "${name.slice(0, 40)}"`, { clusterId: name });
  return id;
}

function clusterMembers(db: Database.Database, id: number): number[] {
  const members = storedClusterMembers(db, id);
  if (members.length === 0)
    throw new ConcordError('NOT_FOUND', `no cluster ${clusterName(id)} in this workspace`, {
      clusterId: clusterName(id),
    });
  return members;
}

/** (channel, recordId) of records by records.id; NOT_FOUND for an unknown id. */
function refsOf(db: Database.Database, ids: readonly number[]): Map<number, RecordRef> {
  const out = new Map<number, RecordRef>([...recordRefs(db, ids)].map(([id, ref]) => [id, { ...ref, id }]));
  for (const id of ids)
    if (!out.has(id))
      throw new ConcordError('NOT_FOUND', `no record ${id} in this workspace`, { recordId: id });
  return out;
}

/** records.id of labelled records: through the label's id hint, checked against (channel, recordId). */
function idsOfRefs(db: Database.Database, refs: readonly RecordRef[]): number[] {
  const hinted = refs.filter((r) => r.id !== null && r.id !== undefined);
  const stored = recordRefs(
    db,
    hinted.map((r) => r.id!),
  );
  const out: number[] = [];
  for (const r of hinted) {
    const row = stored.get(r.id!);
    if (row && row.channel === r.channel && row.recordId === r.recordId) out.push(r.id!);
  }
  return out;
}

function refOf(v: RecordView): RecordRef {
  return { channel: v.channel, recordId: v.recordId };
}

const DESCRIPTION_CHARS = 500;

/** Record views by records.id (unknown ids are left out). */
export function recordViews(db: Database.Database, ids: readonly number[]): Map<number, RecordView> {
  return new Map(shownRecords(db, ids).map((r) => [r.id, recordView(r)]));
}

function recordView(r: ShownRecord): RecordView {
  const fields: Record<string, string | null> = {};
  for (const f of GOLDEN_FIELDS) if (f !== 'currency') fields[f] = shownValue(r, f);
  fields.description = r.description === null ? null : r.description.slice(0, DESCRIPTION_CHARS);
  fields.gtin = r.gtin ?? r.gtinRaw;
  return {
    id: r.id,
    channel: r.channel,
    recordId: r.recordId,
    sourceId: r.sourceId,
    file: r.fileName,
    line: r.line,
    fields: fields as RecordView['fields'],
  };
}

/** A record or golden row's stored values, as the "differs" rule (consistency/differs.ts) reads them. */
function compareValues(r: StoredValues, channel?: string) {
  return {
    channel,
    title: r.title,
    brand: r.brand,
    gtin: r.gtin,
    mpn: r.mpn,
    sku: r.sku,
    priceMinor: r.priceMinor,
    salePriceMinor: r.salePriceMinor,
    currency: r.currency,
    availability: r.availability,
    weightG: r.weightG,
    category: r.category,
    imageUrl: r.imageUrl,
    options: r.options ? (JSON.parse(r.options) as Record<string, string>) : {},
  };
}

function optionsText(json: string | null): string | null {
  if (!json) return null;
  try {
    const o = JSON.parse(json) as Record<string, string>;
    const parts = Object.entries(o).map(([k, v]) => `${k}: ${v}`);
    return parts.length > 0 ? parts.join(' / ') : null;
  } catch {
    return null;
  }
}

/** Comparison form of a display field: what counts as "the same value" after normalization. */
function compareForm(field: string, value: string): string {
  switch (field) {
    case 'gtin':
      return value.replace(/^0+/, '');
    case 'mpn':
    case 'sku':
    case 'brand':
      return squash(value);
    case 'options':
      return value
        .split(' / ')
        .map((p) => squash(p))
        .sort()
        .join('|');
    default:
      return value.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
  }
}

/** Fields whose values differ after normalization (one side missing counts; both missing does not). */
export function differingFields(a: RecordView, b: RecordView): string[] {
  const out: string[] = [];
  for (const f of DIFFERS_FIELDS) {
    const x = a.fields[f] ?? null;
    const y = b.fields[f] ?? null;
    if (x === null && y === null) continue;
    if (x === null || y === null || compareForm(f, x) !== compareForm(f, y)) out.push(f);
  }
  return out;
}

/** The stored values a record and a golden record share (camelCase rows of core/store). */
type StoredValues = Pick<
  GoldenRecordRow,
  | 'title'
  | 'brand'
  | 'gtin'
  | 'mpn'
  | 'sku'
  | 'priceMinor'
  | 'salePriceMinor'
  | 'currency'
  | 'availability'
  | 'weightG'
  | 'category'
  | 'imageUrl'
  | 'link'
  | 'options'
>;

/** A field as shown: prices with their currency, weight in grams, options as `name: value / …`. */
function shownValue(g: StoredValues, f: GoldenField): string | null {
  switch (f) {
    case 'title':
      return g.title;
    case 'description':
      return null;
    case 'brand':
      return g.brand;
    case 'gtin':
      return g.gtin;
    case 'mpn':
      return g.mpn;
    case 'sku':
      return g.sku;
    case 'price':
      return g.priceMinor === null ? null : formatMinor(g.priceMinor, g.currency);
    case 'salePrice':
      return g.salePriceMinor === null ? null : formatMinor(g.salePriceMinor, g.currency);
    case 'currency':
      return g.currency;
    case 'availability':
      return g.availability;
    case 'weight':
      return g.weightG === null ? null : `${g.weightG} g`;
    case 'category':
      return g.category;
    case 'image':
      return g.imageUrl;
    case 'link':
      return g.link;
    case 'options':
      return optionsText(g.options);
  }
}

/** A cluster's records and its golden record, each value with the record it came from and the rule that chose it. */
export function clusterView(db: Database.Database, id: number): Result<'clusters.get'> {
  const members = clusterMembers(db, id);
  const rows = shownRecords(db, members);
  const views = new Map(rows.map((r) => [r.id, recordView(r)]));
  const golden = goldenOf(db, id);
  const out: Record<
    string,
    { value: string | null; channel: string | null; recordId: string | null; rule: string }
  > = {};
  const provenance = golden ? parseProvenance(golden.provenance) : null;
  if (golden) {
    const source =
      views.get(golden.sourceRecord) ?? recordViews(db, [golden.sourceRecord]).get(golden.sourceRecord);
    for (const f of GOLDEN_FIELDS) {
      const value = shownValue(golden, f);
      const prov = provenance?.[f];
      const fromId = prov ? prov[0] : golden.sourceRecord;
      const from = fromId === null ? undefined : (views.get(fromId) ?? recordViews(db, [fromId]).get(fromId));
      const shown = f === 'description' ? (from?.fields.description ?? null) : value;
      const rule = prov ? prov[1] : shown === null ? 'none' : 'priority';
      out[f] = {
        value: shown,
        channel: rule === 'none' ? null : ((from ?? source)?.channel ?? null),
        recordId: rule === 'none' ? null : ((from ?? source)?.recordId ?? null),
        rule,
      };
    }
  }
  const ctx = {
    tolerances: getTolerances(db),
    categories: StoredCategoryMap.load(db),
    coverage: channelCoverage(db),
    titleContrasts: getTitleContrasts(db),
  };
  const goldenValues = golden && {
    ...compareValues(golden),
    noSale: statesNoSale(golden.salePriceMinor, provenance),
  };
  const differing: Record<string, string[]> = {};
  for (const r of rows)
    differing[String(r.id)] = goldenValues
      ? differingFromGolden(compareValues(r, r.channel), goldenValues, ctx)
      : [];
  return {
    clusterId: clusterName(id),
    records: members.map((m) => views.get(m)!).filter(Boolean),
    golden: out,
    differing,
  };
}
