/**
 * Handlers of the alignment methods (DESIGN.md "Alignment"): align and retrain as jobs, the summary, re-clustering
 * at another threshold and its preview, the review queue (most uncertain pairs first), labels and undo, the
 * precision/recall curve from the validation pairs and the labels (scoreCurve.ts), and clusters with their golden records, split and merge. Reads go through the session's
 * read-only connection; writes open their own connection and are refused while an import or an alignment runs.
 */
import type Database from 'better-sqlite3';
import {
  alignWorkspace,
  latestRun,
  previewThreshold,
  recluster,
  requireRun,
  EVIDENCE_MODEL,
} from './alignWorkspace.js';
import {
  mergeClusters,
  mergePreview,
  requireMembers,
  requireRefs,
  splitCluster,
  undoClusterEdit,
} from './clusterEdits.js';
import { GOLDEN_FIELDS, type GoldenField } from './golden.js';
import { addLabels, countLabels, currentLabels, pairKey, undoLastBatch, type RecordRef } from './labels.js';
import { scoreCurve, scoreHistogram, storedValidation } from './scoreCurve.js';
import { squash } from './text.js';
import { readTruthClusters } from './truth.js';
import { StoredCategoryMap } from '../consistency/categoryMap.js';
import { DIFFERS_FIELDS, differingFromGolden, statesNoSale } from '../consistency/differs.js';
import { listPossibleMatches } from '../consistency/gapStore.js';
import { followWithDetection } from '../consistency/detectJob.js';
import type { PossibleMatch } from '../consistency/types.js';
import { getTitleContrasts, getTolerances } from '../consistency/settings.js';
import { ConcordError } from '../model/errors.js';
import { clusterIdOf, clusterName } from '../model/ids.js';
import { formatMinor } from '../normalize/price.js';
import { goldenOf, goldenPage, parseProvenance, type GoldenRecordRow } from '../store/goldenRecords.js';
import {
  channelCoverage,
  recordClusters,
  recordRefs,
  shownRecords,
  storeCurrency,
  type ShownRecord,
} from '../store/records.js';
import { openWorkspace } from '../store/workspace.js';
import type { PairView, Params, RecordView, Result } from '../api/contract.js';
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
  | 'align.previewThreshold'
  | 'matches.export'
  | 'clusters.list'
  | 'clusters.get'
  | 'clusters.split'
  | 'clusters.merge'
  | 'clusters.mergePreview'
  | 'clusters.undo';

/** The model's probability (at the last alignment) and the label of every hand-labelled pair it scored. */
function labelledScores(db: Database.Database): { probability: number[]; y: number[] } {
  const probability: number[] = [];
  const y: number[] = [];
  const get = db.prepare('SELECT model FROM pair_scores WHERE a = ? AND b = ?').pluck();
  for (const l of currentLabels(db)) {
    if (l.label === 'skip') continue;
    const ids = idsOfRefs(db, [l.a, l.b]);
    if (ids.length !== 2) continue;
    const p = get.get(Math.min(ids[0], ids[1]), Math.max(ids[0], ids[1])) as number | null | undefined;
    if (p === null || p === undefined) continue;
    probability.push(p);
    y.push(l.label === 'match' ? 1 : 0);
  }
  return { probability, y };
}

/** The alignment job of align.start, without the gap detection the workspace may have follow it. */
export async function startAlignment(
  { threshold, labelsFile, truthFile }: Params<'align.start'>,
  ctx: HandlerContext,
): Promise<string> {
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
  return job.id;
}

