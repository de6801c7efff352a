/** Display names and order of the gap vocabulary (DESIGN.md "Gaps"): kinds, severities, statuses, grades. */
import {
  GAP_KINDS,
  GRADES,
  SEVERITIES,
  type GapKind,
  type GapStatus,
  type Severity,
} from '../../../../core/api/contract';

export const KIND_LABEL: Record<GapKind, string> = {
  missing_in_channel: 'Missing in channel',
  variant_missing: 'Variant missing',
  price_mismatch: 'Price',
  sale_price_mismatch: 'Sale price',
  availability_mismatch: 'Availability',
  title_mismatch: 'Title',
  category_mismatch: 'Category',
  weight_mismatch: 'Weight',
  invalid_gtin: 'Invalid GTIN',
  missing_gtin: 'Missing GTIN',
  missing_image: 'Missing image',
};

/** What each kind means, for tooltips. */
export const KIND_HINT: Record<GapKind, string> = {
  missing_in_channel: 'The product is not listed on this channel',
  variant_missing: 'A variant of the product is not listed on this channel',
  price_mismatch: 'The regular price differs beyond the tolerance',
  sale_price_mismatch: 'The sale price differs beyond the tolerance',
  availability_mismatch: 'In stock on one channel, not sellable on this one',
  title_mismatch: 'An identity token in the title differs (model, size, capacity, count…)',
  category_mismatch: 'The category maps to a different reference category',
  weight_mismatch: 'The weight differs beyond the tolerance',
  invalid_gtin: 'The GTIN has a wrong check digit',
  missing_gtin: 'No GTIN here while another record of the product has one',
  missing_image: 'The record has no image',
};

export function kindLabel(kind: string): string {
  return (KIND_LABEL as Record<string, string>)[kind] ?? kind;
}

export const KINDS: readonly GapKind[] = GAP_KINDS;
export const SEVERITY_LIST: readonly Severity[] = SEVERITIES;
export const GRADE_LIST = GRADES;

export const SEVERITY_LABEL: Record<Severity, string> = { high: 'High', medium: 'Medium', low: 'Low' };

export const STATUS_LABEL: Record<GapStatus, string> = {
  open: 'Open',
  accepted: 'Accepted',
  ignored: 'Ignored',
  fixed: 'Fixed',
  excluded: 'Excluded',
};

export const STATUS_HINT: Record<GapStatus, string> = {
  open: 'To fix',
  accepted: 'An intended difference (e.g. channel-specific pricing)',
  ignored: 'Not worth fixing',
  fixed: 'Gone since an earlier detection',
  excluded: 'An assortment rule explains the absence',
};

/** The statuses the table lists when no status filter is set (the API's default). */
export const DEFAULT_STATUSES: readonly GapStatus[] = ['open', 'accepted', 'ignored'];

/** Grade colours from best to worst, as CSS variables defined in gaps.css. */
export const GRADE_VAR: Record<string, string> = {
  A: 'var(--grade-a)',
  B: 'var(--grade-b)',
  C: 'var(--grade-c)',
  D: 'var(--grade-d)',
  E: 'var(--grade-e)',
};

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString()} ${n === 1 ? one : many}`;
}
