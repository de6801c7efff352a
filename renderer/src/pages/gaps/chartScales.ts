/**
 * The dashboard's scales (pure): the matrix's heat steps over the counts it really holds, and the gap families the
 * per-channel bars stack (four colours one can tell apart instead of eleven).
 */
import type { GapKind } from '../../../../core/api/contract';

/** Heat steps of the matrix (1 = fewest gaps, HEAT_STEPS = most), each a colour of gaps.css `--heat-N`. */
export const HEAT_STEPS = 5;

/**
 * The step of a count among counts from `min` to `max` (the matrix's smallest and largest non-zero cells), on a log
 * scale: gap counts run from 1 to thousands, and a linear scale paints all but the largest cell the same.
 */
export function heatStep(count: number, min: number, max: number): number {
  if (count <= 0) return 0;
  if (max <= min) return HEAT_STEPS;
  const t = (Math.log(count) - Math.log(min)) / (Math.log(max) - Math.log(min));
  return Math.min(HEAT_STEPS, Math.max(1, 1 + Math.floor(t * HEAT_STEPS)));
}

/** The lowest count of each step (for the legend): step 1 starts at min. */
export function heatThresholds(min: number, max: number): number[] {
  if (max <= min) return [min];
  const out: number[] = [];
  for (let step = 0; step < HEAT_STEPS; step++) {
    const from = Math.ceil(
      Math.exp(Math.log(min) + ((Math.log(max) - Math.log(min)) * step) / HEAT_STEPS) - 1e-9,
    );
    // A count's step is what heatStep says: move up to the first count that lands in this step.
    let n = Math.max(from, out.length ? out[out.length - 1] + 1 : min);
    while (n <= max && heatStep(n, min, max) < step + 1) n++;
    if (n <= max && heatStep(n, min, max) === step + 1) out.push(n);
  }
  return out;
}

export const FAMILIES = ['absence', 'price', 'content', 'identity'] as const;
export type Family = (typeof FAMILIES)[number];

export const FAMILY_LABEL: Record<Family, string> = {
  absence: 'Absent',
  price: 'Price & availability',
  content: 'Content',
  identity: 'Identifiers',
};

export const FAMILY_KINDS: Record<Family, readonly GapKind[]> = {
  absence: ['missing_in_channel', 'variant_missing'],
  price: ['price_mismatch', 'sale_price_mismatch', 'availability_mismatch'],
  content: ['title_mismatch', 'category_mismatch', 'weight_mismatch', 'missing_image'],
  identity: ['invalid_gtin', 'missing_gtin'],
};

const FAMILY_OF = new Map<string, Family>(
  FAMILIES.flatMap((f) => FAMILY_KINDS[f].map((k) => [k, f] as const)),
);

export function familyOf(kind: string): Family {
  return FAMILY_OF.get(kind) ?? 'content';
}

/** Open gaps per channel and family (every channel of `channels` present, in order), from the summary's matrix. */
export function familyTotals(
  channels: readonly string[],
  matrix: readonly { channel: string; kind: string; count: number }[],
): ({ channel: string; total: number } & Record<Family, number>)[] {
  const rows = new Map(
    channels.map((channel) => [
      channel,
      { channel, total: 0, absence: 0, price: 0, content: 0, identity: 0 },
    ]),
  );
  for (const m of matrix) {
    let row = rows.get(m.channel);
    if (!row)
      rows.set(
        m.channel,
        (row = { channel: m.channel, total: 0, absence: 0, price: 0, content: 0, identity: 0 }),
      );
    row[familyOf(m.kind)] += m.count;
    row.total += m.count;
  }
  return [...rows.values()];
}
