/** Gap detection's records (ProductRecord) built for tests. */
import type { ProductRecord } from '../consistency/types.js';
import { emptyRecord } from '../model/record.js';

/** A shopify record with nothing but its identity (an empty normalized record), and `over` on top. */
export function productRecord(over: Partial<ProductRecord> = {}): ProductRecord {
  const {
    description: _description,
    stock: _stock,
    attributes: _attributes,
    ...empty
  } = emptyRecord('SKU-1');
  return {
    ...empty,
    ref: 1,
    channel: 'shop',
    channelIndex: 0,
    format: 'shopify',
    sourceId: 1,
    line: 2,
    hasDescription: false,
    category: null,
    ...over,
  };
}
