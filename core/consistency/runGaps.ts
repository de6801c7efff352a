/**
 * `concord gaps` / the gaps.detect job: loads the aligned workspace and the products alignment stored (CONFLICT
 * when some product records are not aligned yet: detection never aligns), learns the category mapping, detects every gap, applies the assortment rules, computes
 * completeness and grades, and stores it all in one transaction (gapStore.ts `saveDetection`).
 */
import type Database from 'better-sqlite3';
import type { GapsSummary } from '../api/contract.js';
import type { ProgressListener } from '../jobs/progress.js';
import { cancelled, ConcordError } from '../model/errors.js';
import { productsStale, type StoredProduct } from '../store/products.js';
import { openWorkspace } from '../store/workspace.js';
import { CategoryModel, listCategoryMap, storeLearnedMappings } from './categoryMap.js';
import { CompletenessTally, productGrade, recordCompleteness } from './completeness.js';
import { absenceGaps, recordGaps, type DetectedGap, type ProductCluster } from './detect.js';
import { saveDetection, type ProductQuality } from './gapStore.js';
import { loadProducts } from './loadProducts.js';
import { loadRuleColumns } from './ruleColumns.js';
import { titleNoiseOf, type CategoryJudge } from './differs.js';
import { compileRules, type RuleRecord } from './rules.js';
import { getRulesSettings, getTolerances, setTitleContrasts } from './settings.js';
import { TitleContrasts, titleNoise } from './titleContrasts.js';
import type { PossibleMatch, ProductRecord } from './types.js';

export interface DetectOptions {
  signal?: AbortSignal;
  onProgress?: ProgressListener;
}

/** Detection reads alignment's products: it never aligns itself. */
export function notAligned(): ConcordError {
  return new ConcordError('CONFLICT', 'records are not aligned yet', { remedy: { do: 'alignThenDetect' } });
}

/**
 * The products alignment stored (core/align/products.ts), by family: the clusters of one product (variant twins
 * alignment left apart) read as one, with the records of all of them and the golden record of the cluster that
 * speaks for the product.
 */
export function productsByFamily(
  clusters: readonly ProductCluster[],
  productOf: ReadonlyMap<number, StoredProduct>,
): Map<number, ProductCluster[]> {
  const families = new Map<number, Map<number, ProductCluster[]>>();
  for (const c of clusters) {
    const stored = productOf.get(c.clusterId);
    if (stored === undefined) throw notAligned();
    let family = families.get(stored.familyId);
    if (!family) families.set(stored.familyId, (family = new Map()));
    const list = family.get(stored.productId);
    if (list) list.push(c);
    else family.set(stored.productId, [c]);
  }
  const out = new Map<number, ProductCluster[]>();
  for (const [familyId, family] of families) {
    const group: ProductCluster[] = [];
    for (const [productId, parts] of family) {
      if (parts.length === 1) {
        group.push(parts[0]);
        continue;
      }
      const head = parts.find((c) => c.clusterId === productId) ?? parts[0];
      const records = parts
        .flatMap((c) => c.records)
        .sort((a, b) => a.channelIndex - b.channelIndex || a.ref - b.ref);
      group.push({ clusterId: head.clusterId, records, golden: head.golden });
    }
    out.set(familyId, group);
  }
  return out;
}

/**
 * A category judge that answers each (channel, category, golden category) once: the model does not change while
 * records are compared, and a catalog has few distinct pairings.
 */
export class RememberedJudge implements CategoryJudge {
  private readonly answers = new Map<string, Map<string, Map<string, boolean>>>();
  constructor(private readonly judge: CategoryJudge) {}
  disagrees(channel: string, category: string, golden: string): boolean {
    let byCategory = this.answers.get(channel);
    if (!byCategory) this.answers.set(channel, (byCategory = new Map()));
    let byGolden = byCategory.get(category);
    if (!byGolden) byCategory.set(category, (byGolden = new Map()));
    let answer = byGolden.get(golden);
    if (answer === undefined)
      byGolden.set(golden, (answer = this.judge.disagrees(channel, category, golden)));
    return answer;
  }
}

/**
 * Which (channel, category, golden category) pairings each product family has made: few distinct pairings, each
 * with the set of families that made it (no text key per record).
 */
export class FamilyPairings {
  private readonly families = new Map<string, Map<string, Map<string, Set<number>>>>();
  /** True the first time `family` makes this pairing. */
  firstTime(family: number, channel: string, category: string, golden: string): boolean {
    let byCategory = this.families.get(channel);
    if (!byCategory) this.families.set(channel, (byCategory = new Map()));
    let byGolden = byCategory.get(category);
    if (!byGolden) byCategory.set(category, (byGolden = new Map()));
    let seen = byGolden.get(golden);
    if (!seen) byGolden.set(golden, (seen = new Set()));
    if (seen.has(family)) return false;
    seen.add(family);
    return true;
  }
}

