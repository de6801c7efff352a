/**
 * Categories across taxonomies (DESIGN.md "Gaps", category): every channel files products in its own tree
 * (Shopify's taxonomy, Google's ids or paths, the shop's own), so a record's category is compared with the golden
 * record's through a mapping learned from matched products: how often each channel category goes with each golden
 * category. A pairing that matched products make often is how the two taxonomies correspond; one that they
 * (almost) never make is a misfiled product. A coarser ancestor is not a gap. Users can pin a channel category to a
 * reference category (or to nothing: never compared); pinned mappings survive relearning.
 */
import type Database from 'better-sqlite3';
import type { CategoryMapping, ChannelCategory } from '../api/contract.js';
import { ConcordError } from '../model/errors.js';
import { fieldsOf } from '../store/columns.js';

/** A pairing is a disagreement when at most this share of either side's matched products make it. */
const RARE_SHARE = 0.2;

/** `a` equals `b` or is one of its ancestors (paths joined with ` > `). */
export function isAncestorOrSelf(a: string, b: string): boolean {
  return a === b || (b.length > a.length && b.startsWith(a) && b.startsWith(' > ', a.length));
}

/** The last segment of a path, folded (`T-Shirts` of `Apparel > Tops > T-Shirts`). */
function leaf(path: string): string {
  const i = path.lastIndexOf(' > ');
  return (i < 0 ? path : path.slice(i + 3)).trim().toLowerCase();
}

/** Leaves too generic to name a category on their own. */
const GENERIC_LEAVES = new Set([
  'accessories',
  'other',
  'others',
  'misc',
  'parts',
  'general',
  'sale',
  'gifts',
  'new',
]);

/**
 * The same category or one containing the other, in one tree; across trees, the same leaf (`T-Shirts`, a shop's
 * `Outlet > Socks` and the taxonomy's `… > Underwear & Socks > Socks`).
 */
function related(a: string, b: string): boolean {
  if (isAncestorOrSelf(a, b) || isAncestorOrSelf(b, a)) return true;
  const x = leafWords(a);
  const y = leafWords(b);
  if (x.length === 0 || y.length === 0) return false;
  // One leaf's words all in the other's (`Tents` / `Tents & Shelters`).
  const [few, many] = x.length <= y.length ? [x, new Set(y)] : [y, new Set(x)];
  return few.every((w) => many.has(w));
}

function leafWords(path: string): string[] {
  const l = leaf(path);
  if (GENERIC_LEAVES.has(l)) return [];
  return l.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 0 && w !== 'and');
}

interface Tally {
  total: number;
  by: Map<string, number>;
}

function bump(map: Map<string, Tally>, key: string, other: string): void {
  let t = map.get(key);
  if (!t) map.set(key, (t = { total: 0, by: new Map() }));
  t.total++;
  t.by.set(other, (t.by.get(other) ?? 0) + 1);
}

function top(t: Tally | undefined): string | null {
  if (!t) return null;
  let best: string | null = null;
  let n = 0;
  for (const [k, c] of t.by) if (c > n || (c === n && best !== null && k < best)) [best, n] = [k, c];
  return best;
}

/** Share of `t`'s pairings whose other side is related to `value` (equal, ancestor or descendant). */
function share(t: Tally | undefined, value: string): number {
  if (!t || t.total === 0) return 0;
  let n = 0;
  for (const [k, c] of t.by) if (related(k, value)) n += c;
  return n / t.total;
}

/** The top of a category path (`Home & Garden` of `Home & Garden > Kitchen > Knives`). */
function root(path: string): string {
  const i = path.indexOf(' > ');
  return i < 0 ? path : path.slice(0, i);
}

/** Share of `t`'s pairings whose other side lies under the same top category as `value`. */
function rootShare(t: Tally, value: string): number {
  const r = root(value);
  let n = 0;
  for (const [k, c] of t.by) if (root(k) === r) n += c;
  return n / t.total;
}

/** A path with a tree to compare (`Home > Kitchen > Knives`); Google taxonomy ids (`212`) and lone names have none. */
const hasBranch = (c: string): boolean => c.includes(' > ');
const isTaxonomyId = (c: string): boolean => /^\d+$/.test(c.trim());

/**
 * Far apart: where the mapping is unsure (the pairing seen too rarely on one side), a category whose learned
 * counterparts lie in another top branch than the product's (a shirt under Kitchen > Knives) is still a gap. Read
 * from the side with evidence: the golden categories this channel category goes with, or the channel categories this
 * golden category goes with.
 */
