/**
 * Evaluation against a ground truth such as the fixture generator's `truth.json` (`clusters`: for every true
 * product, its records as {channel, recordId}): pairwise precision / recall / F1 over record pairs, and the
 * recall of a candidate pair set (blocking). The truth file is read line by line when it has the generator's
 * one-element-per-line layout (large stores), else parsed whole.
 */
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { badInput, ConcordError } from '../model/errors.js';
import { scoresOf, type Scores } from './metrics.js';

export interface TruthRecord {
  channel: string;
  recordId: string;
}

/** True clusters, each a list of records. */
export type TruthClusters = TruthRecord[][];

/** Reads `clusters` from a truth file. */
export async function readTruthClusters(file: string): Promise<TruthClusters> {
  const info = await stat(file).catch(() => null);
  if (!info) throw new ConcordError('NOT_FOUND', `${file}: no such file`, { file });
  const clusters: TruthClusters = [];
  let inClusters = false;
  let sawClusters = false;
  let lineBased = true;
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  for await (const raw of lines) {
    const line = raw.trim();
    if (!inClusters) {
      if (line.startsWith('"clusters":[')) {
        inClusters = true;
        sawClusters = true;
        if (line !== '"clusters":[') {
          lineBased = false;
          break;
        }
      }
      continue;
    }
    if (line.startsWith(']')) break;
    const item = line.endsWith(',') ? line.slice(0, -1) : line;
    try {
      clusters.push(toCluster(JSON.parse(item), file));
    } catch (err) {
      if (err instanceof ConcordError) throw err;
      lineBased = false;
      break;
    }
  }
  lines.close();
  if (sawClusters && lineBased) return clusters;
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw badInput({ file }, `not JSON (${(err as Error).message})`);
  }
  const list = (json as { clusters?: unknown }).clusters;
  if (!Array.isArray(list)) throw badInput({ file }, 'no "clusters" array');
  return list.map((c) => toCluster(c, file));
}

function toCluster(value: unknown, file: string): TruthRecord[] {
  if (!Array.isArray(value)) throw badInput({ file }, 'a cluster must be an array of {channel, recordId}');
  return value.map((r) => {
    const o = r as Partial<TruthRecord>;
    if (typeof o?.channel !== 'string' || typeof o?.recordId !== 'string')
      throw badInput({ file }, 'a cluster member must be {channel, recordId}');
    return { channel: o.channel, recordId: o.recordId };
  });
}

/** Key of a record reference. */
export function refKey(channel: string, recordId: string): string {
  return `${channel}\u0001${recordId}`;
}

/**
 * Truth as an array over record positions: `truthOf[i]` = index of record i's true cluster, or -1 when the
 * truth does not know it. `keyOf(i)` gives record i's (channel, recordId) key.
 */
export function truthLabels(truth: TruthClusters, n: number, keyOf: (i: number) => string): Int32Array {
  const clusterOf = new Map<string, number>();
  truth.forEach((c, k) => {
    for (const r of c) clusterOf.set(refKey(r.channel, r.recordId), k);
  });
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = clusterOf.get(keyOf(i)) ?? -1;
  return out;
}

/** Number of record pairs inside clusters given as labels per record (-1 = unknown, not counted). */
function pairsWithin(labels: Int32Array): number {
  const size = new Map<number, number>();
  for (const l of labels) if (l >= 0) size.set(l, (size.get(l) ?? 0) + 1);
  let pairs = 0;
  for (const s of size.values()) pairs += (s * (s - 1)) / 2;
  return pairs;
}

export interface PairwiseScores extends Scores {
  truePairs: number;
  predictedPairs: number;
  correctPairs: number;
}

/**
 * Pairwise precision / recall / F1 of a clustering (`predicted[i]` = cluster of record i) against the truth
 * (`truth[i]`, -1 = unknown records, left out of both sides).
 */
export function pairwiseScores(predicted: Int32Array, truth: Int32Array): PairwiseScores {
  const known = new Int32Array(predicted.length);
  for (let i = 0; i < predicted.length; i++) known[i] = truth[i] >= 0 ? predicted[i] : -1;
  const predictedPairs = pairsWithin(known);
  const truePairs = pairsWithin(truth);
  // Correct pairs: pairs within the intersection cells (predicted cluster × true cluster).
  const cell = new Map<number, number>();
  const n = predicted.length;
  for (let i = 0; i < n; i++) {
    if (truth[i] < 0) continue;
    const key = predicted[i] * 4294967296 + truth[i];
    cell.set(key, (cell.get(key) ?? 0) + 1);
  }
  let correctPairs = 0;
  for (const s of cell.values()) correctPairs += (s * (s - 1)) / 2;
  const s = scoresOf({
    tp: correctPairs,
    fp: predictedPairs - correctPairs,
    fn: truePairs - correctPairs,
    tn: 0,
  });
  return { ...s, truePairs, predictedPairs, correctPairs };
}

/** Share of true pairs (truth labels per record) that are among the candidate pairs (a[e], b[e]). */
export function pairRecall(
  a: Int32Array,
  b: Int32Array,
  truth: Int32Array,
): { recall: number; found: number; truePairs: number } {
  const truePairs = pairsWithin(truth);
  let found = 0;
  for (let e = 0; e < a.length; e++) {
    const t = truth[a[e]];
    if (t >= 0 && t === truth[b[e]]) found++;
  }
  return { recall: truePairs > 0 ? found / truePairs : 1, found, truePairs };
}
