/**
 * Category paths, outermost first. A path is split on `>` (and the breadcrumb arrows › » →); when it
 * has none, on `/`. Google's numeric category ids stay one segment. Segments are NFKC-normalized and
 * trimmed; empty segments are dropped.
 */
import { decodeEntities } from './html.js';
import { normalizeText } from './text.js';

const NUMERIC_ID = /^\s*\d+\s*$/;
const ARROWS = /[>›»→]/;
const ARROWS_SPLIT = /[>›»→]/g;
const HAS_ENTITY = /&(?:[a-z]+|#\d+|#x[0-9a-f]+);/i;

/** Splits one category path (`Home > Kitchen > Cookware`, `Home/Kitchen`, `2271`). */
export function splitCategoryPath(input: string | null | undefined): string[] {
  if (input == null) return [];
  let s = input;
  if (s.trim().length === 0) return [];
  if (NUMERIC_ID.test(s)) return [s.trim()];
  if (HAS_ENTITY.test(s)) s = decodeEntities(s); // WooCommerce: `Kitchen &amp; Dining`
  const parts = ARROWS.test(s) ? s.split(ARROWS_SPLIT) : s.split('/');
  const out: string[] = [];
  for (const p of parts) {
    const t = normalizeText(p);
    if (t !== null) out.push(t);
  }
  return out;
}

/**
 * Splits a list of category paths: WooCommerce's `Clothing > Hoodies, Sale` (comma-separated, `\,`
 * escapes a comma inside a name) or `|`-separated lists.
 */
export function splitCategoryList(input: string | null | undefined): string[][] {
  if (input == null || input.trim().length === 0) return [];
  const out: string[][] = [];
  let current = '';
  for (let i = 0; i < input.length; i++) {
    const c = input[i];
    if (c === '\\' && (input[i + 1] === ',' || input[i + 1] === '|' || input[i + 1] === '\\')) {
      current += input[i + 1];
      i++;
    } else if (c === ',' || c === '|') {
      const path = splitCategoryPath(current);
      if (path.length > 0) out.push(path);
      current = '';
    } else {
      current += c;
    }
  }
  const path = splitCategoryPath(current);
  if (path.length > 0) out.push(path);
  return out;
}

/**
 * The category to keep when a record lists several: the deepest path, the first of those as deep
 * (`Clothing, Clothing > Hoodies` -> `Clothing > Hoodies`; `Gifts, Sale, Home > Bath > Towels` -> the towels:
 * shops add flat merchandising categories — Sale, Gifts, New Arrivals — beside the product's own place in the tree).
 */
export function primaryCategory(paths: string[][]): string[] {
  if (paths.length === 0) return [];
  let best = paths[0];
  for (let i = 1; i < paths.length; i++) if (paths[i].length > best.length) best = paths[i];
  return best;
}

/** The path as one string, as assortment rules and exports see it: `Home > Kitchen`. */
export function joinCategoryPath(path: readonly string[]): string {
  return path.join(' > ');
}
