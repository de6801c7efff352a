/** Display order and labels of record fields (RecordView.fields). */

/** The fields a merchandiser reads first, in this order; any other field follows alphabetically. */
const ORDER = [
  'title',
  'brand',
  'gtin',
  'mpn',
  'sku',
  'price',
  'salePrice',
  'currency',
  'availability',
  'stock',
  'weight',
  'size',
  'color',
  'options',
  'category',
  'condition',
  'status',
  'description',
  'tags',
  'link',
  'image',
];

const LABELS: Record<string, string> = {
  gtin: 'GTIN',
  mpn: 'MPN',
  sku: 'SKU',
  salePrice: 'Sale price',
  image: 'Image URL',
  link: 'Link',
};

export function fieldLabel(field: string): string {
  const known = LABELS[field];
  if (known) return known;
  const words = field
    .replace(/[_-]+/g, ' ')
    .replace(/([a-z\d])([A-Z])/g, '$1 $2')
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Every field any of the maps has, in display order. */
export function orderedFields(maps: readonly Record<string, string | null>[]): string[] {
  const all = new Set<string>();
  for (const m of maps) for (const k of Object.keys(m)) all.add(k);
  const rank = (f: string) => {
    const i = ORDER.indexOf(f);
    return i === -1 ? ORDER.length : i;
  };
  return [...all].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** URLs and long free text are shown clamped. */
export function isLongText(field: string): boolean {
  return field === 'description' || field === 'tags' || field === 'link' || field === 'image';
}
