/**
 * How to fix each gap kind, one line per channel format, in the channel's own words (its admin screens, feed
 * attributes and CSV columns), as Merchant Center's diagnostics say it. The drawer shows the line for the gap's
 * channel; a fix list (Export) writes most of these corrections as a file.
 */
import type { Format, GapKind } from '../../../../core/api/contract';

/** The generic formats (a column mapping of the merchant's own system): the hint names the mapped field. */
const generic: Record<GapKind, string> = {
  missing_in_channel:
    'Add the product to the system this export comes from, with the id column filled, and export again.',
  variant_missing:
    'Add this variant (its option values) to the system this export comes from, and export again.',
  price_mismatch: 'Set the price column to the expected regular price, and export again.',
  sale_price_mismatch: 'Set the sale price column to the expected sale price (empty when there is no sale).',
  availability_mismatch: 'Set the availability column (in stock / out of stock) and check the stock sync.',
  title_mismatch:
    'Correct the title column: the model, size or capacity word differs from the other channels.',
  category_mismatch: 'Set the category column, or correct its mapping under Rules & categories.',
  weight_mismatch: 'Set the weight column with its unit (g, kg, lb, oz).',
  invalid_gtin: 'Correct the GTIN column: the check digit is wrong (often a typo or a number Excel rounded).',
  missing_gtin: 'Fill the GTIN column with the barcode the other channels have.',
  missing_image: 'Fill the image URL column with a public image link.',
};

export const FIX_HINTS: Record<Format, Record<GapKind, string>> = {
  shopify: {
    missing_in_channel:
      'Shopify admin › Products › Add product (or set its Status to Active if it is a draft).',
    variant_missing:
      'Shopify admin › Products › the product › Variants › Add variant with these option values.',
    price_mismatch:
      'Shopify admin › Products › the variant › Pricing: set Compare-at price (the regular price) and Price (CSV: Variant Compare At Price / Variant Price).',
    sale_price_mismatch:
      'Shopify admin › Products › the variant › Pricing: set Price to the sale price and keep Compare-at price as the regular one.',
    availability_mismatch:
      'Shopify admin › Products › the variant › Inventory: set Quantity, or tick "Continue selling when out of stock" (CSV: Variant Inventory Qty / Policy).',
    title_mismatch: 'Shopify admin › Products › the product: correct Title (CSV: Title).',
    category_mismatch:
      'Shopify admin › Products › the product: set Product category (CSV: Product Category).',
    weight_mismatch: 'Shopify admin › Products › the variant › Shipping: set Weight (CSV: Variant Grams).',
    invalid_gtin:
      'Shopify admin › Products › the variant › Inventory: correct Barcode (ISBN, UPC, GTIN, etc.) (CSV: Variant Barcode).',
    missing_gtin:
      'Shopify admin › Products › the variant › Inventory: fill Barcode (ISBN, UPC, GTIN, etc.) (CSV: Variant Barcode).',
    missing_image:
      'Shopify admin › Products › the product › Media: add an image (CSV: Image Src / Variant Image).',
  },
  woocommerce: {
    missing_in_channel: 'WooCommerce › Products › Add New, with the SKU filled (or publish the draft).',
    variant_missing:
      'WooCommerce › Products › Edit product › Product data › Variations: add a variation with these attribute values.',
    price_mismatch:
      'WooCommerce › Products › Edit product › General: set Regular price (CSV: Regular price).',
    sale_price_mismatch:
      'WooCommerce › Products › Edit product › General: set Sale price, or clear it when there is no sale (CSV: Sale price).',
    availability_mismatch:
      'WooCommerce › Products › Edit product › Inventory: set Stock status or Stock quantity (CSV: In stock? / Stock).',
    title_mismatch: 'WooCommerce › Products › Edit product: correct the product name (CSV: Name).',
    category_mismatch:
      'WooCommerce › Products › Edit product › Product categories: tick the right one (CSV: Categories).',
    weight_mismatch: 'WooCommerce › Products › Edit product › Shipping: set Weight (CSV: Weight).',
    invalid_gtin:
      'WooCommerce › Products › Edit product › Inventory: correct "GTIN, UPC, EAN, or ISBN" (CSV: GTIN, UPC, EAN, or ISBN).',
    missing_gtin:
      'WooCommerce › Products › Edit product › Inventory: fill "GTIN, UPC, EAN, or ISBN" (CSV: GTIN, UPC, EAN, or ISBN).',
    missing_image: 'WooCommerce › Products › Edit product › Product image: set an image (CSV: Images).',
  },
  gmc: {
    missing_in_channel:
      'Merchant Center: add an item for the product to the feed (id, title, link, image_link, price, availability).',
    variant_missing:
      'Merchant Center: add an item for this variant with the same item_group_id and its size / color attributes.',
    price_mismatch:
      'Merchant Center: set the price attribute to the regular price, with its currency ("19.99 USD").',
    sale_price_mismatch:
      'Merchant Center: set sale_price (and sale_price_effective_date), or remove it when there is no sale.',
    availability_mismatch:
      'Merchant Center: set availability to in_stock, out_of_stock, preorder or backorder, as the store sells it.',
    title_mismatch:
      'Merchant Center: correct the title attribute: the model, size or capacity must match the landing page.',
    category_mismatch: 'Merchant Center: set google_product_category (id or path) or product_type.',
    weight_mismatch: 'Merchant Center: set shipping_weight with its unit ("350 g").',
    invalid_gtin:
      'Merchant Center: correct gtin, or remove it and set identifier_exists to no when there is none.',
    missing_gtin: 'Merchant Center: add the gtin attribute with the barcode the other channels have.',
    missing_image: 'Merchant Center: set image_link to a public image URL.',
  },
  amazon: {
    missing_in_channel: 'Seller Central › Catalog › Add Products: list it against its ASIN (or create one).',
    variant_missing:
      'Seller Central › Catalog › Variation Wizard: add the child with these variation theme values.',
    price_mismatch: 'Seller Central › Inventory › Manage All Inventory: set Price (listings file: price).',
    sale_price_mismatch:
      'Seller Central › Inventory › Manage All Inventory › Edit › Offer: set Sale price with its start and end dates.',
    availability_mismatch:
      'Seller Central › Inventory › Manage All Inventory: set Quantity, or check the FBA stock (listings file: quantity).',
    title_mismatch: 'Seller Central › Inventory › Edit › Product details: correct Item name (item_name).',
    category_mismatch:
      'Seller Central › Inventory › Edit: set the product type and Browse node (recommended_browse_nodes).',
    weight_mismatch: 'Seller Central › Inventory › Edit › Product details: set Item weight with its unit.',
    invalid_gtin:
      'Seller Central › Inventory › Edit › Product details: correct Product ID (external_product_id).',
    missing_gtin:
      'Seller Central › Inventory › Edit › Product details: set Product ID and Product ID type (UPC / EAN / GTIN).',
    missing_image: 'Seller Central › Inventory › Edit › Images: add a Main image (main_image_url).',
  },
  csv: generic,
  jsonl: generic,
};

/** The line for a gap of `kind` on a channel exported as `format` (a format Concord does not know reads as generic). */
export function fixHint(kind: GapKind, format: string | undefined): string {
  return (FIX_HINTS[format as Format] ?? generic)[kind];
}
