/**
 * Handlers of the consistency methods (DESIGN.md "Gaps"): detection as a job, the dashboard summary, the gap table
 * (filter, sort, page), statuses with undo, product detail, tolerances, assortment rules, the category mapping and
 * fix lists. Reads use the session's read-only connection; writes open their own and are refused while a job writes.
 */
import { listCategoryMap, setCategoryMapping } from '../consistency/categoryMap.js';
import { buildFixList } from '../consistency/fixlist/index.js';
import type { Database } from 'better-sqlite3';
import { gapsSummary, listGaps, setGapStatus, toGapRow, undoGapStatus } from '../consistency/gapStore.js';
import { ConcordError } from '../model/errors.js';
import { parseRules } from '../consistency/rules.js';
import { detectWorkspaceGaps } from '../consistency/runGaps.js';
import { getRulesSettings, getTolerances, setRulesSettings, setTolerances } from '../consistency/settings.js';
import { clustersOfProduct, productOfCluster } from '../store/products.js';
import { clusterView, parseClusterId, withWriter } from './alignHandlers.js';
import type { ProductDetail, Tolerances } from './contract.js';
import type { Handlers } from './handlers.js';

type GapMethods =
  | 'gaps.detect'
  | 'gaps.summary'
  | 'gaps.list'
  | 'gaps.setStatus'
  | 'gaps.undoStatus'
  | 'gaps.product'
  | 'gaps.tolerances'
  | 'gaps.setTolerances'
  | 'rules.get'
  | 'rules.set'
  | 'categories.map'
  | 'categories.setMapping'
  | 'fixlist.export';

export const gapsHandlers: Pick<Handlers, GapMethods> = {
  async 'gaps.detect'(_params, ctx) {
    const workspace = ctx.session.requirePath();
    const job = ctx.jobs.start({
      kind: 'gaps',
      title: 'Find gaps between channels',
      writes: true,
      run: ({ signal, progress }) => detectWorkspaceGaps(workspace, { signal, onProgress: progress }),
    });
    return { jobId: job.id };
  },

  async 'gaps.summary'(_params, ctx) {
    return gapsSummary(ctx.session.requireDb());
  },

  async 'gaps.list'(params, ctx) {
    return listGaps(ctx.session.requireDb(), params);
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

  async 'rules.set'({ rules, builtinStatusRule }, ctx) {
    const parsed = parseRules(rules, 'rules');
    return withWriter(ctx, (db) => setRulesSettings(db, { rules: parsed, builtinStatusRule }));
  },

  async 'categories.map'({ channel }, ctx) {
    return listCategoryMap(ctx.session.requireDb(), channel);
  },

  async 'categories.setMapping'(params, ctx) {
    return withWriter(ctx, (db) => setCategoryMapping(db, params));
  },

  async 'fixlist.export'(params, ctx) {
    return buildFixList(ctx.session.requireDb(), params);
  },
};

/** Fields compared between a record and the golden record (display values, case and spacing folded). */
const COMPARED = [
  'title',
  'brand',
  'gtin',
  'price',
  'salePrice',
  'availability',
  'weight',
  'category',
  'image',
];

const TOLERANCE_OF: Record<string, keyof Tolerances> = {
  price: 'pricePct',
  salePrice: 'salePricePct',
  weight: 'weightPct',
};

const fold = (v: string): string => v.toLowerCase().replace(/\s+/g, ' ').trim();

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
  const tolerances = getTolerances(db);
  const differing: Record<string, string[]> = {};
  for (const r of view.records) {
    const fields: string[] = [];
    for (const f of COMPARED) {
      const mine = r.fields[f];
      const golden = view.golden[f]?.value ?? null;
      if (mine == null || golden === null) continue;
      const tolerance = TOLERANCE_OF[f];
      if (tolerance !== undefined) {
        // Amounts within the tolerance are rounding, not a difference (`519 g` / `520 g`, `19.99` / `20.00`).
        const a = Number.parseFloat(mine);
        const b = Number.parseFloat(golden);
        if (Number.isFinite(a) && Number.isFinite(b)) {
          if ((Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), 1e-9)) * 100 > tolerances[tolerance])
            fields.push(f);
          continue;
        }
      }
      if (fold(mine) !== fold(golden)) fields.push(f);
    }
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
    productId: `p_${id.toString(16)}`,
    grade: quality?.grade ?? 'E',
    completenessPct: quality?.completeness ?? 0,
    golden: view.golden,
    records: view.records,
    differing,
    gaps,
  };
}
