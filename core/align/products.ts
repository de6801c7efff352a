/**
 * Products: which of alignment's clusters are one product, and which products one family (DESIGN.md "Gaps" reads
 * them). Alignment decides it once (the products stage) and stores it (migration 005); gap detection, fix lists
 * and the product drawer read the stored decision.
 *  - A family: clusters joined through the channels' own product grouping (Handle, Parent, item_group_id), and the
 *    products of channels without one attached by model code or title words.
 *  - A product: the clusters of one family that alignment left apart although they are one variant (same option
 *    values, no channel in common), spoken for by the cluster holding the highest-priority record.
 */
import {
  identityConflict,
  identityTokens,
  type IdentityDimension,
  type IdentityTokens,
} from '../consistency/titleIdentity.js';
import { modelCodes } from './text.js';

/** A record as the product decision reads it. */
export interface FamilyRecord {
  /** records.id */
  ref: number;
  channel: string;
  /** Index of the channel in priority order (0 = system of record). */
  channelIndex: number;
  parentId: string | null;
  title: string | null;
  brandKey: string | null;
  options: Readonly<Record<string, string>>;
}

/** A cluster as the product decision reads it: its records in channel priority order and its golden values. */
export interface FamilyCluster<R extends FamilyRecord = FamilyRecord> {
  clusterId: number;
  records: R[];
  golden: { title: string | null; options: Readonly<Record<string, string>> };
}

/** A cluster's product (the cluster speaking for it) and family (the smallest cluster id in it). */
export interface ProductOfCluster {
  clusterId: number;
  productId: number;
  familyId: number;
}

/** Decides every cluster's product and family (clusters in cluster id order). */
export function decideProducts(clusters: readonly FamilyCluster[]): ProductOfCluster[] {
  const family = productFamilies(clusters);
  attachByModelCode(clusters, family);
  const grouped = new Map<number, FamilyCluster[]>();
  clusters.forEach((c, i) => {
    const list = grouped.get(family[i]);
    if (list) list.push(c);
    else grouped.set(family[i], [c]);
  });
  const out: ProductOfCluster[] = [];
  const canonicalValues = new Map<string, string>();
  for (const group of grouped.values()) {
    let familyId = group[0].clusterId;
    for (const c of group) if (c.clusterId < familyId) familyId = c.clusterId;
    const productOf = new Map<number, number>();
    for (const product of joinVariantTwins(group, canonicalValues))
      for (const r of product.records) productOf.set(r.ref, product.clusterId);
    for (const c of group)
      out.push({ clusterId: c.clusterId, productId: productOf.get(c.records[0].ref)!, familyId });
  }
  return out;
}

/** Products (clusters) joined through the channels' own product/variant grouping (Handle, Parent, item_group_id). */
export function productFamilies(clusters: readonly FamilyCluster[]): Int32Array {
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

function modelCodesOf(c: FamilyCluster, allTitles: boolean): { brand: string; codes: string[] } {
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
export function attachByModelCode(clusters: readonly FamilyCluster[], family: Int32Array): void {
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
  clusters: readonly FamilyCluster[],
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
export function joinVariantTwins<C extends FamilyCluster>(
  group: readonly C[],
  canonicalValues: Map<string, string> = new Map(),
): C[] {
  if (group.length < 2) return [...group];
  const bySignature = new Map<string, C[]>();
  const out: C[] = [];
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
    out.push({ ...head, records });
  }
  return out;
}
