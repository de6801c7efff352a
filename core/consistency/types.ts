/** A channel record as gap detection, assortment rules and completeness see it (loaded from the workspace). */
import type { RecordRow } from '../store/records.js';

/**
 * The stored record (core/store/records.ts RecordRow) with its tags and options parsed, and what gap detection
 * adds: the channel's priority, the source's format and whether a description is there.
 */
export interface ProductRecord extends Omit<
  RecordRow,
  'id' | 'description' | 'stock' | 'attributes' | 'tags' | 'options'
> {
  /** records.id */
  ref: number;
  /** Index of the channel in priority order (0 = system of record). */
  channelIndex: number;
  /** The source's format: shopify | woocommerce | gmc | amazon | csv | jsonl. */
  format: string;
  hasDescription: boolean;
  tags: string[];
  options: Record<string, string>;
}

/** A record of a product and the close record of a channel the product seemed missing from (records.id both). */
export interface PossibleMatch {
  a: number;
  b: number;
  probability: number;
}
