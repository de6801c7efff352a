/** Values as channel import files write them: amounts, weights, barcodes, category lists. */
import { displayGtin } from '../../normalize/gtin.js';
import { formatMinor } from '../../normalize/price.js';
import { toGrams } from '../../normalize/units.js';

/** `1999` -> `19.99` (`19,99` with a decimal comma); JPY `1299` -> `1299`. No currency. */
export function amount(minor: number, currency: string | null, decimalComma = false): string {
  const s = formatMinor(minor, currency);
  const plain = currency ? s.slice(0, -(currency.length + 1)) : s;
  return decimalComma ? plain.replace('.', ',') : plain;
}

/** `1999, USD` -> `19.99 USD` (Google's form). */
export function money(minor: number, currency: string): string {
  return formatMinor(minor, currency);
}

/** Grams as a number of `unit` (g, kg, lb, oz, …), 3 decimals at most, no trailing zeros. */
export function weightIn(grams: number, unit: string, decimalComma = false): string | null {
  const perUnit = toGrams(1, unit);
  if (perUnit === null || perUnit <= 0) return null;
  const v = Math.round((grams / perUnit) * 1000) / 1000;
  const s = String(v);
  return decimalComma ? s.replace('.', ',') : s;
}

/** `350 g` (Google's shipping_weight / product_weight). */
export function gramsText(grams: number): string {
  return `${Math.round(grams * 10) / 10} g`;
}

/** A GTIN-14 in its usual printed form (EAN-13, UPC-A, EAN-8 or GTIN-14). */
export function gtinText(gtin14: string): string {
  return displayGtin(gtin14);
}

/** `Home > Kitchen, Sale` with commas inside names escaped as WooCommerce writes them. */
export function wooCategoryList(paths: readonly string[]): string {
  return paths.map((p) => p.replace(/\\/g, '\\\\').replace(/,/g, '\\,')).join(', ');
}
