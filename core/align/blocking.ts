/**
 * Blocking (DESIGN.md "Alignment", step 1): the candidate record pairs the matcher scores, without comparing all
 * cross-channel pairs. Sub-quadratic sources, each with capped block sizes:
 *  - exact keys: valid GTIN, SKU/MPN identifiers (squashed, with a leading segment such as `WC-` also stripped);
 *  - model-code tokens of the title (letters mixed with digits);
 *  - text top-k: for every record and every other channel, the k records with the highest TF-IDF cosine, found
 *    through an inverted index over the record's rare tokens (a sparse nearest-neighbour search), re-ranked on
 *    the full vector;
 *  - embedding top-k through an approximate nearest-neighbour index, when the workspace has embeddings.
 * Same-channel pairs are only emitted for equal valid GTINs (a channel listing a product twice).
 *
 * The nearest-neighbour sources run for the query records the caller names (default all): alignment asks only
 * for records whose pairs the GTIN does not decide (no valid GTIN) and a sample of the others (training pairs),
 * since two records with valid GTINs are the same product exactly when the GTINs are equal.
 */
import { insertTop } from '../embed/topK.js';
import { cancelled } from '../model/errors.js';
import { ID_SEPARATOR, tokenCosine, type RecordProfiles, type TextPart } from './recordPairs.js';

export const VIA_GTIN = 1;
export const VIA_IDENTIFIER = 2;
export const VIA_CODE = 4;
export const VIA_TEXT = 8;
export const VIA_ANN = 16;

export interface BlockingOptions {
  /** Text neighbours kept per record and other channel (default 4). */
  topK: number;
  /** More neighbours (up to this many) when they are within `tieMargin` of the k-th (default 8). */
  maxK: number;
  /** Cosine margin for those extra neighbours (default 0.05). */
  tieMargin: number;
  /** Partial-score candidates per record and channel re-scored on the full vector (default 24). */
  rerank: number;
  /** Tokens (and token pairs) in more records than this do not generate text candidates (default 200). */
  maxTokenDf: number;
  /** Combination blocks larger than this are skipped (default 100). */
  maxComboBlock: number;
  /** Pairs and triples among this many of a record's rarest tokens generate candidates too (default 6; 0 = off). */
  comboTokens: number;
  /** Exact-key blocks (GTIN, identifier) larger than this are skipped as not identifying (default 32). */
  maxKeyBlock: number;
  /** Model-code blocks larger than this are skipped (default 40). */
  maxCodeBlock: number;
  /** Neighbours per record and other channel from the embedding index (default 4; 0 = off). */
  annK: number;
}

export const DEFAULT_BLOCKING: BlockingOptions = {
  topK: 4,
  maxK: 8,
  tieMargin: 0.05,
  rerank: 24,
  maxTokenDf: 200,
  comboTokens: 6,
  maxComboBlock: 100,
  maxKeyBlock: 32,
  maxCodeBlock: 40,
  annK: 4,
};

/** Nearest neighbours by embedding: for query rows, the top-k record positions (or -1) of one channel. */
export type AnnSearch = (channel: number, queries: Int32Array, k: number) => Int32Array;

export interface CandidatePairs {
  /** Record positions, a < b. */
  a: Int32Array;
  b: Int32Array;
  /** Bit set of the sources that proposed the pair (VIA_*). */
  via: Uint8Array;
  /** TF-IDF cosine of the pair. */
  cosine: Float32Array;
  /** Same-channel pairs (equal valid GTIN within one channel). */
  sameChannel: number;
  stats: BlockingStats;
}

export interface BlockingStats {
  candidatePairs: number;
  /** Cross-channel pairs there are: Σ over channel pairs of n_i × n_j. */
  crossPairs: number;
  keptFraction: number;
  byVia: Record<string, number>;
  skippedKeyBlocks: number;
  skippedCodeBlocks: number;
  seconds: number;
}

