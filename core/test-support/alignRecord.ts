import type { AlignRecord } from '../align/recordPairs.js';

/** A record as alignment profiles it, every field empty unless given. */
export function alignRecord(
  id: number,
  channel: number,
  title: string,
  extra: Partial<AlignRecord> = {},
): AlignRecord {
  return {
    id,
    channel,
    recordId: `r${id}`,
    title,
    brandKey: null,
    gtin: null,
    mpn: null,
    sku: null,
    priceMinor: null,
    salePriceMinor: null,
    currency: null,
    weightG: null,
    category: null,
    options: null,
    ...extra,
  };
}
