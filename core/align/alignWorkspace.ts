/**
 * The alignment pipeline over a workspace (DESIGN.md "Alignment"): load the product records, block, score the
 * candidate pairs with a learned and calibrated classifier, cluster, build golden records, and store it all in
 * one transaction (migration 003). Also the cheaper re-clustering from stored probabilities and labels, for the
 * whole workspace (another threshold) or for a few clusters (a label, a split, a merge).
 *
 * Training labels, generic (nothing tuned to one data set):
 *  - known for sure: two records of different channels with the same valid GTIN are the same product (positive);
 *    with different valid GTINs they are different products (negative) — among the blocked pairs these are the
 *    hard negatives: look-alikes, sibling variants;
 *  - stored labels (review queue, split, merge, label files) join the training set and override the pair.
 * The GTIN is not a feature (it is the label), so the model learns from titles, options, quantities, codes,
 * identifiers, prices, weights and brands what makes two records one product, and decides the pairs the GTIN
 * cannot: a missing or invalid GTIN on either side.
 *
 * Memory: the records are streamed into their profiles (typed arrays); the fields golden records need are read
 * only once the clusters are known.
 */
import type Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AlignSummary } from '../api/contract.js';
import type { Progress, ProgressListener } from '../jobs/progress.js';
import { cancelled, ConcordError } from '../model/errors.js';
import { BatchInsert } from '../store/batchInsert.js';
import { openWorkspace, type Workspace } from '../store/workspace.js';
import {
  blockPairs,
  DEFAULT_BLOCKING,
  type AnnSearch,
  type BlockingOptions,
  type BlockingStats,
} from './blocking.js';
import { clusterRecords } from './clustering.js';
import { rng, type GbdtParams } from './gbdt.js';
import {
  byPriority,
  GOLDEN_FIELDS,
  survive,
  type GoldenField,
  type GoldenMember,
  type GoldenRule,
} from './golden.js';
import { addLabels, countLabels, currentLabels, readLabelsFile, type StoredLabel } from './labels.js';
import { canTrain, MatcherFeatures, trainMatcher } from './matcher.js';
import { RecordProfiles, type AlignRecord, type RecordEmbeddings } from './recordPairs.js';
import { pairRecall, pairwiseScores, refKey, type PairwiseScores, type TruthClusters } from './truth.js';

export const DEFAULT_THRESHOLD = 0.5;

/** Evidence of a stored pair probability. */
export const EVIDENCE_MODEL = 0;
export const EVIDENCE_SAME_GTIN = 1;
export const EVIDENCE_GTIN_CONFLICT = 2;
export const EVIDENCE_LABEL = 3;

export interface AlignOptions {
  /**
   * Match probability from which a pair may join a cluster (default: the previous alignment's, else 0.5 — the
   * probabilities are calibrated).
   */
  threshold?: number;
  /** A label file stored (source `file`) before aligning. */
  labelsFile?: string;
  /** Ground truth, for blocking recall and pairwise scores in the outcome. */
  truth?: TruthClusters;
  blocking?: Partial<BlockingOptions>;
  /** Use the workspace's record embeddings (cosine feature, ANN blocking) when it has them (default true). */
  embeddings?: boolean;
  /** Sure pairs sampled for training + validation (default 60,000). */
  maxTrainingPairs?: number;
  gbdt?: Partial<GbdtParams>;
  seed?: number;
  /** Recorded in align_runs.kind (default 'align'). */
  kind?: 'align' | 'retrain';
  signal?: AbortSignal;
  onProgress?: ProgressListener;
}

export interface AlignOutcome {
  summary: AlignSummary;
  blocking: BlockingStats & { recall: number | null };
  model: {
    trainingPairs: number;
    positives: number;
    validPairs: number;
    validF1: number | null;
    validPrecision: number | null;
    validRecall: number | null;
    validAveragePrecision: number | null;
    bestThreshold: number | null;
    trees: number;
    scoredPairs: number;
    featureImportance: Record<string, number>;
  };
  /** Against the truth, when given. */
  truth: (PairwiseScores & { blockingRecall: number; records: number; unknownRecords: number }) | null;
  embeddings: { used: boolean; rows: number; dims: number; note: string | null };
}

/** Above this many records the ANN index is not built (HNSW construction would dominate the run). */
const ANN_MAX_RECORDS = 60_000;
/** Up to this many records every record runs the text nearest-neighbour search (cheap); above, see queryRecords. */
const ALL_QUERIES_UP_TO = 60_000;
/** Records with a valid GTIN that still run the nearest-neighbour search, for training pairs. */
const DECIDED_QUERIES = 20_000;

// ---------------------------------------------------------------------------------------------------------------
// Reading records

/** Channel names in priority order (0 = system of record). */
export function channelOrder(db: Database.Database): string[] {
  return db.prepare('SELECT name FROM channels ORDER BY priority, name').pluck().all() as string[];
}

const PRODUCTS = `FROM records r JOIN sources s ON s.id = r.source_id WHERE s.kind = 'products'`;

type MatchRow = [
  number,
  string,
  string,
  string | null,
  string | null,
  string | null,
  string | null,
  string | null,
  number | null,
  number | null,
  string | null,
  number | null,
  string | null,
  string | null,
];

