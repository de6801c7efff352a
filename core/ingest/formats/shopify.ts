/**
 * Shopify product CSV: the classic header (`Handle, Title, Body (HTML), … Variant SKU …`), the 2024
 * export (`Product Category`, `Option1 Linked To`, market columns `Price / <market>`), and the 2025
 * template's renamed columns (`URL handle`, `Description`, `SKU`, `Price`, `Compare-at price`, …).
 *
 * A product spans several rows with the same Handle: its first row carries the product fields (title,
 * body, vendor, type/category, tags, status, option names) and following rows carry variants (which
 * inherit those fields) or only an extra image (no record). Identity: DESIGN.md "Record identity".
 */
import { emptyRecord, type NormalizedRecord } from '../../model/record.js';
import type { FormatAdapter, RawRow, RowContext } from '../types.js';
import { availabilityFromStock, parsePolicy } from '../../normalize/availability.js';
import { splitCategoryPath } from '../../normalize/category.js';
import { htmlToText } from '../../normalize/html.js';
import { shopifyRecordId } from '../../normalize/identity.js';
import { parsePrice } from '../../normalize/price.js';
import { cleanId } from '../../normalize/text.js';
import type { HeaderIndex } from './common.js';
import {
  ColumnMapper,
  Memo,
  brandPair,
  applyGtin,
  applyPrices,
  cell,
  headerFormat,
  lowerWord,
  missingColumn,
  plainText,
  readPrice,
  readWeightG,
  splitList,
  readStock,
  withoutTextMarker,
} from './common.js';

const ANCHORS = [['handle', 'url handle']];
const SIGNATURE = [
  ['handle', 'url handle'],
  ['title'],
  ['body (html)'],
  ['vendor'],
  ['variant sku', 'sku'],
  ['variant price', 'price'],
  ['variant compare at price', 'compare-at price'],
  ['option1 name'],
  ['option1 value'],
  ['variant inventory policy', 'continue selling when out of stock'],
  ['variant barcode', 'barcode'],
  ['image src', 'product image url'],
  ['variant grams', 'weight value (grams)'],
  ['published', 'published on online store'],
];
const MARKET_PRICE = /^price \/ ./;
const DEFAULT_TITLE = 'default title';

interface Columns {
  handle: number;
  title: number;
  body: number;
  vendor: number;
  category: number;
  type: number;
  tags: number;
  published: number;
  status: number;
  optionName: number[];
  optionValue: number[];
  sku: number;
  grams: number;
  weight: number;
  weightUnit: number;
  tracker: number;
  qty: number;
  policy: number;
  price: number;
  compareAt: number;
  barcode: number;
  imageSrc: number;
  variantImage: number;
  mpn: number;
  condition: number;
  googleCategory: number;
  giftCard: number;
  markets: number[];
}

/** Product-level fields, carried from a Handle's first row to its variant rows. */
interface Product {
  handle: string;
  title: string | null;
  description: string | null;
  brand: string | null;
  brandKey: string | null;
  category: string[];
  productType: string | null;
  googleCategory: string | null;
  tags: string[];
  status: string | null;
  published: string | null;
  optionNames: (string | null)[];
  image: string | null;
  mpn: string | null;
  condition: string | null;
  giftCard: boolean;
}

function bindColumns(h: HeaderIndex): Columns {
  const optionName: number[] = [];
  const optionValue: number[] = [];
  for (let k = 1; k <= 3; k++) {
    optionName.push(h.find(`option${k} name`));
    optionValue.push(h.find(`option${k} value`));
  }
  const markets: number[] = [];
  h.keys.forEach((k, index) => {
    if (MARKET_PRICE.test(k)) markets.push(index);
  });
  return {
    handle: h.find('handle', 'url handle'),
    title: h.find('title'),
    body: h.find('body (html)', 'description'),
    vendor: h.find('vendor'),
    category: h.find('product category', 'standard product type'),
    type: h.find('type', 'custom product type'),
    tags: h.find('tags'),
    published: h.find('published', 'published on online store'),
    status: h.find('status'),
    optionName,
    optionValue,
    sku: h.find('variant sku', 'sku'),
    grams: h.find('variant grams', 'weight value (grams)'),
    weight: h.find('variant weight'),
    weightUnit: h.find('variant weight unit', 'weight unit for display'),
    tracker: h.find('variant inventory tracker', 'inventory tracker'),
    qty: h.find('variant inventory qty', 'inventory quantity'),
    policy: h.find('variant inventory policy', 'continue selling when out of stock'),
    price: h.find('variant price', 'price'),
    compareAt: h.find('variant compare at price', 'compare-at price'),
    barcode: h.find('variant barcode', 'barcode'),
    imageSrc: h.find('image src', 'product image url'),
    variantImage: h.find('variant image', 'variant image url'),
    mpn: h.find('google shopping / mpn', 'google shopping / manufacturer part number (mpn)'),
    condition: h.find('google shopping / condition'),
    googleCategory: h.find('google shopping / google product category'),
    giftCard: h.find('gift card'),
    markets,
  };
}

