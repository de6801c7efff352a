/**
 * What a fix list is built from: the selected gaps of one channel, each with the record it is about (as it is in
 * the workspace now) and the golden record of that record's product (the values to write).
 */
import type Database from 'better-sqlite3';
import type { GapFilter, GapKind, GapStatus } from '../../api/contract.js';
import { ConcordError } from '../../model/errors.js';
import {
  parseProvenance,
  ProductGoldenLookup,
  type GoldenColumn,
  type GoldenFields,
} from '../../store/goldenRecords.js';
import { RecordLookup, type RecordColumn, type RecordFields } from '../../store/records.js';
import { COMPARED_COLUMNS } from '../differs.js';
import { filterSql } from '../gapStore.js';
import type { FixSource } from './rawCells.js';

/** A gap's record as the workspace has it now, with its source file and its options and attributes parsed. */
export interface FixRecord extends Omit<FixRecordRow, 'id' | 'sourceId' | 'options' | 'attributes'> {
  /** records.id */
  ref: number;
  source: FixSource;
  options: Record<string, string>;
  attributes: Record<string, string>;
}

/** The golden record of a product: the values a fix writes (gtin: GTIN-14). */
export interface FixGolden extends Omit<FixGoldenRow, 'sourceRecord' | 'provenance'> {
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

/** The record columns a fix reads: where the record is, its codes and stock, and the values the rule compares. */
const FIX_RECORD = [
  'id',
  'source_id',
  'line',
  'record_id',
  'parent_id',
  'sku',
  'gtin_raw',
  'stock',
  'attributes',
  ...COMPARED_COLUMNS,
  'options',
] as const satisfies readonly RecordColumn[];

type FixRecordRow = RecordFields<(typeof FIX_RECORD)[number]>;

/** The golden-record columns a fix writes from. */
const FIX_GOLDEN = [
  'cluster_id',
  'source_record',
  ...COMPARED_COLUMNS,
  'provenance',
] as const satisfies readonly GoldenColumn[];

type FixGoldenRow = GoldenFields<(typeof FIX_GOLDEN)[number]>;

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
 * The gaps a fix list covers: exactly the given ids (each must exist and belong to the channel, else BAD_INPUT), or
 * the channel's open gaps, those `filter` selects when one is given (its channels and statuses do not apply: the
 * channel's open gaps are always the ones a fix list is for).
 */
export function selectGaps(
  db: Database.Database,
  channel: string,
  { ids, filter }: { ids?: readonly number[]; filter?: GapFilter } = {},
): GapDbRow[] {
  const columns = 'id, kind, channel, record_id, record_ref, cluster_id, expected, actual, status';
  if (ids === undefined) {
    const where = filterSql({ ...filter, channels: [channel], statuses: ['open'] });
    return db
      .prepare(`SELECT ${columns} FROM gaps ${where.sql} ORDER BY id`)
      .all(...where.args) as GapDbRow[];
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
  private readonly records;
  private readonly goldenRecords;
  private readonly sources = new Map<number, FixSource>();
  private readonly goldens = new Map<number, FixGolden | null>();

  constructor(db: Database.Database, sources: readonly FixSource[]) {
    for (const s of sources) this.sources.set(s.id, s);
    this.records = new RecordLookup(db, FIX_RECORD);
    // The golden record of the record's product as alignment stored it (variant twins read as one product).
    this.goldenRecords = new ProductGoldenLookup(db, FIX_GOLDEN);
  }

  load(row: GapDbRow): FixGap {
    const record = row.record_id === null ? null : this.record(row);
    let golden: FixGolden | null = null;
    if (record !== null) {
      const g = this.goldenRecords.ofRecordId(record.ref) ?? this.goldenRecords.ofClusterId(row.cluster_id);
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
    const recordId = row.record_id!;
    let r = row.record_ref === null ? undefined : this.records.byId(row.record_ref, row.channel, recordId);
    r ??= this.records.newest(row.channel, recordId);
    if (r === undefined) return null;
    const source = this.sources.get(r.sourceId);
    if (source === undefined) return null;
    const { id, sourceId: _sourceId, options, attributes, ...values } = r;
    return { ...values, ref: id, source, options: parseObject(options), attributes: parseObject(attributes) };
  }

  private golden(g: FixGoldenRow): FixGolden {
    const known = this.goldens.get(g.clusterId);
    if (known) return known;
    let referenceStock: number | null = null;
    if (g.availability === 'in_stock') {
      const provenance = parseProvenance(g.provenance);
      const from = provenance?.availability?.[0] ?? g.sourceRecord;
      const own = this.records.stockOf(from);
      referenceStock = own != null && own > 0 ? own : this.goldenRecords.productStock(g.clusterId);
    }
    const { sourceRecord: _sourceRecord, provenance: _provenance, ...values } = g;
    const out: FixGolden = { ...values, referenceStock };
    this.goldens.set(g.clusterId, out);
    return out;
  }
}
