/**
 * `concord gaps` / the gaps.detect job: loads the aligned workspace (aligning first when some product records have
 * no cluster yet), learns the category mapping, detects every gap, applies the assortment rules, computes
 * completeness and grades, and stores it all in one transaction (gapStore.ts `saveDetection`).
 */
import type Database from 'better-sqlite3';
import { modelCodes } from '../align/text.js';
import { alignWorkspace } from '../align/alignWorkspace.js';
import type { GapsSummary } from '../api/contract.js';
import type { ProgressListener } from '../jobs/progress.js';
import { cancelled } from '../model/errors.js';
import { openWorkspace } from '../store/workspace.js';
import { CategoryModel, listCategoryMap, storeLearnedMappings } from './categoryMap.js';
import { CompletenessTally, productGrade, recordCompleteness } from './completeness.js';
import { absenceGaps, recordGaps, type DetectedGap, type ProductCluster } from './detect.js';
import { saveDetection, type ProductQuality } from './gapStore.js';
import {
  identityConflict,
  identityTokens,
  type IdentityDimension,
  type IdentityTokens,
} from './titleIdentity.js';
import { loadProducts } from './loadProducts.js';
import { loadRuleColumns } from './ruleColumns.js';
import { compileRules, type RuleRecord } from './rules.js';
import { getRulesSettings, getTolerances } from './settings.js';
import type { ProductRecord } from './types.js';

export interface DetectOptions {
  signal?: AbortSignal;
  onProgress?: ProgressListener;
  /** Align first when records are not aligned (default true). */
  alignIfNeeded?: boolean;
  /** Told when detection aligns first. */
  onAlign?: () => void;
}

