/**
 * Completeness (DESIGN.md "Gaps": required attributes present per channel) and the quality grade per product.
 * Attributes carry the names each channel uses in its own export, so the UI can say what is missing in the
 * merchant's words.
 */
import type { ChannelCompleteness } from '../api/contract.js';
import type { ProductRecord } from './types.js';

export interface AttributeSpec {
  /** The attribute as the channel names it (`image_link`, `Image Src`); `a|b` when either one will do. */
  name: string;
  test(rec: ProductRecord): boolean;
  /** Only records for which this holds are judged on the attribute (default: every record). */
  appliesTo?(rec: ProductRecord): boolean;
}

export interface FormatSpec {
  required: readonly AttributeSpec[];
  recommended: readonly AttributeSpec[];
}

const has = (v: string | number | null): boolean => v !== null && v !== '';
const hasGtin = (r: ProductRecord): boolean => r.gtin !== null || has(r.gtinRaw);

const attr = (name: string, test: (rec: ProductRecord) => boolean): AttributeSpec => ({ name, test });

const GENERIC: FormatSpec = {
  required: [attr('title', (r) => has(r.title)), attr('price', (r) => has(r.priceMinor))],
  recommended: [
    attr('gtin', hasGtin),
    attr('image', (r) => has(r.imageUrl)),
    attr('description', (r) => r.hasDescription),
    attr('brand', (r) => has(r.brand)),
  ],
};

/** Per channel format: what its own specification requires and recommends (names as in its export). */
export const ATTRIBUTE_SPECS: Readonly<Record<string, FormatSpec>> = {
  // Google Merchant Center product data specification.
  gmc: {
    required: [
      attr('id', (r) => has(r.recordId)),
      attr('title', (r) => has(r.title)),
      attr('description', (r) => r.hasDescription),
      attr('link', (r) => has(r.link)),
      attr('image_link', (r) => has(r.imageUrl)),
      attr('availability', (r) => r.availability !== null),
      attr('price', (r) => has(r.priceMinor)),
      attr('brand', (r) => has(r.brand)),
      attr('gtin|mpn', (r) => hasGtin(r) || has(r.mpn)),
      attr('condition', (r) => has(r.condition)),
    ],
    recommended: [
      attr('google_product_category|product_type', (r) => has(r.category)),
      attr('shipping_weight', (r) => has(r.weightG)),
      {
        name: 'item_group_id',
        test: (r) => has(r.parentId),
        appliesTo: (r) => Object.keys(r.options).length > 0,
      },
    ],
  },
  // Shopify product CSV (classic column names).
  shopify: {
    required: [
      attr('Handle', (r) => has(r.parentId)),
      attr('Title', (r) => has(r.title)),
      attr('Body (HTML)', (r) => r.hasDescription),
      attr('Vendor', (r) => has(r.brand)),
      attr('Variant SKU', (r) => has(r.sku)),
      attr('Variant Price', (r) => has(r.priceMinor)),
      attr('Image Src', (r) => has(r.imageUrl)),
    ],
    recommended: [
      attr('Variant Barcode', hasGtin),
      attr('Variant Grams', (r) => has(r.weightG)),
      attr('Product Category', (r) => has(r.category)),
      attr('Tags', (r) => r.tags.length > 0),
    ],
  },
  // WooCommerce product CSV export.
  woocommerce: {
    required: [
      attr('Name', (r) => has(r.title)),
      attr('SKU', (r) => has(r.sku)),
      attr('Regular price', (r) => has(r.priceMinor)),
      attr('Description', (r) => r.hasDescription),
      attr('Images', (r) => has(r.imageUrl)),
    ],
    recommended: [
      attr('Categories', (r) => has(r.category)),
      attr('Weight (kg)', (r) => has(r.weightG)),
      attr('Brands', (r) => has(r.brand)),
      // WooCommerce 9.2 added the column; older exports have none (then "not exported").
      attr('GTIN, UPC, EAN, or ISBN', hasGtin),
    ],
  },
  // Amazon All Listings Report.
  amazon: {
    required: [
      attr('seller-sku', (r) => has(r.recordId)),
      attr('item-name', (r) => has(r.title)),
      attr('price', (r) => has(r.priceMinor)),
      attr('product-id', hasGtin),
      attr('quantity', (r) => r.availability !== null),
    ],
    recommended: [
      attr('image-url', (r) => has(r.imageUrl)),
      attr('item-description', (r) => r.hasDescription),
    ],
  },
  csv: GENERIC,
  jsonl: GENERIC,
};

/** The spec for a format; unknown formats are judged like generic CSV. */
export function formatSpec(format: string): FormatSpec {
  return ATTRIBUTE_SPECS[format] ?? GENERIC;
}

export interface RecordCompleteness {
  /** Required attributes that apply to the record, and how many of them it has. */
  required: number;
  requiredPresent: number;
  recommended: number;
  recommendedPresent: number;
  /** Attributes it lacks, required ones first, by the channel's names. */
  missing: string[];
}