/** Pairs (a, b, via) collected from the sources before de-duplication. */
export class PairSink {
  private key = new Float64Array(1 << 16);
  length = 0;
  constructor(private readonly n: number) {}
  add(i: number, j: number, via: number): void {
    if (i === j) return;
    const a = i < j ? i : j;
    const b = i < j ? j : i;
    if (this.length === this.key.length) {
      const grown = new Float64Array(this.key.length * 2);
      grown.set(this.key);
      this.key = grown;
    }
    // key * 32 + via stays below 2^53 for up to ~16 million records
    this.key[this.length++] = (a * this.n + b) * 32 + via;
  }
  /** The pairs added so far, as keys (what another thread's sink sends). */
  keys(): Float64Array {
    return this.key.slice(0, this.length);
  }
  /** Adds another sink's keys. */
  addKeys(keys: Float64Array): void {
    for (let t = 0; t < keys.length; t++) {
      if (this.length === this.key.length) {
        const grown = new Float64Array(this.key.length * 2);
        grown.set(this.key);
        this.key = grown;
      }
      this.key[this.length++] = keys[t];
    }
  }
  /** Sorted, de-duplicated pairs with their sources OR-ed. */
  finish(): { a: Int32Array; b: Int32Array; via: Uint8Array } {
    const keys = this.key.subarray(0, this.length).sort();
    let m = 0;
    let last = -1;
    for (let t = 0; t < keys.length; t++) {
      const pair = Math.floor(keys[t] / 32);
      if (pair !== last) {
        m++;
        last = pair;
      }
    }
    const a = new Int32Array(m);
    const b = new Int32Array(m);
    const via = new Uint8Array(m);
    let k = -1;
    last = -1;
    for (let t = 0; t < keys.length; t++) {
      const pair = Math.floor(keys[t] / 32);
      const v = keys[t] - pair * 32;
      if (pair !== last) {
        k++;
        last = pair;
        a[k] = Math.floor(pair / this.n);
        b[k] = pair - a[k] * this.n;
      }
      via[k] |= v;
    }
    return { a, b, via };
  }
}

/** Candidate pairs of all records (see the file comment). */
export function blockPairs(
  p: RecordProfiles,
  options: Partial<BlockingOptions> = {},
  ann: AnnSearch | null = null,
  signal?: AbortSignal,
  queries: Uint8Array | null = null,
): CandidatePairs {
  const o = { ...DEFAULT_BLOCKING, ...options };
  const started = performance.now();
  const sink = new PairSink(p.n);
  const skipped = exactKeyPairs(p, o, sink);
  throwIfAborted(signal);
  if (o.topK > 0) new TextSearch(p, o).run(p, sink, queries, signal);
  return candidates(p, o, sink, skipped, ann, queries, started, signal);
}

/**
 * Text top-k of the query records, run by another thread (alignment's profile twin, which has its index built
 * already) while this one finds the exact-key pairs: the PairSink keys it found.
 */
export type TextTopKShare = (queries: Uint8Array | null) => Promise<Float64Array>;

/** blockPairs, with the text top-k run by `share` meanwhile. */
export async function blockPairsShared(
  p: RecordProfiles,
  options: Partial<BlockingOptions>,
  ann: AnnSearch | null,
  signal: AbortSignal | undefined,
  queries: Uint8Array | null,
  share: TextTopKShare,
): Promise<CandidatePairs> {
  const o = { ...DEFAULT_BLOCKING, ...options };
  const started = performance.now();
  const sink = new PairSink(p.n);
  const theirs = o.topK > 0 ? share(queries) : null;
  theirs?.catch(() => {}); // awaited below; not unhandled should this thread throw first
  const skipped = exactKeyPairs(p, o, sink);
  throwIfAborted(signal);
  if (theirs) sink.addKeys(await theirs);
  return candidates(p, o, sink, skipped, ann, queries, started, signal);
}