function parseOptions(json: string | null): Record<string, string> | null {
  if (!json) return null;
  try {
    const o = JSON.parse(json) as Record<string, string>;
    return o && typeof o === 'object' && Object.keys(o).length > 0 ? o : null;
  } catch {
    return null;
  }
}

/** The product records' matching fields, in records.id order, one at a time. */
function* matchRecords(db: Database.Database, channels: string[]): Generator<AlignRecord> {
  const index = new Map(channels.map((c, i) => [c, i]));
  const rows = db
    .prepare(
      `SELECT r.id, r.channel, r.record_id, r.title, r.brand_key, r.gtin, r.mpn, r.sku, r.price_minor, r.sale_price_minor,
              r.currency, r.weight_g, r.category, r.options ${PRODUCTS} ORDER BY r.id`,
    )
    .raw(true)
    .iterate() as IterableIterator<MatchRow>;
  for (const row of rows) {
    let channel = index.get(row[1]);
    if (channel === undefined) {
      channel = channels.length;
      channels.push(row[1]);
      index.set(row[1], channel);
    }
    yield {
      id: row[0],
      channel,
      recordId: row[2],
      title: row[3],
      brandKey: row[4],
      gtin: row[5],
      mpn: row[6],
      sku: row[7],
      priceMinor: row[8],
      salePriceMinor: row[9],
      currency: row[10],
      weightG: row[11],
      category: row[12],
      options: parseOptions(row[13]),
    };
  }
}

/** Records as clustering and golden records read them: columns indexed by position (records.id order). */
export interface RecordColumns {
  channels: string[];
  id: Float64Array;
  channel: Int32Array;
  recordId: string[];
  title: (string | null)[];
  hasDescription: Uint8Array;
  brand: (string | null)[];
  brandKey: (string | null)[];
  gtin: (string | null)[];
  mpn: (string | null)[];
  sku: (string | null)[];
  price: (number | null)[];
  salePrice: (number | null)[];
  currency: (string | null)[];
  availability: (string | null)[];
  weight: (number | null)[];
  category: (string | null)[];
  image: (string | null)[];
  link: (string | null)[];
  options: (string | null)[];
}

/** The product records (all, or those with the given records.id), in records.id order. */
export function loadColumns(db: Database.Database, scope: readonly number[] | null = null): RecordColumns {
  const channels = channelOrder(db);
  const index = new Map(channels.map((c, i) => [c, i]));
  const rows = db
    .prepare(
      `SELECT r.id, r.channel, r.record_id, r.title, r.description IS NOT NULL, r.brand, r.brand_key, r.gtin, r.mpn, r.sku,
              r.price_minor, r.sale_price_minor, r.currency, r.availability, r.weight_g, r.category, r.image_url, r.link,
              r.options ${PRODUCTS}` +
        (scope ? ' AND r.id IN (SELECT value FROM json_each(?))' : '') +
        ' ORDER BY r.id',
    )
    .raw(true);
  const c: RecordColumns = {
    channels,
    id: new Float64Array(0),
    channel: new Int32Array(0),
    recordId: [],
    title: [],
    hasDescription: new Uint8Array(0),
    brand: [],
    brandKey: [],
    gtin: [],
    mpn: [],
    sku: [],
    price: [],
    salePrice: [],
    currency: [],
    availability: [],
    weight: [],
    category: [],
    image: [],
    link: [],
    options: [],
  };
  const ids: number[] = [];
  const chans: number[] = [];
  const desc: number[] = [];
  const it = (scope ? rows.iterate(JSON.stringify(scope)) : rows.iterate()) as IterableIterator<unknown[]>;
  for (const r of it) {
    ids.push(r[0] as number);
    let ch = index.get(r[1] as string);
    if (ch === undefined) {
      ch = channels.length;
      channels.push(r[1] as string);
      index.set(r[1] as string, ch);
    }
    chans.push(ch);
    c.recordId.push(r[2] as string);
    c.title.push(r[3] as string | null);
    desc.push(r[4] as number);
    c.brand.push(r[5] as string | null);
    c.brandKey.push(r[6] as string | null);
    c.gtin.push(r[7] as string | null);
    c.mpn.push(r[8] as string | null);
    c.sku.push(r[9] as string | null);
    c.price.push(r[10] as number | null);
    c.salePrice.push(r[11] as number | null);
    c.currency.push(r[12] as string | null);
    c.availability.push(r[13] as string | null);
    c.weight.push(r[14] as number | null);
    c.category.push(r[15] as string | null);
    c.image.push(r[16] as string | null);
    c.link.push(r[17] as string | null);
    c.options.push(parseOptions(r[18] as string | null) ? (r[18] as string) : null);
  }
  c.id = Float64Array.from(ids);
  c.channel = Int32Array.from(chans);
  c.hasDescription = Uint8Array.from(desc);
  return c;
}