const applies = (a: AttributeSpec, rec: ProductRecord): boolean =>
  a.appliesTo === undefined || a.appliesTo(rec);

export function recordCompleteness(rec: ProductRecord): RecordCompleteness {
  const spec = formatSpec(rec.format);
  const out: RecordCompleteness = {
    required: 0,
    requiredPresent: 0,
    recommended: 0,
    recommendedPresent: 0,
    missing: [],
  };
  for (const a of spec.required) {
    if (!applies(a, rec)) continue;
    out.required++;
    if (a.test(rec)) out.requiredPresent++;
    else out.missing.push(a.name);
  }
  for (const a of spec.recommended) {
    if (!applies(a, rec)) continue;
    out.recommended++;
    if (a.test(rec)) out.recommendedPresent++;
    else out.missing.push(a.name);
  }
  return out;
}

const pct = (part: number, whole: number): number =>
  whole === 0 ? 100 : Math.round((1000 * part) / whole) / 10;

interface ChannelTally {
  channel: string;
  format: string;
  channelIndex: number;
  records: number;
  required: number;
  requiredPresent: number;
  recommended: number;
  recommendedPresent: number;
  completeRecords: number;
  /** The format's attributes, required first; per attribute the records it applies to and those that have it. */
  attributes: readonly { a: AttributeSpec; required: boolean }[];
  applicable: number[];
  present: number[];
}

/** Sums record completeness per channel (and format, should a channel mix formats). */
export class CompletenessTally {
  private readonly channels = new Map<string, ChannelTally>();

  add(rec: ProductRecord, completeness: RecordCompleteness = recordCompleteness(rec)): void {
    const key = `${rec.channel}\u0000${rec.format}`;
    let t = this.channels.get(key);
    if (t === undefined) {
      const spec = formatSpec(rec.format);
      const attributes = [
        ...spec.required.map((a) => ({ a, required: true })),
        ...spec.recommended.map((a) => ({ a, required: false })),
      ];
      t = {
        channel: rec.channel,
        format: rec.format,
        channelIndex: rec.channelIndex,
        records: 0,
        required: 0,
        requiredPresent: 0,
        recommended: 0,
        recommendedPresent: 0,
        completeRecords: 0,
        attributes,
        applicable: new Array<number>(attributes.length).fill(0),
        present: new Array<number>(attributes.length).fill(0),
      };
      this.channels.set(key, t);
    }
    t.records++;
    t.required += completeness.required;
    t.requiredPresent += completeness.requiredPresent;
    t.recommended += completeness.recommended;
    t.recommendedPresent += completeness.recommendedPresent;
    if (completeness.requiredPresent === completeness.required) t.completeRecords++;
    const missing = completeness.missing;
    for (let i = 0; i < t.attributes.length; i++) {
      const a = t.attributes[i].a;
      if (!applies(a, rec)) continue;
      t.applicable[i]++;
      if (missing.length === 0 || !missing.includes(a.name)) t.present[i]++;
    }
  }

  /** Channels in priority order (then by format); attributes required first, those that applied to no record left out. */
  result(): ChannelCompleteness[] {
    return [...this.channels.values()]
      .sort(
        (a, b) =>
          a.channelIndex - b.channelIndex ||
          a.channel.localeCompare(b.channel) ||
          a.format.localeCompare(b.format),
      )
      .map((t) => ({
        channel: t.channel,
        format: t.format,
        records: t.records,
        requiredPct: pct(t.requiredPresent, t.required),
        recommendedPct: pct(t.recommendedPresent, t.recommended),
        completeRecords: t.completeRecords,
        attributes: t.attributes.flatMap(({ a, required }, i) => {
          const applicable = t.applicable[i];
          if (applicable === 0) return [];
          return [{ attribute: a.name, required, present: t.present[i], pct: pct(t.present[i], applicable) }];
        }),
        notExported: t.attributes.flatMap(({ a }, i) =>
          t.applicable[i] > 0 && t.present[i] === 0 ? [a.name] : [],
        ),
      }));
  }
}

/**
 * A product's quality grade from its completeness (0-100) and its open gaps:
 * score = completeness − 25 per high-severity gap − 10 per medium − 4 per low;
 * A ≥ 90, B ≥ 75, C ≥ 60, D ≥ 40, else E. A complete product with one high-severity gap is a B, with two a D.
 */
export function productGrade(
  completenessPct: number,
  openGaps: { high: number; medium: number; low: number },
): 'A' | 'B' | 'C' | 'D' | 'E' {
  const score = completenessPct - 25 * openGaps.high - 10 * openGaps.medium - 4 * openGaps.low;
  if (score >= 90) return 'A';
  if (score >= 75) return 'B';
  if (score >= 60) return 'C';
  if (score >= 40) return 'D';
  return 'E';
}
