/**
 * The knowledge graph's vocabulary (DESIGN.md "Knowledge graph"): node and edge types, how a node's key is written,
 * and each edge type in words for explanation paths. Shared by the build (core/graph/build*), the queries
 * (core/graph/query*), the exports and the Graph page.
 */

export const NODE_TYPES = [
  'product', // a golden record (one per product, products.product_id)
  'offer', // one channel record
  'channel',
  'brand', // one per brand however it is written; the spellings are kept as aliases
  'category', // one per channel taxonomy path
  'attribute', // an option value such as size = XL or colour = navy
  'user',
  'interaction', // an order (several lines) where the source carries order ids
] as const;
export type NodeType = (typeof NODE_TYPES)[number];

export const EDGE_TYPES = [
  'offered_as', // product -> offer
  'listed_on', // offer -> channel
  'has_brand', // product -> brand
  'in_category', // offer -> category
  'maps_to', // category -> category (the learned category mapping)
  'has_attribute', // product -> attribute
  'interacted', // user -> offer, props {event, ts, value}
  'similar_to', // product -> product, props {cosine}
  'conflicts_with', // product -> offer, props {kind, gapId}: an open gap
] as const;
export type EdgeType = (typeof EDGE_TYPES)[number];

/** Each edge type read from its source to its target, and backwards, for explanation paths in words. */
export const EDGE_WORDS: Record<EdgeType, { forward: string; backward: string }> = {
  offered_as: { forward: 'is offered as', backward: 'is an offer of' },
  listed_on: { forward: 'is listed on', backward: 'lists' },
  has_brand: { forward: 'has brand', backward: 'is the brand of' },
  in_category: { forward: 'is in category', backward: 'is the category of' },
  maps_to: { forward: 'maps to', backward: 'is mapped from' },
  has_attribute: { forward: 'has', backward: 'is an attribute of' },
  interacted: { forward: 'interacted with', backward: 'was used by' },
  similar_to: { forward: 'is similar to', backward: 'is similar to' },
  conflicts_with: { forward: 'disagrees with', backward: 'disagrees with' },
};

/**
 * Node keys: stable across builds, so the UI, the CLI and later issues (recommendations, audit) can name a node.
 * `product:<product cluster id>`, `offer:<channel>:<record id>`, `channel:<name>`, `brand:<normalized name>`,
 * `category:<channel>:<path>`, `attribute:<name>:<normalized value>`, `user:<person or user id>`,
 * `interaction:<source id>:<order id>`.
 */
export const nodeKey = {
  product: (productId: number | string): string => `product:${productId}`,
  offer: (channel: string, recordId: string): string => `offer:${channel}:${recordId}`,
  channel: (name: string): string => `channel:${name}`,
  brand: (normalized: string): string => `brand:${normalized}`,
  category: (channel: string, path: string): string => `category:${channel}:${path}`,
  attribute: (name: string, value: string): string => `attribute:${name}:${value}`,
  user: (id: string): string => `user:${id}`,
  interaction: (sourceId: number, orderId: string): string => `interaction:${sourceId}:${orderId}`,
};

export function nodeTypeOfKey(key: string): NodeType | null {
  const type = key.slice(0, key.indexOf(':'));
  return (NODE_TYPES as readonly string[]).includes(type) ? (type as NodeType) : null;
}
