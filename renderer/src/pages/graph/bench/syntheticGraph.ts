/**
 * A store-shaped graph of about `elements` nodes plus edges, for the view benchmark (bench/graphView.ts): products
 * with an offer per channel, offers listed on their channel and in a category, brands, attributes, users who
 * interacted with offers, similar products and a few conflicts. Deterministic (no randomness): the same figures
 * every run.
 */
import type { GraphEdge, GraphNode } from '../../../../../core/api/contract';

const CHANNELS = ['shopify', 'woocommerce', 'google'];

export function syntheticGraph(elements: number): { nodes: GraphNode[]; edges: GraphEdge[] } {
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const node = (key: string, type: GraphNode['type'], label: string) => {
    nodes.push({ key, type, label, props: {} });
    return key;
  };
  const edge = (source: string, target: string, type: GraphEdge['type']) =>
    edges.push({ id: edges.length + 1, source, target, type, props: {} });
  const total = () => nodes.length + edges.length;

  for (const c of CHANNELS) node(`channel:${c}`, 'channel', c);
  const brands = Array.from({ length: 40 }, (_, i) => node(`brand:b${i}`, 'brand', `Brand ${i}`));
  const categories = CHANNELS.flatMap((c) =>
    Array.from({ length: 20 }, (_, i) => node(`category:${c}:${i}`, 'category', `${c} › Category ${i}`)),
  );
  const attributes = Array.from({ length: 30 }, (_, i) =>
    node(`attribute:size:${i}`, 'attribute', `size = ${i}`),
  );
  const offers: string[] = [];
  for (let p = 0; total() < elements * 0.85; p++) {
    const product = node(`product:${p}`, 'product', `Trail Bottle ${p} 750 ml Insulated Steel`);
    edge(product, brands[p % brands.length], 'has_brand');
    edge(product, attributes[p % attributes.length], 'has_attribute');
    CHANNELS.forEach((c, i) => {
      const offer = node(`offer:${c}:${p}`, 'offer', `${c} SKU-${p}`);
      offers.push(offer);
      edge(product, offer, 'offered_as');
      edge(offer, `channel:${c}`, 'listed_on');
      edge(offer, categories[i * 20 + (p % 20)], 'in_category');
      if ((p + i) % 17 === 0) edge(product, offer, 'conflicts_with');
    });
    if (p > 0 && p % 3 === 0) edge(product, `product:${p - 1}`, 'similar_to');
  }
  for (let u = 0; total() < elements; u++) {
    const user = node(`user:u${u}`, 'user', `Customer ${u}`);
    for (let k = 0; k < 3; k++) edge(user, offers[(u * 7 + k * 13) % offers.length], 'interacted');
  }
  return { nodes, edges };
}
