/** A channel record after normalization: one sellable variant (or simple product) as one channel lists it. */
import { FormatSchema, type Format } from '../api/contract.js';

export const AVAILABILITY = ['in_stock', 'out_of_stock', 'preorder', 'backorder'] as const;
export type Availability = (typeof AVAILABILITY)[number];

/** How the GTIN cell looked: usable only when `valid`. */
export type GtinStatus = 'valid' | 'invalid' | 'mangled' | 'absent';

/** The import formats: the contract's list (core/api/contract.ts FormatSchema). */
export const PRODUCT_FORMATS = FormatSchema.options;
export type FormatName = Format;

export interface NormalizedRecord {
  /** Identity per DESIGN.md "Record identity". */
  recordId: string;
  /** The product this variant belongs to in its channel: Shopify Handle, WooCommerce parent, GMC item_group_id. */
  parentId: string | null;
  /** NFKC, whitespace collapsed, entities decoded; never treated as markup (a `<script>` title stays text). */
  title: string | null;
  /** Plain text: HTML converted to text. Originals stay in the raw row. */
  description: string | null;
  brand: string | null;
  /** Canonical brand for comparison (case/space/punctuation folded). */
  brandKey: string | null;
  /** GTIN-14 when the check digit is right, else null. */
  gtin: string | null;
  gtinRaw: string | null;
  gtinStatus: GtinStatus;
  mpn: string | null;
  sku: string | null;
  /** Regular price in minor units (cents). */
  priceMinor: number | null;
  /** Sale price in minor units when the record is on sale. */
  salePriceMinor: number | null;
  /** ISO 4217. */
  currency: string | null;
  availability: Availability | null;
  stock: number | null;
  weightG: number | null;
  /** Category path, outermost first. */
  category: string[];
  imageUrl: string | null;
  link: string | null;
  condition: string | null;
  /** Publication status where the channel has one (Shopify: active | draft | archived). */
  status: string | null;
  tags: string[];
  /** Variant options, e.g. { Size: 'M', Color: 'Blue' }. */
  options: Record<string, string>;
  /** Other attributes the channel gives (normalized values, SI units: `size_mm`, `volume_ml`, ...). */
  attributes: Record<string, string>;
}

/** Kinds of row warning (`concord warnings --kind`). */
export const WARNING_CODES = [
  'gtin_scientific_notation',
  'gtin_check_digit',
  'decimal_comma',
  'unparsed_price',
  'unparsed_weight',
  'unknown_availability',
  'unknown_currency',
  'truncated_value',
  /** A row with fewer cells than the header: the missing trailing cells were read as empty. */
  'short_row',
  /** A record id the file already had: the row got the format's fallback identity, or no record. */
  'duplicate_id',
  /** NUL bytes in a value (text exports never hold them): removed from the value; the raw row keeps them. */
  'nul_bytes',
  'other',
] as const;
export type WarningCode = (typeof WARNING_CODES)[number];

/** A recoverable problem: the row imports, with this note attached. */
export interface RowWarning {
  line: number;
  field: string;
  code: WarningCode;
  message: string;
}

/** Behavioural data rows (generic CSV/JSONL with a mapping). */
export interface InteractionRow {
  userId: string;
  itemId: string;
  event: string;
  timestamp: string | null;
  channel: string | null;
  value: number | null;
}

export interface ReviewRow {
  userId: string | null;
  itemId: string;
  rating: number | null;
  text: string | null;
  timestamp: string | null;
}

export function emptyRecord(recordId: string): NormalizedRecord {
  return {
    recordId,
    parentId: null,
    title: null,
    description: null,
    brand: null,
    brandKey: null,
    gtin: null,
    gtinRaw: null,
    gtinStatus: 'absent',
    mpn: null,
    sku: null,
    priceMinor: null,
    salePriceMinor: null,
    currency: null,
    availability: null,
    stock: null,
    weightG: null,
    category: [],
    imageUrl: null,
    link: null,
    condition: null,
    status: null,
    tags: [],
    options: {},
    attributes: {},
  };
}
