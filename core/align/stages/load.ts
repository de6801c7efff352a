/**
 * Stage `load`: the product records streamed into their matching profiles (typed arrays), the labels and the
 * truth resolved to record positions on the way, the record embeddings when the workspace has them, and the
 * threshold (given, else the previous alignment's, else the default).
 */
import type Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stage } from '../../jobs/pipeline.js';
import { ConcordError } from '../../model/errors.js';
import { channelOrder, streamProductRecords, type RecordColumn } from '../../store/records.js';
import type { Workspace } from '../../store/workspace.js';
import {
  addLabels,
  currentLabels,
  LabelRefs,
  readLabelsFile,
  resolveLabels,
  type ResolvedLabels,
} from '../labels.js';
import { buildKeyPart, RecordProfiles, type AlignRecord, type RecordEmbeddings } from '../recordPairs.js';
import type { ProfileTwin } from '../profileTwin.js';
import type { TruthClusters } from '../truth.js';
import { latestRun } from '../runs.js';
import { VariantOptions } from '../variants.js';
import { RecordOptionsReader, type RecordOptions } from '../recordOptions.js';

export const DEFAULT_THRESHOLD = 0.5;

export interface LoadInput {
  ws: Workspace;
  threshold?: number;
  labelsFile?: string;
  truth?: TruthClusters;
  /** Use the workspace's record embeddings (default true). */
  embeddings?: boolean;
  /** Alignment's second thread (large workspaces): it builds the profiles' text part meanwhile. */
  twin?: ProfileTwin | null;
}

export interface LoadOutput {
  profiles: RecordProfiles;
  /** Records. */
  n: number;
  labels: ResolvedLabels;
  /** Truth cluster of each record position (-1 unknown), when a truth is given. */
  truthOf: Int32Array | null;
  emb: RecordEmbeddings | null;
  embNote: string | null;
  threshold: number;
  /** Channel of each record position. */
  channelOf: Int32Array;
  /** Valid GTIN (an id per distinct GTIN) of each record position, -1 none. */
  gtinOf: Int32Array;
  variants: VariantOptions;
  /** The channel's variant group of each record position (an id per channel and parent), -1 none. */
  parentOf: Int32Array;
}

const MATCH_COLUMNS = [
  'id',
  'channel',
  'record_id',
  'title',
  'brand_key',
  'gtin',
  'mpn',
  'sku',
  'price_minor',
  'sale_price_minor',
  'currency',
  'weight_g',
  'category',
  'options',
  'parent_id',
  'image_url',
] as const satisfies readonly RecordColumn[];

/**
 * The product records' matching fields, in records.id order, one at a time (unknown channels appended), each with
 * the channel's own grouping of variants (Shopify Handle, WooCommerce parent, Google item_group_id) and its
 * options raw and canonical (RecordOptionsReader).
 */
function* matchRecords(
  db: Database.Database,
  channels: string[],
): Generator<{ record: AlignRecord; parent: string | null; options: RecordOptions }> {
  const index = new Map(channels.map((c, i) => [c, i]));
  const reader = new RecordOptionsReader();
  for (const row of streamProductRecords(db, MATCH_COLUMNS)) {
    const name = row[1] as string;
    let channel = index.get(name);
    if (channel === undefined) {
      channel = channels.length;
      channels.push(name);
      index.set(name, channel);
    }
    const title = row[3] as string | null;
    const options = reader.of(title, row[13] as string | null);
    const record: AlignRecord = {
      id: row[0] as number,
      channel,
      recordId: row[2] as string,
      title,
      brandKey: row[4] as string | null,
      gtin: row[5] as string | null,
      mpn: row[6] as string | null,
      sku: row[7] as string | null,
      priceMinor: row[8] as number | null,
      salePriceMinor: row[9] as number | null,
      currency: row[10] as string | null,
      weightG: row[11] as number | null,
      category: row[12] as string | null,
      options: options.canonical,
      imageUrl: row[15] as string | null,
    };
    yield { record, parent: row[14] as string | null, options };
  }
}