/** Products (clusters) joined through the channels' own product/variant grouping (Handle, Parent, item_group_id). */
export function productFamilies(clusters: readonly ProductCluster[]): Int32Array {
  const parent = new Int32Array(clusters.length).map((_, i) => i);
  const find = (x: number): number => {
    while (parent[x] !== x) x = parent[x] = parent[parent[x]];
    return x;
  };
  const firstWith = new Map<string, number>();
  clusters.forEach((c, i) => {
    for (const r of c.records) {
      if (r.parentId === null) continue;
      const key = `${r.channel}\u0000${r.parentId}`;
      const j = firstWith.get(key);
      if (j === undefined) firstWith.set(key, i);
      else {
        const a = find(i);
        const b = find(j);
        if (a !== b) parent[a] = b;
      }
    }
  });
  return parent.map((_, i) => find(i));
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

function modelCodesOf(c: ProductCluster, allTitles: boolean): { brand: string; codes: string[] } {
  const codes = new Set<string>(modelCodes(c.golden.title ?? ''));
  if (allTitles) for (const r of c.records) for (const code of modelCodes(r.title ?? '')) codes.add(code);
  const brand = c.records.find((r) => r.brandKey !== null)?.brandKey ?? '';
  return { brand, codes: [...codes] };
}

/**
 * Channels without a product grouping (Amazon's listings report has none) leave a variant only they list outside
 * any family, so its absence elsewhere would read as a missing product instead of a missing variant. Such a product
 * joins the one family of the same brand whose titles carry the same model code (`P-SDU235`, `KBOV803`); look-alikes
 * have their own codes, and a code several families share decides nothing.
 */
export function attachByModelCode(clusters: readonly ProductCluster[], family: Int32Array): void {
  const grouped = new Set<number>();
  clusters.forEach((c, i) => {
    if (c.records.some((r) => r.parentId !== null)) grouped.add(i);
  });
  if (grouped.size === clusters.length || grouped.size === 0) return;
  const familiesOf = new Map<string, Set<number>>();
  clusters.forEach((c, i) => {
    if (!grouped.has(i)) return;
    const { brand, codes } = modelCodesOf(c, false);
    if (brand === '') return;
    // Keyed with and without the brand: some channels (Amazon's report) carry none.
    for (const code of codes) {
      for (const key of [`${brand}\u0000${code}`, `\u0000${code}`]) {
        let set = familiesOf.get(key);
        if (!set) familiesOf.set(key, (set = new Set()));
        set.add(family[i]);
      }
    }
  });
  const orphans: number[] = [];
  clusters.forEach((c, i) => {
    if (grouped.has(i)) return;
    const { brand, codes } = modelCodesOf(c, true);
    const found = new Set<number>();
    for (const code of codes) for (const f of familiesOf.get(`${brand}\u0000${code}`) ?? []) found.add(f);
    if (found.size === 1) family[i] = [...found][0];
    // A model code no family has is another product's: only code-less titles are matched by their words.
    else if (codes.length === 0) orphans.push(i);
  });
  if (orphans.length > 0) attachByTitleWords(clusters, family, grouped, orphans);
}

const WORD = /\p{L}{3,}/gu;
const titleWords = (t: string | null): string[] => (t ?? '').toLowerCase().match(WORD) ?? [];
/** Words in more families than this say nothing about which one a title belongs to. */
const COMMON_WORD_FAMILIES = 200;
const SAME_PRODUCT_WORDS = 0.75;
const CLEAR_LEAD = 0.1;
/** Dimensions that differ between the variants of one product. */
const VARIANT_DIMENSIONS = ['size', 'shoe', 'number'] as const;

/**
 * The rest of the ungrouped products (no model code): the family whose titles' words the product's title contains
 * (weighted by how rare each word is among families), clearly better than any other, with no identity token
 * against it (a look-alike `Pack of 6` is not the `Pack of 12` family).
 */
function attachByTitleWords(
  clusters: readonly ProductCluster[],
  family: Int32Array,
  grouped: ReadonlySet<number>,
  orphans: readonly number[],
): void {
  const words = new Map<number, Set<string>>();
  const membersOf = new Map<number, number[]>();
  for (const i of grouped) {
    const f = family[i];
    let w = words.get(f);
    if (!w) words.set(f, (w = new Set()));
    for (const word of titleWords(clusters[i].golden.title)) w.add(word);
    const m = membersOf.get(f);
    if (m) m.push(i);
    else membersOf.set(f, [i]);
  }
  /** A family's identity tokens but the variant dimensions, read only for the families that win a title. */
  const identityOf = (f: number): IdentityTokens => {
    const t: IdentityTokens = new Map();
    for (const i of membersOf.get(f) ?? []) identityTokens(clusters[i].golden.title ?? '', t);
    for (const d of VARIANT_DIMENSIONS) t.delete(d);
    return t;
  };
  const familiesWith = new Map<string, number[]>();
  for (const [f, w] of words) {
    for (const word of w) {
      const list = familiesWith.get(word);
      if (list) list.push(f);
      else familiesWith.set(word, [f]);
    }
  }
  const n = words.size;
  const idf = (word: string): number => Math.log((n + 1) / ((familiesWith.get(word)?.length ?? 0) + 1));
  const totalIdf = new Map<number, number>();
  for (const [f, w] of words) {
    let t = 0;
    for (const word of w) t += idf(word);
    totalIdf.set(f, t);
  }
  for (const i of orphans) {
    const own = new Set(clusters[i].records.flatMap((r) => titleWords(r.title)));
    // Each family's share of its (idf-weighted) words that this title has, summed word by word.
    const have = new Map<number, number>();
    for (const word of own) {
      const list = familiesWith.get(word);
      if (!list || list.length > COMMON_WORD_FAMILIES) continue;
      const weight = idf(word);
      for (const f of list) have.set(f, (have.get(f) ?? 0) + weight);
    }
    let best = -1;
    let bestScore = 0;
    let second = 0;
    for (const [f, h] of have) {
      const total = totalIdf.get(f)!;
      const score = total > 0 ? h / total : 0;
      if (score > bestScore) [best, bestScore, second] = [f, score, bestScore];
      else if (score > second) second = score;
    }
    if (best < 0 || bestScore < SAME_PRODUCT_WORDS || bestScore - second < CLEAR_LEAD) continue;
    const mine = new Map<IdentityDimension, Set<string>>();
    for (const r of clusters[i].records) identityTokens(r.title ?? '', mine);
    for (const d of VARIANT_DIMENSIONS) mine.delete(d);
    if (identityConflict(identityOf(best), mine) !== null) continue;
    family[i] = best;
  }
}

/** A variant's option values in comparison form (`Size: 2XL, Color: Slate Blue` -> `size:xxl|slate blue`). */
function variantSignature(
  options: Readonly<Record<string, string>>,
  canonicalValues: Map<string, string>,
): string | null {
  const parts: string[] = [];
  for (const value of Object.values(options)) {
    let canonical = canonicalValues.get(value);
    if (canonical === undefined) {
      const v = value.trim().toLowerCase().replace(/\s+/g, ' ');
      canonical = v;
      for (const [dim, values] of identityTokens(v))
        if (dim !== 'model') canonical = `${dim}:${[...values].sort().join(',')}`;
      canonicalValues.set(value, canonical);
    }
    if (canonical.length > 0) parts.push(canonical);
  }
  return parts.length === 0 ? null : parts.sort().join('|');
}

/**
 * Products of one family that alignment left apart although they are one variant: same option values (`M / Slate
 * Blue`) and no channel in common. Each such set is read as one product for detection, with the golden record of
 * the part holding the highest-priority record — a matcher miss (GTIN-less apparel written differently per channel)
 * must not turn into absences in every channel and hide the real differences.
 */
export function joinVariantTwins(
  group: readonly ProductCluster[],
  canonicalValues: Map<string, string> = new Map(),
): ProductCluster[] {
  if (group.length < 2) return [...group];
  const bySignature = new Map<string, ProductCluster[]>();
  const out: ProductCluster[] = [];
  for (const c of group) {
    const options = Object.keys(c.golden.options).length > 0 ? c.golden.options : c.records[0].options;
    const sig = variantSignature(options, canonicalValues);
    if (sig === null) {
      out.push(c);
      continue;
    }
    const list = bySignature.get(sig);
    if (list) list.push(c);
    else bySignature.set(sig, [c]);
  }
  for (const list of bySignature.values()) {
    const seen = new Set<string>();
    let disjoint = true;
    for (const c of list) {
      for (const r of c.records) {
        if (seen.has(r.channel)) disjoint = false;
        seen.add(r.channel);
      }
    }
    if (list.length === 1 || !disjoint) {
      out.push(...list);
      continue;
    }
    const head = list.reduce((a, b) => (a.records[0].channelIndex <= b.records[0].channelIndex ? a : b));
    const records = list
      .flatMap((c) => c.records)
      .sort((a, b) => a.channelIndex - b.channelIndex || a.ref - b.ref);
    out.push({ clusterId: head.clusterId, records, golden: head.golden });
  }
  return out;
}

/** Below the match threshold, a pair this likely still means "maybe the same product". */
const UNSURE_PROBABILITY = 0.2;

/**
 * Channels each product may well be listed on although alignment kept the record apart: a record of that channel
 * scored at least UNSURE_PROBABILITY against one of the product's records, and its own product has none of this
 * product's channels (the two could be one). Claiming an absence there would blame the channel for the matcher's
 * doubt; the pair is in the review queue instead.
 */
export function unsureChannels(
  db: Database.Database,
  products: readonly ProductCluster[],
): Map<number, Set<string>> {
  const channelsOf = new Map<number, Set<string>>();
  /** records.id -> [its product's cluster id, its channel]. */
  const recordOf = new Map<number, [number, string]>();
  for (const c of products) {
    channelsOf.set(c.clusterId, new Set(c.records.map((r) => r.channel)));
    for (const r of c.records) recordOf.set(r.ref, [c.clusterId, r.channel]);
  }
  const out = new Map<number, Set<string>>();
  const pairs = db
    .prepare('SELECT a, b FROM pair_scores WHERE probability >= ?')
    .raw(true)
    .iterate(UNSURE_PROBABILITY) as IterableIterator<[number, number]>;
  for (const [a, b] of pairs) {
    const ra = recordOf.get(a);
    const rb = recordOf.get(b);
    if (ra === undefined || rb === undefined || ra[0] === rb[0]) continue;
    const sa = channelsOf.get(ra[0])!;
    const sb = channelsOf.get(rb[0])!;
    let overlap = false;
    for (const ch of sa) if (sb.has(ch)) overlap = true;
    if (overlap) continue;
    for (const [from, to] of [
      [ra[0], rb[1]],
      [rb[0], ra[1]],
    ] as const) {
      let u = out.get(from);
      if (!u) out.set(from, (u = new Set()));
      u.add(to);
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
  let ws = openWorkspace(file);
  try {
    const unaligned = ws.db
      .prepare(
        `SELECT count(*) FROM (SELECT 1 FROM records r JOIN sources s ON s.id = r.source_id
         WHERE s.kind = 'products' AND NOT EXISTS (SELECT 1 FROM clusters c WHERE c.record_id = r.id) LIMIT 1)`,
      )
      .pluck()
      .get() as number;
    if (unaligned > 0 && options.alignIfNeeded !== false) {
      ws.close();
      options.onAlign?.();
      progress(0, 'align', 'Aligning the records first');
      await alignWorkspace(file, { signal: options.signal });
      ws = openWorkspace(file);
    }
    const db = ws.db;
    const loaded = loadProducts(db);
    const tolerances = getTolerances(db);
    const rules = compileRules(getRulesSettings(db));
    const columns = rules.columns.size > 0 ? loadRuleColumns(db, rules.columns) : new Map();
    progress(1, 'categories', 'Learning the category mapping');

    const categories = new CategoryModel();
    for (const c of loaded.clusters) {
      const g = c.golden.category;
      if (g === null || c.records.length < 2) continue;
      for (const r of c.records) {
        if (r.category !== null && r.ref !== c.golden.from.category)
          categories.observe(r.channel, r.category, g);
      }
    }
    const learned = categories.mappings();
    categories.pin(listCategoryMap(db));
    progress(2, 'detect', 'Comparing records with their golden records');

    const family = productFamilies(loaded.clusters);
    attachByModelCode(loaded.clusters, family);
    const grouped = new Map<number, ProductCluster[]>();
    loaded.clusters.forEach((c, i) => {
      const list = grouped.get(family[i]);
      if (list) list.push(c);
      else grouped.set(family[i], [c]);
    });
    const members = new Map<number, ProductCluster[]>();
    const canonicalValues = new Map<string, string>();
    for (const [f, group] of grouped) members.set(f, joinVariantTwins(group, canonicalValues));
    const products = [...members.values()].flat();

    const gaps: DetectedGap[] = [];
    for (const c of products) recordGaps(c, tolerances, categories, gaps);

    progress(3, 'absences', 'Finding products missing from channels');
    const unsure = unsureChannels(db, products);
    const noColumns = new Map<string, string>();
    for (const group of members.values()) {
      const records: ProductRecord[] = group.flatMap((c) => c.records);
      const ruleRecords: RuleRecord[] = records.map((r) => new RuleView(r, columns.get(r.ref) ?? noColumns));
      const explained = rules.explain(ruleRecords, loaded.channels);
      const familyChannels = new Set(records.map((r) => r.channel));
      for (const c of group)
        absenceGaps(c, loaded.channels, familyChannels, explained, gaps, unsure.get(c.clusterId));
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
      return saveDetection(db, {
        gaps,
        titles,
        quality,
        completeness: tally.result(),
        sourceIds: loaded.sourceIds,
        records: loaded.records.length,
        products: products.length,
        tolerances,
        startedAt: started,
      });
    })();
    progress(6, 'done', 'Done');
    return summary;
  } finally {
    ws.close();
  }
}
