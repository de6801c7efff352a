/**
 * Tests only: small knowledge graphs written straight into a new workspace's graph tables (graph_nodes,
 * graph_edges, graph_search), so the queries and exports are tested on graphs whose every path is known.
 */
import { openWorkspace } from '../store/workspace.js';
import { nodeTypeOfKey, type EdgeType } from '../model/graph.js';

export interface TestNode {
  key: string;
  label: string;
  props?: Record<string, unknown>;
  aliases?: string[];
}

export interface TestEdge {
  src: string;
  dst: string;
  type: EdgeType;
  props?: Record<string, unknown>;
}

export interface TestGraph {
  nodes: TestNode[];
  edges: TestEdge[];
}

/** Creates the workspace `file` holding `graph` (as one build would have left it). */
export function writeTestGraph(file: string, graph: TestGraph): void {
  const ws = openWorkspace(file, { create: true });
  try {
    const db = ws.db;
    const ids = new Map<string, number>();
    const node = db.prepare('INSERT INTO graph_nodes (key, type, label, part, props) VALUES (?, ?, ?, ?, ?)');
    const search = db.prepare('INSERT INTO graph_search (rowid, label, aliases) VALUES (?, ?, ?)');
    const edge = db.prepare('INSERT INTO graph_edges (src, dst, type, part, props) VALUES (?, ?, ?, ?, ?)');
    db.transaction(() => {
      for (const n of graph.nodes) {
        const type = nodeTypeOfKey(n.key);
        if (type === null) throw new Error(`test graph: "${n.key}" has no known node type`);
        const props = { ...n.props, ...(n.aliases ? { aliases: n.aliases } : {}) };
        const id = Number(node.run(n.key, type, n.label, 'test', JSON.stringify(props)).lastInsertRowid);
        ids.set(n.key, id);
        search.run(id, n.label, (n.aliases ?? []).join(' '));
      }
      const idOf = (key: string): number => {
        const id = ids.get(key);
        if (id === undefined) throw new Error(`test graph: edge names unknown node "${key}"`);
        return id;
      };
      for (const e of graph.edges) {
        edge.run(idOf(e.src), idOf(e.dst), e.type, 'test', e.props ? JSON.stringify(e.props) : null);
      }
    })();
  } finally {
    ws.close();
  }
}

/**
 * A small shop: two brands (Acme written three ways), three products with offers on Shopify and Google, categories
 * mapped across the channels, users who bought, similar products, an open price gap, and `fillerOffers` more offers
 * listed on Google so that the Google channel node is a hub.
 */
export function shopGraph(fillerOffers = 0): TestGraph {
  const nodes: TestNode[] = [
    { key: 'channel:shopify', label: 'shopify' },
    { key: 'channel:google', label: 'google' },
    { key: 'brand:acme', label: 'Acme', aliases: ['ACME Inc', 'acme-co'] },
    { key: 'brand:zenith', label: 'Zenith' },
    { key: 'category:shopify:Shoes > Running', label: 'Shoes > Running', props: { channel: 'shopify' } },
    { key: 'category:google:Apparel > Shoes', label: 'Apparel > Shoes', props: { channel: 'google' } },
    { key: 'category:shopify:Jackets', label: 'Jackets', props: { channel: 'shopify' } },
    { key: 'attribute:colour:navy', label: 'colour = navy', props: { name: 'colour', value: 'navy' } },
    { key: 'user:u1', label: 'u1' },
    { key: 'user:u2', label: 'u2' },
  ];
  const edges: TestEdge[] = [
    { src: 'category:shopify:Shoes > Running', dst: 'category:google:Apparel > Shoes', type: 'maps_to' },
  ];
  const products = [
    { id: 1, title: 'Trail Shoe', brand: 'brand:acme', price: 89.5, category: 'Shoes > Running' },
    { id: 2, title: 'Road Shoe', brand: 'brand:acme', price: 79, category: 'Shoes > Running' },
    { id: 3, title: 'Rain Jacket', brand: 'brand:zenith', price: 120, category: 'Jackets' },
  ];
  for (const p of products) {
    const product = `product:${p.id}`;
    nodes.push({ key: product, label: p.title, props: { title: p.title, price: p.price, inStock: true } });
    edges.push({ src: product, dst: p.brand, type: 'has_brand' });
    for (const channel of ['shopify', 'google']) {
      const offer = `offer:${channel}:SKU-${p.id}`;
      const price = channel === 'google' && p.id === 1 ? 99.5 : p.price;
      nodes.push({
        key: offer,
        label: `${p.title} (${channel})`,
        props: { channel, recordId: `SKU-${p.id}`, price },
      });
      edges.push({ src: product, dst: offer, type: 'offered_as' });
      edges.push({ src: offer, dst: `channel:${channel}`, type: 'listed_on' });
      const category = channel === 'google' && p.id !== 3 ? 'category:google:Apparel > Shoes' : null;
      const own = `category:shopify:${p.category}`;
      edges.push({ src: offer, dst: channel === 'shopify' ? own : (category ?? own), type: 'in_category' });
    }
  }
  edges.push(
    { src: 'product:1', dst: 'product:2', type: 'similar_to', props: { cosine: 0.91 } },
    { src: 'product:1', dst: 'attribute:colour:navy', type: 'has_attribute' },
    { src: 'product:3', dst: 'attribute:colour:navy', type: 'has_attribute' },
    {
      src: 'product:1',
      dst: 'offer:google:SKU-1',
      type: 'conflicts_with',
      props: { kind: 'price_mismatch', gapId: 7 },
    },
    ...(
      [
        ['u1', 'shopify:SKU-1', 'purchase', '2026-01-02'],
        ['u1', 'shopify:SKU-3', 'purchase', '2026-02-01'],
        ['u2', 'shopify:SKU-3', 'purchase', '2026-01-05'],
        ['u2', 'google:SKU-1', 'purchase', '2026-03-01'],
        ['u2', 'google:SKU-2', 'view', '2026-03-02'],
      ] as const
    ).map(([user, offer, event, day]): TestEdge => ({
      src: `user:${user}`,
      dst: `offer:${offer}`,
      type: 'interacted',
      props: { event, ts: `${day}T10:00:00Z` },
    })),
  );
  for (let i = 0; i < fillerOffers; i++) {
    const offer = `offer:google:F-${i}`;
    nodes.push({
      key: offer,
      label: `Filler ${i}`,
      props: { channel: 'google', recordId: `F-${i}`, price: i },
    });
    edges.push({ src: offer, dst: 'channel:google', type: 'listed_on' });
  }
  return { nodes, edges };
}
