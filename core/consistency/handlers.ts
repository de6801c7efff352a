/**
 * Handlers of the consistency methods (DESIGN.md "Gaps"): detection as a job, the dashboard summary, the gap table
 * (filter, sort, page), statuses with undo, product detail, tolerances, assortment rules, the category mapping and
 * fix lists. Reads use the session's read-only connection; writes open their own and are refused while a job writes.
 */
import { channelCategories, listCategoryMap, setCategoryMapping } from './categoryMap.js';
import { buildFixList, countFixList } from './fixlist/index.js';
import type { Database } from 'better-sqlite3';
import {
  currentGaps,
  gapFacets,
  gapsSummary,
  listGaps,
  setGapStatus,
  toGapRow,
  undoGapStatus,
} from './gapStore.js';
import { ConcordError } from '../model/errors.js';
import { productId } from '../model/ids.js';
import { clustersOfProduct, productOfCluster, productsStale } from '../store/products.js';
import { unalignedRecords } from '../store/records.js';
import { checkRules, parseRules } from './rules.js';
import { notAligned } from './runGaps.js';
import { startDetection } from './detectJob.js';
import { gapsStaleness } from './staleness.js';
import {
  getDetectSettings,
  getRulesSettings,
  getTolerances,
  setDetectSettings,
  setRulesSettings,
  setTolerances,
} from './settings.js';
import { clusterView, parseClusterId, startAlignment, withWriter } from '../align/handlers.js';
import type { ProductDetail } from '../api/contract.js';
import type { Handlers } from '../app/context.js';
import { requireReady } from '../app/readiness.js';

type GapMethods =
  | 'gaps.detect'
  | 'gaps.export'
  | 'gaps.summary'
  | 'gaps.list'
  | 'gaps.facets'
  | 'gaps.setStatus'
  | 'gaps.undoStatus'
  | 'gaps.product'
  | 'gaps.tolerances'
  | 'gaps.setTolerances'
  | 'rules.get'
  | 'rules.set'
  | 'rules.check'
  | 'categories.map'
  | 'categories.setMapping'
  | 'categories.values'
  | 'fixlist.export'
  | 'fixlist.count'
  | 'gaps.staleness'
  | 'gaps.detectSettings'
  | 'gaps.setDetectSettings';

export const gapsHandlers: Pick<Handlers, GapMethods> = {
  async 'gaps.detect'({ align }, ctx) {
    let alignJob: string | null = null;
    const db = ctx.session.requireDb();
    requireReady(db, 'detectGaps');
    if (unalignedRecords(db) || productsStale(db)) {
      if (!align) throw notAligned();
      // Alignment as a job of its own; detection starts once it has finished.
      alignJob = await startAlignment({}, ctx);
    }
    return { jobId: startDetection(ctx.jobs, ctx.session.requirePath(), alignJob) };
  },

  async 'gaps.export'({ includeExcluded }, ctx) {
    return [...currentGaps(ctx.session.requireDb(), { includeExcluded })];
  },

  async 'gaps.summary'(_params, ctx) {
    return gapsSummary(ctx.session.requireDb());
  },

  async 'gaps.list'(params, ctx) {
    return listGaps(ctx.session.requireDb(), params);
  },

  async 'gaps.facets'({ filter }, ctx) {
    return gapFacets(ctx.session.requireDb(), filter);
  },

  async 'gaps.setStatus'(params, ctx) {
    return withWriter(ctx, (db) => setGapStatus(db, params));
  },

  async 'gaps.undoStatus'(_params, ctx) {
    return withWriter(ctx, (db) => undoGapStatus(db));
  },

  async 'gaps.product'({ clusterId }, ctx) {
    return productDetail(ctx.session.requireDb(), clusterId);
  },

  async 'gaps.tolerances'(_params, ctx) {
    return getTolerances(ctx.session.requireDb());
  },

  async 'gaps.setTolerances'(params, ctx) {
    return withWriter(ctx, (db) => setTolerances(db, params));
  },

  async 'rules.get'(_params, ctx) {
    return getRulesSettings(ctx.session.requireDb());
  },

  async 'rules.set'({ rules, builtinStatusRule, source }, ctx) {
    const parsed = rules === undefined ? undefined : parseRules(rules, source ?? 'rules');
    return withWriter(ctx, (db) => setRulesSettings(db, { rules: parsed, builtinStatusRule }));
  },

  async 'rules.check'({ rules }) {
    return { problem: checkRules(rules) };
  },

  async 'categories.map'({ channel }, ctx) {
    return listCategoryMap(ctx.session.requireDb(), channel);
  },

  async 'categories.setMapping'(params, ctx) {
    return withWriter(ctx, (db) => setCategoryMapping(db, params));
  },

  async 'categories.values'(params, ctx) {
    return channelCategories(ctx.session.requireDb(), params);
  },

  async 'fixlist.export'(params, ctx) {
    return buildFixList(ctx.session.requireDb(), params);
  },

  async 'fixlist.count'(params, ctx) {
    return countFixList(ctx.session.requireDb(), params);
  },

  async 'gaps.staleness'(_params, ctx) {
    return gapsStaleness(ctx.session.requireDb());
  },

  async 'gaps.detectSettings'(_params, ctx) {
    return getDetectSettings(ctx.session.requireDb());
  },

  async 'gaps.setDetectSettings'(params, ctx) {
    return withWriter(ctx, (db) => setDetectSettings(db, params));
  },
};

/** A product side by side: every channel's record, the golden record with provenance, the gaps, the grade. */
function productDetail(db: Database, clusterName: string): ProductDetail {
  // The product alignment stored: the clusters it joined (variant twins) shown as one, as gap detection reads it.
  const id = productOfCluster(db, parseClusterId(clusterName));
  const view = clusterView(db, id);
  for (const part of clustersOfProduct(db, id))
    if (part !== id) view.records.push(...clusterView(db, part).records);
  view.records.sort((a, b) => a.id - b.id);
  if (view.records.length === 0)
    throw new ConcordError('NOT_FOUND', `no product ${clusterName} in the current alignment`, {
      clusterId: clusterName,
    });
  const quality = db
    .prepare('SELECT completeness, grade FROM product_quality WHERE cluster_id = ?')
    .get(id) as { completeness: number; grade: ProductDetail['grade'] } | undefined;
  const gaps = (
    db
      .prepare(
        `SELECT * FROM gaps WHERE cluster_id = ? AND status != 'fixed' ORDER BY severity_rank DESC, id`,
      )
      .all(id) as Parameters<typeof toGapRow>[0][]
  ).map(toGapRow);
  // The cluster view's fields that differ from the golden record (consistency/differs.ts), and those of its gaps.
  const differing: Record<string, string[]> = {};
  for (const r of view.records) {
    const fields = [...(view.differing[String(r.id)] ?? [])];
    for (const g of gaps) {
      if (g.recordId === r.recordId && g.channel === r.channel && g.field !== null) {
        const f = g.field === 'sale_price' ? 'salePrice' : g.field;
        if (!fields.includes(f)) fields.push(f);
      }
    }
    differing[String(r.id)] = fields;
  }
  return {
    clusterId: view.clusterId,
    productId: productId(id),
    grade: quality?.grade ?? 'E',
    completenessPct: quality?.completeness ?? 0,
    golden: view.golden,
    records: view.records,
    differing,
    gaps,
  };
}