/** Position of records.id `id` in an ascending id array, -1 when absent. */
export function positionOf(ids: Float64Array, id: number): number {
  let lo = 0;
  let hi = ids.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = ids[mid];
    if (v === id) return mid;
    if (v < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** The workspace's record embeddings (the newest matrix of scope `records`), mapped to record positions. */
function loadEmbeddings(
  ws: Workspace,
  ids: Float64Array,
): { emb: RecordEmbeddings | null; note: string | null } {
  const has = ws.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'embeddings'").get();
  if (!has) return { emb: null, note: 'no embeddings table' };
  const rec = ws.db
    .prepare(
      "SELECT path, keys_path, rows, dims FROM embeddings WHERE scope = 'records' ORDER BY id DESC LIMIT 1",
    )
    .get() as { path: string; keys_path: string; rows: number; dims: number } | undefined;
  if (!rec)
    return { emb: null, note: 'the workspace has no record embeddings (train the encoder to add them)' };
  try {
    // The layout migration 002 documents: rows × dims float32 LE, keys (records.id) int64 LE.
    const m = readFileSync(join(ws.blobDir, rec.path));
    const k = readFileSync(join(ws.blobDir, rec.keys_path));
    const matrix = new Float32Array(m.buffer.slice(m.byteOffset, m.byteOffset + m.byteLength));
    const keys = new BigInt64Array(k.buffer.slice(k.byteOffset, k.byteOffset + k.byteLength));
    if (matrix.length !== rec.rows * rec.dims || keys.length !== rec.rows)
      return { emb: null, note: 'the record embeddings have the wrong size' };
    const row = new Int32Array(ids.length).fill(-1);
    let covered = 0;
    for (let r = 0; r < keys.length; r++) {
      const i = positionOf(ids, Number(keys[r]));
      if (i >= 0) {
        row[i] = r;
        covered++;
      }
    }
    if (covered < 0.5 * ids.length)
      return { emb: null, note: 'the record embeddings are out of date (records re-imported)' };
    return { emb: { matrix, dims: rec.dims, row }, note: null };
  } catch (err) {
    return { emb: null, note: `record embeddings unreadable (${(err as Error).message})` };
  }
}

export const loadStage = stage(
  'load',
  'reading and profiling records',
  async (input: LoadInput, ctx): Promise<LoadOutput> => {
    const { ws, truth } = input;
    const db = ws.db;
    if (input.threshold !== undefined && !(input.threshold >= 0 && input.threshold <= 1))
      throw new ConcordError('BAD_INPUT', `threshold must be within 0..1, got ${input.threshold}`);
    const previousThreshold = latestRun(db)?.threshold;
    if (input.labelsFile) addLabels(db, readLabelsFile(input.labelsFile), 'file');
    const channels = channelOrder(db);
    const labelRefs = new LabelRefs(currentLabels(db));
    // Truth clusters and variant groups by channel, then record id / parent id (no joined keys built per record).
    const truthByRef = new Map<string, Map<string, number>>();
    truth?.forEach((c, k) =>
      c.forEach((r) => {
        let m = truthByRef.get(r.channel);
        if (!m) truthByRef.set(r.channel, (m = new Map()));
        m.set(r.recordId, k);
      }),
    );
    const truthList: number[] = [];
    const options: (Record<string, string> | null)[] = [];
    // One pass: profiles are built as records stream in; labels' and truth's records are noted on the way.
    let position = 0;
    const parentIds: Map<string, number>[] = [];
    let parentCount = 0;
    const parents: number[] = [];
    function* tap(): Generator<AlignRecord> {
      for (const { record: r, parent, options: o } of matchRecords(db, channels)) {
        let g = -1;
        if (parent !== null) {
          const byParent = (parentIds[r.channel] ??= new Map());
          g = byParent.get(parent) ?? -1;
          if (g < 0) byParent.set(parent, (g = parentCount++));
        }
        parents.push(g);
        const channel = channels[r.channel];
        labelRefs.see(channel, r.recordId, position);
        if (truth) truthList.push(truthByRef.get(channel)?.get(r.recordId) ?? -1);
        options.push(o.raw);
        position++;
        yield r;
      }
    }
    // Large workspaces: the twin builds the text part meanwhile, from the same records.
    const text = input.twin?.textPart(ctx.signal);
    text?.catch(() => {}); // awaited below; not unhandled should the key part throw first
    const key = text ? buildKeyPart(tap()) : null;
    const profiles = key && text ? new RecordProfiles({ key, text: await text }) : new RecordProfiles(tap());
    truthByRef.clear();
    const n = profiles.n;
    const truthOf = truth ? Int32Array.from(truthList) : null;
    truthList.length = 0;
    const labels = resolveLabels(labelRefs.labels, labelRefs.byRef, n);
    const { emb, note: embNote } =
      input.embeddings === false ? { emb: null, note: 'embeddings off' } : loadEmbeddings(ws, profiles.id);
    profiles.embeddings = emb;
    // The twin computes pair features too (the features stage), where there are no embeddings to send it.
    if (key && !emb) input.twin?.shareKeys(key);
    const threshold = input.threshold ?? previousThreshold ?? DEFAULT_THRESHOLD;
    return {
      profiles,
      n,
      labels,
      truthOf,
      emb,
      embNote,
      threshold,
      channelOf: profiles.channel,
      gtinOf: profiles.gtin,
      variants: new VariantOptions(options),
      parentOf: Int32Array.from(parents),
    };
  },
);