/** Exact-key and model-code pairs into `sink`; the blocks skipped as too large. */
function exactKeyPairs(
  p: RecordProfiles,
  o: BlockingOptions,
  sink: PairSink,
): { skippedKeyBlocks: number; skippedCodeBlocks: number } {
  const n = p.n;
  let skippedKeyBlocks = 0;
  let skippedCodeBlocks = 0;

  // ---- exact keys ----
  const emitBlock = (members: ArrayLike<number>, via: number, max: number, sameChannel: boolean): boolean => {
    if (members.length < 2) return true;
    if (members.length > max) return false;
    for (let x = 0; x < members.length; x++)
      for (let y = x + 1; y < members.length; y++) {
        const i = members[x];
        const j = members[y];
        if (p.channel[i] !== p.channel[j] || sameChannel) sink.add(i, j, via);
      }
    return true;
  };
  const gtinBlocks = groupBy(n, (i, put) => {
    if (p.gtin[i] >= 0) put(p.gtin[i]);
  });
  for (const members of gtinBlocks)
    if (!emitBlock(members, VIA_GTIN, o.maxKeyBlock, true)) skippedKeyBlocks++;
  // Identifier blocks, keys numbered by first appearance: (key, record) entries, then grouped by key (CSR).
  const idKeys = new Map<string, number>();
  const entryKey: number[] = [];
  const entryRec: number[] = [];
  for (let i = 0; i < n; i++) {
    const keys = p.ids[i];
    if (keys.length === 0) continue;
    const first = entryKey.length;
    for (const s of keys.split(ID_SEPARATOR)) {
      let k = idKeys.get(s);
      if (k === undefined) idKeys.set(s, (k = idKeys.size));
      if (entryKey.indexOf(k, first) < 0) {
        entryKey.push(k);
        entryRec.push(i);
      }
    }
  }
  const keyStart = new Int32Array(idKeys.size + 1);
  idKeys.clear();
  for (const k of entryKey) keyStart[k + 1]++;
  for (let k = 0; k + 1 < keyStart.length; k++) keyStart[k + 1] += keyStart[k];
  const keyFill = keyStart.slice(0, keyStart.length - 1);
  const keyMembers = new Int32Array(entryKey.length);
  for (let e = 0; e < entryKey.length; e++) keyMembers[keyFill[entryKey[e]]++] = entryRec[e];
  for (let k = 0; k + 1 < keyStart.length; k++)
    if (!emitBlock(keyMembers.subarray(keyStart[k], keyStart[k + 1]), VIA_IDENTIFIER, o.maxKeyBlock, false))
      skippedKeyBlocks++;
  const codeBlocks = groupBy(n, (i, put) => {
    for (let c = p.codeStart[i]; c < p.codeStart[i + 1]; c++)
      if (p.codes[p.codeId[c]].length >= 4) put(p.codeId[c]);
  });
  for (const members of codeBlocks)
    if (!emitBlock(members, VIA_CODE, o.maxCodeBlock, false)) skippedCodeBlocks++;
  return { skippedKeyBlocks, skippedCodeBlocks };
}

