/**
 * Stage `golden`: one golden record per cluster by field-wise survivorship (core/align/golden.ts), each value with
 * its provenance. Reads the fields golden records need only now that the clusters are known.
 */
import type Database from 'better-sqlite3';
import { stage } from '../../jobs/pipeline.js';
import { ConcordError } from '../../model/errors.js';
import type { Availability } from '../../model/record.js';
import type { GoldenRecordRow } from '../../store/goldenRecords.js';
import { loadColumns, type RecordColumns } from '../../store/records.js';
import {
  byPriority,
  GOLDEN_FIELDS,
  survive,
  type GoldenField,
  type GoldenMember,
  type GoldenRule,
  type GoldenValue,
} from '../golden.js';
import type { Clustering } from './cluster.js';

export interface GoldenInput {
  db: Database.Database;
  n: number;
  clustering: Clustering;
  /** The records' columns when already loaded (re-clustering); else read now. */
  columns?: RecordColumns;
}

export interface GoldenOutput {
  columns: RecordColumns;
  golden: GoldenRecordRow[];
}

function fieldValue(c: RecordColumns, i: number, f: GoldenField): string | null {
  const num = (v: number | null) => (v === null ? null : String(v));
  switch (f) {
    case 'title':
      return c.title[i];
    case 'description':
      return c.hasDescription[i] ? `\u0000${c.id[i]}` : null; // not loaded: survivorship by presence only
    case 'brand':
      return c.brand[i];
    case 'gtin':
      return c.gtin[i];
    case 'mpn':
      return c.mpn[i];
    case 'sku':
      return c.sku[i];
    case 'price':
      return num(c.price[i]);
    case 'salePrice':
      return num(c.salePrice[i]);
    case 'currency':
      return c.currency[i];
    case 'availability':
      return c.availability[i];
    case 'weight':
      return num(c.weight[i]);
    case 'category':
      return c.category[i];
    case 'image':
      return c.image[i];
    case 'link':
      return c.link[i];
    case 'options':
      return c.options[i];
  }
}

function round6(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}

type GoldenBase = Pick<
  GoldenRecordRow,
  'clusterId' | 'sourceRecord' | 'size' | 'channels' | 'duplicates' | 'confidence'
>;

/** The row of a golden record from its surviving values. */
function goldenRow(
  base: GoldenBase,
  v: Record<GoldenField, string | null>,
  provenance: Partial<Record<GoldenField, [number | null, GoldenRule]>> | null,
): GoldenRecordRow {
  const num = (x: string | null) => (x === null ? null : Number(x));
  return {
    clusterId: base.clusterId,
    sourceRecord: base.sourceRecord,
    size: base.size,
    channels: base.channels,
    duplicates: base.duplicates,
    confidence: base.confidence,
    title: v.title,
    brand: v.brand,
    gtin: v.gtin,
    mpn: v.mpn,
    sku: v.sku,
    priceMinor: num(v.price),
    salePriceMinor: num(v.salePrice),
    currency: v.currency,
    availability: v.availability as Availability | null,
    weightG: num(v.weight),
    category: v.category,
    imageUrl: v.image,
    link: v.link,
    options: v.options,
    provenance: provenance ? JSON.stringify(provenance) : null,
  };
}

/** The golden record of a one-record cluster: the record's own values (as goldenRow has them from fieldValue). */
function singletonRow(c: RecordColumns, i: number): GoldenRecordRow {
  return {
    clusterId: c.id[i],
    sourceRecord: c.id[i],
    size: 1,
    channels: c.channels[c.channel[i]],
    duplicates: 0,
    confidence: 1,
    title: c.title[i],
    brand: c.brand[i],
    gtin: c.gtin[i],
    mpn: c.mpn[i],
    sku: c.sku[i],
    priceMinor: c.price[i],
    salePriceMinor: c.salePrice[i],
    currency: c.currency[i],
    availability: c.availability[i] as Availability | null,
    weightG: c.weight[i],
    category: c.category[i],
    imageUrl: c.image[i],
    link: c.link[i],
    options: c.options[i],
    provenance: null,
  };
}

/**
 * A sale price belongs to its price: the golden sale price is the one of the record the golden price came from —
 * "no sale" included — when that record's channel exports sale prices at all; otherwise survivorship as usual.
 */
function salePriceOf(
  c: RecordColumns,
  price: GoldenValue,
  saleChannels: ReadonlySet<number>,
  ordered: readonly GoldenMember[],
): GoldenValue {
  if (price.from === null || !saleChannels.has(c.channel[price.from])) return survive(ordered, 'salePrice');
  return { value: fieldValue(c, price.from, 'salePrice'), from: price.from, rule: price.rule };
}

/** Channels (by index) with at least one sale price. */
function channelsWithSales(c: RecordColumns): Set<number> {
  const out = new Set<number>();
  for (let i = 0; i < c.salePrice.length; i++) if (c.salePrice[i] !== null) out.add(c.channel[i]);
  return out;
}

export function goldenRecords(
  c: RecordColumns,
  cluster: Int32Array,
  duplicate: Uint8Array,
  confidence: Float32Array,
): GoldenRecordRow[] {
  const n = c.id.length;
  const saleChannels = channelsWithSales(c);
  const members = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const r = cluster[i];
    if (r === i) continue;
    const l = members.get(r);
    if (l) l.push(i);
    else members.set(r, [r, i]);
  }
  const out: GoldenRecordRow[] = [];
  for (let i = 0; i < n; i++) {
    if (cluster[i] !== i) continue;
    const idx = members.get(i);
    if (!idx) {
      out.push(singletonRow(c, i));
      continue;
    }
    const values = {} as Record<GoldenField, string | null>;
    let provenance: Partial<Record<GoldenField, [number | null, GoldenRule]>> | null = null;
    const ordered = byPriority(
      idx.map<GoldenMember>((x) => ({
        index: x,
        priority: c.channel[x],
        value: (f) => fieldValue(c, x, f),
        key: (f, v) => (f === 'brand' ? (c.brandKey[x] ?? v) : v.trim().toLowerCase()),
      })),
    );
    const source = ordered[0].index;
    let price: GoldenValue | null = null;
    for (const f of GOLDEN_FIELDS) {
      const g: GoldenValue =
        f === 'salePrice' ? salePriceOf(c, price!, saleChannels, ordered) : survive(ordered, f);
      if (f === 'price') price = g;
      values[f] = g.value;
      // A stated absence (no sale price) keeps its provenance too: detection tells it from "unknown".
      if (
        (g.value !== null || g.from !== null) &&
        (g.from !== source || g.rule !== 'priority' || g.value === null)
      ) {
        provenance ??= {};
        provenance[f] = [g.from === null ? null : c.id[g.from], g.rule];
      }
    }
    const base = {
      clusterId: c.id[i],
      sourceRecord: c.id[source],
      size: idx.length,
      channels: [...new Set(ordered.map((mbr) => c.channels[c.channel[mbr.index]]))].join(','),
      duplicates: duplicate[i],
      confidence: round6(confidence[i]),
    };
    out.push(goldenRow(base, values, provenance));
  }
  return out;
}

export const goldenStage = stage('golden', 'golden records', (input: GoldenInput): GoldenOutput => {
  const columns = input.columns ?? loadColumns(input.db);
  if (columns.id.length !== input.n)
    throw new ConcordError('CONFLICT', 'the workspace changed while aligning: align again');
  const { cluster, duplicate, confidence } = input.clustering;
  return { columns, golden: goldenRecords(columns, cluster, duplicate, confidence) };
});
