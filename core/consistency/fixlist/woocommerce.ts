/**
 * WooCommerce product CSV for Products > Import with "Update existing products": rows are matched by `ID` (the
 * `SKU` is written beside it), and only the columns in the file are updated. A variation's own fields (prices,
 * stock, weight, GTIN, image, name) go on its row; the categories of a variable product live on the parent, so a
 * variation's category fix goes on the parent's row. Numbers follow the store's locale (a decimal-comma store
 * gets `12,99` and `0,35`), weights the unit of the export's `Weight (unit)` column.
 */
import { parsePolicy, parseStock } from '../../normalize/availability.js';
import { normalizeGtin } from '../../normalize/gtin.js';
import { parseWooParent } from '../../normalize/identity.js';
import { parsePrice } from '../../normalize/price.js';
import { parseWeight, unitFromHeader } from '../../normalize/units.js';
import type { FixRecord } from './load.js';
import type { RowCells } from './rawCells.js';
import type { FixRow } from './table.js';
import { amount, gtinText, weightIn, wooCategoryList } from './values.js';
import {
  applyChanges,
  channelCategory,
  perRecord,
  REASONS,
  skipWhenNull,
  sameText,
  type CellChange,
  type ChannelWriter,
  type LoadedGap,
  type WriterContext,
} from './writer.js';

const GTIN_KEYS = ['gtin, upc, ean, or isbn', 'gtin', 'ean', 'meta: _global_unique_id'];
const WEIGHT_HEADER = /^weight(?: \(.+\))?$/;

/** Value columns in the order the file lists them. */
const ORDER = [
  'Name',
  'Regular price',
  'Sale price',
  'In stock?',
  'Stock',
  'Backorders allowed?',
  'Weight (kg)',
  'Categories',
  'Images',
  'GTIN, UPC, EAN, or ISBN',
];

function col(cells: RowCells, key: string, fallback: string): string {
  return cells.column(key) ?? fallback;
}

/** `a > b` is `b` or one of its ancestors. */
function ancestorOrSelf(a: string, b: string): boolean {
  return a === b || (b.startsWith(a) && b.startsWith(' > ', a.length));
}

function fixRecord(record: FixRecord, cells: RowCells, gaps: readonly LoadedGap[], ctx: WriterContext): void {
  const t = ctx.table;
  const source = record.source;
  const comma = source.decimalComma;
  const keyCells = (id: string, sku: string): [string, string][] => [
    [col(cells, 'id', 'ID'), id],
    [col(cells, 'sku', 'SKU'), sku],
  ];
  const row = t.row(
    `${source.id}:${record.line}`,
    source.id * 1e9 + record.line,
    keyCells(cells.get('id'), cells.get('sku')),
  );
  const isVariation = cells.get('type').toLowerCase().includes('variation');

  /** The variable product's row (categories live there). */
  const parentRow = (): FixRow | null => {
    const ref = parseWooParent(cells.get('parent'));
    if (ref === null) return null;
    let id = '';
    let sku = '';
    if ('id' in ref) {
      id = ref.id;
      // records.parent_id is the parent's SKU when it has one, else its ID
      if (record.parentId !== null && record.parentId !== ref.id) sku = record.parentId;
    } else {
      sku = ref.sku;
    }
    return t.row(`${source.id}:parent:${id}:${sku}`, source.id * 1e9 + record.line - 0.5, keyCells(id, sku));
  };

  for (const gap of gaps) {
    const golden = gap.golden;
    const currency = golden.currency;
    switch (gap.kind) {
      case 'price_mismatch': {
        if (skipWhenNull(t, gap, golden.priceMinor, REASONS.noPrice)) break;
        const column = col(cells, 'regular price', 'Regular price');
        const now = parsePrice(cells.get('regular price'))?.minor ?? null;
        applyChanges(ctx, gap, [
          { row, column, value: amount(golden.priceMinor, currency, comma), same: now === golden.priceMinor },
        ]);
        break;
      }
      case 'sale_price_mismatch': {
        if (skipWhenNull(t, gap, golden.salePriceMinor, REASONS.noSalePrice)) break;
        const column = col(cells, 'sale price', 'Sale price');
        const now = parsePrice(cells.get('sale price'))?.minor ?? null;
        applyChanges(ctx, gap, [
          {
            row,
            column,
            value: amount(golden.salePriceMinor, currency, comma),
            same: now === golden.salePriceMinor,
          },
        ]);
        break;
      }
      case 'availability_mismatch':
        availability(cells, row, gap, ctx);
        break;
      case 'title_mismatch': {
        if (skipWhenNull(t, gap, gap.expected, REASONS.noTitle)) break;
        applyChanges(ctx, gap, [
          {
            row,
            column: col(cells, 'name', 'Name'),
            value: gap.expected,
            same: cells.get('name') === gap.expected,
          },
        ]);
        break;
      }
      case 'category_mismatch': {
        const value = channelCategory(ctx, gap);
        if (value === null) break;
        const target = isVariation ? parentRow() : row;
        if (skipWhenNull(t, gap, target, 'the variation names no parent product, whose categories it shows'))
          break;
        // Keep the product's other categories; the misfiled one (and its ancestors) is replaced.
        const old = record.category;
        const all = record.attributes.categories?.split(' | ') ?? (old === null ? [] : [old]);
        const others = all.filter((p) => old === null || !ancestorOrSelf(p, old));
        const list = wooCategoryList([value, ...others.filter((p) => p !== value)]);
        applyChanges(ctx, gap, [
          {
            row: target,
            column: col(cells, 'categories', 'Categories'),
            value: list,
            same: old !== null && sameText(old, value),
          },
        ]);
        break;
      }
      case 'weight_mismatch': {
        if (skipWhenNull(t, gap, golden.weightG, REASONS.noWeight)) break;
        const header = ctx.raw.header(source);
        const index = header.keys.findIndex((k) => WEIGHT_HEADER.test(k));
        const column = index >= 0 ? header.name(index, 'Weight (kg)') : 'Weight (kg)';
        const unit = unitFromHeader(column) ?? 'kg';
        const value = weightIn(golden.weightG, unit, comma);
        if (skipWhenNull(t, gap, value, `the export's weight column "${column}" names no unit of weight`))
          break;
        const now = index >= 0 ? (parseWeight(cells.get(header.keys[index]), unit)?.value ?? null) : null;
        applyChanges(ctx, gap, [{ row, column, value, same: now === golden.weightG }]);
        break;
      }
      case 'invalid_gtin':
      case 'missing_gtin': {
        if (skipWhenNull(t, gap, golden.gtin, REASONS.noGtin)) break;
        const column = cells.column(...GTIN_KEYS);
        if (column === null) {
          t.skip(
            gap.id,
            'this WooCommerce export has no GTIN column (WooCommerce 9.2+ exports "GTIN, UPC, EAN, or ISBN")',
          );
          break;
        }
        const now = normalizeGtin(cells.get(...GTIN_KEYS)).gtin;
        applyChanges(ctx, gap, [{ row, column, value: gtinText(golden.gtin), same: now === golden.gtin }]);
        break;
      }
      case 'missing_image': {
        if (skipWhenNull(t, gap, golden.imageUrl, REASONS.noImage)) break;
        applyChanges(ctx, gap, [
          { row, column: col(cells, 'images', 'Images'), value: golden.imageUrl, same: false },
        ]);
        break;
      }
      default:
        break;
    }
  }
}