/** Embedding pairs into `sink`, then the candidate pairs with their cosines and the statistics. */
function candidates(
  p: RecordProfiles,
  o: BlockingOptions,
  sink: PairSink,
  { skippedKeyBlocks, skippedCodeBlocks }: { skippedKeyBlocks: number; skippedCodeBlocks: number },
  ann: AnnSearch | null,
  queries: Uint8Array | null,
  started: number,
  signal?: AbortSignal,
): CandidatePairs {
  const n = p.n;
  const channels = p.channelCount;
  // ---- embedding top-k ----
  if (ann && o.annK > 0) {
    for (let c = 0; c < channels; c++) {
      for (let q = 0; q < channels; q++) {
        if (q === c) continue;
        const rows: number[] = [];
        for (let i = 0; i < n; i++) if (p.channel[i] === q && (!queries || queries[i])) rows.push(i);
        const rowList = Int32Array.from(rows);
        const hits = ann(c, rowList, o.annK);
        for (let r = 0; r < rowList.length; r++)
          for (let t = 0; t < o.annK; t++) {
            const j = hits[r * o.annK + t];
            if (j >= 0) sink.add(rowList[r], j, VIA_ANN);
          }
        throwIfAborted(signal);
      }
    }
  }

  const { a, b, via } = sink.finish();
  const cosine = new Float32Array(a.length);
  let sameChannel = 0;
  for (let e = 0; e < a.length; e++) {
    cosine[e] = p.cosine(a[e], b[e]);
    if (p.channel[a[e]] === p.channel[b[e]]) sameChannel++;
  }
  const perChannel = new Array<number>(channels).fill(0);
  for (let i = 0; i < n; i++) perChannel[p.channel[i]]++;
  let crossPairs = 0;
  for (let x = 0; x < channels; x++)
    for (let y = x + 1; y < channels; y++) crossPairs += perChannel[x] * perChannel[y];
  const byVia: Record<string, number> = { gtin: 0, identifier: 0, code: 0, text: 0, ann: 0 };
  const names: [number, string][] = [
    [VIA_GTIN, 'gtin'],
    [VIA_IDENTIFIER, 'identifier'],
    [VIA_CODE, 'code'],
    [VIA_TEXT, 'text'],
    [VIA_ANN, 'ann'],
  ];
  for (let e = 0; e < via.length; e++) for (const [bit, name] of names) if (via[e] & bit) byVia[name]++;
  const cross = a.length - sameChannel;
  return {
    a,
    b,
    via,
    cosine,
    sameChannel,
    stats: {
      candidatePairs: cross,
      crossPairs,
      keptFraction: crossPairs > 0 ? cross / crossPairs : 0,
      byVia,
      skippedKeyBlocks,
      skippedCodeBlocks,
      seconds: (performance.now() - started) / 1000,
    },
  };
}

/** Records grouped by integer keys (each record may put several keys). Groups in key order. */
function groupBy(n: number, keysOf: (i: number, put: (key: number) => void) => void): number[][] {
  const lists: number[][] = [];
  for (let i = 0; i < n; i++)
    keysOf(i, (key) => {
      const l = (lists[key] ??= []);
      if (l[l.length - 1] !== i) l.push(i);
    });
  return lists.filter((l) => l !== undefined);
}

/** What text top-k reads of the records: their TF-IDF vectors (RecordProfiles, or a text part on another thread). */
export type TextVectors = Pick<TextPart, 'n' | 'tokStart' | 'tokId' | 'tokW' | 'df'>;

/**
 * Text top-k through an inverted index of rare tokens: the postings and the combination blocks are built once,
 * then any range of query records runs against them.
 */
export class TextSearch {
  private readonly postStart: Int32Array;
  private readonly postRec: Int32Array;
  private readonly postW: Float32Array;
  private readonly combos: ComboBlocks;

  constructor(
    private readonly p: TextVectors,
    private readonly o: BlockingOptions,
  ) {
    const V = p.df.length;
    // Postings of the rare tokens: token -> records, and the token's weight in each.
    const postStart = new Int32Array(V + 1);
    for (let e = 0; e < p.tokId.length; e++) {
      const t = p.tokId[e];
      if (p.df[t] <= o.maxTokenDf) postStart[t + 1]++;
    }
    for (let t = 0; t < V; t++) postStart[t + 1] += postStart[t];
    const fill = postStart.slice(0, V);
    const postRec = new Int32Array(postStart[V]);
    const postW = new Float32Array(postStart[V]);
    for (let i = 0; i < p.n; i++)
      for (let e = p.tokStart[i]; e < p.tokStart[i + 1]; e++) {
        const t = p.tokId[e];
        if (p.df[t] > o.maxTokenDf) continue;
        const at = fill[t]++;
        postRec[at] = i;
        postW[at] = p.tokW[e];
      }
    this.postStart = postStart;
    this.postRec = postRec;
    this.postW = postW;
    this.combos = comboBlocks(p, o);
  }

