/**
 * Approximate nearest neighbours over L2-normalized embeddings (inner product = cosine), for blocking and
 * similar_to edges. The index is usearch's HNSW; where usearch's native library cannot load (a platform it ships
 * no prebuilt binary for), an exact index with the same interface takes over and says so (`kind: 'exact'`).
 * `exactSearch` is the brute-force reference for tests and recall measurements.
 * Indexes are saved beside the workspace by hash: `ann/<sha256>.usearch` (or `.exact`).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { insertTop } from './topK.js';

const require = createRequire(import.meta.url);

interface UsearchBatch {
  keys: BigUint64Array;
  distances: Float32Array;
  /** Absent when there was one query (usearch then returns a single Matches). */
  counts?: BigUint64Array | number[];
}
interface UsearchIndex {
  add(keys: BigUint64Array, vectors: Float32Array, threads?: number): void;
  search(vectors: Float32Array, k: number, threads: number): UsearchBatch;
  size(): number;
  save(path: string): void;
  load(path: string): void;
}
interface UsearchModule {
  Index: new (config: {
    dimensions: number;
    metric: string;
    quantization: string;
    connectivity: number;
    expansion_add: number;
    expansion_search: number;
    multi: boolean;
  }) => UsearchIndex;
}

let usearchLoad: { module: UsearchModule | null; reason: string | null } | null = null;

/** usearch's native module, or why it is not available here. */
export function usearchStatus(): { available: boolean; reason: string | null } {
  usearchLoad ??= (() => {
    try {
      // the CommonJS entry: usearch's ESM build cannot locate its prebuilt binary
      return { module: require('usearch') as UsearchModule, reason: null };
    } catch (err) {
      return {
        module: null,
        reason: `usearch could not load (${(err as Error).message.split('\n')[0]}); using exact search`,
      };
    }
  })();
  return { available: usearchLoad.module !== null, reason: usearchLoad.reason };
}

export interface AnnOptions {
  dims: number;
  /** HNSW graph degree (M). */
  connectivity?: number;
  /** Candidate list size while building (efConstruction). */
  expansionAdd?: number;
  /** Candidate list size while searching (ef); raise for recall, lower for speed. */
  expansionSearch?: number;
  /** Use the exact index even where usearch is available. */
  exact?: boolean;
  /** Threads for add and search (0: all cores). */
  threads?: number;
}

export interface SearchResult {
  /** queries × k keys, best first; -1 where fewer than k vectors exist. */
  keys: Float64Array;
  /** queries × k inner products (cosine for normalized vectors). */
  scores: Float32Array;
  k: number;
}

export interface AnnIndex {
  readonly kind: 'usearch' | 'exact';
  readonly dims: number;
  /** Why this is an exact index when an approximate one was asked for (null otherwise). */
  readonly note: string | null;
  size(): number;
  /** Adds rows (keys: non-negative integers, e.g. record ids). */
  add(keys: ArrayLike<number>, vectors: Float32Array): void;
  search(queries: Float32Array, k: number): SearchResult;
  /** Writes the index into `<blobDir>/ann/` by hash. */
  save(blobDir: string): { sha256: string; path: string };
}

/** Top-k by inner product, brute force. */
export function exactSearch(
  base: Float32Array,
  baseKeys: ArrayLike<number>,
  dims: number,
  queries: Float32Array,
  k: number,
): SearchResult {
  const n = baseKeys.length;
  const q = queries.length / dims;
  const keys = new Float64Array(q * k).fill(-1);
  const scores = new Float32Array(q * k).fill(-Infinity);
  const topS = new Float64Array(k);
  const topI = new Int32Array(k);
  for (let i = 0; i < q; i++) {
    topS.fill(-Infinity);
    topI.fill(-1);
    const qo = i * dims;
    let worst = -Infinity;
    for (let j = 0; j < n; j++) {
      const bo = j * dims;
      let s = 0;
      for (let d = 0; d < dims; d++) s += queries[qo + d] * base[bo + d];
      if (s <= worst) continue;
      insertTop(topS, topI, s, j);
      worst = topS[k - 1];
    }
    for (let p = 0; p < k; p++) {
      if (topI[p] < 0) break;
      keys[i * k + p] = baseKeys[topI[p]];
      scores[i * k + p] = topS[p];
    }
  }
  return { keys, scores, k };
}

/** Mean share of the exact top-k keys that the approximate top-k found. */
export function recallAtK(approx: SearchResult, exact: SearchResult): number {
  const k = exact.k;
  const q = exact.keys.length / k;
  let hit = 0;
  let total = 0;
  for (let i = 0; i < q; i++) {
    const found = new Set<number>();
    for (let p = 0; p < approx.k; p++) found.add(approx.keys[i * approx.k + p]);
    for (let p = 0; p < k; p++) {
      const key = exact.keys[i * k + p];
      if (key < 0) continue;
      total++;
      if (found.has(key)) hit++;
    }
  }
  return total ? hit / total : 1;
}

