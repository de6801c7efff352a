/**
 * Stage `block`: the candidate pairs (core/align/blocking.ts; nearest neighbours through core/embed's ANN index
 * when the workspace has record embeddings), the labelled pairs blocking missed, each pair's text cosine, and the
 * sure evidence of the GTINs (+1 same valid GTIN, -1 different valid GTINs, 0 unknown).
 */
import { stage } from '../../jobs/pipeline.js';
import {
  blockPairs,
  blockPairsShared,
  type AnnSearch,
  type BlockingOptions,
  type BlockingStats,
} from '../blocking.js';
import { rng } from '../gbdt.js';
import type { ResolvedLabels } from '../labels.js';
import type { ProfileTwin } from '../profileTwin.js';
import type { RecordEmbeddings, RecordProfiles } from '../recordPairs.js';
import { siblingPairs } from '../siblings.js';
import { pairRecall } from '../truth.js';
import type { VariantOptions } from '../variants.js';

/** Above this many records the ANN index is not built (HNSW construction would dominate the run). */
const ANN_MAX_RECORDS = 60_000;
/** Up to this many records every record runs the text nearest-neighbour search (cheap); above, see queryRecords. */
const ALL_QUERIES_UP_TO = 60_000;
/** Records with a valid GTIN that still run the nearest-neighbour search, for training pairs. */
const DECIDED_QUERIES = 20_000;

export interface BlockInput {
  profiles: RecordProfiles;
  n: number;
  emb: RecordEmbeddings | null;
  labels: ResolvedLabels;
  truthOf: Int32Array | null;
  blocking?: Partial<BlockingOptions>;
  seed: number;
  parentOf: Int32Array;
  variants: VariantOptions;
  /** Alignment's second thread, when it has one: it runs half the text top-k. */
  twin?: ProfileTwin | null;
}

export interface BlockOutput {
  /** Pairs (record positions, a < b): the candidates, agreeing siblings, then labelled pairs blocking missed. */
  A: Int32Array;
  B: Int32Array;
  /** Pairs. */
  m: number;
  cosine: Float32Array;
  /** +1 same valid GTIN, -1 different valid GTINs, 0 unknown. */
  sure: Int8Array;
  blockingStats: BlockingStats;
  blockingRecall: number | null;
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

export const blockStage = stage(
  'block',
  'finding candidate pairs',
  async (input: BlockInput, ctx): Promise<BlockOutput> => {
    const { profiles, n, emb, labels, seed } = input;
    const ann = emb && n <= ANN_MAX_RECORDS ? await annSearch(profiles, emb) : null;
    const queries = queryRecords(profiles, seed);
    const twin = input.twin;
    const cand = twin
      ? await blockPairsShared(profiles, input.blocking ?? {}, ann, ctx.signal, queries, (q) =>
          twin.textTopK(
            { channel: profiles.channel, channelCount: profiles.channelCount, queries: q },
            ctx.signal,
          ),
        )
      : blockPairs(profiles, input.blocking, ann, ctx.signal, queries);
    // The agreeing siblings of candidates' partners, and labelled pairs the blocking missed, are scored too.
    const extra = siblingPairs(cand.a, cand.b, profiles.channel, input.parentOf, input.variants);
    if (labels.count > 0) {
      const have = new Set<number>(extra);
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
    const blockingRecall = input.truthOf ? pairRecall(A, B, input.truthOf).recall : null;
    const sure = new Int8Array(m);
    for (let e = 0; e < m; e++) {
      const ga = profiles.gtin[A[e]];
      const gb = profiles.gtin[B[e]];
      if (ga >= 0 && gb >= 0) sure[e] = ga === gb ? 1 : -1;
    }
    return { A, B, m, cosine, sure, blockingStats: cand.stats, blockingRecall };
  },
);
