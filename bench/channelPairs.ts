/**
 * Pairwise scores per pair of channels: of the true cross-channel record pairs between channels A and B (records of
 * the same true product), how many alignment put in one cluster (recall), and of the pairs it put together, how
 * many are true (precision). Same counting as core/align/truth.ts `pairwiseScores`, split by the channels of the
 * two records; records the truth does not know are left out.
 */
import type Database from 'better-sqlite3';
import { refKey, truthLabels, type TruthClusters } from '../core/align/truth.js';

export interface ChannelPairScore {
  channels: [string, string];
  truePairs: number;
  predictedPairs: number;
  correctPairs: number;
  precision: number;
  recall: number;
}

/** Per group (cluster), records per channel. */
function countsBy(
  groups: Int32Array,
  channel: Int32Array,
  keep: (i: number) => boolean,
): Map<number, Map<number, number>> {
  const out = new Map<number, Map<number, number>>();
  for (let i = 0; i < groups.length; i++) {
    if (!keep(i)) continue;
    let m = out.get(groups[i]);
    if (!m) out.set(groups[i], (m = new Map()));
    m.set(channel[i], (m.get(channel[i]) ?? 0) + 1);
  }
  return out;
}

/** Cross-channel pairs per channel pair (key `a*k+b`, a < b) within the groups. */
function pairsPerChannelPair(groups: Map<number, Map<number, number>>, k: number): Map<number, number> {
  const out = new Map<number, number>();
  for (const m of groups.values()) {
    const entries = [...m.entries()];
    for (let x = 0; x < entries.length; x++)
      for (let y = x + 1; y < entries.length; y++) {
        const [a, na] = entries[x];
        const [b, nb] = entries[y];
        const key = Math.min(a, b) * k + Math.max(a, b);
        out.set(key, (out.get(key) ?? 0) + na * nb);
      }
  }
  return out;
}

/**
 * `predicted[i]` and `truth[i]` are record i's predicted and true cluster (truth -1 = unknown record), `channel[i]`
 * the index of its channel in `names`.
 */
export function channelPairScores(
  predicted: Int32Array,
  truth: Int32Array,
  channel: Int32Array,
  names: readonly string[],
): ChannelPairScore[] {
  const k = names.length;
  const known = (i: number): boolean => truth[i] >= 0;
  const truePairs = pairsPerChannelPair(countsBy(truth, channel, known), k);
  const predictedPairs = pairsPerChannelPair(countsBy(predicted, channel, known), k);
  // correct pairs: within (predicted cluster x true cluster) cells
  const cell = new Int32Array(predicted.length);
  const cellIds = new Map<string, number>();
  for (let i = 0; i < predicted.length; i++) {
    if (!known(i)) continue;
    const key = `${predicted[i]}:${truth[i]}`;
    let id = cellIds.get(key);
    if (id === undefined) cellIds.set(key, (id = cellIds.size));
    cell[i] = id;
  }
  const correctPairs = pairsPerChannelPair(countsBy(cell, channel, known), k);
  const out: ChannelPairScore[] = [];
  for (let a = 0; a < k; a++)
    for (let b = a + 1; b < k; b++) {
      const key = a * k + b;
      const t = truePairs.get(key) ?? 0;
      const p = predictedPairs.get(key) ?? 0;
      const c = correctPairs.get(key) ?? 0;
      out.push({
        channels: [names[a], names[b]],
        truePairs: t,
        predictedPairs: p,
        correctPairs: c,
        precision: p === 0 ? 1 : c / p,
        recall: t === 0 ? 1 : c / t,
      });
    }
  return out;
}

export interface AlignedRecords {
  /** records.id per position. */
  ids: number[];
  channelNames: string[];
  channel: Int32Array;
  recordIds: string[];
  predicted: Int32Array;
  truth: Int32Array;
}

/** Every record of the aligned workspace with its cluster (alignment's) and its true cluster. */
export function readAlignedRecords(db: Database.Database, truthClusters: TruthClusters): AlignedRecords {
  const rows = db
    .prepare(
      `SELECT r.id, r.channel, r.record_id AS recordId, c.cluster_id AS cluster
         FROM records r JOIN clusters c ON c.record_id = r.id ORDER BY r.id`,
    )
    .all() as { id: number; channel: string; recordId: string; cluster: number }[];
  const channelNames = [...new Set(rows.map((r) => r.channel))];
  const channelIndex = new Map(channelNames.map((c, i) => [c, i]));
  const truth = truthLabels(truthClusters, rows.length, (i) => refKey(rows[i].channel, rows[i].recordId));
  return {
    ids: rows.map((r) => r.id),
    channelNames,
    channel: Int32Array.from(rows, (r) => channelIndex.get(r.channel)!),
    recordIds: rows.map((r) => r.recordId),
    predicted: Int32Array.from(rows, (r) => r.cluster),
    truth,
  };
}
