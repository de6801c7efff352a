/**
 * Shopify product CSV for "Import products > Overwrite products with matching handles". Shopify identifies a
 * product by its Handle and a variant by the Handle and its option values (the Variant SKU is written too); the
 * product's fields (Title, Product Category or Type, Image Src) belong on the Handle's first row, which also
 * carries the Title and option names Shopify requires on an update. Variant fields go on each variant's row:
 * `Variant Price` is what the customer pays and `Variant Compare At Price` the regular price when higher, so a
 * sale is written as Price = sale, Compare At = regular, and no sale as a Compare At that is not higher than the
 * price. Availability is the variant's inventory: a quantity, and the policy when it runs out (`continue` sells on
 * backorder). Weights go to `Variant Grams` (or `Variant Weight` in its unit when the export uses it).
 */
import { parsePolicy, parseStock } from '../../normalize/availability.js';
import { normalizeGtin } from '../../normalize/gtin.js';
import { parsePrice } from '../../normalize/price.js';
import { parseWeight } from '../../normalize/units.js';
import { firstLineOfParent } from '../../store/records.js';
import type { FixRecord } from './load.js';
import type { FixSource, RowCells } from './rawCells.js';
import type { FixRow } from './table.js';
import { amount, gtinText, weightIn } from './values.js';
import {
  applyChanges,
  channelCategory,
  REASONS,
  skipWhenNull,
  sameText,
  type CellChange,
  type ChannelWriter,
  type LoadedGap,
  type RecordFixer,
  type WriterContext,
} from './writer.js';

/** Importer lookup keys (core/ingest/formats/shopify.ts) and the name written when the export lacks the column. */
const COLUMNS = {
  handle: [['handle', 'url handle'], 'Handle'],
  title: [['title'], 'Title'],
  sku: [['variant sku', 'sku'], 'Variant SKU'],
  price: [['variant price', 'price'], 'Variant Price'],
  compareAt: [['variant compare at price', 'compare-at price'], 'Variant Compare At Price'],
  tracker: [['variant inventory tracker', 'inventory tracker'], 'Variant Inventory Tracker'],
  qty: [['variant inventory qty', 'inventory quantity'], 'Variant Inventory Qty'],
  policy: [['variant inventory policy', 'continue selling when out of stock'], 'Variant Inventory Policy'],
  grams: [['variant grams', 'weight value (grams)'], 'Variant Grams'],
  weight: [['variant weight'], 'Variant Weight'],
  weightUnit: [['variant weight unit', 'weight unit for display'], 'Variant Weight Unit'],
  barcode: [['variant barcode', 'barcode'], 'Variant Barcode'],
  image: [['image src', 'product image url'], 'Image Src'],
  category: [['product category', 'standard product type'], 'Product Category'],
  type: [['type', 'custom product type'], 'Type'],
} as const satisfies Record<string, readonly [readonly string[], string]>;
type Column = keyof typeof COLUMNS;

/** Value columns in the order the file lists them. */
const ORDER: Column[] = [
  'title',
  'category',
  'type',
  'image',
  'price',
  'compareAt',
  'tracker',
  'qty',
  'policy',
  'grams',
  'weight',
  'barcode',
];

function keys(c: Column): string[] {
  return [...COLUMNS[c][0]];
}

function has(cells: RowCells, c: Column): boolean {
  return cells.column(...keys(c)) !== null;
}

function name(cells: RowCells, c: Column): string {
  return cells.column(...keys(c)) ?? COLUMNS[c][1];
}

function minorOf(text: string): number | null {
  return parsePrice(text)?.minor ?? null;
}

interface Product {
  first: FixRow;
  rows: FixRow[];
  cells: RowCells;
}

class ShopifyFixes implements RecordFixer {
  private readonly products = new Map<string, Product>();
  private readonly firstLine;

  constructor(private readonly ctx: WriterContext) {
    this.firstLine = firstLineOfParent(ctx.db);
  }

  /** A variant's row, keyed as Shopify matches it: Handle, option values, SKU. */
  private variantRow(source: FixSource, line: number, cells: RowCells): FixRow {
    const keyCells: [string, string][] = [[name(cells, 'handle'), cells.get(...keys('handle'))]];
    for (let k = 1; k <= 3; k++) {
      const column = cells.column(`option${k} value`);
      if (column !== null) keyCells.push([column, cells.get(`option${k} value`)]);
    }
    keyCells.push([name(cells, 'sku'), cells.get(...keys('sku'))]);
    return this.ctx.table.row(`${source.id}:${line}`, source.id * 1e9 + line, keyCells);
  }

