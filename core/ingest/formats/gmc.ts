/**
 * Google Merchant Center product data: the same adapter serves TSV feeds and RSS/Atom XML feeds (for
 * XML the reader passes the attribute names, without `g:`, as the header). Attribute names are matched
 * without case, with an optional `g:` prefix, and with spaces read as underscores (`image link`).
 * Identity: `id`; the variant group is `item_group_id`.
 */
import { emptyRecord, type NormalizedRecord } from '../../model/record.js';
import type { FormatAdapter, RawRow, RowContext } from '../types.js';
import { mapAvailability } from '../../normalize/availability.js';
import {
  joinCategoryPath,
  primaryCategory,
  splitCategoryList,
  splitCategoryPath,
} from '../../normalize/category.js';
import { htmlToText } from '../../normalize/html.js';
import { gmcRecordId } from '../../normalize/identity.js';
import { isScientificNotation } from '../../normalize/gtin.js';
import { cleanId, normalizeText } from '../../normalize/text.js';
import {
  ColumnMapper,
  Memo,
  brandPair,
  applyGtin,
  applyPrices,
  cell,
  headerFormat,
  headerKey,
  lowerWord,
  missingColumn,
  plainText,
  readPrice,
  readWeightG,
  readAvailability,
  availabilityOrElse,
  withoutTextMarker,
} from './common.js';

const G_PREFIX = /^g:/;
const SPACE = / /g;

/** `g:image_link`, `Image Link`, `image link` -> `image_link`. */
export function gmcKey(h: string): string {
  return headerKey(h).replace(G_PREFIX, '').replace(SPACE, '_');
}

const ANCHORS = [['id'], ['price']];
const SIGNATURE = [
  ['id'],
  ['title'],
  ['description'],
  ['link'],
  ['image_link'],
  ['availability'],
  ['price'],
  ['brand'],
  ['gtin', 'mpn'],
  ['condition'],
  ['google_product_category', 'product_type'],
];
/** Attributes that tell variants of one item group apart. */
const VARIANT_ATTRIBUTES = ['color', 'size', 'material', 'pattern'];
const OTHER_ATTRIBUTES = [
  'gender',
  'age_group',
  'identifier_exists',
  'size_type',
  'size_system',
  'adult',
  'multipack',
  'is_bundle',
  'availability_date',
  'sale_price_effective_date',
  'custom_label_0',
  'custom_label_1',
  'custom_label_2',
  'custom_label_3',
  'custom_label_4',
];

interface Columns {
  id: number;
  title: number;
  description: number;
  link: number;
  imageLink: number;
  availability: number;
  price: number;
  salePrice: number;
  brand: number;
  gtin: number;
  mpn: number;
  condition: number;
  itemGroupId: number;
  productWeight: number;
  shippingWeight: number;
  productType: number;
  googleCategory: number;
  variant: { name: string; index: number }[];
  other: { name: string; index: number }[];
}

class GmcMapper extends ColumnMapper<Columns> {
  private readonly brands = new Memo(brandPair);
  private readonly paths = new Memo(splitCategoryPath);
  private readonly lists = new Memo(splitCategoryList);
  readonly idColumn = this.h.name(this.c.id, 'id');
  private readonly names = this.columnNames({
    availability: 'availability',
    price: 'price',
    salePrice: 'sale_price',
    gtin: 'gtin',
    productWeight: 'product_weight',
    shippingWeight: 'shipping_weight',
  });

