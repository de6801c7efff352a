/**
 * Record identity per DESIGN.md "Record identity". Identifiers are kept verbatim apart from outer
 * whitespace and invisible characters, so exports (fix lists) can write them back unchanged.
 */
import { cleanId } from './text.js';

/**
 * Shopify: `Variant SKU`; if empty, `Handle` + `/` + the variant's option values joined by `/`
 * (blank option values skipped). A single-variant product gives `handle/Default Title`.
 * Null when there is neither a SKU nor a Handle.
 */
export function shopifyRecordId(
  sku: string | null | undefined,
  handle: string | null | undefined,
  optionValues: readonly (string | null | undefined)[],
): string | null {
  const s = cleanId(sku);
  if (s !== null) return s;
  const h = cleanId(handle);
  if (h === null) return null;
  let id = h;
  for (const v of optionValues) {
    const t = cleanId(v);
    if (t !== null) id += '/' + t;
  }
  return id;
}

/** WooCommerce: `SKU`; if empty, `ID`. */
export function wooRecordId(sku: string | null | undefined, id: string | null | undefined): string | null {
  return cleanId(sku) ?? cleanId(id);
}

/** Google Merchant Center: `id`. */
export function gmcRecordId(id: string | null | undefined): string | null {
  return cleanId(id);
}

/** Amazon listings: `seller-sku`. */
export function amazonRecordId(sellerSku: string | null | undefined): string | null {
  return cleanId(sellerSku);
}

/** Generic CSV/JSONL: the mapped id column. */
export function genericRecordId(value: string | null | undefined): string | null {
  return cleanId(value);
}

/** WooCommerce `Parent`: `id:123` -> { id: '123' }, `HOODIE-01` -> { sku: 'HOODIE-01' }. */
export function parseWooParent(ref: string | null | undefined): { id: string } | { sku: string } | null {
  const r = cleanId(ref);
  if (r === null) return null;
  if (r.length > 3 && r.slice(0, 3).toLowerCase() === 'id:') {
    const id = r.slice(3).trim();
    return id.length > 0 ? { id } : null;
  }
  return { sku: r };
}
