/**
 * Clustering (DESIGN.md "Alignment", step 3): scored record pairs into products, without transitive chaining of
 * weak links. Best-first agglomeration:
 *  1. must-links (match labels, a channel listing the same product twice) are applied first;
 *  2. then the scored pairs at or above the threshold, strongest first; two clusters merge only when
 *     - they share no channel (at most one record per channel per product; a cluster that must hold two records
 *       of one channel because of a must-link is flagged as a channel duplicate),
 *     - no pair between them is a cannot-link (a no-match label) or a sure conflict (e.g. different valid GTINs),
 *       and no record of one would be joined to a record of the other that its candidates never paired it with
 *       while it matches another record of that channel (its evidence points elsewhere there),
 *     - the average probability of the scored pairs between them is at least the threshold and none is below
 *       the veto (a strong "different product" between any two members stops the merge) — unless the link
 *       itself is near-certain (at least 1 − veto): then only sure conflicts stop it.
 * Taking each record's strongest edge first, with one record per channel, makes a record join the cluster of
 * its best match in each channel when that record also prefers it (a mutual best match); a chain a–b–c is only
 * closed when a and c do not contradict it.
 */

export interface ClusterInput {
  /** Records 0..n-1 and the channel of each. */
  channel: Int32Array;
  /** Scored pairs (record positions) and their match probability. */
  a: Int32Array;
  b: Int32Array;
  probability: ArrayLike<number>;
  threshold: number;
  /** No merge when a scored pair between the two clusters is below this (default 0.05). */
  veto?: number;
  /** Pairs that must be together (match labels, same-channel duplicates), applied in order. */
  mustLink?: readonly (readonly [number, number])[];
  /** Pairs that must not be together (no-match labels); they also stop a must-link. */
  cannotLink?: readonly (readonly [number, number])[];
  /** Sure evidence of different products (e.g. different valid GTINs); stops automatic merges, not must-links. */
  conflict?: (i: number, j: number) => boolean;
}

export interface ClusterResult {
  /** Per record: its cluster's representative, the smallest record position in it. */
  cluster: Int32Array;
  /** Per record: 1 when its cluster holds two records of one channel (must-linked duplicates). */
  duplicate: Uint8Array;
  clusters: number;
}

/** A match elsewhere this likely keeps a record out of a cluster its candidates never paired it with. */
const STRONG_ELSEWHERE = 0.9;

