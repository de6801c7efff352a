/**
 * Google Merchant Center supplemental feed (TSV): `id` and only the attributes it changes; Merchant Center lays a
 * supplemental feed over the primary feed by `id`, so an attribute the file leaves out (or a cell it leaves empty)
 * keeps the primary feed's value. Prices read `19.99 USD`, availability `in_stock | out_of_stock | preorder |
 * backorder`, weights `350 g`; the category goes into whichever attribute the primary feed used
 * (`product_type`, the shop's own tree, or `google_product_category`, Google's taxonomy id or path), the weight
 * into `product_weight` when the feed has one, else `shipping_weight`.
 */
import { mapAvailability } from '../../normalize/availability.js';
import { normalizeGtin } from '../../normalize/gtin.js';
import { parsePrice } from '../../normalize/price.js';
import { parseWeight } from '../../normalize/units.js';
import type { FixRecord } from './load.js';
import type { RowCells } from './rawCells.js';
import { gramsText, gtinText, money } from './values.js';
import {
  applyChanges,
  channelCategory,
  perRecord,
  REASONS,
  skipWhenNull,
  TSV,
  sameText,
  type ChannelWriter,
  type LoadedGap,
  type WriterContext,
} from './writer.js';

const ORDER = [
  'title',
  'price',
  'sale_price',
  'availability',
  'product_type',
  'google_product_category',
  'product_weight',
  'shipping_weight',
  'gtin',
  'image_link',
];

const NUMERIC_ID = /^\d+$/;

function fixRecord(record: FixRecord, cells: RowCells, gaps: readonly LoadedGap[], ctx: WriterContext): void {
  const t = ctx.table;
  const source = record.source;
  const row = t.row(`${source.id}:${record.line}`, source.id * 1e9 + record.line, [
    [cells.column('id') ?? 'id', cells.get('id')],
  ]);
  const column = (key: string): string => cells.column(key) ?? key;
  for (const gap of gaps) {
    const golden = gap.golden;
    const currency = golden.currency ?? record.currency ?? parsePrice(cells.get('price'))?.currency ?? null;
    switch (gap.kind) {
      case 'price_mismatch':
      case 'sale_price_mismatch': {
        const sale = gap.kind === 'sale_price_mismatch';
        const minor = sale ? golden.salePriceMinor : golden.priceMinor;
        if (skipWhenNull(t, gap, minor, sale ? REASONS.noSalePrice : REASONS.noPrice)) break;
        if (
          skipWhenNull(t, gap, currency, 'no currency is known for the price (Google needs one: "19.99 USD")')
        )
          break;
        const key = sale ? 'sale_price' : 'price';
        const now = parsePrice(cells.get(key))?.minor ?? null;
        applyChanges(ctx, gap, [
          { row, column: column(key), value: money(minor, currency), same: now === minor },
        ]);
        break;
      }
      case 'availability_mismatch': {
        const target = golden.availability;
        if (skipWhenNull(t, gap, target, REASONS.noAvailability)) break;
        const now = mapAvailability(cells.get('availability'));
        applyChanges(ctx, gap, [
          { row, column: column('availability'), value: target, same: now === target },
        ]);
        break;
      }
      case 'title_mismatch':
        if (gap.expected === null) t.skip(gap.id, REASONS.noTitle);
        else
          applyChanges(ctx, gap, [
            { row, column: column('title'), value: gap.expected, same: cells.get('title') === gap.expected },
          ]);
        break;
      case 'category_mismatch': {
        const value = channelCategory(ctx, gap);
        if (value === null) break;
        // The importer files a record under product_type when it has one, else google_product_category.
        const key =
          cells.get('product_type').trim().length > 0
            ? 'product_type'
            : cells.get('google_product_category').trim().length > 0 || NUMERIC_ID.test(value)
              ? 'google_product_category'
              : 'product_type';
        applyChanges(ctx, gap, [{ row, column: column(key), value, same: sameText(cells.get(key), value) }]);
        break;
      }
      case 'weight_mismatch': {
        if (skipWhenNull(t, gap, golden.weightG, REASONS.noWeight)) break;
        const key = cells.get('product_weight').trim().length > 0 ? 'product_weight' : 'shipping_weight';
        const now = parseWeight(cells.get(key))?.value ?? null;
        applyChanges(ctx, gap, [
          { row, column: column(key), value: gramsText(golden.weightG), same: now === golden.weightG },
        ]);
        break;
      }
      case 'invalid_gtin':
      case 'missing_gtin': {
        if (skipWhenNull(t, gap, golden.gtin, REASONS.noGtin)) break;
        const now = normalizeGtin(cells.get('gtin')).gtin;
        applyChanges(ctx, gap, [
          { row, column: column('gtin'), value: gtinText(golden.gtin), same: now === golden.gtin },
        ]);
        break;
      }
      case 'missing_image':
        if (golden.imageUrl === null) t.skip(gap.id, REASONS.noImage);
        else
          applyChanges(ctx, gap, [
            { row, column: column('image_link'), value: golden.imageUrl, same: false },
          ]);
        break;
      default:
        break;
    }
  }
}

export const gmcWriter: ChannelWriter = {
  format: 'gmc',
  label: 'Google Merchant Center supplemental feed (TSV)',
  extension: 'tsv',
  ...TSV,
  keyColumns: ['id'],
  columns: ORDER,
  start: perRecord(fixRecord),
};
