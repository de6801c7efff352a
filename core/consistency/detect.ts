/**
 * Gap detection (DESIGN.md "Gaps"): every record against its product's golden record, record-level defects, and
 * absences per channel with the assortment rules that explain them. Pure: the caller loads the workspace
 * (loadProducts.ts) and stores the result (gapStore.ts).
 */
import type { GapKind, RecordRef, Severity } from '../api/contract.js';
import { formatMinor } from '../normalize/price.js';
import { displayGtin } from '../normalize/gtin.js';
import { carries, fieldDiffers, type CompareValues, type DiffersContext } from './differs.js';
import type { ProductRecord } from './types.js';

/** What a wrong value costs: wrong price, availability, identity or barcode lose sales or get listings disapproved. */
export const SEVERITY: Record<GapKind, Severity> = {
  missing_in_channel: 'medium',
  variant_missing: 'medium',
  price_mismatch: 'high',
  sale_price_mismatch: 'medium',
  availability_mismatch: 'high',
  title_mismatch: 'high',
  category_mismatch: 'low',
  weight_mismatch: 'low',
  invalid_gtin: 'high',
  missing_gtin: 'medium',
  missing_image: 'medium',
};
export const SEVERITY_RANK: Record<Severity, number> = { high: 3, medium: 2, low: 1 };

export const GAP_FIELD: Record<GapKind, string | null> = {
  missing_in_channel: null,
  variant_missing: null,
  price_mismatch: 'price',
  sale_price_mismatch: 'sale_price',
  availability_mismatch: 'availability',
  title_mismatch: 'title',
  category_mismatch: 'category',
  weight_mismatch: 'weight',
  invalid_gtin: 'gtin',
  missing_gtin: 'gtin',
  missing_image: 'image',
};

/** The golden record of one product (cluster) as detection reads it; `from` names the record each value came from. */
export interface GoldenView extends CompareValues {
  clusterId: number;
  options: Record<string, string>;
  /** Field -> records.id of the value's source (null: no record has one). */
  from: Partial<Record<DetectField, number | null>>;
}

export type DetectField =
  'title' | 'gtin' | 'price' | 'salePrice' | 'availability' | 'weight' | 'category' | 'image';

/** One product (cluster): its records in channel priority order and its golden record. */
export interface ProductCluster {
  clusterId: number;
  records: ProductRecord[];
  golden: GoldenView;
}

export interface DetectedGap {
  key: string;
  kind: GapKind;
  channel: string;
  recordId: string | null;
  recordRef: number | null;
  clusterId: number;
  field: string | null;
  expected: string | null;
  actual: string | null;
  severity: Severity;
  presentIn: RecordRef[];
  /** The assortment rule that explains an absence (then the gap is `excluded`). */
  rule: string | null;
}

const saleText = (minor: number | null, currency: string | null): string =>
  minor === null ? 'no sale price' : formatMinor(minor, currency);

function formatWeight(g: number): string {
  return g >= 1000 ? `${Math.round(g) / 1000} kg` : `${Math.round(g * 10) / 10} g`;
}

/** The title a record should carry: the golden title plus the variant's option values it does not already say. */
export function expectedTitle(golden: Pick<GoldenView, 'title' | 'options'>): string | null {
  if (golden.title === null) return null;
  const values = Object.values(golden.options).filter(
    (v) => v && !golden.title!.toLowerCase().includes(v.toLowerCase()),
  );
  return values.length ? `${golden.title} - ${values.join(' / ')}` : golden.title;
}

const refOf = (r: ProductRecord): RecordRef => ({ channel: r.channel, recordId: r.recordId });

/**
 * Gaps of one product's records against its golden record (absences are separate: see `absenceGaps`).
 * A record that is the golden value's own source is never blamed for that field.
 */