class ShopifyMapper extends ColumnMapper<Columns> {
  private product: Product | null = null;
  private readonly brands = new Memo(brandPair);
  private readonly paths = new Memo(splitCategoryPath);
  private readonly words = new Memo(plainText);
  private readonly lowerWords = new Memo(lowerWord);
  private readonly tagLists = new Memo(splitList);
  readonly idColumn = this.h.name(this.c.sku, 'Variant SKU');
  private readonly names = this.columnNames({
    sku: 'Variant SKU',
    barcode: 'Variant Barcode',
    price: 'Variant Price',
    compareAt: 'Variant Compare At Price',
    grams: 'Variant Grams',
    weight: 'Variant Weight',
    qty: 'Variant Inventory Qty',
  });

  map(row: RawRow, ctx: RowContext): NormalizedRecord | null {
    const c = this.c;
    const cells = row.cells;
    const handle = cleanId(cell(cells, c.handle));
    const skuCell = withoutTextMarker(cell(cells, c.sku));
    if (handle === null) {
      if (cleanId(skuCell) === null) {
        throw this.noIdentity(
          row,
          this.h.name(c.handle, 'Handle'),
          'row has neither a Handle nor a Variant SKU: no record identity',
        );
      }
      this.product = null;
    }
    const product = this.productFor(handle, cells);

    const v1 = cell(cells, c.optionValue[0]);
    const v2 = cell(cells, c.optionValue[1]);
    const v3 = cell(cells, c.optionValue[2]);
    const priceCell = cell(cells, c.price);
    const isVariant =
      skuCell.length > 0 ||
      priceCell.length > 0 ||
      v1.length > 0 ||
      v2.length > 0 ||
      v3.length > 0 ||
      cell(cells, c.barcode).length > 0 ||
      cell(cells, c.grams).length > 0 ||
      cell(cells, c.qty).length > 0 ||
      cell(cells, c.compareAt).length > 0;
    if (!isVariant) {
      if (product.image === null) product.image = cleanId(cell(cells, c.imageSrc));
      return null; // an image row
    }

    const recordId = shopifyRecordId(skuCell, handle, [v1, v2, v3]);
    if (recordId === null) {
      throw this.noIdentity(row, this.names.sku, 'variant row has no SKU and no Handle');
    }
    const rec = emptyRecord(recordId);
    rec.parentId = handle;
    rec.sku = cleanId(skuCell);
    rec.title = product.title;
    rec.description = product.description;
    rec.brand = product.brand;
    rec.brandKey = product.brandKey;
    rec.category = product.category.slice(); // the memoized path is shared: copy
    rec.tags = product.tags.slice(); // memoized: copy
    rec.status = product.status;
    rec.mpn = product.mpn;
    rec.condition = product.condition;
    rec.imageUrl = cleanId(cell(cells, c.variantImage)) ?? product.image ?? cleanId(cell(cells, c.imageSrc));

    const values = [v1, v2, v3];
    for (let k = 0; k < 3; k++) {
      const value = values[k].length > 0 ? this.words.get(values[k]) : null;
      if (value === null) continue;
      const own = cell(cells, c.optionName[k]);
      const name =
        (own.length > 0 ? this.words.get(own) : null) ?? product.optionNames[k] ?? `Option${k + 1}`;
      if (name.toLowerCase() === 'title' && value.toLowerCase() === DEFAULT_TITLE) continue; // the default variant
      rec.options[name] = value;
    }

    // Prices: `Variant Price` is what the customer pays; `Compare At` is the regular price when higher.
    const paid = readPrice(priceCell, ctx, this.names.price);
    const compareAt = readPrice(cell(cells, c.compareAt), ctx, this.names.compareAt);
    if (compareAt !== null && paid !== null && compareAt.minor > paid.minor)
      applyPrices(rec, compareAt, paid);
    else applyPrices(rec, paid, null);
    rec.currency = paid !== null ? (paid.currency ?? this.marketCurrency(cells, paid.minor)) : null;

    // Stock: untracked inventory (blank tracker in exports that have the column) is always sellable.
    const qty = readStock(cell(cells, c.qty), ctx, this.names.qty);
    const tracked = c.tracker < 0 || cell(cells, c.tracker).trim().length > 0;
    const policy = parsePolicy(cell(cells, c.policy));
    rec.stock = qty;
    rec.availability = availabilityFromStock(qty, policy, tracked);

    // Weight: `Variant Grams` is always grams; some tools export `Variant Weight` in `Variant Weight Unit`.
    const weightCell = cell(cells, c.weight);
    if (weightCell.trim().length > 0) {
      const unit = cell(cells, c.weightUnit).trim() || 'g';
      rec.weightG = readWeightG(weightCell, ctx, this.names.weight, unit);
    } else {
      const grams = readWeightG(cell(cells, c.grams), ctx, this.names.grams, 'g');
      // Shopify writes 0 for "no weight set" (digital goods, gift cards): not a weight.
      rec.weightG = grams === 0 ? null : grams;
    }

    applyGtin(rec, cell(cells, c.barcode), ctx, this.names.barcode);

    if (product.productType !== null) rec.attributes.product_type = product.productType;
    if (product.googleCategory !== null) rec.attributes.google_product_category = product.googleCategory;
    if (product.published !== null) rec.attributes.published = product.published;
    if (product.giftCard) rec.attributes.gift_card = 'true';
    if (policy !== null) rec.attributes.inventory_policy = policy;
    return rec;
  }

