/**
 * WooCommerce product CSV export (Products > Export): `ID, Type, SKU, Name, Published, …, In stock?,
 * Stock, Backorders allowed?, Weight (kg), …, Sale price, Regular price, Categories, Tags, Images,
 * Parent, …, Attribute 1 name, Attribute 1 value(s), …, Brands`.
 *
 * A `variable` row is the parent of its `variation` rows and not sellable itself: it yields no record,
 * but its fields (name, description, categories, tags, brand, images, weight) fill what its variations
 * leave empty, as WooCommerce itself does. `grouped` rows are containers and yield no record either.
 * Identity: `SKU`, else `ID`. Stores in other languages export translated column names: wooColumnNames.ts.
 */
import { emptyRecord, type NormalizedRecord } from '../../model/record.js';
import type { FormatAdapter, RawRow, RowContext } from '../types.js';
import { availabilityFromStock, mapStockFlag, parsePolicy } from '../../normalize/availability.js';
import { brandDisplay, brandKey } from '../../normalize/brand.js';
import { joinCategoryPath, primaryCategory, splitCategoryList } from '../../normalize/category.js';
import { htmlToText } from '../../normalize/html.js';
import { parseWooParent, wooRecordId } from '../../normalize/identity.js';
import { cleanId, normalizeText } from '../../normalize/text.js';
import { unitFromHeader } from '../../normalize/units.js';
import type { HeaderIndex } from './common.js';
import { wooColumnKey } from './wooColumnNames.js';
import {
  ColumnMapper,
  Memo,
  brandPair,
  applyGtin,
  applyPrices,
  cell,
  headerFormat,
  missingColumn,
  plainText,
  readPrice,
  readWeightG,
  readAvailability,
  availabilityOrElse,
  readStock,
  withoutTextMarker,
} from './common.js';

const ANCHORS = [['regular price'], ['in stock?', 'visibility in catalog', 'backorders allowed?']];
const SIGNATURE = [
  ['id'],
  ['type'],
  ['sku'],
  ['name'],
  ['published'],
  ['is featured?'],
  ['visibility in catalog'],
  ['short description'],
  ['in stock?'],
  ['backorders allowed?'],
  ['sale price'],
  ['regular price'],
  ['categories'],
  ['parent'],
  ['images'],
];
const ATTRIBUTE_NAME = /^attribute (\d+) name$/;
const WEIGHT_HEADER = /^weight(?: \(.+\))?$/;
/** WooCommerce writes line breaks in descriptions as a literal backslash-n. */
const ESCAPED_NEWLINE = /\\n/g;
const NON_WORD = /[^\p{L}\p{N}]+/gu;
const EDGE_UNDERSCORES = /^_+|_+$/g;
const BRAND_ATTRIBUTES = new Set(['brand', 'brands', 'manufacturer', 'marke', 'marque', 'marca']);
const GTIN_ATTRIBUTES = new Set(['gtin', 'ean', 'upc', 'barcode', 'isbn']);

interface Columns {
  id: number;
  type: number;
  sku: number;
  name: number;
  published: number;
  visibility: number;
  shortDescription: number;
  description: number;
  inStock: number;
  stock: number;
  backorders: number;
  weight: number;
  weightUnit: string;
  salePrice: number;
  regularPrice: number;
  categories: number;
  tags: number;
  images: number;
  parent: number;
  externalUrl: number;
  brands: number;
  gtin: number;
  attributes: { name: number; value: number }[];
}

/** What a variable product hands down to its variations. */
interface Parent {
  recordId: string;
  title: string | null;
  description: string | null;
  brand: string | null;
  brandKey: string | null;
  category: string[];
  otherCategories: string | null;
  tags: string[];
  image: string | null;
  weightG: number | null;
  status: string | null;
}

const PUBLISHED: Record<string, string> = { '1': 'published', '0': 'draft', '-1': 'private' };

function attributeKey(name: string): string {
  return name.toLowerCase().replace(NON_WORD, '_').replace(EDGE_UNDERSCORES, '');
}