export function recordGaps(cluster: ProductCluster, ctx: DiffersContext, out: DetectedGap[]): void {
  const g = cluster.golden;
  const records = cluster.records;
  const anyGtin = records.some((r) => r.gtinStatus === 'valid');
  const anyImage = records.some((r) => r.imageUrl !== null);
  const push = (r: ProductRecord, kind: GapKind, expected: string | null, actual: string | null): void => {
    out.push({
      key: `${kind}|${r.channel}|${r.recordId}`,
      kind,
      channel: r.channel,
      recordId: r.recordId,
      recordRef: r.ref,
      clusterId: cluster.clusterId,
      field: GAP_FIELD[kind],
      expected,
      actual,
      severity: SEVERITY[kind],
      presentIn: records.filter((o) => o !== r).map(refOf),
      rule: null,
    });
  };
  const isSource = (r: ProductRecord, f: DetectField): boolean => g.from[f] === r.ref;

  for (const r of records) {
    if (r.gtinStatus === 'invalid') {
      push(r, 'invalid_gtin', g.gtin ? displayGtin(g.gtin) : null, r.gtinRaw);
    } else if (r.gtinStatus === 'absent' && anyGtin && carries(ctx.coverage, r.channel, 'gtin')) {
      push(r, 'missing_gtin', g.gtin ? displayGtin(g.gtin) : null, null);
    }
    if (r.imageUrl === null && anyImage && carries(ctx.coverage, r.channel, 'image'))
      push(r, 'missing_image', g.imageUrl, null);

    const differs = (f: DetectField): boolean => !isSource(r, f) && fieldDiffers(f, r, g, ctx);
    // Prices compare only in one currency (differs.ts): one an export does not name is the golden record's.
    const currency = r.currency ?? g.currency;
    if (differs('price'))
      push(r, 'price_mismatch', formatMinor(g.priceMinor!, g.currency), formatMinor(r.priceMinor!, currency));
    if (differs('salePrice'))
      push(
        r,
        'sale_price_mismatch',
        saleText(g.salePriceMinor, g.currency),
        saleText(r.salePriceMinor, currency),
      );
    if (differs('availability')) push(r, 'availability_mismatch', g.availability, r.availability);
    if (differs('weight')) push(r, 'weight_mismatch', formatWeight(g.weightG!), formatWeight(r.weightG!));
    if (differs('category')) push(r, 'category_mismatch', g.category, r.category);
    if (differs('title')) push(r, 'title_mismatch', expectedTitle(g), r.title);
  }
}

/**
 * Absences: for every channel of the workspace that does not list this product (variant), a `variant_missing` when
 * the channel lists another variant of the same product, else a `missing_in_channel` — unless an assortment rule
 * explains the absence (then `rule` names it and the gap is excluded). A `variant_missing` expects the variant's
 * option values.
 */
export function absenceGaps(
  cluster: ProductCluster,
  channels: readonly string[],
  familyChannels: ReadonlySet<string>,
  explained: ReadonlyMap<string, string>,
  out: DetectedGap[],
  unsure: ReadonlySet<string> = new Set(),
): void {
  const present = new Set(cluster.records.map((r) => r.channel));
  for (const c of unsure) present.add(c);
  const anchor = cluster.records[0];
  // What a missing variant is: its option values ("Size: M / Color: Slate"), as the expected value.
  const variant =
    Object.entries(cluster.golden.options)
      .filter(([, v]) => v)
      .map(([name, v]) => `${name}: ${v}`)
      .join(' / ') || null;
  for (const channel of channels) {
    if (present.has(channel)) continue;
    const kind: GapKind = familyChannels.has(channel) ? 'variant_missing' : 'missing_in_channel';
    const rule = explained.get(channel) ?? null;
    // An excluded absence is always reported as missing_in_channel (the rule covers the whole product).
    const k: GapKind = rule !== null ? 'missing_in_channel' : kind;
    out.push({
      key: `${k}|${channel}|${anchor.channel}|${anchor.recordId}`,
      kind: k,
      channel,
      recordId: null,
      recordRef: null,
      clusterId: cluster.clusterId,
      field: k === 'variant_missing' && variant !== null ? 'options' : null,
      expected: k === 'variant_missing' ? variant : null,
      actual: null,
      severity: SEVERITY[k],
      presentIn: cluster.records.map(refOf),
      rule,
    });
  }
}