/**
 * `In stock?` (1, 0, backorder) when the export has it; with managed stock the quantity follows (WooCommerce derives
 * the status from it), and a backorder needs `Backorders allowed?`.
 */
function availability(cells: RowCells, row: FixRow, gap: LoadedGap, ctx: WriterContext): void {
  const target = gap.golden.availability;
  if (skipWhenNull(ctx.table, gap, target, REASONS.noAvailability)) return;
  const flagColumn = cells.column('in stock?');
  const stockCell = cells.get('stock');
  const managed = stockCell.trim().length > 0;
  const stock = parseStock(stockCell);
  const stockColumn = col(cells, 'stock', 'Stock');
  const changes: CellChange[] = [];
  if (target === 'in_stock') {
    if (flagColumn !== null)
      changes.push({ row, column: flagColumn, value: '1', same: cells.get('in stock?') === '1' });
    if (managed || flagColumn === null) {
      if (stock === null || stock <= 0) {
        const count = gap.golden.referenceStock;
        if (skipWhenNull(ctx.table, gap, count === null && flagColumn, REASONS.noStock('WooCommerce')))
          return;
        if (count !== null) changes.push({ row, column: stockColumn, value: String(count), same: false });
      }
    }
  } else {
    const backorder = target === 'backorder';
    if (flagColumn !== null) {
      const flag = backorder ? 'backorder' : '0';
      changes.push({ row, column: flagColumn, value: flag, same: cells.get('in stock?').trim() === flag });
    }
    if ((managed || flagColumn === null) && (stock === null || stock > 0))
      changes.push({ row, column: stockColumn, value: '0', same: false });
    const allowed = parsePolicy(cells.get('backorders allowed?')) === 'continue';
    if (backorder !== allowed && (backorder || flagColumn === null))
      changes.push({
        row,
        column: col(cells, 'backorders allowed?', 'Backorders allowed?'),
        value: backorder ? '1' : '0',
        same: false,
      });
  }
  applyChanges(ctx, gap, changes);
}

export const woocommerceWriter: ChannelWriter = {
  format: 'woocommerce',
  label: 'WooCommerce product CSV (update existing products)',
  extension: 'csv',
  mimeType: 'text/csv',
  delimiter: ',',
  bom: true,
  keyColumns: ['ID', 'SKU'],
  columns: ORDER,
  start: perRecord(fixRecord),
};
