/**
 * Amazon listings update (tab-separated, flat-file style): one row per listing keyed by its seller SKU, only the
 * columns that change. Column names are the All Listings Report's, which Concord's Amazon importer reads back:
 * `seller-sku`, `price`, `quantity`, `product-id` with `product-id-type` (3 = UPC, 4 = EAN; 1 = ASIN, 2 = ISBN),
 * `item-name`, `image-url`. Availability is the quantity; a listing fulfilled by Amazon (FBA) has no quantity of
 * the seller's to change. The report carries no sale price, weight or category, so those gaps are skipped.
 */
import { parseStock } from '../../normalize/availability.js';
import { normalizeGtin } from '../../normalize/gtin.js';
import { parsePrice } from '../../normalize/price.js';
import type { FixRecord } from './load.js';
import type { RowCells } from './rawCells.js';
import { amount, gtinText } from './values.js';
import {
  applyChanges,
  perRecord,
  REASONS,
  skipWhenNull,
  TSV,
  type CellChange,
  type ChannelWriter,
  type LoadedGap,
  type WriterContext,
} from './writer.js';

const ORDER = ['item-name', 'price', 'quantity', 'product-id', 'product-id-type', 'image-url'];

const CANNOT = {
  sale_price_mismatch: 'the Amazon listings report carries no sale price (set it in Seller Central)',
  weight_mismatch: 'the Amazon listings report carries no weight (edit the listing in Seller Central)',
  category_mismatch:
    'Amazon files listings under its own browse nodes; the listings report carries no category',
} as const;

function fixRecord(record: FixRecord, cells: RowCells, gaps: readonly LoadedGap[], ctx: WriterContext): void {
  const t = ctx.table;
  const source = record.source;
  const row = t.row(`${source.id}:${record.line}`, source.id * 1e9 + record.line, [
    [cells.column('seller-sku') ?? 'seller-sku', cells.get('seller-sku')],
  ]);
  const column = (key: string): string => cells.column(key) ?? key;
  for (const gap of gaps) {
    const golden = gap.golden;
    switch (gap.kind) {
      case 'price_mismatch': {
        if (skipWhenNull(t, gap, golden.priceMinor, REASONS.noPrice)) break;
        const now = parsePrice(cells.get('price'))?.minor ?? null;
        applyChanges(ctx, gap, [
          {
            row,
            column: column('price'),
            value: amount(golden.priceMinor, golden.currency),
            same: now === golden.priceMinor,
          },
        ]);
        break;
      }
      case 'availability_mismatch': {
        const target = golden.availability;
        if (skipWhenNull(t, gap, target, REASONS.noAvailability)) break;
        const quantity = cells.get('quantity');
        if (/^amazon/i.test(cells.get('fulfillment-channel').trim()) || quantity.trim().length === 0) {
          t.skip(
            gap.id,
            'fulfilled by Amazon (FBA): Amazon holds the stock, the listing has no quantity to set',
          );
          break;
        }
        const now = parseStock(quantity);
        const changes: CellChange[] = [];
        if (target === 'in_stock') {
          if (now !== null && now > 0)
            changes.push({ row, column: column('quantity'), value: quantity, same: true });
          else if (skipWhenNull(t, gap, golden.referenceStock, REASONS.noStock('Amazon'))) break;
          else
            changes.push({
              row,
              column: column('quantity'),
              value: String(golden.referenceStock),
              same: false,
            });
        } else {
          changes.push({ row, column: column('quantity'), value: '0', same: now !== null && now <= 0 });
        }
        applyChanges(ctx, gap, changes);
        break;
      }
      case 'title_mismatch':
        if (gap.expected === null) t.skip(gap.id, REASONS.noTitle);
        else
          applyChanges(ctx, gap, [
            {
              row,
              column: column('item-name'),
              value: gap.expected,
              same: cells.get('item-name') === gap.expected,
            },
          ]);
        break;
      case 'invalid_gtin':
      case 'missing_gtin': {
        if (skipWhenNull(t, gap, golden.gtin, REASONS.noGtin)) break;
        const type = cells.get('product-id-type').trim();
        const now = type === '3' || type === '4' ? normalizeGtin(cells.get('product-id')).gtin : null;
        const text = gtinText(golden.gtin);
        applyChanges(ctx, gap, [
          { row, column: column('product-id'), value: text, same: now === golden.gtin },
          {
            row,
            column: column('product-id-type'),
            value: text.length === 12 ? '3' : '4',
            same: now === golden.gtin,
          },
        ]);
        break;
      }
      case 'missing_image':
        if (golden.imageUrl === null) t.skip(gap.id, REASONS.noImage);
        else
          applyChanges(ctx, gap, [{ row, column: column('image-url'), value: golden.imageUrl, same: false }]);
        break;
      case 'sale_price_mismatch':
      case 'weight_mismatch':
      case 'category_mismatch':
        t.skip(gap.id, CANNOT[gap.kind]);
        break;
      default:
        break;
    }
  }
}

export const amazonWriter: ChannelWriter = {
  format: 'amazon',
  label: 'Amazon listings update (tab-separated)',
  extension: 'txt',
  ...TSV,
  keyColumns: ['seller-sku'],
  columns: ORDER,
  start: perRecord(fixRecord),
};