function bindColumns(h: HeaderIndex): Columns {
  const attributes: { name: number; value: number }[] = [];
  let weight = -1;
  let weightUnit = 'kg';
  h.keys.forEach((k, i) => {
    const m = ATTRIBUTE_NAME.exec(k);
    if (m !== null)
      attributes.push({ name: i, value: h.find(`attribute ${m[1]} value(s)`, `attribute ${m[1]} values`) });
    if (weight < 0 && WEIGHT_HEADER.test(k)) {
      weight = i;
      weightUnit = unitFromHeader(h.header[i]) ?? 'kg';
    }
  });
  return {
    id: h.find('id'),
    type: h.find('type'),
    sku: h.find('sku'),
    name: h.find('name'),
    published: h.find('published'),
    visibility: h.find('visibility in catalog'),
    shortDescription: h.find('short description'),
    description: h.find('description'),
    inStock: h.find('in stock?'),
    stock: h.find('stock'),
    backorders: h.find('backorders allowed?'),
    weight,
    weightUnit,
    salePrice: h.find('sale price'),
    regularPrice: h.find('regular price'),
    categories: h.find('categories'),
    tags: h.find('tags'),
    images: h.find('images'),
    parent: h.find('parent'),
    externalUrl: h.find('external url'),
    brands: h.find('brands', 'brand'),
    gtin: h.find('gtin, upc, ean, or isbn', 'gtin', 'ean', 'meta: _global_unique_id'),
    attributes,
  };
}

function firstListItem(s: string): string | null {
  const comma = s.indexOf(',');
  return cleanId(comma === -1 ? s : s.slice(0, comma));
}

function descriptionText(s: string): string | null {
  if (s.length === 0) return null;
  return htmlToText(s.indexOf('\\n') === -1 ? s : s.replace(ESCAPED_NEWLINE, '\n'));
}

class WooMapper extends ColumnMapper<Columns> {
  private readonly parentsById = new Map<string, Parent>();
  private readonly parentsBySku = new Map<string, Parent>();
  private readonly brands = new Memo(brandPair);
  private readonly categoryLists = new Memo(splitCategoryList);
  readonly idColumn = this.h.name(this.c.sku >= 0 ? this.c.sku : this.c.id, this.c.sku >= 0 ? 'SKU' : 'ID');
  private readonly names = this.columnNames({
    id: 'ID',
    inStock: 'In stock?',
    stock: 'Stock',
    weight: 'Weight (kg)',
    regularPrice: 'Regular price',
    salePrice: 'Sale price',
    gtin: 'GTIN, UPC, EAN, or ISBN',
  });