/**
 * Recall by score (as ann-benchmarks counts it): an approximate result counts when its score reaches the exact
 * k-th score (less `epsilon`), so ties at the k-th place — duplicates — are not misses.
 */
export function recallAtKByScore(approx: SearchResult, exact: SearchResult, epsilon = 1e-5): number {
  const k = exact.k;
  const q = exact.keys.length / k;
  let hit = 0;
  let total = 0;
  for (let i = 0; i < q; i++) {
    let last = k - 1;
    while (last >= 0 && exact.keys[i * k + last] < 0) last--;
    if (last < 0) continue;
    const threshold = exact.scores[i * k + last];
    for (let p = 0; p <= last; p++) {
      total++;
      if (approx.keys[i * approx.k + p] >= 0 && approx.scores[i * approx.k + p] >= threshold - epsilon) hit++;
    }
  }
  return total ? hit / total : 1;
}

function writeByHash(blobDir: string, ext: string, bytes: Uint8Array): { sha256: string; path: string } {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const path = `ann/${sha256}${ext}`;
  const abs = join(blobDir, path);
  if (!existsSync(abs)) {
    mkdirSync(join(blobDir, 'ann'), { recursive: true });
    const tmp = `${abs}.${process.pid}.tmp`;
    writeFileSync(tmp, bytes);
    renameSync(tmp, abs);
  }
  return { sha256, path };
}

class ExactIndex implements AnnIndex {
  readonly kind = 'exact' as const;
  private vectors = new Float32Array(0);
  private keys: number[] = [];

  constructor(
    readonly dims: number,
    readonly note: string | null,
  ) {}

  size(): number {
    return this.keys.length;
  }

  add(keys: ArrayLike<number>, vectors: Float32Array): void {
    if (vectors.length !== keys.length * this.dims)
      throw new Error(`add: ${vectors.length} values for ${keys.length} keys × ${this.dims} dims`);
    const grown = new Float32Array(this.vectors.length + vectors.length);
    grown.set(this.vectors);
    grown.set(vectors, this.vectors.length);
    this.vectors = grown;
    for (let i = 0; i < keys.length; i++) this.keys.push(keys[i]);
  }

  search(queries: Float32Array, k: number): SearchResult {
    return exactSearch(this.vectors, this.keys, this.dims, queries, k);
  }

  save(blobDir: string): { sha256: string; path: string } {
    const header = new Float64Array([this.dims, this.keys.length, ...this.keys]);
    const bytes = new Uint8Array(header.byteLength + this.vectors.byteLength);
    bytes.set(new Uint8Array(header.buffer), 0);
    bytes.set(
      new Uint8Array(this.vectors.buffer, this.vectors.byteOffset, this.vectors.byteLength),
      header.byteLength,
    );
    return writeByHash(blobDir, '.exact', bytes);
  }

  static fromBytes(bytes: Uint8Array): ExactIndex {
    const copy = new Uint8Array(bytes);
    const head = new Float64Array(copy.buffer, 0, 2);
    const [dims, n] = [head[0], head[1]];
    const keys = new Float64Array(copy.buffer, 16, n);
    const vectors = new Float32Array(copy.buffer, 16 + n * 8, n * dims);
    const idx = new ExactIndex(dims, null);
    idx.add(keys, vectors);
    return idx;
  }
}

/** A 64-bit hash of a vector's bytes (two 32-bit murmur-style hashes), to find exact duplicates. */
function vectorHash(words: Int32Array, from: number, to: number): string {
  let h1 = 0x9747b28c;
  let h2 = 0x2545f491;
  for (let i = from; i < to; i++) {
    const w = words[i];
    h1 = Math.imul(h1 ^ w, 0x5bd1e995);
    h1 ^= h1 >>> 15;
    h2 = Math.imul(h2 + w, 0x85ebca6b) ^ (h2 >>> 13);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 0x85ebca6b);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 0xc2b2ae35);
  return `${(h1 >>> 0).toString(36)}:${(h2 >>> 0).toString(36)}`;
}

/**
 * usearch HNSW over the distinct vectors. Identical vectors (the same title on several channels embeds
 * identically) go into the graph once; the other keys ride along and are returned right after it, with the same
 * score. HNSW struggles with many exact duplicates (slow inserts, ties); this keeps it fast and exact about them.
 */
class UsearchAnn implements AnnIndex {
  readonly kind = 'usearch' as const;
  readonly note = null;
  private readonly canonical = new Map<string, number>();
  private readonly dupes = new Map<number, number[]>();
  private count = 0;

  constructor(
    readonly dims: number,
    private readonly index: UsearchIndex,
    private readonly threads: number,
    restored?: { count: number; dupes: Array<[number, number[]]> },
  ) {
    if (restored) {
      this.count = restored.count;
      for (const [k, list] of restored.dupes) this.dupes.set(k, list);
    }
  }

  size(): number {
    return this.count;
  }