/** A record as assortment rules read it: its normalized fields and its raw cells (no copy of the record). */
class RuleView implements RuleRecord {
  constructor(
    private readonly r: ProductRecord,
    private readonly cells: ReadonlyMap<string, string>,
  ) {}
  get channel() {
    return this.r.channel;
  }
  get format() {
    return this.r.format;
  }
  get recordId() {
    return this.r.recordId;
  }
  get parentId() {
    return this.r.parentId;
  }
  get title() {
    return this.r.title;
  }
  get brand() {
    return this.r.brand;
  }
  get gtin() {
    return this.r.gtin;
  }
  get mpn() {
    return this.r.mpn;
  }
  get sku() {
    return this.r.sku;
  }
  get status() {
    return this.r.status;
  }
  get tags() {
    return this.r.tags;
  }
  get category() {
    return this.r.category;
  }
  get availability() {
    return this.r.availability;
  }
  get condition() {
    return this.r.condition;
  }
  column(name: string): string | null {
    return this.cells.get(name.toLowerCase()) ?? null;
  }
}

/** The close records that stand for absences of this product (not those an assortment rule explains anyway). */
function possibleMatches(
  c: ProductCluster,
  close: ReadonlyMap<string, PossibleMatch>,
  explained: ReadonlyMap<string, string>,
): PossibleMatch[] {
  const present = new Set(c.records.map((r) => r.channel));
  const out = new Set<PossibleMatch>();
  for (const [ch, m] of close) if (!present.has(ch) && !explained.has(ch)) out.add(m);
  return [...out];
}

/** Below the match threshold, a pair this likely still means "maybe the same product". */
const UNSURE_PROBABILITY = 0.2;

/**
 * Channels each product may well be listed on although alignment kept the record apart: a record of that channel
 * scored at least UNSURE_PROBABILITY against one of the product's records, and its own product has none of this
 * product's channels (the two could be one). Claiming an absence there would blame the channel for the matcher's
 * doubt; the pair is in the review queue instead.
 */
const channelSet = (c: ProductCluster): Set<string> => new Set(c.records.map((r) => r.channel));

export function unsureChannels(
  db: Database.Database,
  products: readonly ProductCluster[],
): Map<number, Map<string, PossibleMatch>> {
  const pairs = db
    .prepare('SELECT a, b, probability FROM pair_scores WHERE probability >= ?')
    .raw(true)
    .all(UNSURE_PROBABILITY) as [number, number, number][];
  // Only the records of these pairs are looked up: no entry for every record of the workspace.
  const scored = new Set<number>();
  for (const [a, b] of pairs) {
    scored.add(a);
    scored.add(b);
  }
  /** records.id -> [its product's cluster id, its channel]. */
  const recordOf = new Map<number, [number, string]>();
  for (const c of products)
    for (const r of c.records) if (scored.has(r.ref)) recordOf.set(r.ref, [c.clusterId, r.channel]);
  const channelsOf = new Map<number, Set<string>>();
  for (const c of products)
    if (c.records.some((r) => scored.has(r.ref))) channelsOf.set(c.clusterId, channelSet(c));
  const out = new Map<number, Map<string, PossibleMatch>>();
  for (const [a, b, probability] of pairs) {
    const ra = recordOf.get(a);
    const rb = recordOf.get(b);
    if (ra === undefined || rb === undefined || ra[0] === rb[0]) continue;
    const sa = channelsOf.get(ra[0])!;
    const sb = channelsOf.get(rb[0])!;
    let overlap = false;
    for (const ch of sa) if (sb.has(ch)) overlap = true;
    if (overlap) continue;
    // Were the two one product, it would be listed on every channel of both.
    for (const [from, to, own, other] of [
      [ra[0], sb, a, b],
      [rb[0], sa, b, a],
    ] as const) {
      let u = out.get(from);
      if (!u) out.set(from, (u = new Map()));
      for (const ch of to) {
        const best = u.get(ch);
        if (!best || probability > best.probability) u.set(ch, { a: own, b: other, probability });
      }
    }
  }
  return out;
}

