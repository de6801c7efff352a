/** What the fix-list dialog says and sends (pure): the table's filter as an export narrows it, and why none is fixable. */
import type { FixListCount, GapFilter } from '../../../../core/api/contract';
import { kindLabel, plural, SEVERITY_LABEL } from './labels';

/**
 * The part of the table's filter that narrows a channel's open gaps (kinds, severities, search, product), or
 * undefined when it narrows nothing: the channel filter picks the channels listed, and a fix list is always for
 * open gaps.
 */
export function exportFilter(filter: GapFilter): GapFilter | undefined {
  const out: GapFilter = {};
  if (filter.kinds?.length) out.kinds = filter.kinds;
  if (filter.severities?.length) out.severities = filter.severities;
  const q = filter.query?.trim();
  if (q) out.query = q;
  if (filter.clusterId) out.clusterId = filter.clusterId;
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The filter in words: "Price, Title · high · “poco”". */
export function describeFilter(filter: GapFilter): string {
  const parts: string[] = [];
  if (filter.kinds?.length) parts.push(filter.kinds.map(kindLabel).join(', '));
  if (filter.severities?.length)
    parts.push(filter.severities.map((s) => SEVERITY_LABEL[s].toLowerCase()).join(', '));
  if (filter.query) parts.push(`“${filter.query}”`);
  if (filter.clusterId) parts.push(`product ${filter.clusterId}`);
  return parts.join(' · ');
}

/** Why a fix list of these gaps would be empty, or null when it would not. */
export function noFixReason(count: FixListCount): string | null {
  if (count.fixable > 0) return null;
  if (count.selected === 0) return `No open gap on ${count.channel}: nothing to fix.`;
  const reason = count.skipped[0]?.reason;
  return (
    `None of the ${plural(count.selected, 'open gap')} can go in a fix list` + (reason ? `: ${reason}.` : '.')
  );
}