  /** The product of a record: its Handle's first row (product fields, Title, option names) and its rows. */
  private product(record: FixRecord, cells: RowCells): Product {
    const handle = cells.get(...keys('handle'));
    const id = `${record.source.id}:${handle}`;
    let p = this.products.get(id);
    if (p === undefined) {
      const line = this.firstLine(record.source.id, record.parentId ?? handle) ?? record.line;
      const firstCells = line === record.line ? cells : (this.ctx.raw.row(record.source, line) ?? cells);
      const first = this.variantRow(record.source, line, firstCells);
      const t = this.ctx.table;
      t.context(first, name(firstCells, 'title'), firstCells.get('title'));
      for (let k = 1; k <= 3; k++) {
        const column = firstCells.column(`option${k} name`);
        if (column !== null) t.context(first, column, firstCells.get(`option${k} name`));
      }
      p = { first, rows: [first], cells: firstCells };
      this.products.set(id, p);
    }
    return p;
  }

  fix(record: FixRecord, cells: RowCells, gaps: readonly LoadedGap[]): void {
    const ctx = this.ctx;
    const product = this.product(record, cells);
    const row = this.variantRow(record.source, record.line, cells);
    if (!product.rows.includes(row)) product.rows.push(row);
    const change = (r: FixRow, rc: RowCells, c: Column, value: string, same: boolean): CellChange => ({
      row: r,
      column: name(rc, c),
      value,
      same,
    });

    const priceGap = gaps.find((g) => g.kind === 'price_mismatch');
    const saleGap = gaps.find((g) => g.kind === 'sale_price_mismatch');
    if (priceGap !== undefined || saleGap !== undefined) this.prices(record, cells, row, priceGap, saleGap);

    for (const gap of gaps) {
      const golden = gap.golden;
      switch (gap.kind) {
        case 'availability_mismatch':
          this.availability(cells, row, gap);
          break;
        case 'weight_mismatch': {
          if (skipWhenNull(ctx.table, gap, golden.weightG, REASONS.noWeight)) break;
          const weightCell = cells.get(...keys('weight'));
          if (has(cells, 'weight') && weightCell.trim().length > 0) {
            const unit = cells.get(...keys('weightUnit')).trim() || 'g';
            const value = weightIn(golden.weightG, unit);
            if (
              skipWhenNull(
                ctx.table,
                gap,
                value,
                `the export's weight unit "${unit}" is not a unit of weight`,
              )
            )
              break;
            const current = parseWeight(weightCell, unit)?.value ?? null;
            applyChanges(ctx, gap, [change(row, cells, 'weight', value, current === golden.weightG)]);
          } else {
            const grams = Math.round(golden.weightG);
            const current = parseWeight(cells.get(...keys('grams')), 'g')?.value ?? null;
            applyChanges(ctx, gap, [change(row, cells, 'grams', String(grams), current === grams)]);
          }
          break;
        }
        case 'invalid_gtin':
        case 'missing_gtin': {
          if (skipWhenNull(ctx.table, gap, golden.gtin, REASONS.noGtin)) break;
          const current = normalizeGtin(cells.get(...keys('barcode'))).gtin;
          applyChanges(ctx, gap, [
            change(row, cells, 'barcode', gtinText(golden.gtin), current === golden.gtin),
          ]);
          break;
        }
        case 'title_mismatch': {
          const title = productTitle(gap.expected, record);
          if (title === null) {
            ctx.table.skip(
              gap.id,
              gap.expected === null
                ? REASONS.noTitle
                : `Shopify titles are product-level and the expected title "${gap.expected}" names one variant: edit the product's title in Shopify`,
            );
            break;
          }
          const current = product.cells.get('title');
          applyChanges(ctx, gap, [change(product.first, product.cells, 'title', title, current === title)]);
          break;
        }
        case 'category_mismatch': {
          const value = channelCategory(ctx, gap);
          if (value === null) break;
          // The importer reads Product Category, and Type when the product has none.
          const pc = product.cells.get(...keys('category'));
          const column: Column = pc.trim().length > 0 || !has(product.cells, 'type') ? 'category' : 'type';
          const current = product.cells.get(...keys(column));
          applyChanges(ctx, gap, [
            change(product.first, product.cells, column, value, sameText(current, value)),
          ]);
          break;
        }
        case 'missing_image': {
          if (skipWhenNull(ctx.table, gap, golden.imageUrl, REASONS.noImage)) break;
          // Any image fixes the product: a first image another variant already sets counts as this one's too.
          const column = name(product.cells, 'image');
          const already = product.first.setBy.has(column);
          if (already) ctx.table.correct(gap.id);
          else
            applyChanges(ctx, gap, [change(product.first, product.cells, 'image', golden.imageUrl, false)]);
          break;
        }
        default:
          break;
      }
    }
  }