export async function detectWorkspaceGaps(file: string, options: DetectOptions = {}): Promise<GapsSummary> {
  const started = performance.now();
  const progress = (done: number, phase: string, message: string): void => {
    if (options.signal?.aborted) throw cancelled();
    options.onProgress?.({ done, total: 6, phase, message });
  };
  progress(0, 'load', 'Reading records');
  const ws = openWorkspace(file, { purpose: 'gaps' });
  try {
    if (productsStale(ws.db)) throw notAligned();
    const db = ws.db;
    const loaded = loadProducts(db);
    const tolerances = getTolerances(db);
    const rules = compileRules(getRulesSettings(db));
    const columns = rules.columns.size > 0 ? loadRuleColumns(db, rules.columns) : new Map();
    progress(1, 'categories', 'Learning the category mapping');

    // Learned per product family, not per record: twelve variants filed alike are one merchant decision, and a
    // misfiled product must not teach the mapping its own mistake.
    const categories = new CategoryModel();
    const observed = new FamilyPairings();
    for (const c of loaded.clusters) {
      const g = c.golden.category;
      if (g === null || c.records.length < 2) continue;
      const family = loaded.productOf.get(c.clusterId)?.familyId ?? c.clusterId;
      for (const r of c.records) {
        if (r.category === null || r.ref === c.golden.from.category) continue;
        if (observed.firstTime(family, r.channel, r.category, g))
          categories.observe(r.channel, r.category, g);
      }
    }
    const learned = categories.mappings();
    categories.pin(listCategoryMap(db));
    progress(2, 'detect', 'Comparing records with their golden records');

    const members = productsByFamily(loaded.clusters, loaded.productOf);
    const products = [...members.values()].flat();

    const gaps: DetectedGap[] = [];
    const titleContrasts = TitleContrasts.learn(
      products.map((c) => ({
        family: loaded.productOf.get(c.clusterId)?.familyId ?? c.clusterId,
        title: c.golden.title ?? '',
        noise: titleNoise([c.golden.brand, ...Object.values(c.golden.options)]),
        records: c.records.flatMap((r) =>
          r.title === null ? [] : [{ title: r.title, noise: () => titleNoiseOf(c.golden, r) }],
        ),
      })),
    );
    const ctx = {
      tolerances,
      categories: new RememberedJudge(categories),
      coverage: loaded.coverage,
      titleContrasts: titleContrasts.forStore(),
    };
    for (const c of products) recordGaps(c, ctx, gaps);

    progress(3, 'absences', 'Finding products missing from channels');
    const unsure = unsureChannels(db, products);
    const possible: PossibleMatch[] = [];
    const noColumns = new Map<string, string>();
    for (const group of members.values()) {
      const records: ProductRecord[] = group.flatMap((c) => c.records);
      const ruleRecords: RuleRecord[] = records.map((r) => new RuleView(r, columns.get(r.ref) ?? noColumns));
      const explained = rules.explain(ruleRecords, loaded.channels);
      const familyChannels = new Set(records.map((r) => r.channel));
      for (const c of group) {
        const close = unsure.get(c.clusterId);
        absenceGaps(c, loaded.channels, familyChannels, explained, gaps, new Set(close?.keys()));
        if (close) possible.push(...possibleMatches(c, close, explained));
      }
    }

    progress(4, 'quality', 'Scoring completeness and grades');
    const tally = new CompletenessTally();
    const openBySeverity = new Map<number, { high: number; medium: number; low: number }>();
    for (const g of gaps) {
      if (g.rule !== null) continue;
      let s = openBySeverity.get(g.clusterId);
      if (!s) openBySeverity.set(g.clusterId, (s = { high: 0, medium: 0, low: 0 }));
      s[g.severity]++;
    }
    const quality: ProductQuality[] = [];
    for (const c of products) {
      let required = 0;
      let present = 0;
      for (const r of c.records) {
        const k = recordCompleteness(r);
        tally.add(r, k);
        required += k.required + k.recommended;
        present += k.requiredPresent + k.recommendedPresent;
      }
      const pct = required === 0 ? 100 : (100 * present) / required;
      quality.push({
        clusterId: c.clusterId,
        completeness: Math.round(pct * 10) / 10,
        grade: productGrade(pct, openBySeverity.get(c.clusterId) ?? { high: 0, medium: 0, low: 0 }),
      });
    }

    progress(5, 'save', `Saving ${gaps.length.toLocaleString('en-US')} gaps`);
    if (options.signal?.aborted) throw cancelled();
    const titles = new Map(products.map((c) => [c.clusterId, c.golden.title]));
    const summary = ws.db.transaction(() => {
      storeLearnedMappings(db, learned);
      setTitleContrasts(db, titleContrasts);
      return saveDetection(db, {
        gaps,
        titles,
        quality,
        completeness: tally.result(),
        sourceIds: loaded.sourceIds,
        records: loaded.records.length,
        products: products.length,
        tolerances,
        possible,
        startedAt: started,
      });
    })();
    progress(6, 'done', 'Done');
    return summary;
  } finally {
    ws.close();
  }
}
