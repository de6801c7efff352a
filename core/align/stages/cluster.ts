/**
 * Stage `cluster`: records joined into clusters over the pairs at or above the threshold (core/align/clustering.ts),
 * labels as must-link / cannot-link, a channel listing one product twice (same valid GTIN) kept together and
 * flagged, different valid GTINs or different variant options never joined (unless labelled); each cluster's
 * confidence is its weakest link.
 */
import { stage } from '../../jobs/pipeline.js';
import { clusterRecords } from '../clustering.js';
import type { ResolvedLabels } from '../labels.js';
import type { VariantOptions } from '../variants.js';

export interface ClusterInput {
  /** Channel of each record position. */
  channelOf: Int32Array;
  /** Valid GTIN (an id per distinct GTIN) of each record position, -1 none. */
  gtinOf: Int32Array;
  A: Int32Array;
  B: Int32Array;
  probability: Float32Array;
  labels: ResolvedLabels;
  threshold: number;
  /** Canonical variant options of each record position: two different variants are never one product. */
  variants: VariantOptions;
}

export interface Clustering {
  /** Cluster of each record position: the position of its representative (the smallest in it). */
  cluster: Int32Array;
  duplicate: Uint8Array;
  confidence: Float32Array;
  clusters: number;
  matchedRecords: number;
}

function clusterAll(input: ClusterInput): Clustering {
  const { channelOf: channel, gtinOf: gtin, A, B, probability, labels, threshold, variants } = input;
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
    conflict: (i, j) =>
      ((gtin[i] >= 0 && gtin[j] >= 0 && gtin[i] !== gtin[j]) || variants.conflict(i, j)) && !labelled(i, j),
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

export const clusterStage = stage('cluster', 'clustering', (input: ClusterInput) => ({
  clustering: clusterAll(input),
}));