function far(f: Tally | undefined, b: Tally | undefined, category: string, golden: string): boolean {
  if (f && f.total >= 2) return hasBranch(golden) && rootShare(f, golden) <= RARE_SHARE;
  if (b && b.total >= 2) return hasBranch(category) && rootShare(b, category) <= RARE_SHARE;
  return false;
}

/** Learns, per channel, how its categories pair with golden categories; then judges each pairing. */
export class CategoryModel {
  /** channel -> channel category -> golden categories. */
  private readonly forward = new Map<string, Map<string, Tally>>();
  /** channel -> golden category -> channel categories. */
  private readonly backward = new Map<string, Map<string, Tally>>();
  private pinned = new Map<string, string | null>();

  /** One matched record: its channel's category and its product's golden category. */
  observe(channel: string, category: string, golden: string): void {
    let f = this.forward.get(channel);
    if (!f) this.forward.set(channel, (f = new Map()));
    bump(f, category, golden);
    let b = this.backward.get(channel);
    if (!b) this.backward.set(channel, (b = new Map()));
    bump(b, golden, category);
  }

  /** User mappings: `channel \u0000 category` -> reference path (null: never compare). */
  pin(mappings: readonly CategoryMapping[]): void {
    this.pinned = new Map(mappings.filter((m) => m.source === 'user').map((m) => [pinKey(m), m.mapsTo]));
  }

  /** True when filing a product whose golden category is `golden` under `category` in `channel` is a disagreement. */
  disagrees(channel: string, category: string, golden: string): boolean {
    const key = `${channel}\u0000${category}`;
    if (this.pinned.has(key)) {
      const to = this.pinned.get(key)!;
      return to !== null && !related(to, golden);
    }
    if (related(category, golden)) return false;
    // A Google taxonomy id against a lone name (a Shopify Type): no tree on either side to tell how far they are.
    if (isTaxonomyId(category) && !hasBranch(golden)) return false;
    const f = this.forward.get(channel)?.get(category);
    const b = this.backward.get(channel)?.get(golden);
    // Too little evidence on one side: only a category in another branch of the tree altogether is a gap.
    if (!f || !b || f.total < 2 || b.total < 2) return far(f, b, category, golden);
    if (share(f, golden) > RARE_SHARE) return false;
    // The channel files this golden category (or a finer one) under `category` or one of its descendants often.
    let n = 0;
    for (const [c, k] of b.by) if (isAncestorOrSelf(category, c) || isAncestorOrSelf(c, category)) n += k;
    return n / b.total <= RARE_SHARE;
  }

  /** The learned mapping table: each channel category and the golden category it goes with most. */
  mappings(): CategoryMapping[] {
    const out: CategoryMapping[] = [];
    for (const [channel, cats] of this.forward) {
      for (const [category, t] of cats) {
        const mapsTo = top(t);
        out.push({ channel, category, mapsTo, support: t.by.get(mapsTo!) ?? 0, source: 'learned' });
      }
    }
    return out;
  }

  /** The channel category used most for a golden category (or its nearest ancestor the channel has). */
  channelCategoryFor(channel: string, golden: string): string | null {
    const b = this.backward.get(channel);
    if (!b) return null;
    for (let g: string | null = golden; g !== null; g = parentPath(g)) {
      const hit = top(b.get(g));
      if (hit !== null) return hit;
    }
    return null;
  }
}

/**
 * The stored mapping table as a judge, for views that do not relearn it (the Matches page, the product drawer):
 * a channel category the mapping sends to the golden category (or to an ancestor or descendant of it) agrees, one it
 * sends elsewhere disagrees; a category pinned to nothing, or one the mapping does not know, is never a difference.
 */
export class StoredCategoryMap {
  private readonly mapsTo: Map<string, string | null>;
  constructor(mappings: readonly CategoryMapping[]) {
    this.mapsTo = new Map(mappings.map((m) => [pinKey(m), m.mapsTo]));
  }

  static load(db: Database.Database): StoredCategoryMap {
    return new StoredCategoryMap(listCategoryMap(db));
  }

  disagrees(channel: string, category: string, golden: string): boolean {
    if (related(category, golden)) return false;
    const to = this.mapsTo.get(pinKey({ channel, category }));
    return to != null && !related(to, golden);
  }
}

function parentPath(path: string): string | null {
  const i = path.lastIndexOf(' > ');
  return i < 0 ? null : path.slice(0, i);
}

function pinKey(m: { channel: string; category: string }): string {
  return `${m.channel}\u0000${m.category}`;
}

// ---------------------------------------------------------------------------------------------------------------
// The stored table

interface MapRow {
  channel: string;
  category: string;
  maps_to: string | null;
  support: number;
  source: 'learned' | 'user';
}

