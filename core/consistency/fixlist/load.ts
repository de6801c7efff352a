/**
 * What a fix list is built from: the selected gaps of one channel, each with the record it is about (as it is in
 * the workspace now) and the golden record of that record's product (the values to write).
 */
import type Database from 'better-sqlite3';
import type { GapKind, GapStatus } from '../../api/contract.js';
import { ConcordError } from '../../model/errors.js';
import type { FixSource } from './rawCells.js';

export interface FixRecord {
  /** records.id */
  ref: number;
  source: FixSource;
  line: number;
  recordId: string;
  parentId: string | null;
  sku: string | null;
  title: string | null;
  priceMinor: number | null;
  salePriceMinor: number | null;
  currency: string | null;
  availability: string | null;
  stock: number | null;
  weightG: number | null;
  category: string | null;
  imageUrl: string | null;
  gtin: string | null;
  gtinRaw: string | null;
  options: Record<string, string>;
  attributes: Record<string, string>;
}

/** The golden record of a product: the values a fix writes. */
export interface FixGolden {
  clusterId: number;
  title: string | null;
  priceMinor: number | null;
  salePriceMinor: number | null;
  currency: string | null;
  availability: string | null;
  weightG: number | null;
  category: string | null;
  imageUrl: string | null;
  /** GTIN-14. */
  gtin: string | null;
  /** A positive stock count of the product's in-stock records (the availability's source first), or null. */
  referenceStock: number | null;
}

export interface FixGap {
  id: number;
  kind: GapKind;
  channel: string;
  recordId: string | null;
  expected: string | null;
  actual: string | null;
  status: GapStatus;
  record: FixRecord | null;
  golden: FixGolden | null;
}

interface GapDbRow {
  id: number;
  kind: GapKind;
  channel: string;
  record_id: string | null;
  record_ref: number | null;
  cluster_id: number;
  expected: string | null;
  actual: string | null;
  status: GapStatus;
}

interface RecordDbRow {
  id: number;
  source_id: number;
  line: number;
  record_id: string;
  parent_id: string | null;
  sku: string | null;
  title: string | null;
  price_minor: number | null;
  sale_price_minor: number | null;
  currency: string | null;
  availability: string | null;
  stock: number | null;
  weight_g: number | null;
  category: string | null;
  image_url: string | null;
  gtin: string | null;
  gtin_raw: string | null;
  options: string | null;
  attributes: string | null;
}

interface GoldenDbRow {
  cluster_id: number;
  source_record: number;
  title: string | null;
  price_minor: number | null;
  sale_price_minor: number | null;
  currency: string | null;
  availability: string | null;
  weight_g: number | null;
  category: string | null;
  image_url: string | null;
  gtin: string | null;
  provenance: string | null;
}

function parseObject(json: string | null): Record<string, string> {
  if (!json) return {};
  try {
    const v = JSON.parse(json) as unknown;
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, string>) : {};
  } catch {
    return {};
  }
}

/** The workspace's channels in priority order. */
export function channelNames(db: Database.Database): string[] {
  return db.prepare('SELECT name FROM channels ORDER BY priority, name').pluck().all() as string[];
}

/** True once gaps have been detected in the workspace. */
export function gapsDetected(db: Database.Database): boolean {
  return db.prepare('SELECT 1 FROM gap_runs LIMIT 1').get() !== undefined;
}

/** The channel's product sources, newest first. */
export function channelSources(db: Database.Database, channel: string): FixSource[] {
  const rows = db
    .prepare(
      `SELECT s.id, s.format, s.file_name, s.header,
              EXISTS (SELECT 1 FROM row_warnings w WHERE w.source_id = s.id AND w.code = 'decimal_comma') AS comma
       FROM sources s WHERE s.channel = ? AND s.kind = 'products' ORDER BY s.id DESC`,
    )
    .all(channel) as { id: number; format: string; file_name: string; header: string; comma: number }[];
  return rows.map((r) => ({
    id: r.id,
    format: r.format,
    fileName: r.file_name,
    header: JSON.parse(r.header) as string[],
    decimalComma: r.comma === 1,
  }));
}

/**
 * The gaps a fix list covers: the channel's open gaps, or exactly the given ids (each must exist and belong to the
 * channel, else BAD_INPUT).
 */
export function selectGaps(db: Database.Database, channel: string, ids?: readonly number[]): GapDbRow[] {
  const columns = 'id, kind, channel, record_id, record_ref, cluster_id, expected, actual, status';
  if (ids === undefined) {
    return db
      .prepare(`SELECT ${columns} FROM gaps WHERE channel = ? AND status = 'open' ORDER BY id`)
      .all(channel) as GapDbRow[];
  }
  const unique = [...new Set(ids)];
  const rows = db
    .prepare(`SELECT ${columns} FROM gaps WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id`)
    .all(JSON.stringify(unique)) as GapDbRow[];
  const found = new Map(rows.map((r) => [r.id, r]));
  const missing = unique.filter((id) => !found.has(id));
  if (missing.length > 0) {
    throw new ConcordError(
      'BAD_INPUT',
      `no gap with id ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ', …' : ''} (run \`concord gaps\` for the current ids)`,
      { field: 'ids' },
    );
  }
  const foreign = rows.filter((r) => r.channel !== channel);
  if (foreign.length > 0) {
    const shown = foreign
      .slice(0, 5)
      .map((r) => `${r.id} (${r.channel})`)
      .join(', ');
    throw new ConcordError(
      'BAD_INPUT',
      `gap${foreign.length > 1 ? 's' : ''} ${shown}${foreign.length > 5 ? ', …' : ''} belong${foreign.length > 1 ? '' : 's'} to another channel than "${channel}"`,
      { field: 'ids' },
    );
  }
  return rows;
}