export const alignHandlers: Pick<Handlers, AlignMethods> = {
  async 'align.start'(params, ctx) {
    const jobId = await startAlignment(params, ctx);
    followWithDetection(ctx.jobs, ctx.session.requireDb(), ctx.session.requirePath(), jobId);
    return { jobId };
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
      const refs = requireRefs(db, [a, b]);
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
    followWithDetection(ctx.jobs, ctx.session.requireDb(), workspace, job.id);
    return { jobId: job.id };
  },

  async 'matches.curve'(_params, ctx) {
    const db = ctx.session.requireDb();
    const validation = storedValidation(db);
    const labelled = labelledScores(db);
    return {
      validation: validation
        ? { ...scoreCurve(validation.histogram), split: validation.split, best: validation.best }
        : null,
      labels:
        labelled.probability.length > 0 ? scoreCurve(scoreHistogram(labelled.probability, labelled.y)) : null,
    };
  },

  async 'align.previewThreshold'({ threshold }, ctx) {
    return previewThreshold(ctx.session.requireDb(), threshold);
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
        options: optionsText(r.options),
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
      const { editId, clusterOf } = splitCluster(db, parseClusterId(clusterId), recordIds);
      const moved = new Set(recordIds);
      // The cluster the staying records are in first, then the one the moved records went to.
      const staying = [...clusterOf.keys()].find((r) => !moved.has(r))!;
      const ids = [...new Set([clusterOf.get(staying)!, clusterOf.get(recordIds[0])!])];
      return { clusterIds: ids.map(clusterName), editId };
    });
  },

  async 'clusters.merge'({ clusterIds }, ctx) {
    return withWriter(ctx, (db) => {
      const ids = clusterIds.map(parseClusterId);
      const { editId, clusterOf } = mergeClusters(db, ids);
      return { clusterId: clusterName(clusterOf.get(ids[0])!), editId };
    });
  },

  async 'clusters.mergePreview'({ clusterIds }, ctx) {
    return mergePreview(ctx.session.requireDb(), clusterIds.map(parseClusterId));
  },

  async 'clusters.undo'({ editId }, ctx) {
    return withWriter(ctx, (db) => {
      const { kind, clusterIds } = undoClusterEdit(db, editId);
      return { kind, clusterIds: clusterIds.map(clusterName) };
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
  const currency = storeCurrency(db);
  return new Map(shownRecords(db, ids).map((r) => [r.id, recordView(r, currency)]));
}

/** A record as shown; its prices in `currency` (the store's) when its export names none. */
function recordView(r: ShownRecord, currency: string | null): RecordView {
  const fields: Record<string, string | null> = {};
  const priced = { ...r, currency: r.currency ?? currency };
  for (const f of GOLDEN_FIELDS) if (f !== 'currency') fields[f] = shownValue(priced, f);
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

/** A shown price (`21.95 USD`, `21.95`): its amount and its currency, when it names one. */
const SHOWN_PRICE = /^(-?[\d.]+)(?: ([A-Z]{3}))?$/;

/** Two shown prices are one when their amounts are, and their currencies where both name one (`21.95` = `21.95 USD`). */
function samePrice(x: string, y: string): boolean {
  const p = SHOWN_PRICE.exec(x);
  const q = SHOWN_PRICE.exec(y);
  if (!p || !q) return x === y;
  return Number(p[1]) === Number(q[1]) && (p[2] === undefined || q[2] === undefined || p[2] === q[2]);
}

/** Fields whose values differ after normalization (one side missing counts; both missing does not). */
export function differingFields(a: RecordView, b: RecordView): string[] {
  const out: string[] = [];
  for (const f of DIFFERS_FIELDS) {
    const x = a.fields[f] ?? null;
    const y = b.fields[f] ?? null;
    if (x === null && y === null) continue;
    if (x === null || y === null) out.push(f);
    else if (f === 'price' || f === 'salePrice' ? !samePrice(x, y) : compareForm(f, x) !== compareForm(f, y))
      out.push(f);
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
  const members = requireMembers(db, id);
  const rows = shownRecords(db, members);
  const currency = storeCurrency(db);
  const views = new Map(rows.map((r) => [r.id, recordView(r, currency)]));
  const golden = goldenOf(db, id);
  const out: Record<
    string,
    { value: string | null; channel: string | null; recordId: string | null; rule: string }
  > = {};
  const provenance = golden ? parseProvenance(golden.provenance) : null;
  if (golden) {
    const source =
      views.get(golden.sourceRecord) ?? recordViews(db, [golden.sourceRecord]).get(golden.sourceRecord);
    // Prices in the store's currency when no record of the cluster names one; the currency row as stored.
    const priced = { ...golden, currency: golden.currency ?? currency };
    for (const f of GOLDEN_FIELDS) {
      const value = shownValue(f === 'currency' ? golden : priced, f);
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