  /** A repeated SKU's row is `Handle` + its option values (draft and archived copies have their own Handle). */
  fallbackId(row: RawRow): string | null {
    const c = this.c;
    const values = c.optionValue.map((i) => cell(row.cells, i));
    return shopifyRecordId(null, cleanId(cell(row.cells, c.handle)), values);
  }

  /** The product a row belongs to: a new Handle starts one; its cells fill what is still empty. */
  private productFor(handle: string | null, cells: readonly string[]): Product {
    const c = this.c;
    let p = this.product;
    if (p === null || handle === null || p.handle !== handle) {
      p = {
        handle: handle ?? '',
        title: null,
        description: null,
        brand: null,
        brandKey: null,
        category: [],
        productType: null,
        googleCategory: null,
        tags: [],
        status: null,
        published: null,
        optionNames: [null, null, null],
        image: null,
        mpn: null,
        condition: null,
        giftCard: false,
      };
      this.product = handle === null ? null : p;
    }
    // Only cells that are filled and still missing on the product cost anything (variant rows leave them empty).
    let v = cell(cells, c.title);
    if (v.length > 0 && p.title === null) p.title = plainText(v);
    v = cell(cells, c.body);
    if (v.length > 0 && p.description === null) p.description = htmlToText(v);
    v = cell(cells, c.vendor);
    if (v.length > 0 && p.brand === null) {
      const b = this.brands.get(v);
      p.brand = b.brand;
      p.brandKey = b.key;
    }
    v = cell(cells, c.type);
    if (v.length > 0 && p.productType === null) p.productType = this.words.get(v);
    v = cell(cells, c.googleCategory);
    if (v.length > 0 && p.googleCategory === null) p.googleCategory = this.words.get(v);
    if (p.category.length === 0) {
      v = cell(cells, c.category);
      if (v.length > 0) p.category = this.paths.get(v);
      if (p.category.length === 0 && p.productType !== null) p.category = this.paths.get(p.productType);
    }
    v = cell(cells, c.tags);
    if (v.length > 0 && p.tags.length === 0) p.tags = this.tagLists.get(v);
    v = cell(cells, c.status);
    if (v.length > 0 && p.status === null) p.status = this.lowerWords.get(v);
    v = cell(cells, c.published);
    if (v.length > 0 && p.published === null) p.published = this.lowerWords.get(v);
    for (let k = 0; k < 3; k++) {
      v = cell(cells, c.optionName[k]);
      if (v.length > 0 && p.optionNames[k] === null) p.optionNames[k] = this.words.get(v);
    }
    v = cell(cells, c.imageSrc);
    if (v.length > 0 && p.image === null) p.image = cleanId(v);
    v = cell(cells, c.mpn);
    if (v.length > 0 && p.mpn === null) p.mpn = cleanId(v);
    v = cell(cells, c.condition);
    if (v.length > 0 && p.condition === null) p.condition = this.lowerWords.get(v);
    v = cell(cells, c.giftCard);
    if (v.length > 0 && !p.giftCard) p.giftCard = this.lowerWords.get(v) === 'true';
    return p;
  }

  /** Shopify CSVs carry no currency; a `Price / <market>` cell that names one for the same amount does. */
  private marketCurrency(cells: readonly string[], minor: number): string | null {
    for (const index of this.c.markets) {
      const raw = cell(cells, index);
      if (raw.length === 0) continue;
      const p = parsePrice(raw);
      if (p !== null && p.currency !== null && p.minor === minor) return p.currency;
    }
    return null;
  }
}

export const shopifyAdapter: FormatAdapter = headerFormat({
  name: 'shopify',
  label: 'Shopify product CSV',
  anchors: ANCHORS,
  signature: SIGNATURE,
  bind(h, file) {
    const c = bindColumns(h);
    if (c.handle < 0) throw missingColumn(file, 'Handle', 'Shopify product CSV', h.header);
    if (c.sku < 0 && c.optionValue[0] < 0)
      throw missingColumn(file, 'Variant SKU', 'Shopify product CSV', h.header);
    return new ShopifyMapper(c, h, file);
  },
});