/** Position of records.id `id` in an ascending id array, -1 when absent. */
function positionOf(ids: Float64Array, id: number): number {
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

/** ANN search through core/embed's index when that module and usearch are available; null otherwise. */
async function annSearch(profiles: RecordProfiles, emb: RecordEmbeddings): Promise<AnnSearch | null> {
  type AnnModule = {
    createAnnIndex(o: { dims: number; threads?: number }): {
      add(keys: ArrayLike<number>, vectors: Float32Array): void;
      search(q: Float32Array, k: number): { keys: Float64Array };
      readonly kind: string;
    };
  };
  let mod: AnnModule;
  try {
    // core/embed's public API, loaded at run time: alignment works without it.
    const spec = new URL('../embed/ann.js', import.meta.url).href;
    mod = (await import(spec)) as AnnModule;
  } catch {
    return null;
  }
  const channels = profiles.channelCount;
  const indexes = Array.from({ length: channels }, () => mod.createAnnIndex({ dims: emb.dims }));
  if (indexes[0]?.kind !== 'usearch') return null; // an exact index would be quadratic
  const vector = (i: number) => emb.matrix.subarray(emb.row[i] * emb.dims, (emb.row[i] + 1) * emb.dims);
  for (let c = 0; c < channels; c++) {
    const keys: number[] = [];
    for (let i = 0; i < profiles.n; i++) if (profiles.channel[i] === c && emb.row[i] >= 0) keys.push(i);
    const vectors = new Float32Array(keys.length * emb.dims);
    keys.forEach((i, r) => vectors.set(vector(i), r * emb.dims));
    indexes[c].add(keys, vectors);
  }
  return (channel, queries, k) => {
    const out = new Int32Array(queries.length * k).fill(-1);
    const rows: number[] = [];
    for (let r = 0; r < queries.length; r++) if (emb.row[queries[r]] >= 0) rows.push(r);
    if (rows.length === 0) return out;
    const q = new Float32Array(rows.length * emb.dims);
    rows.forEach((r, x) => q.set(vector(queries[r]), x * emb.dims));
    const res = indexes[channel].search(q, k);
    rows.forEach((r, x) => {
      for (let t = 0; t < k; t++) out[r * k + t] = res.keys[x * k + t];
    });
    return out;
  };
}

/**
 * Records whose nearest neighbours blocking looks for: every record without a valid GTIN (its pairs need the
 * model) and a deterministic sample of the others, whose pairs with GTIN'd records the GTINs decide but which
 * give the training pairs (same-GTIN positives and look-alike negatives, found the same way). Null = all.
 */
function queryRecords(p: RecordProfiles, seed: number): Uint8Array | null {
  if (p.n <= ALL_QUERIES_UP_TO) return null;
  let decided = 0;
  for (let i = 0; i < p.n; i++) if (p.gtin[i] >= 0) decided++;
  const rate = Math.min(1, DECIDED_QUERIES / Math.max(1, decided));
  const q = new Uint8Array(p.n);
  const random = rng(seed ^ 0x9e37);
  for (let i = 0; i < p.n; i++) q[i] = p.gtin[i] < 0 || random() < rate ? 1 : 0;
  return q;
}

// ---------------------------------------------------------------------------------------------------------------
// Labels resolved to record positions

interface ResolvedLabels {
  /** Pair key (a * n + b, a < b) -> 1 match / 0 no match. */
  byPair: Map<number, number>;
  match: [number, number][];
  noMatch: [number, number][];
  count: number;
}

function resolveLabels(
  labels: readonly StoredLabel[],
  byRef: Map<string, number[]>,
  n: number,
): ResolvedLabels {
  const byPair = new Map<number, number>();
  for (const l of labels) {
    if (l.label === 'skip') continue;
    const xs = byRef.get(refKey(l.a.channel, l.a.recordId));
    const ys = byRef.get(refKey(l.b.channel, l.b.recordId));
    if (!xs || !ys) continue;
    for (const x of xs)
      for (const y of ys) {
        if (x === y) continue;
        const [a, b] = x < y ? [x, y] : [y, x];
        byPair.set(a * n + b, l.label === 'match' ? 1 : 0);
      }
  }
  const match: [number, number][] = [];
  const noMatch: [number, number][] = [];
  for (const [key, v] of byPair) (v ? match : noMatch).push([Math.floor(key / n), key % n]);
  return { byPair, match, noMatch, count: byPair.size };
}

/** Positions of the records the labels name, from a pass over all records' (channel, recordId). */
class LabelRefs {
  private readonly wanted = new Set<string>();
  readonly byRef = new Map<string, number[]>();
  constructor(readonly labels: readonly StoredLabel[]) {
    for (const l of labels) {
      this.wanted.add(refKey(l.a.channel, l.a.recordId));
      this.wanted.add(refKey(l.b.channel, l.b.recordId));
    }
  }
  see(channel: string, recordId: string, position: number): void {
    if (this.wanted.size === 0) return;
    const key = refKey(channel, recordId);
    if (!this.wanted.has(key)) return;
    const l = this.byRef.get(key);
    if (l) l.push(position);
    else this.byRef.set(key, [position]);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The pipeline

class Phases {
  readonly seconds: Record<string, number> = {};
  private t = performance.now();
  private readonly started = performance.now();
  private readonly cpu = process.cpuUsage();
  constructor(
    private readonly onProgress: ProgressListener | undefined,
    private readonly signal: AbortSignal | undefined,
  ) {}
  step(phase: string, message: string, done = 0, total = 0): void {
    if (this.signal?.aborted) throw cancelled();
    this.onProgress?.({ phase, message, done, total } satisfies Progress);
  }
  end(name: string): void {
    const now = performance.now();
    this.seconds[name] = round3((now - this.t) / 1000);
    this.t = now;
  }
  finish(): Record<string, number> {
    const cpu = process.cpuUsage(this.cpu);
    this.seconds.total = round3((performance.now() - this.started) / 1000);
    this.seconds.cpu = round3((cpu.user + cpu.system) / 1e6);
    return this.seconds;
  }
}

function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}

function round6(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}

/** Aligns the workspace at `file` (see the file comment) and stores the result. */
export async function alignWorkspace(file: string, options: AlignOptions = {}): Promise<AlignOutcome> {
  const ws = openWorkspace(file);
  try {
    return await alignOpen(ws, options);
  } finally {
    ws.close();
  }
}

async function alignOpen(ws: Workspace, options: AlignOptions): Promise<AlignOutcome> {
  const db = ws.db;
  const ph = new Phases(options.onProgress, options.signal);
  const seed = options.seed ?? 1;
  if (options.threshold !== undefined && !(options.threshold >= 0 && options.threshold <= 1))
    throw new ConcordError('BAD_INPUT', `threshold must be within 0..1, got ${options.threshold}`);

  ph.step('load', 'reading and profiling records');
  const previousThreshold = latestRun(db)?.threshold;
  if (options.labelsFile) addLabels(db, readLabelsFile(options.labelsFile), 'file');
  const channels = channelOrder(db);
  const labelRefs = new LabelRefs(currentLabels(db));
  const truthOf = new Map<string, number>();
  options.truth?.forEach((c, k) => c.forEach((r) => truthOf.set(refKey(r.channel, r.recordId), k)));
  const truthList: number[] = [];
  // One pass: profiles are built as records stream in; labels' and truth's records are noted on the way.
  let position = 0;
  function* tap(): Generator<AlignRecord> {
    for (const r of matchRecords(db, channels)) {
      labelRefs.see(channels[r.channel], r.recordId, position);
      if (options.truth) truthList.push(truthOf.get(refKey(channels[r.channel], r.recordId)) ?? -1);
      position++;
      yield r;
    }
  }
  const profiles = new RecordProfiles(tap());
  truthOf.clear();
  const n = profiles.n;
  const truth = options.truth ? Int32Array.from(truthList) : null;
  truthList.length = 0;
  const labels = resolveLabels(labelRefs.labels, labelRefs.byRef, n);
  const { emb, note: embNote } =
    options.embeddings === false ? { emb: null, note: 'embeddings off' } : loadEmbeddings(ws, profiles.id);
  profiles.embeddings = emb;
  ph.end('load');

  ph.step('block', 'finding candidate pairs');
  const ann = emb && n <= ANN_MAX_RECORDS ? await annSearch(profiles, emb) : null;
  const cand = blockPairs(profiles, options.blocking, ann, options.signal, queryRecords(profiles, seed));
  // Labelled pairs the blocking missed are scored too.
  const extra: number[] = [];
  if (labels.count > 0) {
    const have = new Set<number>();
    for (let e = 0; e < cand.a.length; e++) have.add(cand.a[e] * n + cand.b[e]);
    for (const key of labels.byPair.keys()) if (!have.has(key)) extra.push(key);
  }
  const m = cand.a.length + extra.length;
  const A = new Int32Array(m);
  const B = new Int32Array(m);
  A.set(cand.a);
  B.set(cand.b);
  extra.forEach((key, t) => {
    A[cand.a.length + t] = Math.floor(key / n);
    B[cand.a.length + t] = key % n;
  });
  const cosine = new Float32Array(m);
  cosine.set(cand.cosine);
  for (let e = cand.a.length; e < m; e++) cosine[e] = profiles.cosine(A[e], B[e]);
  const blockingRecall = truth ? pairRecall(cand.a, cand.b, truth).recall : null;
  ph.end('block');

  // Sure evidence per pair: +1 same valid GTIN, -1 different valid GTINs, 0 unknown.
  const ch = profiles.channel;
  const sure = new Int8Array(m);
  for (let e = 0; e < m; e++) {
    const ga = profiles.gtin[A[e]];
    const gb = profiles.gtin[B[e]];
    if (ga >= 0 && gb >= 0) sure[e] = ga === gb ? 1 : -1;
  }
  const labelOf = (e: number): number | undefined =>
    labels.count > 0 ? labels.byPair.get(A[e] * n + B[e]) : undefined;

  ph.step('features', 'candidate context');
  const features = new MatcherFeatures(profiles, A, B, cosine);
  // Training and validation rows: sure cross-channel pairs (sampled) and labelled pairs.
  const random = rng(seed ^ 0xa11c);
  const surePairs: number[] = [];
  const labelled: number[] = [];
  for (let e = 0; e < m; e++) {
    if (labelOf(e) !== undefined) labelled.push(e);
    else if (sure[e] !== 0 && ch[A[e]] !== ch[B[e]]) surePairs.push(e);
  }
  shuffle(surePairs, random);
  const maxTraining = options.maxTrainingPairs ?? 60_000;
  if (surePairs.length > maxTraining) surePairs.length = maxTraining;
  const nValid = Math.floor(surePairs.length * 0.25);
  const validRows = surePairs.slice(0, nValid);
  const trainRows = [...surePairs.slice(nValid), ...labelled];
  const yOf = (e: number): number => labelOf(e) ?? (sure[e] > 0 ? 1 : 0);
  // Pairs to score: every pair the GTIN does not decide, and the labelled ones (for the curve).
  const scoreRows: number[] = [];
  for (let e = 0; e < m; e++) if (sure[e] === 0 || labelOf(e) !== undefined) scoreRows.push(e);

  ph.step(
    'features',
    `features of ${(trainRows.length + validRows.length).toLocaleString('en-US')} training pairs`,
  );
  ph.end('features');

  ph.step('train', 'training the matcher');
  const yTrain = Float64Array.from(trainRows, yOf);
  const yValid = Float64Array.from(validRows, yOf);
  const positives = yTrain.reduce((s, y) => s + y, 0) + yValid.reduce((s, y) => s + y, 0);
  const matcher = canTrain(yTrain, yValid)
    ? trainMatcher(
        features,
        { pairs: trainRows, y: yTrain },
        { pairs: validRows, y: yValid },
        { seed, gbdt: options.gbdt },
      )
    : null;
  const model = matcher?.model ?? null;
  const best = matcher?.best ?? null;
  const ap = matcher?.averagePrecision ?? null;
  ph.end('train');

  ph.step('score', `scoring ${scoreRows.length.toLocaleString('en-US')} pairs`, 0, scoreRows.length);
  const modelProb = new Float32Array(m).fill(NaN);
  if (matcher) {
    const chunk = 32768;
    for (let s = 0; s < scoreRows.length; s += chunk) {
      ph.step('score', 'scoring pairs', s, scoreRows.length);
      const idx = scoreRows.slice(s, s + chunk);
      const prob = matcher.probabilities(idx);
      for (let r = 0; r < idx.length; r++) modelProb[idx[r]] = prob[r];
    }
  } else {
    // Not enough sure pairs to learn from (no GTINs, one channel): the text cosine stands in for a probability.
    for (const e of scoreRows) modelProb[e] = cosine[e];
  }
  ph.end('score');

  // Final probabilities: labels, then sure GTIN evidence, then the model.
  const threshold = options.threshold ?? previousThreshold ?? DEFAULT_THRESHOLD;
  const probability = new Float32Array(m);
  const evidence = new Uint8Array(m);
  for (let e = 0; e < m; e++) {
    const l = labelOf(e);
    if (l !== undefined) {
      probability[e] = l;
      evidence[e] = EVIDENCE_LABEL;
    } else if (sure[e] > 0) {
      probability[e] = 1;
      evidence[e] = EVIDENCE_SAME_GTIN;
    } else if (sure[e] < 0) {
      probability[e] = 0;
      evidence[e] = EVIDENCE_GTIN_CONFLICT;
    } else {
      probability[e] = modelProb[e];
      evidence[e] = EVIDENCE_MODEL;
    }
  }

  ph.step('cluster', 'clustering');
  const clustering = clusterAll(ch, profiles.gtin, A, B, probability, labels, threshold);
  ph.end('cluster');

  ph.step('golden', 'golden records');
  const columns = loadColumns(db);
  if (columns.id.length !== n)
    throw new ConcordError('CONFLICT', 'the workspace changed while aligning: align again');
  const golden = goldenRecords(columns, clustering.cluster, clustering.duplicate, clustering.confidence);
  ph.end('golden');

  const importance: Record<string, number> = {};
  if (model) {
    const total = model.gain.reduce((s, g) => s + g, 0) || 1;
    model.gain.forEach((g, f) => (importance[matcher!.features[f]] = round3(g / total)));
  }
  const validF1 = best ? round3(best.f1) : null;
  const summaryBase = {
    records: n,
    clusters: clustering.clusters,
    matchedRecords: clustering.matchedRecords,
    threshold,
    labels: labels.count,
    blocking: {
      candidatePairs: cand.stats.candidatePairs,
      keptFraction: cand.stats.keptFraction,
      recall: blockingRecall,
    },
    model: { trainingPairs: trainRows.length + validRows.length, positives, validF1 },
  };

  ph.step('save', 'saving');
  const modelJson = matcher ? JSON.stringify(matcher.toJSON()) : null;
  const ids = profiles.id;
  let summary!: AlignSummary;
  db.transaction(() => {
    db.prepare('DELETE FROM pair_scores').run();
    const ins = new BatchInsert(db, 'pair_scores', ['a', 'b', 'probability', 'model', 'evidence'], 128);
    for (let e = 0; e < m; e++) {
      const p = probability[e];
      const mp = modelProb[e];
      // Sure GTIN evidence is derived again from the records whenever needed (recluster): not stored.
      if (evidence[e] === EVIDENCE_GTIN_CONFLICT || evidence[e] === EVIDENCE_SAME_GTIN) continue;
      if (p < 0.01 && !(mp >= 0.01) && evidence[e] !== EVIDENCE_LABEL) continue;
      ins.add(ids[A[e]], ids[B[e]], round6(p), Number.isNaN(mp) ? null : round6(mp), evidence[e]);
    }
    ins.flush();
    saveClusters(db, ids, clustering.cluster, null);
    saveGolden(db, golden, null);
    ph.end('save');
    const seconds = ph.finish();
    summary = { ...summaryBase, seconds, alignedAt: new Date().toISOString() };
    db.prepare(
      'INSERT INTO align_runs (kind, created_at, threshold, summary, model) VALUES (?, ?, ?, ?, ?)',
    ).run(options.kind ?? 'align', summary.alignedAt, threshold, JSON.stringify(summary), modelJson);
  })();

  let truthScores: AlignOutcome['truth'] = null;
  if (truth) {
    const pairwise = pairwiseScores(clustering.cluster, truth);
    let unknown = 0;
    for (const t of truth) if (t < 0) unknown++;
    truthScores = { ...pairwise, blockingRecall: blockingRecall ?? 0, records: n, unknownRecords: unknown };
  }
  return {
    summary,
    blocking: { ...cand.stats, recall: blockingRecall },
    model: {
      trainingPairs: trainRows.length,
      positives,
      validPairs: validRows.length,
      validF1,
      validPrecision: best ? round3(best.precision) : null,
      validRecall: best ? round3(best.recall) : null,
      validAveragePrecision: ap !== null ? round3(ap) : null,
      bestThreshold: best ? round3(best.threshold) : null,
      trees: model?.treeCount ?? 0,
      scoredPairs: scoreRows.length,
      featureImportance: importance,
    },
    truth: truthScores,
    embeddings: {
      used: emb !== null,
      rows: emb ? emb.matrix.length / emb.dims : 0,
      dims: emb?.dims ?? 0,
      note: embNote,
    },
  };
}

function shuffle<T>(a: T[], random: () => number): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Clustering, golden records and their storage (shared by align, recluster, label, split, merge)

interface ClusteringOutcome {
  cluster: Int32Array;
  duplicate: Uint8Array;
  confidence: Float32Array;
  clusters: number;
  matchedRecords: number;
}

function clusterAll(
  channel: Int32Array,
  gtin: Int32Array,
  A: Int32Array,
  B: Int32Array,
  probability: Float32Array,
  labels: ResolvedLabels,
  threshold: number,
): ClusteringOutcome {
  const n = channel.length;
  const labelled = (i: number, j: number) =>
    labels.count > 0 && labels.byPair.has(Math.min(i, j) * n + Math.max(i, j));
  // A channel listing one product twice (same valid GTIN) keeps both records in one cluster, flagged.
  const mustLink: [number, number][] = [...labels.match];
  for (let e = 0; e < A.length; e++)
    if (
      channel[A[e]] === channel[B[e]] &&
      gtin[A[e]] >= 0 &&
      gtin[A[e]] === gtin[B[e]] &&
      !labelled(A[e], B[e])
    )
      mustLink.push([A[e], B[e]]);
  const res = clusterRecords({
    channel,
    a: A,
    b: B,
    probability,
    threshold,
    mustLink,
    cannotLink: labels.noMatch,
    conflict: (i, j) => gtin[i] >= 0 && gtin[j] >= 0 && gtin[i] !== gtin[j] && !labelled(i, j),
  });
  const confidence = new Float32Array(n).fill(1);
  for (let e = 0; e < A.length; e++) {
    const c = res.cluster[A[e]];
    if (c === res.cluster[B[e]] && probability[e] < confidence[c]) confidence[c] = probability[e];
  }
  const size = new Int32Array(n);
  for (let i = 0; i < n; i++) size[res.cluster[i]]++;
  let matched = 0;
  for (let i = 0; i < n; i++) if (size[res.cluster[i]] > 1) matched++;
  return {
    cluster: res.cluster,
    duplicate: res.duplicate,
    confidence,
    clusters: res.clusters,
    matchedRecords: matched,
  };
}

interface GoldenRow {
  clusterId: number;
  sourceRecord: number;
  size: number;
  channels: string;
  duplicates: number;
  confidence: number;
  values: Record<GoldenField, string | null>;
  provenance: Partial<Record<GoldenField, [number | null, GoldenRule]>> | null;
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

function goldenRecords(
  c: RecordColumns,
  cluster: Int32Array,
  duplicate: Uint8Array,
  confidence: Float32Array,
): GoldenRow[] {
  const n = c.id.length;
  const members = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const r = cluster[i];
    if (r === i) continue;
    const l = members.get(r);
    if (l) l.push(i);
    else members.set(r, [r, i]);
  }
  const out: GoldenRow[] = [];
  for (let i = 0; i < n; i++) {
    if (cluster[i] !== i) continue;
    const idx = members.get(i);
    const values = {} as Record<GoldenField, string | null>;
    let provenance: GoldenRow['provenance'] = null;
    if (!idx) {
      for (const f of GOLDEN_FIELDS) values[f] = fieldValue(c, i, f);
      out.push({
        clusterId: c.id[i],
        sourceRecord: c.id[i],
        size: 1,
        channels: c.channels[c.channel[i]],
        duplicates: 0,
        confidence: 1,
        values,
        provenance: null,
      });
      continue;
    }
    const ordered = byPriority(
      idx.map<GoldenMember>((x) => ({
        index: x,
        priority: c.channel[x],
        value: (f) => fieldValue(c, x, f),
        key: (f, v) => (f === 'brand' ? (c.brandKey[x] ?? v) : v.trim().toLowerCase()),
      })),
    );
    const source = ordered[0].index;
    for (const f of GOLDEN_FIELDS) {
      const g = survive(ordered, f);
      values[f] = g.value;
      if (g.value !== null && (g.from !== source || g.rule !== 'priority')) {
        provenance ??= {};
        provenance[f] = [g.from === null ? null : c.id[g.from], g.rule];
      }
    }
    out.push({
      clusterId: c.id[i],
      sourceRecord: c.id[source],
      size: idx.length,
      channels: [...new Set(ordered.map((mbr) => c.channels[c.channel[mbr.index]]))].join(','),
      duplicates: duplicate[i],
      confidence: round6(confidence[i]),
      values,
      provenance,
    });
  }
  return out;
}

/** Replaces the cluster rows of the records at the given ids (scope null = all records). */
function saveClusters(
  db: Database.Database,
  ids: Float64Array,
  cluster: Int32Array,
  scope: readonly number[] | null,
): void {
  if (scope === null) db.prepare('DELETE FROM clusters').run();
  else
    db.prepare('DELETE FROM clusters WHERE record_id IN (SELECT value FROM json_each(?))').run(
      JSON.stringify(scope),
    );
  const ins = new BatchInsert(db, 'clusters', ['record_id', 'cluster_id'], 256);
  for (let i = 0; i < ids.length; i++) ins.add(ids[i], ids[cluster[i]]);
  ins.flush();
}

const GOLDEN_COLUMNS = [
  'cluster_id',
  'source_record',
  'size',
  'channels',
  'duplicates',
  'confidence',
  'title',
  'brand',
  'gtin',
  'mpn',
  'sku',
  'price_minor',
  'sale_price_minor',
  'currency',
  'availability',
  'weight_g',
  'category',
  'image_url',
  'link',
  'options',
  'provenance',
];

/** Replaces golden records (all, or those of the given old cluster ids). */
function saveGolden(
  db: Database.Database,
  rows: readonly GoldenRow[],
  oldClusters: readonly number[] | null,
): void {
  if (oldClusters === null) db.prepare('DELETE FROM golden_records').run();
  else
    db.prepare('DELETE FROM golden_records WHERE cluster_id IN (SELECT value FROM json_each(?))').run(
      JSON.stringify(oldClusters),
    );
  const ins = new BatchInsert(db, 'golden_records', GOLDEN_COLUMNS, 64);
  const num = (v: string | null) => (v === null ? null : Number(v));
  for (const g of rows) {
    const v = g.values;
    ins.add(
      g.clusterId,
      g.sourceRecord,
      g.size,
      g.channels,
      g.duplicates,
      g.confidence,
      v.title,
      v.brand,
      v.gtin,
      v.mpn,
      v.sku,
      num(v.price),
      num(v.salePrice),
      v.currency,
      v.availability,
      num(v.weight),
      v.category,
      v.image,
      v.link,
      v.options,
      g.provenance ? JSON.stringify(g.provenance) : null,
    );
  }
  ins.flush();
}

// ---------------------------------------------------------------------------------------------------------------
// Re-clustering from stored probabilities and labels

const GTIN_BLOCK_MAX = DEFAULT_BLOCKING.maxKeyBlock;

export interface LatestRun {
  kind: string;
  threshold: number;
  summary: AlignSummary;
}

export function latestRun(db: Database.Database): LatestRun | null {
  const has = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'align_runs'").get();
  if (!has) return null;
  const row = db.prepare('SELECT kind, threshold, summary FROM align_runs ORDER BY id DESC LIMIT 1').get() as
    { kind: string; threshold: number; summary: string } | undefined;
  return row
    ? { kind: row.kind, threshold: row.threshold, summary: JSON.parse(row.summary) as AlignSummary }
    : null;
}

export function requireRun(db: Database.Database): LatestRun {
  const run = latestRun(db);
  if (!run)
    throw new ConcordError(
      'CONFLICT',
      'the workspace has not been aligned yet: run `concord align WS` (or align.start) first',
    );
  return run;
}

/**
 * Re-clusters records from the stored pair probabilities and the current labels, and rewrites their clusters and
 * golden records. `scopeIds` (records.id) limits it to the clusters of those records (a label, split or merge:
 * fast, the rest stays as it is); null = the whole workspace (a new threshold). Records the scope names that no
 * longer exist are ignored. Returns the new cluster id (records.id) of every record in scope.
 */
export function recluster(
  db: Database.Database,
  options: { threshold?: number; scopeIds?: readonly number[] | null; kind?: string } = {},
): { summary: AlignSummary; clusterOf: Map<number, number> } {
  const run = requireRun(db);
  const started = performance.now();
  const threshold = options.threshold ?? run.threshold;
  if (!(threshold >= 0 && threshold <= 1))
    throw new ConcordError('BAD_INPUT', `threshold must be within 0..1, got ${threshold}`);
  let scope: number[] | null = null;
  if (options.scopeIds) {
    // Every record of the clusters of the given records.
    scope = db
      .prepare(
        `SELECT record_id FROM clusters WHERE cluster_id IN
           (SELECT cluster_id FROM clusters WHERE record_id IN (SELECT value FROM json_each(@ids)))
         UNION SELECT value FROM json_each(@ids)`,
      )
      .pluck()
      .all({ ids: JSON.stringify(options.scopeIds) }) as number[];
  }
  let result!: { summary: AlignSummary; clusterOf: Map<number, number> };
  db.transaction(() => {
    const cols = loadColumns(db, scope);
    const n = cols.id.length;
    const byRef = new Map<string, number[]>();
    for (let i = 0; i < n; i++) {
      const key = refKey(cols.channels[cols.channel[i]], cols.recordId[i]);
      const l = byRef.get(key);
      if (l) l.push(i);
      else byRef.set(key, [i]);
    }
    const labels = resolveLabels(currentLabels(db), byRef, n);
    const pairSql = scope
      ? `SELECT a, b, probability FROM pair_scores
           WHERE a IN (SELECT value FROM json_each(@ids)) AND b IN (SELECT value FROM json_each(@ids))`
      : 'SELECT a, b, probability FROM pair_scores';
    const stmt = db.prepare(pairSql).raw(true);
    const rows = (scope ? stmt.iterate({ ids: JSON.stringify(scope) }) : stmt.iterate()) as IterableIterator<
      [number, number, number]
    >;
    const a: number[] = [];
    const b: number[] = [];
    const p: number[] = [];
    const seen = new Set<number>();
    for (const [x, y, prob] of rows) {
      const i = positionOf(cols.id, x);
      const j = positionOf(cols.id, y);
      if (i < 0 || j < 0) continue;
      const [u, v] = i < j ? [i, j] : [j, i];
      const l = labels.byPair.get(u * n + v);
      a.push(u);
      b.push(v);
      p.push(l !== undefined ? l : prob);
      seen.add(u * n + v);
    }
    for (const [key, l] of labels.byPair) {
      if (seen.has(key)) continue;
      a.push(Math.floor(key / n));
      b.push(key % n);
      p.push(l);
    }
    const gtinIds = new Map<string, number>();
    const gtin = new Int32Array(n).fill(-1);
    const byGtin = new Map<number, number[]>();
    for (let i = 0; i < n; i++) {
      const g = cols.gtin[i];
      if (!g) continue;
      let id = gtinIds.get(g);
      if (id === undefined) gtinIds.set(g, (id = gtinIds.size));
      gtin[i] = id;
      const l = byGtin.get(id);
      if (l) l.push(i);
      else byGtin.set(id, [i]);
    }
    // Equal-GTIN pairs are not stored as scores: derive them again (as blocking does, up to its block size).
    for (const l of byGtin.values()) {
      if (l.length > GTIN_BLOCK_MAX) continue;
      for (let x = 0; x < l.length; x++)
        for (let y = x + 1; y < l.length; y++)
          if (!seen.has(l[x] * n + l[y])) {
            a.push(l[x]);
            b.push(l[y]);
            p.push(1);
          }
    }
    const A = Int32Array.from(a);
    const B = Int32Array.from(b);
    const probability = Float32Array.from(p);
    const clustering = clusterAll(cols.channel, gtin, A, B, probability, labels, threshold);
    const golden = goldenRecords(cols, clustering.cluster, clustering.duplicate, clustering.confidence);
    const oldClusters = scope
      ? (db
          .prepare(
            'SELECT DISTINCT cluster_id FROM clusters WHERE record_id IN (SELECT value FROM json_each(?))',
          )
          .pluck()
          .all(JSON.stringify(scope)) as number[])
      : null;
    saveClusters(db, cols.id, clustering.cluster, scope);
    saveGolden(db, golden, oldClusters);
    const clusterOf = new Map<number, number>();
    for (let i = 0; i < n; i++) clusterOf.set(cols.id[i], cols.id[clustering.cluster[i]]);
    const totals = db
      .prepare(
        `SELECT (SELECT count(*) FROM clusters) AS records, (SELECT count(*) FROM golden_records) AS clusters,
                (SELECT coalesce(sum(size), 0) FROM golden_records WHERE size > 1) AS matched`,
      )
      .get() as { records: number; clusters: number; matched: number };
    const summary: AlignSummary = {
      ...run.summary,
      records: totals.records,
      clusters: totals.clusters,
      matchedRecords: totals.matched,
      threshold,
      labels: countLabels(db),
      seconds: { recluster: round3((performance.now() - started) / 1000) },
      alignedAt: new Date().toISOString(),
    };
    db.prepare(
      'INSERT INTO align_runs (kind, created_at, threshold, summary, model) VALUES (?, ?, ?, ?, NULL)',
    ).run(
      options.kind ?? (scope ? 'labels' : 'recluster'),
      summary.alignedAt,
      threshold,
      JSON.stringify(summary),
    );
    result = { summary, clusterOf };
  })();
  return result;
}
