/**
 * Generic product CSV / JSON Lines with a column mapping (`--map recordId=sku --map price=price_eur …`).
 * Two adapters, `csv` and `jsonl`, share this code; JSONL rows arrive as cells aligned to the union of
 * the objects' keys. They are never detected from a header: the user names them and gives the mapping.
 */
import { emptyRecord, type NormalizedRecord } from '../../model/record.js';
import { badInput } from '../../model/errors.js';
import type { BindOptions, FormatAdapter, RawRow, RowContext, RowMapper } from '../types.js';
import { availabilityFromStock, mapAvailability } from '../../normalize/availability.js';
import { brandDisplay, brandKey } from '../../normalize/brand.js';
import { splitCategoryPath } from '../../normalize/category.js';
import { htmlToText } from '../../normalize/html.js';
import { genericRecordId } from '../../normalize/identity.js';
import { cleanId, normalizeText } from '../../normalize/text.js';
import {
  ColumnMapper,
  HeaderIndex,
  applyGtin,
  applyPrices,
  cell,
  headerKey,
  lowerWord,
  plainText,
  readPrice,
  readWeightG,
  splitList,
  readAvailability,
  availabilityOrElse,
  readStock,
  withoutTextMarker,
} from './common.js';

/** Target fields a mapping may name. */
export const GENERIC_TARGETS = [
  'recordId',
  'parentId',
  'title',
  'description',
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
  'weightUnit',
  'category',
  'imageUrl',
  'link',
  'condition',
  'status',
  'tags',
] as const;
export type GenericTarget = (typeof GENERIC_TARGETS)[number];

type Columns = Record<GenericTarget, number>;

const TARGET_SET = new Set<string>(GENERIC_TARGETS);

function resolveColumns(
  header: readonly string[],
  mapping: Record<string, string> | undefined,
  file: string,
  format: string,
): Columns {
  if (mapping === undefined || mapping.recordId === undefined) {
    throw badInput(
      { file, line: 1, field: 'recordId' },
      `${format}: a generic import needs a column mapping with at least recordId`,
      { do: 'map', target: 'recordId' },
    );
  }
  const exact = new Map<string, number>();
  const loose = new Map<string, number>();
  header.forEach((h, i) => {
    if (!exact.has(h)) exact.set(h, i);
    const k = headerKey(h);
    if (!loose.has(k)) loose.set(k, i);
  });
  const cols = {} as Columns;
  for (const t of GENERIC_TARGETS) cols[t] = -1;
  for (const [target, column] of Object.entries(mapping)) {
    if (!TARGET_SET.has(target)) {
      throw badInput(
        { file, line: 1, field: target },
        `--map ${target}=${column}: unknown target field (known: ${GENERIC_TARGETS.join(', ')})`,
      );
    }
    const at = exact.get(column) ?? loose.get(headerKey(column));
    if (at === undefined) {
      const shown = header.slice(0, 20).join(', ') + (header.length > 20 ? ', …' : '');
      throw badInput(
        { file, line: 1, field: column },
        `--map ${target}=${column}: no column "${column}" in the header (${shown})`,
      );
    }
    cols[target as GenericTarget] = at;
  }
  return cols;
}

class GenericMapper extends ColumnMapper<Columns> {
  private readonly names = {} as Record<GenericTarget, string>;
  readonly idColumn: string;

  constructor(c: Columns, header: readonly string[], file: string) {
    super(c, new HeaderIndex(header), file);
    for (const t of GENERIC_TARGETS) this.names[t] = c[t] >= 0 ? header[c[t]] : t;
    this.idColumn = this.names.recordId;
  }

  map(row: RawRow, ctx: RowContext): NormalizedRecord | null {
    const c = this.c;
    const cells = row.cells;
    const recordId = genericRecordId(withoutTextMarker(cell(cells, c.recordId)));
    if (recordId === null) {
      throw this.noIdentity(row, this.names.recordId, 'row has an empty id column: no record identity');
    }
    const rec = emptyRecord(recordId);
    rec.parentId = cleanId(cell(cells, c.parentId));
    rec.title = plainText(cell(cells, c.title));
    rec.description = htmlToText(cell(cells, c.description));
    const brand = cell(cells, c.brand);
    rec.brand = brandDisplay(brand);
    rec.brandKey = brandKey(brand);
    rec.mpn = cleanId(cell(cells, c.mpn));
    rec.sku = cleanId(withoutTextMarker(cell(cells, c.sku)));
    rec.imageUrl = cleanId(cell(cells, c.imageUrl));
    rec.link = cleanId(cell(cells, c.link));
    rec.condition = lowerWord(cell(cells, c.condition));
    rec.status = lowerWord(cell(cells, c.status));

    const category = cell(cells, c.category);
    const bar = category.indexOf('|');
    rec.category = splitCategoryPath(bar === -1 ? category : category.slice(0, bar));
    rec.tags = readTags(cell(cells, c.tags));

    applyGtin(rec, cell(cells, c.gtin), ctx, this.names.gtin);

    const currency = normalizeText(cell(cells, c.currency));
    applyPrices(
      rec,
      readPrice(cell(cells, c.price), ctx, this.names.price, currency),
      readPrice(cell(cells, c.salePrice), ctx, this.names.salePrice, currency),
    );

    rec.stock = readStock(cell(cells, c.stock), ctx, this.names.stock);
    rec.availability = availabilityOrElse(
      cell(cells, c.availability),
      (raw) => readAvailability(raw, mapAvailability, ctx, this.names.availability, 'an availability value'),
      () => availabilityFromStock(rec.stock),
    );

    const unit = cell(cells, c.weightUnit).trim();
    rec.weightG = readWeightG(
      cell(cells, c.weight),
      ctx,
      this.names.weight,
      unit.length > 0 ? unit : undefined,
    );
    return rec;
  }
}

/** Tags as `a, b`, `a|b`, or a JSON array (JSON Lines values arrive as JSON text). */
function readTags(s: string): string[] {
  if (s.length === 0) return [];
  if (s.charCodeAt(0) === 91 /* [ */) {
    try {
      const arr: unknown = JSON.parse(s);
      if (Array.isArray(arr)) {
        const out: string[] = [];
        for (const v of arr) {
          const t = typeof v === 'string' || typeof v === 'number' ? normalizeText(String(v)) : null;
          if (t !== null && !out.includes(t)) out.push(t);
        }
        return out;
      }
    } catch {
      // not JSON: read as a plain list
    }
  }
  return splitList(s, s.indexOf('|') === -1 ? ',' : '|');
}

function genericAdapter(name: 'csv' | 'jsonl', label: string): FormatAdapter {
  return {
    name,
    label,
    detect(): number {
      return 0; // chosen by the user with a mapping, never guessed
    },
    bind(header: string[], options: BindOptions): RowMapper {
      return new GenericMapper(
        resolveColumns(header, options.mapping, options.file, name),
        header,
        options.file,
      );
    },
  };
}

export const csvAdapter: FormatAdapter = genericAdapter('csv', 'Generic product CSV (column mapping)');
export const jsonlAdapter: FormatAdapter = genericAdapter(
  'jsonl',
  'Generic product JSON Lines (column mapping)',
);

/** Share of mapped columns the header has (1 = all): how well a mapping fits a header. */
export function mappingFit(header: readonly string[], mapping: Record<string, string>): number {
  const cols = Object.values(mapping);
  if (cols.length === 0 || mapping.recordId === undefined) return 0;
  const keys = new Set(header.map(headerKey));
  let hits = 0;
  for (const col of cols) if (keys.has(headerKey(col))) hits++;
  return hits / cols.length;
}
