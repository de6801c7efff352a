/**
 * Which fields of a record differ from its golden record (DESIGN.md "Gaps"): decided here once, for gap detection
 * (detect.ts), the Matches page's cluster view and the product drawer. Values compare as stored, not as displayed:
 * prices and sale prices in minor units within the price tolerances (same currency), weights in grams after unit
 * conversion within the weight tolerance, availability by whether the product can be sold now, GTIN-14 by equality,
 * titles by identity (titleIdentity.ts: wording is drift, another model or size is not), categories through the
 * learned category mapping (categoryMap.ts), codes and brands squashed. A value missing on either side is not a
 * difference (absences are gaps of their own: missing GTIN, missing image).
 */
import type { Tolerances } from '../api/contract.js';
import { GOLDEN_FIELDS, type GoldenField } from '../align/golden.js';
import { squash } from '../align/text.js';
import { columnsExcept, type FieldOf } from '../store/columns.js';
import { GOLDEN_VALUE_COLUMNS, type GoldenRecordRow } from '../store/goldenRecords.js';
import type { ChannelCoverage, CoveredField } from '../store/records.js';
import { titleNoise, type TitleContrastJudge } from './titleContrasts.js';
import { identityConflict, identityTokens, type IdentityTokens } from './titleIdentity.js';

/** The stored columns the rule compares: a golden record's values but brand, codes and link (options besides). */
export const COMPARED_COLUMNS = columnsExcept(GOLDEN_VALUE_COLUMNS, ['brand', 'mpn', 'sku', 'link']);

/** The values the rule reads, named as gap detection's records and golden views name them (gtin: GTIN-14 when valid). */
export interface CompareValues extends Omit<
  Pick<GoldenRecordRow, FieldOf<(typeof COMPARED_COLUMNS)[number]>>,
  'availability'
> {
  /** Any availability text (only `in_stock` sells now). */
  availability: string | null;
  channel?: string;
  brand?: string | null;
  mpn?: string | null;
  sku?: string | null;
  options: Record<string, string>;
  /** A golden record's "no sale price": the record its price came from has none and its channel has sale prices. */
  noSale?: boolean;
}

/**
 * A golden record states "no sale price" when it has none but its provenance names the record that value came from
 * (stored by the golden stage when the price's record, in a channel with sale prices, has no sale).
 */
export function statesNoSale(
  salePriceMinor: number | null,
  provenance: Readonly<Record<string, readonly [number | null, string]>> | null,
): boolean {
  return salePriceMinor === null && (provenance?.salePrice?.[0] ?? null) !== null;
}

/** Judges a channel category against a golden category (the learned model, or the stored mapping table). */
export interface CategoryJudge {
  disagrees(channel: string, category: string, golden: string): boolean;
}

export interface DiffersContext {
  tolerances: Tolerances;
  categories: CategoryJudge;
  /** The fields each channel's export carries at all (core/store/records.ts `channelCoverage`). */
  coverage: ChannelCoverage;
  /** Words that tell the store's products apart (titleContrasts.ts); none known when absent. */
  titleContrasts?: TitleContrastJudge;
}

/** Whether `channel` exports `field` at all: a channel that never fills a field is not blamed for lacking it. */
export const carries = (
  coverage: ChannelCoverage,
  channel: string | undefined,
  field: CoveredField,
): boolean => channel === undefined || (coverage.get(channel)?.has(field) ?? false);

/** The compared fields, by their display names (RecordView.fields): the golden record's but free text and links. */
export type DiffersField = Exclude<GoldenField, 'description' | 'currency' | 'link'>;
const NOT_COMPARED: ReadonlySet<GoldenField> = new Set(['description', 'currency', 'link']);
export const DIFFERS_FIELDS = GOLDEN_FIELDS.filter((f) => !NOT_COMPARED.has(f)) as DiffersField[];

export function relativeDiff(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), 1e-9);
}

const beyond = (a: number | null, b: number | null, pct: number): boolean =>
  a !== null && b !== null && relativeDiff(a, b) * 100 > pct;

const sameCurrency = (a: CompareValues, b: CompareValues): boolean =>
  a.currency === b.currency || a.currency === null || b.currency === null;