  /** Regular and sale price as Shopify holds them: Variant Price (paid) and Compare At (regular when higher). */
  private prices(
    record: FixRecord,
    cells: RowCells,
    row: FixRow,
    priceGap: LoadedGap | undefined,
    saleGap: LoadedGap | undefined,
  ): void {
    const ctx = this.ctx;
    const golden = (priceGap ?? saleGap)!.golden;
    let regular = record.priceMinor;
    let sale = record.salePriceMinor;
    const active: LoadedGap[] = [];
    if (priceGap !== undefined) {
      if (golden.priceMinor === null) ctx.table.skip(priceGap.id, REASONS.noPrice);
      else {
        regular = golden.priceMinor;
        active.push(priceGap);
      }
    }
    if (saleGap !== undefined) {
      if (golden.salePriceMinor === null) ctx.table.skip(saleGap.id, REASONS.noSalePrice);
      else {
        sale = golden.salePriceMinor;
        active.push(saleGap);
      }
    }
    if (active.length === 0 || regular === null) {
      for (const g of active) ctx.table.skip(g.id, REASONS.noPrice);
      return;
    }
    const currency = golden.currency;
    const paidNow = minorOf(cells.get(...keys('price')));
    const compareNow = minorOf(cells.get(...keys('compareAt')));
    const changes: CellChange[] = [];
    const onSale = sale !== null && sale < regular;
    const paid = onSale ? sale! : regular;
    changes.push({
      row,
      column: name(cells, 'price'),
      value: amount(paid, currency),
      same: paidNow === paid,
    });
    if (onSale) {
      changes.push({
        row,
        column: name(cells, 'compareAt'),
        value: amount(regular, currency),
        same: compareNow === regular,
      });
    } else if (compareNow !== null && compareNow > paid) {
      // no sale: a Compare At that is not higher than the price is not a sale
      changes.push({ row, column: name(cells, 'compareAt'), value: amount(paid, currency), same: false });
    }
    for (const g of active) applyChanges(ctx, g, changes);
  }

  private availability(cells: RowCells, row: FixRow, gap: LoadedGap): void {
    const ctx = this.ctx;
    const target = gap.golden.availability;
    if (skipWhenNull(ctx.table, gap, target, REASONS.noAvailability)) return;
    const tracked = !has(cells, 'tracker') || cells.get(...keys('tracker')).trim().length > 0;
    const qty = parseStock(cells.get(...keys('qty')));
    const policy = parsePolicy(cells.get(...keys('policy')));
    const policyColumn = name(cells, 'policy');
    const booleanPolicy = policyColumn.toLowerCase().startsWith('continue selling');
    const changes: CellChange[] = [];
    if (target === 'in_stock') {
      const sellable = !tracked || (qty !== null && qty > 0);
      if (!sellable) {
        const stock = gap.golden.referenceStock;
        if (skipWhenNull(ctx.table, gap, stock, REASONS.noStock('Shopify'))) return;
        changes.push({ row, column: name(cells, 'qty'), value: String(stock), same: false });
      } else {
        changes.push({ row, column: name(cells, 'qty'), value: String(qty ?? ''), same: true });
      }
    } else {
      const want = target === 'out_of_stock' ? 'deny' : 'continue';
      if (!tracked) changes.push({ row, column: name(cells, 'tracker'), value: 'shopify', same: false });
      changes.push({ row, column: name(cells, 'qty'), value: '0', same: qty !== null && qty <= 0 });
      changes.push({
        row,
        column: policyColumn,
        value: booleanPolicy ? (want === 'continue' ? 'TRUE' : 'FALSE') : want,
        same: policy === want || (policy === null && want === 'deny'),
      });
    }
    applyChanges(ctx, gap, changes);
  }

  /** Every product with a changed row is written from its first row (Handle, Title, option names). */
  finish(): void {
    for (const p of this.products.values()) {
      if (p.rows.some((r) => this.ctx.table.changes(r))) p.first.kept = true;
    }
  }
}

/**
 * The product title in an expected variant title (`Title - M / Red` -> `Title`): Shopify titles are product-level,
 * the option values are the variant's own. Null when the expected title cannot be split that way.
 */
export function productTitle(expected: string | null, record: FixRecord): string | null {
  if (expected === null) return null;
  const values = Object.values(record.options).map((v) => v.toLowerCase());
  if (values.length === 0) return expected;
  const cut = expected.lastIndexOf(' - ');
  if (cut <= 0) return null;
  const suffix = expected
    .slice(cut + 3)
    .split(' / ')
    .map((v) => v.trim().toLowerCase());
  return suffix.every((v) => values.includes(v)) ? expected.slice(0, cut) : null;
}

export const shopifyWriter: ChannelWriter = {
  format: 'shopify',
  label: 'Shopify product CSV (overwrite products with matching handles)',
  extension: 'csv',
  mimeType: 'text/csv',
  delimiter: ',',
  bom: false,
  keyColumns: ['Handle', 'Option1 Value', 'Option2 Value', 'Option3 Value', 'Variant SKU'],
  columns: ORDER.map((c) => COLUMNS[c][1]),
  start: (ctx) => new ShopifyFixes(ctx),
};
