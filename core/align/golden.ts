/**
 * Golden record per cluster (DESIGN.md "Alignment", step 4) by field-wise survivorship, each value keeping its
 * provenance (the record it came from and the rule that chose it):
 *  - `priority`: the cluster's system-of-record record (its highest-priority channel; the first imported channel
 *    is the workspace's system of record) has a value: it wins, so a gap is never blamed on the golden source;
 *  - `majority`: that record lacks the field and two or more of the other records agree on a value that no
 *    other value ties;
 *  - `completeness`: otherwise the value of the highest-priority record that has one;
 *  - `none`: no record has a value.
 */

export const GOLDEN_FIELDS = [
  'title',
  'description',
  'brand',
  'gtin',
  'mpn',
  'sku',
  'price',
  'salePrice',
  'currency',
  'availability',
  'weight',
  'category',
  'image',
  'link',
  'options',
] as const;
export type GoldenField = (typeof GOLDEN_FIELDS)[number];

export type GoldenRule = 'priority' | 'majority' | 'completeness' | 'none';

/** One cluster member as survivorship sees it. */
export interface GoldenMember {
  /** Position of the member (returned as provenance). */
  index: number;
  /** Channel priority (0 = system of record). */
  priority: number;
  /** Value of a field, null when missing; `key` (optional) is the comparison form for majorities. */
  value(field: GoldenField): string | null;
  key?(field: GoldenField, value: string): string;
}

export interface GoldenValue {
  value: string | null;
  /** The member the value came from (its `index`), null for `none`. */
  from: number | null;
  rule: GoldenRule;
}

export type GoldenRecord = Record<GoldenField, GoldenValue>;

/** Members ordered by survivorship preference: channel priority, then position. */
export function byPriority<T extends GoldenMember>(members: readonly T[]): T[] {
  return [...members].sort((x, y) => x.priority - y.priority || x.index - y.index);
}

/** The golden value of one field. `ordered` must be sorted by byPriority. */
export function survive(ordered: readonly GoldenMember[], field: GoldenField): GoldenValue {
  if (ordered.length === 0) return { value: null, from: null, rule: 'none' };
  const head = ordered[0];
  const own = head.value(field);
  if (own !== null) return { value: own, from: head.index, rule: 'priority' };
  const groups = new Map<string, { count: number; first: GoldenMember; value: string }>();
  let first: { member: GoldenMember; value: string } | null = null;
  for (const m of ordered) {
    const v = m.value(field);
    if (v === null) continue;
    first ??= { member: m, value: v };
    const key = m.key ? m.key(field, v) : v.trim().toLowerCase();
    const g = groups.get(key);
    if (g) g.count++;
    else groups.set(key, { count: 1, first: m, value: v });
  }
  if (first === null) return { value: null, from: null, rule: 'none' };
  let best: { count: number; first: GoldenMember; value: string } | null = null;
  let tie = false;
  for (const g of groups.values()) {
    if (best === null || g.count > best.count) {
      best = g;
      tie = false;
    } else if (g.count === best.count) tie = true;
  }
  if (best !== null && best.count >= 2 && !tie)
    return { value: best.value, from: best.first.index, rule: 'majority' };
  return { value: first.value, from: first.member.index, rule: 'completeness' };
}

/** Every field's golden value for one cluster. */
export function goldenRecord(members: readonly GoldenMember[]): GoldenRecord {
  const ordered = byPriority(members);
  const out = {} as GoldenRecord;
  for (const f of GOLDEN_FIELDS) out[f] = survive(ordered, f);
  return out;
}