/** Whether the product can be sold now (in stock); null when unknown. */
export const sellableNow = (a: string | null): boolean | null => (a === null ? null : a === 'in_stock');

function textDiffers(
  a: string | null | undefined,
  b: string | null | undefined,
  form: (s: string) => string,
) {
  return a != null && b != null && form(a) !== form(b);
}

const fold = (v: string): string => v.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
const optionsForm = (o: Record<string, string>): string =>
  Object.entries(o)
    .map(([k, v]) => squash(`${k}: ${v}`))
    .sort()
    .join('|');

/** Words of a record's title and its golden title that name no product: both brands and both records' option values. */
export function titleNoiseOf(golden: CompareValues, record: CompareValues): ReadonlySet<string> {
  return titleNoise([
    golden.brand,
    record.brand,
    ...Object.values(golden.options),
    ...Object.values(record.options),
  ]);
}

/** True when `field` of `record` differs from the golden record's. */
export function fieldDiffers(
  field: DiffersField,
  record: CompareValues,
  golden: CompareValues,
  ctx: DiffersContext,
): boolean {
  const t = ctx.tolerances;
  switch (field) {
    case 'title':
      return (
        record.title !== null &&
        golden.title !== null &&
        (titleConflicts(golden, record.title) ||
          (ctx.titleContrasts?.contrast(golden.title, record.title, () => titleNoiseOf(golden, record)) ??
            null) !== null)
      );
    case 'brand':
      return textDiffers(record.brand, golden.brand, squash);
    case 'gtin':
      return record.gtin !== null && golden.gtin !== null && record.gtin !== golden.gtin;
    case 'mpn':
      return textDiffers(record.mpn, golden.mpn, squash);
    case 'sku':
      return textDiffers(record.sku, golden.sku, squash);
    case 'price':
      return sameCurrency(record, golden) && beyond(record.priceMinor, golden.priceMinor, t.pricePct);
    case 'salePrice':
      return saleDiffers(record, golden, ctx);
    case 'availability': {
      const want = sellableNow(golden.availability);
      const have = sellableNow(record.availability);
      return want !== null && have !== null && want !== have;
    }
    case 'weight':
      return beyond(record.weightG, golden.weightG, t.weightPct);
    case 'category':
      return (
        record.category !== null &&
        golden.category !== null &&
        ctx.categories.disagrees(record.channel ?? '', record.category, golden.category)
      );
    case 'image':
      return textDiffers(record.imageUrl, golden.imageUrl, (s) => s.trim());
    case 'options': {
      const a = Object.keys(record.options).length > 0 ? optionsForm(record.options) : null;
      const b = Object.keys(golden.options).length > 0 ? optionsForm(golden.options) : null;
      return textDiffers(a, b, fold);
    }
  }
}

/**
 * Sale prices: both on sale at prices beyond the tolerance, or on sale on one side only — where the golden record
 * states "no sale" (noSale) or the record's channel carries sale prices but this record has none.
 */
function saleDiffers(record: CompareValues, golden: CompareValues, ctx: DiffersContext): boolean {
  if (!sameCurrency(record, golden)) return false;
  const have = record.salePriceMinor;
  const want = golden.salePriceMinor;
  if (have !== null && want !== null) return beyond(have, want, ctx.tolerances.salePricePct);
  if (have !== null) return golden.noSale === true;
  if (want !== null) return record.priceMinor !== null && carries(ctx.coverage, record.channel, 'salePrice');
  return false;
}

/** The fields of `record` that differ from its golden record. */
export function differingFromGolden(
  record: CompareValues,
  golden: CompareValues,
  ctx: DiffersContext,
): DiffersField[] {
  return DIFFERS_FIELDS.filter((f) => fieldDiffers(f, record, golden, ctx));
}

// ---------------------------------------------------------------------------------------------------------------
// Title identity against the golden record

interface GoldenIdentity {
  tokens: IdentityTokens;
  titleNumbers: Set<string>;
}

/**
 * What the golden record says about identity: its title's tokens and its variant options' (read with their name,
 * so `Size: 42` is a shoe size). Bare numbers count only from options: a title's own (`Note 12`) name no variant.
 */