  add(keys: ArrayLike<number>, vectors: Float32Array): void {
    if (keys.length === 0) return;
    if (vectors.length !== keys.length * this.dims)
      throw new Error(`add: ${vectors.length} values for ${keys.length} keys × ${this.dims} dims`);
    const words = new Int32Array(vectors.buffer, vectors.byteOffset, vectors.length);
    const fresh: number[] = [];
    const freshRows: number[] = [];
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      if (!Number.isInteger(key) || key < 0)
        throw new Error(`ANN keys must be non-negative integers (got ${key})`);
      const h = vectorHash(words, i * this.dims, (i + 1) * this.dims);
      const canon = this.canonical.get(h);
      if (canon !== undefined) {
        let list = this.dupes.get(canon);
        if (!list) this.dupes.set(canon, (list = []));
        list.push(key);
      } else {
        this.canonical.set(h, key);
        fresh.push(key);
        freshRows.push(i);
      }
    }
    this.count += keys.length;
    if (fresh.length === 0) return;
    const k = BigUint64Array.from(fresh, (x) => BigInt(x));
    let v = vectors;
    if (fresh.length !== keys.length) {
      v = new Float32Array(fresh.length * this.dims);
      freshRows.forEach((row, j) =>
        v.set(vectors.subarray(row * this.dims, (row + 1) * this.dims), j * this.dims),
      );
    }
    this.index.add(k, v, this.threads);
  }

  search(queries: Float32Array, k: number): SearchResult {
    const q = queries.length / this.dims;
    const keys = new Float64Array(q * k).fill(-1);
    const scores = new Float32Array(q * k).fill(-Infinity);
    if (q === 0 || this.index.size() === 0) return { keys, scores, k };
    const r = this.index.search(queries, k, this.threads);
    for (let i = 0; i < q; i++) {
      const count = r.counts ? Number(r.counts[i]) : r.keys.length;
      let p = 0;
      for (let j = 0; j < count && p < k; j++) {
        const key = Number(r.keys[i * k + j]);
        const score = 1 - r.distances[i * k + j]; // usearch's "ip" distance is 1 - dot
        keys[i * k + p] = key;
        scores[i * k + p++] = score;
        for (const d of this.dupes.get(key) ?? []) {
          if (p >= k) break;
          keys[i * k + p] = d;
          scores[i * k + p++] = score;
        }
      }
    }
    return { keys, scores, k };
  }

  /** Two files: `ann/<sha256>.usearch` (the graph) and `ann/<sha256>.usearch.json` (duplicates); the hash covers both. */
  save(blobDir: string): { sha256: string; path: string } {
    mkdirSync(join(blobDir, 'ann'), { recursive: true });
    const tmp = join(blobDir, 'ann', `save.${process.pid}.tmp`);
    this.index.save(tmp);
    const bytes = readFileSync(tmp);
    const meta = Buffer.from(JSON.stringify({ dims: this.dims, count: this.count, dupes: [...this.dupes] }));
    const sha256 = createHash('sha256').update(bytes).update(meta).digest('hex');
    const path = `ann/${sha256}.usearch`;
    writeFileSync(join(blobDir, `${path}.json`), meta);
    renameSync(tmp, join(blobDir, path));
    return { sha256, path };
  }
}

function newUsearch(mod: UsearchModule, options: AnnOptions): UsearchIndex {
  return new mod.Index({
    dimensions: options.dims,
    metric: 'ip',
    quantization: 'f32',
    connectivity: options.connectivity ?? 16,
    expansion_add: options.expansionAdd ?? 128,
    expansion_search: options.expansionSearch ?? 160,
    multi: false,
  });
}

export function createAnnIndex(options: AnnOptions): AnnIndex {
  const status = usearchStatus();
  if (options.exact || !status.available)
    return new ExactIndex(options.dims, options.exact ? null : status.reason);
  return new UsearchAnn(options.dims, newUsearch(usearchLoad!.module!, options), options.threads ?? 0);
}

/**
 * Loads an index saved by `save` (its kind from the file extension), checking the hash. Vectors added to a
 * loaded usearch index are deduplicated among themselves only.
 */
export function loadAnnIndex(
  blobDir: string,
  saved: { sha256: string; path: string },
  options: AnnOptions,
): AnnIndex {
  const abs = join(blobDir, saved.path);
  const bytes = readFileSync(abs);
  if (saved.path.endsWith('.exact')) {
    if (createHash('sha256').update(bytes).digest('hex') !== saved.sha256)
      throw new Error(`ANN index ${saved.path} is damaged (sha256 mismatch)`);
    return ExactIndex.fromBytes(bytes);
  }
  const meta = readFileSync(`${abs}.json`);
  if (createHash('sha256').update(bytes).update(meta).digest('hex') !== saved.sha256) {
    throw new Error(`ANN index ${saved.path} is damaged (sha256 mismatch)`);
  }
  const status = usearchStatus();
  if (!status.available) throw new Error(`${saved.path} is a usearch index, but ${status.reason}`);
  const index = newUsearch(usearchLoad!.module!, options);
  index.load(abs);
  const restored = JSON.parse(meta.toString('utf8')) as { count: number; dupes: Array<[number, number[]]> };
  return new UsearchAnn(options.dims, index, options.threads ?? 0, restored);
}