export function clusterRecords(input: ClusterInput): ClusterResult {
  const n = input.channel.length;
  const veto = input.veto ?? 0.05;
  const parent = new Int32Array(n);
  for (let i = 0; i < n; i++) parent[i] = i;
  // Members of each cluster root (created on the first merge: a singleton is just itself).
  const memberLists: (number[] | undefined)[] = new Array(n);
  const members = (r: number): number[] => memberLists[r] ?? [r];
  const sizeOf = (r: number): number => memberLists[r]?.length ?? 1;
  const dup = new Uint8Array(n);
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]];
      x = parent[x];
    }
    return x;
  };

  // Adjacency (CSR) of the scored pairs, for the linkage between two clusters.
  const m = input.a.length;
  const deg = new Int32Array(n + 1);
  for (let e = 0; e < m; e++) {
    deg[input.a[e] + 1]++;
    deg[input.b[e] + 1]++;
  }
  for (let i = 0; i < n; i++) deg[i + 1] += deg[i];
  const fill = deg.slice(0, n);
  const nbr = new Int32Array(2 * m);
  const nbrP = new Float64Array(2 * m);
  for (let e = 0; e < m; e++) {
    const x = input.a[e];
    const y = input.b[e];
    const p = input.probability[e];
    nbr[fill[x]] = y;
    nbrP[fill[x]++] = p;
    nbr[fill[y]] = x;
    nbrP[fill[y]++] = p;
  }

  // Each record's best match (at or above the threshold) in each channel, -1 none.
  let channels = 0;
  for (let i = 0; i < n; i++) if (input.channel[i] >= channels) channels = input.channel[i] + 1;
  const bestIn = new Int32Array(n * channels).fill(-1);
  const bestP = new Float64Array(n * channels);
  for (let x = 0; x < n; x++)
    for (let q = deg[x]; q < deg[x + 1]; q++) {
      const k = x * channels + input.channel[nbr[q]];
      if (nbrP[q] >= STRONG_ELSEWHERE && nbrP[q] > bestP[k]) {
        bestP[k] = nbrP[q];
        bestIn[k] = nbr[q];
      }
    }
  const scored = (x: number, y: number): boolean => {
    for (let q = deg[x]; q < deg[x + 1]; q++) if (nbr[q] === y) return true;
    return false;
  };
  /**
   * x would be one product with y, a record its candidates never paired it with, although x matches another record
   * of y's channel, outside y's cluster: x's evidence points elsewhere in that channel.
   */
  const matchedElsewhere = (x: number, y: number): boolean => {
    const best = bestIn[x * channels + input.channel[y]];
    return best >= 0 && find(best) !== find(y) && !scored(x, y);
  };

  const cannot = new Map<number, number[]>();
  for (const [x, y] of input.cannotLink ?? []) {
    if (!cannot.has(x)) cannot.set(x, []);
    if (!cannot.has(y)) cannot.set(y, []);
    cannot.get(x)!.push(y);
    cannot.get(y)!.push(x);
  }
  const labelledApart = (rx: number, ry: number): boolean => {
    if (cannot.size === 0) return false;
    const [small, other] = sizeOf(rx) <= sizeOf(ry) ? [rx, ry] : [ry, rx];
    for (const x of members(small)) for (const y of cannot.get(x) ?? []) if (find(y) === other) return true;
    return false;
  };
  const sharesChannel = (rx: number, ry: number): boolean => {
    const my = members(ry);
    for (const x of members(rx)) for (const y of my) if (input.channel[x] === input.channel[y]) return true;
    return false;
  };

  const union = (rx: number, ry: number): void => {
    const [big, small] = sizeOf(rx) >= sizeOf(ry) ? [rx, ry] : [ry, rx];
    if (sharesChannel(big, small) || dup[small]) dup[big] = 1;
    parent[small] = big;
    const list = (memberLists[big] ??= [big]);
    for (const x of members(small)) list.push(x);
    memberLists[small] = undefined;
  };

  for (const [x, y] of input.mustLink ?? []) {
    const rx = find(x);
    const ry = find(y);
    if (rx === ry || labelledApart(rx, ry)) continue;
    union(rx, ry);
  }

  const order: number[] = [];
  for (let e = 0; e < m; e++) if (input.probability[e] >= input.threshold) order.push(e);
  order.sort(
    (e, f) =>
      input.probability[f] - input.probability[e] || input.a[e] - input.a[f] || input.b[e] - input.b[f],
  );
  for (const e of order) {
    const rx = find(input.a[e]);
    const ry = find(input.b[e]);
    if (rx === ry) continue;
    if (sharesChannel(rx, ry) || labelledApart(rx, ry)) continue;
    // Linkage over the scored pairs between the two clusters, and sure conflicts among all their pairs.
    const [small, other] = sizeOf(rx) <= sizeOf(ry) ? [rx, ry] : [ry, rx];
    let sum = 0;
    let count = 0;
    let low = false;
    let conflict = false;
    const otherMembers = members(other);
    for (const x of members(small)) {
      for (let q = deg[x]; q < deg[x + 1]; q++) {
        if (find(nbr[q]) !== other) continue;
        const p = nbrP[q];
        if (p < veto) low = true;
        sum += p;
        count++;
      }
      for (const y of otherMembers)
        if (input.conflict?.(x, y) || matchedElsewhere(x, y) || matchedElsewhere(y, x)) conflict = true;
      if (conflict) break;
    }
    // A strong "different" vetoes the merge, and a weak average stops it, unless this link is as sure as that
    // "different": a near-certain match outweighs the matcher's doubts about the others (sure conflicts still veto).
    const sure = input.probability[e] >= 1 - veto;
    if (conflict || (!sure && (low || (count > 0 && sum / count < input.threshold)))) continue;
    union(rx, ry);
  }

  const cluster = new Int32Array(n);
  const duplicate = new Uint8Array(n);
  const rep = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const r = find(i);
    if (!rep.has(r)) rep.set(r, i); // i ascending: the first seen is the smallest member
    cluster[i] = rep.get(r)!;
    duplicate[i] = dup[r];
  }
  return { cluster, duplicate, clusters: rep.size };
}
