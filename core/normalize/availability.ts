/**
 * Channel availability vocabularies to `in_stock | out_of_stock | preorder | backorder`.
 * Unknown values give null; the caller warns `unknown_availability`.
 */
import type { Availability } from '../model/record.js';
import { parseDecimal } from './number.js';

const WORDS = new Map<string, Availability>();
function words(a: Availability, list: string[]): void {
  for (const w of list) WORDS.set(w, a);
}
// Keys are lower-case with spaces, hyphens and underscores removed.
words('in_stock', [
  'instock', // Google `in stock` / `in_stock`, WooCommerce `instock`, schema.org InStock
  'available',
  'availablefororder', // Google's retired value, folded into `in stock`
  'limitedavailability', // schema.org
  'onlineonly',
  'instoreonly',
  'yes',
  'true',
  'active', // some marketplaces' stock status
]);
words('out_of_stock', [
  'outofstock',
  'soldout',
  'unavailable',
  'notavailable',
  'discontinued',
  'no',
  'false',
]);
words('preorder', ['preorder', 'presale', 'presell', 'comingsoon']);
words('backorder', ['backorder', 'onbackorder', 'backordered', 'backorders', 'instockbackorder']);

const SCHEMA_PREFIX = /^https?:\/\/schema\.org\//i;
const SEPARATORS = /[\s_\-./]+/g;

/** Cells repeat a handful of words: remember the answers (bounded). */
const SEEN = new Map<string, Availability | null>();

/** Maps a channel's availability word (Google, WooCommerce, schema.org URL, yes/no). */
export function mapAvailability(input: string | null | undefined): Availability | null {
  if (input == null || input.length === 0) return null;
  const known = SEEN.get(input);
  if (known !== undefined) return known;
  let s = input.trim();
  s = s.replace(SCHEMA_PREFIX, '').toLowerCase();
  const result = s.length === 0 ? null : (WORDS.get(s) ?? WORDS.get(s.replace(SEPARATORS, '')) ?? null);
  if (SEEN.size >= 1024) SEEN.clear();
  SEEN.set(input, result);
  return result;
}

/** WooCommerce `In stock?` (`1`, `0`, `backorder`, or the stock status words of older exports). */
export function mapStockFlag(input: string | null | undefined): Availability | null {
  if (input == null) return null;
  const s = input.trim();
  if (s === '1') return 'in_stock';
  if (s === '0' || s === '-1') return 'out_of_stock';
  return mapAvailability(s);
}

/** An integer stock count (`12`, `-3`, `1,200`, `12.0`), or null. */
export function parseStock(input: string | null | undefined): number | null {
  if (input == null) return null;
  const s = input.trim();
  if (s.length === 0) return null;
  const v = parseDecimal(s);
  if (v === null || !Number.isInteger(v)) return null;
  return v;
}

/** Inventory policy when stock runs out: Shopify `deny` / `continue` (and yes/no spellings). */
export type OutOfStockPolicy = 'deny' | 'continue';

export function parsePolicy(input: string | null | undefined): OutOfStockPolicy | null {
  if (input == null) return null;
  const s = input.trim().toLowerCase();
  if (s === 'deny' || s === 'false' || s === 'no' || s === '0') return 'deny';
  if (s === 'continue' || s === 'true' || s === 'yes' || s === '1' || s === 'notify') return 'continue';
  return null;
}

/**
 * Availability from a stock count and what happens when it runs out (Shopify inventory, Amazon quantity,
 * WooCommerce stock + `Backorders allowed?`). `tracked: false` = the channel does not track stock, so
 * the item is always sellable.
 */
export function availabilityFromStock(
  quantity: number | null,
  policy: OutOfStockPolicy | null = null,
  tracked = true,
): Availability | null {
  if (!tracked) return 'in_stock';
  if (quantity === null) return null;
  if (quantity > 0) return 'in_stock';
  return policy === 'continue' ? 'backorder' : 'out_of_stock';
}