function goldenIdentity(golden: Pick<CompareValues, 'title' | 'options'>): GoldenIdentity {
  // A product's records are compared one after another against the same golden record (its options not modified).
  const last = lastGolden;
  if (last !== null && last.title === golden.title && last.options === golden.options) return last.identity;
  const identity = keyedGoldenIdentity(golden);
  lastGolden = { title: golden.title, options: golden.options, identity };
  return identity;
}

let lastGolden: {
  title: string | null;
  options: Record<string, string>;
  identity: GoldenIdentity;
} | null = null;

function keyedGoldenIdentity(golden: Pick<CompareValues, 'title' | 'options'>): GoldenIdentity {
  const key = `${golden.title ?? ''}\u0000${Object.entries(golden.options).flat().join('\u0000')}`;
  const cached = goldenIdentityCache.get(key);
  if (cached) return cached;
  const computed = computeGoldenIdentity(golden);
  if (goldenIdentityCache.size > 100_000) goldenIdentityCache.clear();
  goldenIdentityCache.set(key, computed);
  return computed;
}

/** Variants of a product share the golden title, and option values repeat: most identities are computed once. */
const goldenIdentityCache = new Map<string, GoldenIdentity>();

function computeGoldenIdentity(golden: Pick<CompareValues, 'title' | 'options'>): GoldenIdentity {
  // Variants of a product share its title: its tokens are read once, and copied (the options add to them).
  const tokens: IdentityTokens = new Map();
  addTokens(tokens, cachedTokens(goldenTitleTokensCache, golden.title ?? ''));
  const titleNumbers = tokens.get('number') ?? new Set<string>();
  tokens.delete('number');
  for (const [name, value] of Object.entries(golden.options)) {
    addTokens(tokens, cachedTokens(optionTokensCache, `${name} ${value}`));
    if (/^\d{1,3}(?:[.,]5)?$/.test(value.trim())) {
      const n = String(Number(value.trim().replace(',', '.')));
      const set = tokens.get('number');
      if (set) set.add(n);
      else tokens.set('number', new Set([n]));
    }
  }
  return { tokens, titleNumbers };
}

/**
 * Identity tokens of a text, read-only once cached: option texts (`Size M`) repeat across a catalog, and a
 * product's records often carry the same title in several channels (records are compared product by product).
 */
function cachedTokens(cache: TokenCache, text: string): IdentityTokens {
  let tokens = cache.tokens.get(text);
  if (tokens === undefined) {
    tokens = identityTokens(text);
    if (cache.tokens.size >= cache.limit) cache.tokens.clear();
    cache.tokens.set(text, tokens);
  }
  return tokens;
}
interface TokenCache {
  tokens: Map<string, IdentityTokens>;
  limit: number;
}
const optionTokensCache: TokenCache = { tokens: new Map(), limit: 100_000 };
/** Small: a title repeats within its product, and a small table stays in the processor's cache. */
const titleTokensCache: TokenCache = { tokens: new Map(), limit: 1024 };
const goldenTitleTokensCache: TokenCache = { tokens: new Map(), limit: 4096 };

/** `from`'s tokens added to `into`, as identityTokens(text, into) would have added them. */
function addTokens(into: IdentityTokens, from: IdentityTokens): void {
  for (const [dim, values] of from) {
    const set = into.get(dim);
    if (set) for (const v of values) set.add(v);
    else into.set(dim, new Set(values));
  }
}

/** True when `title` names another product than the golden record (another model, size, capacity, count…). */
export function titleConflicts(golden: Pick<CompareValues, 'title' | 'options'>, title: string): boolean {
  const identity = goldenIdentity(golden);
  let actual = cachedTokens(titleTokensCache, title);
  const numbers = actual.get('number');
  if (numbers) {
    let kept: Set<string> | null = null;
    for (const n of identity.titleNumbers) if (numbers.has(n)) (kept ??= new Set(numbers)).delete(n);
    if (kept) (actual = new Map(actual)).set('number', kept);
  }
  return identityConflict(identity.tokens, actual) !== null;
}