  /** The text pairs of the query records (null = all) into `sink`; `channel` of every record. */
  run(
    where: { channel: Int32Array; channelCount: number },
    sink: PairSink,
    queries: Uint8Array | null,
    signal?: AbortSignal,
  ): void {
    const { p, o, postStart, postRec, postW, combos } = this;
    const { channel, channelCount: channels } = where;
    const n = p.n;
    const acc = new Float32Array(n);
    const touched = new Int32Array(n);
    const perChannel: number[][] = Array.from({ length: channels }, () => []);
    const kMax = Math.max(o.topK, o.maxK);
    const top = new Float64Array(kMax);
    const topJ = new Int32Array(kMax);
    for (let i = 0; i < n; i++) {
      if ((i & 0xffff) === 0) throwIfAborted(signal);
      if (queries && !queries[i]) continue;
      const ci = channel[i];
      let nt = 0;
      for (let e = p.tokStart[i]; e < p.tokStart[i + 1]; e++) {
        const t = p.tokId[e];
        if (p.df[t] > o.maxTokenDf) continue;
        const w = p.tokW[e];
        for (let q = postStart[t]; q < postStart[t + 1]; q++) {
          const j = postRec[q];
          if (channel[j] === ci) continue;
          if (acc[j] === 0) touched[nt++] = j;
          acc[j] += w * postW[q] + 1e-9;
        }
      }
      for (let q = combos.recStart[i]; q < combos.recStart[i + 1]; q++) {
        const blk = combos.recBlock[q];
        for (let r = combos.blockStart[blk]; r < combos.blockStart[blk + 1]; r++) {
          const j = combos.members[r];
          if (channel[j] === ci) continue;
          if (acc[j] === 0) touched[nt++] = j;
          acc[j] += 0.02;
        }
      }
      if (nt === 0) continue;
      for (const l of perChannel) l.length = 0;
      for (let x = 0; x < nt; x++) perChannel[channel[touched[x]]].push(touched[x]);
      for (let c = 0; c < channels; c++) {
        const cands = perChannel[c];
        if (cands.length === 0) continue;
        if (cands.length > o.rerank) {
          cands.sort((x, y) => acc[y] - acc[x]);
          cands.length = o.rerank;
        }
        top.fill(-1);
        topJ.fill(-1);
        for (const j of cands) {
          const s = tokenCosine(p, i, j);
          if (s <= top[kMax - 1]) continue;
          insertTop(top, topJ, s, j);
        }
        // The k best, and beyond them those within `tieMargin` of the k-th (a family of look-alikes), up to kMax.
        const floor = top[o.topK - 1] - o.tieMargin;
        for (let t = 0; t < kMax; t++)
          if (topJ[t] >= 0 && (t < o.topK || top[t] >= floor)) sink.add(i, topJ[t], VIA_TEXT);
      }
      for (let x = 0; x < nt; x++) acc[touched[x]] = 0;
    }
  }
}

interface ComboBlocks {
  /** Per record (CSR): the blocks it is in. */
  recStart: Int32Array;
  recBlock: Int32Array;
  /** Per block (CSR): its records. */
  blockStart: Int32Array;
  members: Int32Array;
}

/**
 * Blocks keyed by pairs and triples of a record's rarest tokens. Titles written from a small vocabulary (`Mint
 * Crisp Chocolate Bar 180 g Pack of 10`) may have no rare word, while a combination of their least common words
 * is rare. Every pair and triple among the `comboTokens` rarest tokens is a key (so one drifted word still leaves
 * keys in common); keys shared by more than maxTokenDf records, or by one, are dropped.
 */
