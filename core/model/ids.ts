/**
 * The public ids of alignment results, both made from clusters.cluster_id: a cluster (the Matches page, the API)
 * is `c<n>`, a product (gap rows, fix lists, DESIGN.md's gap schema) `p_<hex>`.
 */

export function clusterName(clusterId: number): string {
  return `c${clusterId}`;
}

/** The cluster_id a cluster name (`c12`, or a bare `12`) stands for; null when it is not one. */
export function clusterIdOf(name: string): number | null {
  const m = /^c?(\d+)$/.exec(name.trim());
  return m ? Number(m[1]) : null;
}

export function productId(clusterId: number): string {
  return `p_${clusterId.toString(16)}`;
}
