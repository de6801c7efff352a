/**
 * Amazon Seller Central "All Listings Report" (tab-separated): `item-name, item-description, listing-id,
 * seller-sku, price, quantity, open-date, image-url, item-is-marketplace, product-id-type, …, item-condition,
 * …, asin1, asin2, asin3, …, product-id, …, pending-quantity, fulfillment-channel, merchant-shipping-group,
 * status`. Identity: `seller-sku`. `product-id-type`: 1 = ASIN, 2 = ISBN, 3 = UPC, 4 = EAN. The report
 * names no currency (some marketplaces write it in the price, `1,299 JPY`); otherwise currency stays null.
 */
import { emptyRecord, type NormalizedRecord } from '../../model/record.js';
import type { FormatAdapter, RawRow, RowContext } from '../types.js';
import { availabilityFromStock } from '../../normalize/availability.js';
import { splitCategoryPath } from '../../normalize/category.js';
import { isbn10ToGtin } from '../../normalize/gtin.js';
import { htmlToText } from '../../normalize/html.js';
import { amazonRecordId } from '../../normalize/identity.js';
import { cleanId, normalizeText } from '../../normalize/text.js';
import {
  ColumnMapper,
  applyGtin,
  applyPrices,
  cell,
  headerFormat,
  headerKey,
  lowerWord,
  missingColumn,
  plainText,
  readPrice,
  readStock,
  withoutTextMarker,
} from './common.js';

const UNDERSCORE = /_/g;

/** Header key with `_` and `-` read alike (`seller_sku` in some regional reports). */
function amazonKey(h: string): string {
  return headerKey(h).replace(UNDERSCORE, '-');
}

const ANCHORS = [['seller-sku']];
const SIGNATURE = [
  ['item-name'],
  ['listing-id'],
  ['seller-sku'],
  ['price'],
  ['quantity'],
  ['open-date'],
  ['product-id-type'],
  ['item-condition'],
  ['asin1'],
  ['product-id'],
  ['fulfillment-channel'],
  ['status'],
];

/** `item-condition` codes of the listings reports. */
const CONDITIONS: Record<string, string> = {
  '1': 'used',
  '2': 'used',
  '3': 'used',
  '4': 'used',
  '5': 'collectible',
  '6': 'collectible',
  '7': 'collectible',
  '8': 'collectible',
  '9': 'new', // "not used" (club)
  '10': 'refurbished',
  '11': 'new',
};

interface Columns {
  name: number;
  description: number;
  listingId: number;
  sku: number;
  price: number;
  quantity: number;
  openDate: number;
  imageUrl: number;
  productIdType: number;
  itemCondition: number;
  category: number;
  browsePath: number;
  asin1: number;
  productId: number;
  fulfillment: number;
  status: number;
}

class AmazonMapper extends ColumnMapper<Columns> {
  readonly idColumn = this.h.name(this.c.sku, 'seller-sku');
  private readonly names = this.columnNames({
    price: 'price',
    quantity: 'quantity',
    productId: 'product-id',
  });

  map(row: RawRow, ctx: RowContext): NormalizedRecord | null {
    const c = this.c;
    const cells = row.cells;
    const recordId = amazonRecordId(withoutTextMarker(cell(cells, c.sku)));
    if (recordId === null) {
      throw this.noIdentity(
        row,
        this.h.name(c.sku, 'seller-sku'),
        'listing has no seller-sku: no record identity',
      );
    }
    const rec = emptyRecord(recordId);
    rec.sku = recordId;
    rec.title = plainText(cell(cells, c.name));
    rec.description = htmlToText(cell(cells, c.description));
    rec.imageUrl = cleanId(cell(cells, c.imageUrl));
    rec.status = lowerWord(cell(cells, c.status));
    const conditionCell = cell(cells, c.itemCondition).trim();
    rec.condition = CONDITIONS[conditionCell] ?? lowerWord(conditionCell);
    rec.category = splitCategoryPath(cell(cells, c.browsePath));
    if (rec.category.length === 0) rec.category = splitCategoryPath(cell(cells, c.category));

    applyPrices(rec, readPrice(cell(cells, c.price), ctx, this.names.price), null);

    // FBA listings leave quantity blank (Amazon holds the stock): availability unknown, not an error.
    rec.stock = readStock(cell(cells, c.quantity), ctx, this.names.quantity, 'a quantity');
    rec.availability = availabilityFromStock(rec.stock);

    const asin = cleanId(cell(cells, c.asin1));
    const idType = cell(cells, c.productIdType).trim();
    const productId = withoutTextMarker(cell(cells, c.productId));
    if (idType === '3' || idType === '4') {
      applyGtin(rec, productId, ctx, this.names.productId);
    } else if (idType === '2') {
      const isbn = cleanId(productId);
      const gtin = isbn === null ? null : isbn10ToGtin(isbn);
      if (gtin !== null) {
        rec.gtin = gtin;
        rec.gtinRaw = isbn;
        rec.gtinStatus = 'valid';
      } else {
        applyGtin(rec, productId, ctx, this.names.productId); // ISBN-13 is an EAN-13
      }
    }
    const listingAsin = asin ?? (idType === '1' ? cleanId(productId) : null);
    if (listingAsin !== null) rec.attributes.asin = listingAsin;
    const listingId = cleanId(cell(cells, c.listingId));
    if (listingId !== null) rec.attributes.listing_id = listingId;
    const fulfillment = normalizeText(cell(cells, c.fulfillment));
    if (fulfillment !== null) rec.attributes.fulfillment_channel = fulfillment;
    const openDate = normalizeText(cell(cells, c.openDate));
    if (openDate !== null) rec.attributes.open_date = openDate;
    return rec;
  }
}

export const amazonAdapter: FormatAdapter = headerFormat({
  name: 'amazon',
  label: 'Amazon All Listings Report',
  keyOf: amazonKey,
  anchors: ANCHORS,
  signature: SIGNATURE,
  bind(h, file) {
    const c: Columns = {
      name: h.find('item-name'),
      description: h.find('item-description'),
      listingId: h.find('listing-id'),
      sku: h.find('seller-sku'),
      price: h.find('price'),
      quantity: h.find('quantity'),
      openDate: h.find('open-date'),
      imageUrl: h.find('image-url'),
      productIdType: h.find('product-id-type'),
      itemCondition: h.find('item-condition'),
      category: h.find('zshop-category1'),
      browsePath: h.find('zshop-browse-path'),
      asin1: h.find('asin1'),
      productId: h.find('product-id'),
      fulfillment: h.find('fulfillment-channel'),
      status: h.find('status'),
    };
    if (c.sku < 0) throw missingColumn(file, 'seller-sku', 'Amazon listings report', h.header);
    return new AmazonMapper(c, h, file);
  },
});
