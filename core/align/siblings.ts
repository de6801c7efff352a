/**
 * Sibling candidates: a record that blocking paired with one variant of a product (the same title, another size)
 * is paired with that variant's siblings in the channel too (records of the same channel group: Shopify Handle,
 * WooCommerce parent, Google item_group_id) whose options agree with its own; when both records belong to groups,
 * every agreeing pair of the two groups is. Text neighbours cannot tell twelve variants with one title apart, so
 * the right one is often not among them; its options can.
 */
import { KeySet } from './keySet.js';
import type { VariantOptions } from './variants.js';

/** Groups larger than this are not expanded (a catalogue-wide "parent" is no product). */
const MAX_GROUP = 64;

/** New pairs (keys i * n + j, i < j) between candidates' records and the agreeing siblings of their partners. */
export function siblingPairs(
  A: Int32Array,
  B: Int32Array,
  channelOf: Int32Array,
  parentOf: Int32Array,
  variants: VariantOptions,
): number[] {
  const n = parentOf.length;
  const groups = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const g = parentOf[i];
    if (g < 0) continue;
    const list = groups.get(g);
    if (list) list.push(i);
    else groups.set(g, [i]);
  }
  const have = new KeySet(2 * A.length);
  for (let e = 0; e < A.length; e++) have.add(A[e] * n + B[e]);
  const out: number[] = [];
  const offer = (i: number, partner: number): void => {
    const g = parentOf[partner];
    if (g < 0) return;
    const siblings = groups.get(g)!;
    if (siblings.length < 2 || siblings.length > MAX_GROUP) return;
    for (const k of siblings) {
      if (k === partner || k === i || !variants.agree(i, k)) continue;
      const key = i < k ? i * n + k : k * n + i;
      if (have.add(key)) out.push(key);
    }
  };
  // Two groups that blocking linked anywhere: every agreeing pair of their members (once per pair of groups).
  const linked = new KeySet();
  const groupCount = groups.size + 1;
  const pairGroups = (gi: number, gj: number): void => {
    const key = gi < gj ? gi * groupCount + gj : gj * groupCount + gi;
    if (!linked.add(key)) return;
    const xs = groups.get(gi)!;
    const ys = groups.get(gj)!;
    if (xs.length > MAX_GROUP || ys.length > MAX_GROUP) return;
    for (const i of xs)
      for (const k of ys) {
        if (!variants.agree(i, k)) continue;
        const pk = i < k ? i * n + k : k * n + i;
        if (have.add(pk)) out.push(pk);
      }
  };
  for (let e = 0; e < A.length; e++) {
    if (channelOf[A[e]] === channelOf[B[e]]) continue;
    if (parentOf[A[e]] >= 0 && parentOf[B[e]] >= 0) pairGroups(parentOf[A[e]], parentOf[B[e]]);
    else {
      offer(A[e], B[e]);
      offer(B[e], A[e]);
    }
  }
  return out;
}