/** Loads each gap's record (as the workspace has it now) and its product's golden record. */
export class FixLoader {
  private readonly byRef;
  private readonly byId;
  private readonly goldenOfRecord;
  private readonly goldenOfCluster;
  private readonly stockOf;
  private readonly clusterStock;
  private readonly sources = new Map<number, FixSource>();
  private readonly goldens = new Map<number, FixGolden | null>();

  constructor(db: Database.Database, sources: readonly FixSource[]) {
    for (const s of sources) this.sources.set(s.id, s);
    const cols = `r.id, r.source_id, r.line, r.record_id, r.parent_id, r.sku, r.title, r.price_minor, r.sale_price_minor,
      r.currency, r.availability, r.stock, r.weight_g, r.category, r.image_url, r.gtin, r.gtin_raw, r.options, r.attributes`;
    this.byRef = db.prepare(
      `SELECT ${cols} FROM records r WHERE r.id = ? AND r.channel = ? AND r.record_id = ?`,
    );
    this.byId = db.prepare(
      `SELECT ${cols} FROM records r JOIN sources s ON s.id = r.source_id
       WHERE r.channel = ? AND r.record_id = ? AND s.kind = 'products' ORDER BY r.id DESC LIMIT 1`,
    );
    const golden = `g.cluster_id, g.source_record, g.title, g.price_minor, g.sale_price_minor, g.currency, g.availability,
      g.weight_g, g.category, g.image_url, g.gtin, g.provenance`;
    // The golden record of the record's product as alignment stored it (variant twins read as one product).
    this.goldenOfRecord = db.prepare(
      `SELECT ${golden} FROM clusters c LEFT JOIN products p ON p.cluster_id = c.cluster_id
       JOIN golden_records g ON g.cluster_id = coalesce(p.product_id, c.cluster_id) WHERE c.record_id = ?`,
    );
    this.goldenOfCluster = db.prepare(`SELECT ${golden} FROM golden_records g WHERE g.cluster_id = ?`);
    this.stockOf = db.prepare('SELECT stock FROM records WHERE id = ?').pluck();
    this.clusterStock = db
      .prepare(
        `SELECT max(r.stock) FROM clusters c JOIN records r ON r.id = c.record_id
         WHERE c.cluster_id IN (SELECT cluster_id FROM products WHERE product_id = @p UNION SELECT @p)
           AND r.availability = 'in_stock' AND r.stock > 0`,
      )
      .pluck();
  }

  load(row: GapDbRow): FixGap {
    const record = row.record_id === null ? null : this.record(row);
    let golden: FixGolden | null = null;
    if (record !== null) {
      const g = (this.goldenOfRecord.get(record.ref) ?? this.goldenOfCluster.get(row.cluster_id)) as
        GoldenDbRow | undefined;
      golden = g === undefined ? null : this.golden(g);
    }
    return {
      id: row.id,
      kind: row.kind,
      channel: row.channel,
      recordId: row.record_id,
      expected: row.expected,
      actual: row.actual,
      status: row.status,
      record,
      golden,
    };
  }

  private record(row: GapDbRow): FixRecord | null {
    let r = (
      row.record_ref === null ? undefined : this.byRef.get(row.record_ref, row.channel, row.record_id)
    ) as RecordDbRow | undefined;
    r ??= this.byId.get(row.channel, row.record_id) as RecordDbRow | undefined;
    if (r === undefined) return null;
    const source = this.sources.get(r.source_id);
    if (source === undefined) return null;
    return {
      ref: r.id,
      source,
      line: r.line,
      recordId: r.record_id,
      parentId: r.parent_id,
      sku: r.sku,
      title: r.title,
      priceMinor: r.price_minor,
      salePriceMinor: r.sale_price_minor,
      currency: r.currency,
      availability: r.availability,
      stock: r.stock,
      weightG: r.weight_g,
      category: r.category,
      imageUrl: r.image_url,
      gtin: r.gtin,
      gtinRaw: r.gtin_raw,
      options: parseObject(r.options),
      attributes: parseObject(r.attributes),
    };
  }

  private golden(g: GoldenDbRow): FixGolden {
    const known = this.goldens.get(g.cluster_id);
    if (known) return known;
    let referenceStock: number | null = null;
    if (g.availability === 'in_stock') {
      const provenance = parseObject(g.provenance) as unknown as Record<string, [number | null, string]>;
      const from = provenance.availability?.[0] ?? g.source_record;
      const own = this.stockOf.get(from) as number | null | undefined;
      referenceStock =
        own != null && own > 0
          ? own
          : ((this.clusterStock.get({ p: g.cluster_id }) as number | null) ?? null);
    }
    const out: FixGolden = {
      clusterId: g.cluster_id,
      title: g.title,
      priceMinor: g.price_minor,
      salePriceMinor: g.sale_price_minor,
      currency: g.currency,
      availability: g.availability,
      weightG: g.weight_g,
      category: g.category,
      imageUrl: g.image_url,
      gtin: g.gtin,
      referenceStock,
    };
    this.goldens.set(g.cluster_id, out);
    return out;
  }
}