  map(row: RawRow, ctx: RowContext): NormalizedRecord | null {
    const c = this.c;
    const cells = row.cells;
    const idCell = cell(cells, c.id);
    const skuCell = withoutTextMarker(cell(cells, c.sku));
    const recordId = wooRecordId(skuCell, idCell);
    if (recordId === null) {
      throw this.noIdentity(
        row,
        this.h.name(c.sku, 'SKU'),
        'row has neither a SKU nor an ID: no record identity',
      );
    }
    const type = cell(cells, c.type).toLowerCase();
    const isVariable = type.includes('variable');
    const isVariation = !isVariable && type.includes('variation');

    let parent: Parent | undefined;
    let parentRef: string | null = null;
    if (isVariation) {
      const ref = parseWooParent(withoutTextMarker(cell(cells, c.parent)));
      if (ref !== null) {
        parent = 'id' in ref ? this.parentsById.get(ref.id) : this.parentsBySku.get(ref.sku);
        parentRef = parent?.recordId ?? ('id' in ref ? ref.id : ref.sku);
      }
    }

    const categoryList = this.categoryLists.get(cell(cells, c.categories));
    const rec = emptyRecord(recordId);
    rec.parentId = parentRef;
    rec.sku = cleanId(skuCell);
    rec.title = plainText(cell(cells, c.name)) ?? parent?.title ?? null;
    rec.description =
      descriptionText(cell(cells, c.description)) ??
      descriptionText(cell(cells, c.shortDescription)) ??
      parent?.description ??
      null;
    const brand = this.brands.get(firstListItem(cell(cells, c.brands)) ?? '');
    rec.brand = brand.brand;
    rec.brandKey = brand.key;
    rec.category = primaryCategory(categoryList).slice(); // memoized lists are shared: copy
    rec.tags = splitTags(cell(cells, c.tags));
    rec.imageUrl = firstListItem(cell(cells, c.images));
    rec.link = cleanId(cell(cells, c.externalUrl));
    rec.status = PUBLISHED[cell(cells, c.published).trim()] ?? null;
    if (categoryList.length > 1) rec.attributes.categories = categoryList.map(joinCategoryPath).join(' | ');
    const visibility = normalizeText(cell(cells, c.visibility));
    if (visibility !== null) rec.attributes.visibility = visibility.toLowerCase();
    if (idCell.trim().length > 0) rec.attributes.woo_id = idCell.trim();

    let gtinCell = cell(cells, c.gtin);
    for (const a of c.attributes) {
      const name = normalizeText(cell(cells, a.name));
      const value = normalizeText(cell(cells, a.value));
      if (name === null || value === null) continue;
      const key = attributeKey(name);
      if (BRAND_ATTRIBUTES.has(key)) {
        if (rec.brand === null) {
          rec.brand = brandDisplay(value);
          rec.brandKey = brandKey(value);
        }
      } else if (GTIN_ATTRIBUTES.has(key)) {
        if (gtinCell.trim().length === 0) gtinCell = value;
      } else if (isVariation) {
        rec.options[name] = value;
      } else {
        rec.attributes[key] = value;
      }
    }

    rec.weightG = readWeightG(cell(cells, c.weight), ctx, this.names.weight, c.weightUnit);

    if (isVariable || type.includes('grouped')) {
      if (isVariable) this.remember(idCell, skuCell, rec);
      return null;
    }

    if (parent !== undefined) {
      if (rec.brand === null) {
        rec.brand = parent.brand;
        rec.brandKey = parent.brandKey;
      }
      if (rec.category.length === 0) {
        rec.category = parent.category.slice();
        if (parent.otherCategories !== null) rec.attributes.categories = parent.otherCategories;
      }
      if (rec.tags.length === 0) rec.tags = parent.tags.slice();
      rec.imageUrl ??= parent.image;
      rec.weightG ??= parent.weightG;
      // a variation's Published is its own enabled flag; a private or draft parent hides it anyway
      if (parent.status !== null && parent.status !== 'published') rec.status = parent.status;
    }

    applyGtin(rec, gtinCell, ctx, this.names.gtin);
    const regular = readPrice(cell(cells, c.regularPrice), ctx, this.names.regularPrice);
    const sale = readPrice(cell(cells, c.salePrice), ctx, this.names.salePrice);
    applyPrices(rec, regular, sale);

    rec.stock = readStock(cell(cells, c.stock), ctx, this.names.stock);
    rec.availability = availabilityOrElse(
      cell(cells, c.inStock),
      (flag) => readAvailability(flag, mapStockFlag, ctx, this.names.inStock, 'a stock status'),
      () => availabilityFromStock(rec.stock, parsePolicy(cell(cells, c.backorders))),
    );
    return rec;
  }

  /** A repeated SKU's row is its product ID. */
  fallbackId(row: RawRow): string | null {
    return wooRecordId(null, cell(row.cells, this.c.id));
  }

  private remember(id: string, sku: string, rec: NormalizedRecord): void {
    const p: Parent = {
      recordId: rec.recordId,
      title: rec.title,
      description: rec.description,
      brand: rec.brand,
      brandKey: rec.brandKey,
      category: rec.category,
      otherCategories: rec.attributes.categories ?? null,
      tags: rec.tags,
      image: rec.imageUrl,
      weightG: rec.weightG,
      status: rec.status,
    };
    const i = id.trim();
    const s = sku.trim();
    if (i.length > 0) this.parentsById.set(i, p);
    if (s.length > 0) this.parentsBySku.set(s, p);
  }
}

const TAG_SPLIT = /(?<!\\),/;
const ESCAPED_COMMA = /\\,/g;

/** WooCommerce tags: comma-separated, `\,` escapes a comma inside a tag. */
function splitTags(s: string): string[] {
  if (s.length === 0) return [];
  const out: string[] = [];
  for (const part of s.split(TAG_SPLIT)) {
    const t = normalizeText(part.replace(ESCAPED_COMMA, ','));
    if (t !== null && !out.includes(t)) out.push(t);
  }
  return out;
}

export const woocommerceAdapter: FormatAdapter = headerFormat({
  name: 'woocommerce',
  label: 'WooCommerce product CSV',
  keyOf: wooColumnKey,
  anchors: ANCHORS,
  signature: SIGNATURE,
  bind(h, file) {
    const c = bindColumns(h);
    if (c.sku < 0 && c.id < 0) throw missingColumn(file, 'SKU', 'WooCommerce product CSV', h.header);
    if (c.regularPrice < 0 && c.name < 0)
      throw missingColumn(file, 'Name', 'WooCommerce product CSV', h.header);
    return new WooMapper(c, h, file);
  },
});
