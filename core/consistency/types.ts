/** A channel record as gap detection, assortment rules and completeness see it (loaded from the workspace). */
import type { Availability, GtinStatus } from '../model/record.js';

export interface ProductRecord {
  /** records.id */
  ref: number;
  channel: string;
  /** Index of the channel in priority order (0 = system of record). */
  channelIndex: number;
  /** The source's format: shopify | woocommerce | gmc | amazon | csv | jsonl. */
  format: string;
  recordId: string;
  /** The product this variant belongs to in its channel (Shopify Handle, WooCommerce parent, GMC item_group_id). */
  parentId: string | null;
  sourceId: number;
  line: number;
  title: string | null;
  hasDescription: boolean;
  brand: string | null;
  brandKey: string | null;
  /** GTIN-14 when valid. */
  gtin: string | null;
  gtinRaw: string | null;
  gtinStatus: GtinStatus;
  mpn: string | null;
  sku: string | null;
  priceMinor: number | null;
  salePriceMinor: number | null;
  currency: string | null;
  availability: Availability | null;
  weightG: number | null;
  /** Category path joined with ' > ' (empty path: null). */
  category: string | null;
  imageUrl: string | null;
  link: string | null;
  condition: string | null;
  status: string | null;
  tags: string[];
  options: Record<string, string>;
}