function comboBlocks(p: TextVectors, o: BlockingOptions): ComboBlocks {
  const n = p.n;
  const R = o.comboTokens;
  if (R < 2) {
    return {
      recStart: new Int32Array(n + 1),
      recBlock: new Int32Array(0),
      blockStart: new Int32Array(1),
      members: new Int32Array(0),
    };
  }
  const perRecord = (R * (R - 1)) / 2 + (R * (R - 1) * (R - 2)) / 6;
  let hash = new Uint32Array(n * perRecord);
  let rec = new Int32Array(n * perRecord);
  let k = 0;
  const rare = new Int32Array(R);
  for (let i = 0; i < n; i++) {
    // The R rarest tokens (by df, then id), by insertion into a small sorted array.
    let r = 0;
    for (let e = p.tokStart[i]; e < p.tokStart[i + 1]; e++) {
      const t = p.tokId[e];
      const d = p.df[t];
      if (r === R && d >= p.df[rare[R - 1]]) continue;
      let pos = r < R ? r++ : R - 1;
      while (pos > 0 && p.df[rare[pos - 1]] > d) {
        rare[pos] = rare[pos - 1];
        pos--;
      }
      rare[pos] = t;
    }
    const sel = rare.subarray(0, r).slice().sort();
    // Pairs and triples of the rarest tokens: a pair of common words may still be common, a triple rarely is.
    for (let x = 0; x < r; x++)
      for (let y = x + 1; y < r; y++) {
        const h2 = pairHash(sel[x], sel[y]);
        hash[k] = h2;
        rec[k++] = i;
        for (let z = y + 1; z < r; z++) {
          hash[k] = pairHash(h2, sel[z]);
          rec[k++] = i;
        }
      }
  }
  // Radix sort by hash (two 16-bit passes; stable, so each key's records stay in ascending order).
  {
    let h2 = new Uint32Array(k);
    let r2 = new Int32Array(k);
    const count = new Int32Array(65537);
    for (let shift = 0; shift < 32; shift += 16) {
      count.fill(0);
      for (let q = 0; q < k; q++) count[((hash[q] >>> shift) & 0xffff) + 1]++;
      for (let b = 0; b < 65536; b++) count[b + 1] += count[b];
      for (let q = 0; q < k; q++) {
        const at = count[(hash[q] >>> shift) & 0xffff]++;
        h2[at] = hash[q];
        r2[at] = rec[q];
      }
      [hash, h2] = [h2, hash];
      [rec, r2] = [r2, rec];
    }
  }
  // Runs of one key: blocks of 2..maxComboBlock records. Two passes: count, then fill.
  let blocks = 0;
  let total = 0;
  const recCount = new Int32Array(n + 1);
  const runs = (visit: (s: number, e: number) => void): void => {
    let s = 0;
    while (s < k) {
      const h = hash[s];
      let e = s + 1;
      while (e < k && hash[e] === h) e++;
      if (e - s >= 2 && e - s <= o.maxComboBlock) visit(s, e);
      s = e;
    }
  };
  runs((s, e) => {
    blocks++;
    total += e - s;
    for (let q = s; q < e; q++) recCount[rec[q] + 1]++;
  });
  const blockStart = new Int32Array(blocks + 1);
  const members = new Int32Array(total);
  let b = 0;
  let m = 0;
  runs((s, e) => {
    blockStart[b++] = m;
    for (let q = s; q < e; q++) members[m++] = rec[q];
  });
  blockStart[blocks] = m;
  for (let i = 0; i < n; i++) recCount[i + 1] += recCount[i];
  const recBlock = new Int32Array(recCount[n]);
  const fill = recCount.slice(0, n);
  for (let x = 0; x < blocks; x++)
    for (let q = blockStart[x]; q < blockStart[x + 1]; q++) recBlock[fill[members[q]]++] = x;
  return { recStart: recCount, recBlock, blockStart, members };
}

/** A 32-bit hash of a token pair. */
function pairHash(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h ^ b, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x27d4eb2f);
  h ^= h >>> 15;
  return h >>> 0;
}

function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw cancelled();
}
