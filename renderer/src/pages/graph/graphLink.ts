/** The Graph page's address for one node (`#/graph?node=<key>`), so other pages can open a node there. */
import { clusterIdOf, nodeKey } from '../../../../core/api/contract';

export function graphHref(key: string): string {
  return `#/graph?node=${encodeURIComponent(key)}`;
}

/** The node named in an address's `node=` parameter, or null. */
export function nodeInHash(hash: string): string | null {
  const query = hash.indexOf('?');
  if (query < 0) return null;
  return new URLSearchParams(hash.slice(query + 1)).get('node');
}

/**
 * The graph node of a product shown by the Gaps drawer. The drawer's cluster (`c12`) is the one alignment stored
 * as the product's (products.product_id), which is what the graph's product key is made of.
 */
export function productNodeKey(clusterName: string): string | null {
  const id = clusterIdOf(clusterName);
  return id === null ? null : nodeKey.product(id);
}
