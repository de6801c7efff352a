/** Pure normalizers (DESIGN.md "Normalization"): one module per job. */
export {
  nfkc,
  collapseWhitespace,
  normalizeText,
  normalizeMultiline,
  foldForCompare,
  isBlank,
  cleanId,
} from './text.js';
export { stripHtml, htmlToText, decodeEntities } from './html.js';
export { parseDecimalParts, parseDecimal, toScaledInteger } from './number.js';
export type { DecimalParts, DecimalOptions } from './number.js';
export { parseMeasure, parseWeight, toSi, toGrams, siUnitOf, unitFromHeader } from './units.js';
export type { Measure, SiUnit } from './units.js';
export {
  parsePrice,
  formatMinor,
  currencyMinorDigits,
  isCurrencyCode,
  normalizeCurrency,
  currencyFromToken,
} from './price.js';
export type { ParsedPrice } from './price.js';
export {
  normalizeGtin,
  gtinCheckDigit,
  hasValidCheckDigit,
  isScientificNotation,
  isbn10ToGtin,
  displayGtin,
} from './gtin.js';
export type { GtinResult } from './gtin.js';
export {
  mapAvailability,
  mapStockFlag,
  parseStock,
  parsePolicy,
  availabilityFromStock,
} from './availability.js';
export type { OutOfStockPolicy } from './availability.js';
export { splitCategoryPath, splitCategoryList, primaryCategory, joinCategoryPath } from './category.js';
export { brandDisplay, brandKey } from './brand.js';
export {
  shopifyRecordId,
  wooRecordId,
  gmcRecordId,
  amazonRecordId,
  genericRecordId,
  parseWooParent,
} from './identity.js';