  map(row: RawRow, ctx: RowContext): NormalizedRecord | null {
    const c = this.c;
    const cells = row.cells;
    const recordId = gmcRecordId(withoutTextMarker(cell(cells, c.id)));
    if (recordId === null) {
      throw this.noIdentity(row, this.h.name(c.id, 'id'), 'item has no id: no record identity');
    }
    const rec = emptyRecord(recordId);
    rec.parentId = cleanId(cell(cells, c.itemGroupId));
    rec.title = plainText(cell(cells, c.title));
    rec.description = htmlToText(cell(cells, c.description));
    rec.link = cleanId(cell(cells, c.link));
    rec.imageUrl = cleanId(cell(cells, c.imageLink));
    const brand = this.brands.get(cell(cells, c.brand));
    rec.brand = brand.brand;
    rec.brandKey = brand.key;
    rec.mpn = cleanId(cell(cells, c.mpn));
    rec.condition = lowerWord(cell(cells, c.condition));

    // Up to 10 GTINs may be listed, comma-separated; Excel's `8,71E+12` has a comma too.
    let gtin = withoutTextMarker(cell(cells, c.gtin));
    if (gtin.indexOf(',') !== -1 && !isScientificNotation(gtin)) {
      gtin = gtin.slice(0, gtin.indexOf(','));
      rec.attributes.gtins = cell(cells, c.gtin).trim();
    }
    applyGtin(rec, gtin, ctx, this.names.gtin);

    applyPrices(
      rec,
      readPrice(cell(cells, c.price), ctx, this.names.price),
      readPrice(cell(cells, c.salePrice), ctx, this.names.salePrice),
    );

    rec.availability = availabilityOrElse(
      cell(cells, c.availability),
      (raw) =>
        readAvailability(raw, mapAvailability, ctx, this.names.availability, 'a Google availability value'),
      () => rec.availability,
    );

    const productWeight = cell(cells, c.productWeight);
    rec.weightG =
      productWeight.trim().length > 0
        ? readWeightG(productWeight, ctx, this.names.productWeight)
        : readWeightG(cell(cells, c.shippingWeight), ctx, this.names.shippingWeight);

    // The merchant's own tree (product_type) first, Google's taxonomy (id or path) when there is none.
    const gpc = this.paths.get(cell(cells, c.googleCategory));
    const types = this.lists.get(cell(cells, c.productType));
    rec.category = (types.length > 0 ? primaryCategory(types) : gpc).slice(); // memoized: copy
    if (types.length > 1) rec.attributes.product_types = types.map(joinCategoryPath).join(' | ');
    if (gpc.length > 0) rec.attributes.google_product_category = joinCategoryPath(gpc);

    const grouped = rec.parentId !== null;
    for (const v of c.variant) {
      const value = normalizeText(cell(cells, v.index));
      if (value === null) continue;
      if (grouped) rec.options[v.name] = value;
      else rec.attributes[v.name] = value;
    }
    for (const o of c.other) {
      const value = normalizeText(cell(cells, o.index));
      if (value !== null) rec.attributes[o.name] = value;
    }
    return rec;
  }
}

export const gmcAdapter: FormatAdapter = headerFormat({
  name: 'gmc',
  label: 'Google Merchant Center feed',
  keyOf: gmcKey,
  anchors: ANCHORS,
  signature: SIGNATURE,
  bind(h, file) {
    const c: Columns = {
      id: h.find('id'),
      title: h.find('title'),
      description: h.find('description', 'summary'),
      link: h.find('link'),
      imageLink: h.find('image_link'),
      availability: h.find('availability'),
      price: h.find('price'),
      salePrice: h.find('sale_price'),
      brand: h.find('brand'),
      gtin: h.find('gtin'),
      mpn: h.find('mpn'),
      condition: h.find('condition'),
      itemGroupId: h.find('item_group_id'),
      productWeight: h.find('product_weight'),
      shippingWeight: h.find('shipping_weight'),
      productType: h.find('product_type'),
      googleCategory: h.find('google_product_category'),
      variant: VARIANT_ATTRIBUTES.map((name) => ({ name, index: h.find(name) })).filter((a) => a.index >= 0),
      other: OTHER_ATTRIBUTES.map((name) => ({ name, index: h.find(name) })).filter((a) => a.index >= 0),
    };
    if (c.id < 0) throw missingColumn(file, 'id', 'Google Merchant Center feed', h.header);
    return new GmcMapper(c, h, file);
  },
});