function toMapping(r: MapRow): CategoryMapping {
  return fieldsOf(r);
}

export function listCategoryMap(db: Database.Database, channel?: string): CategoryMapping[] {
  const rows = (
    channel === undefined
      ? db.prepare('SELECT * FROM category_map ORDER BY channel, category').all()
      : db.prepare('SELECT * FROM category_map WHERE channel = ? ORDER BY category').all(channel)
  ) as MapRow[];
  return rows.map(toMapping);
}

/** Replaces the learned mappings (user ones stay; their support is refreshed). */
export function storeLearnedMappings(db: Database.Database, learned: readonly CategoryMapping[]): void {
  db.prepare(`DELETE FROM category_map WHERE source = 'learned'`).run();
  const insert = db.prepare(
    `INSERT INTO category_map (channel, category, maps_to, support, source) VALUES (?, ?, ?, ?, 'learned')
     ON CONFLICT(channel, category) DO UPDATE SET support = excluded.support`,
  );
  for (const m of learned) insert.run(m.channel, m.category, m.mapsTo, m.support);
}

/**
 * Pins one channel category. A category the mapping has not learned (no matched product filed under it yet) may be
 * pinned too when the channel's records carry it.
 */
export function setCategoryMapping(
  db: Database.Database,
  m: { channel: string; category: string; mapsTo: string | null },
): CategoryMapping {
  const existing = db
    .prepare('SELECT support FROM category_map WHERE channel = ? AND category = ?')
    .get(m.channel, m.category) as { support: number } | undefined;
  if (
    !existing &&
    !db.prepare('SELECT 1 FROM records WHERE channel = ? AND category = ?').get(m.channel, m.category)
  ) {
    throw new ConcordError(
      'NOT_FOUND',
      `channel "${m.channel}" has no category "${m.category}": no record of it is filed there`,
      { field: 'category' },
    );
  }
  db.prepare(
    `INSERT INTO category_map (channel, category, maps_to, support, source) VALUES (?, ?, ?, 0, 'user')
     ON CONFLICT(channel, category) DO UPDATE SET maps_to = excluded.maps_to, source = 'user'`,
  ).run(m.channel, m.category, m.mapsTo);
  return {
    channel: m.channel,
    category: m.category,
    mapsTo: m.mapsTo,
    support: existing?.support ?? 0,
    source: 'user',
  };
}

/**
 * A channel's own category values as its records carry them (most records first), narrowed by a substring, at most
 * `limit` of them, with their mappings; and the reference categories (the golden records') to map them to.
 */
export function channelCategories(
  db: Database.Database,
  p: { channel: string; query?: string; limit: number },
): { total: number; values: ChannelCategory[]; references: string[] } {
  const q = p.query?.trim().toLowerCase() ?? '';
  const where = `WHERE r.channel = ? AND r.category IS NOT NULL AND r.category != ''${q ? ` AND instr(lower(r.category), ?) > 0` : ''}`;
  const args = q ? [p.channel, q] : [p.channel];
  const total = db
    .prepare(`SELECT count(DISTINCT r.category) FROM records r ${where}`)
    .pluck()
    .get(...args) as number;
  const values = (
    db
      .prepare(
        `SELECT r.category, count(*) AS records, m.maps_to, m.source FROM records r
         LEFT JOIN category_map m ON m.channel = r.channel AND m.category = r.category
         ${where} GROUP BY r.category ORDER BY records DESC, r.category LIMIT ?`,
      )
      .all(...args, p.limit) as {
      category: string;
      records: number;
      maps_to: string | null;
      source: ChannelCategory['source'];
    }[]
  ).map(fieldsOf);
  const references = db
    .prepare(
      `SELECT DISTINCT category FROM golden_records WHERE category IS NOT NULL AND category != '' ORDER BY category LIMIT 5000`,
    )
    .pluck()
    .all() as string[];
  return { total, values, references };
}

/**
 * The channel's own category for a reference-taxonomy path (for fix lists): the channel category the stored mapping
 * sends to that path (or to its nearest ancestor) with the most support; null when none is known.
 */
export function channelCategoryFor(db: Database.Database, channel: string, reference: string): string | null {
  const stmt = db.prepare(
    'SELECT category FROM category_map WHERE channel = ? AND maps_to = ? ORDER BY support DESC, category LIMIT 1',
  );
  for (let g: string | null = reference; g !== null; g = parentPath(g)) {
    const hit = stmt.pluck().get(channel, g) as string | undefined;
    if (hit !== undefined) return hit;
  }
  return null;
}
