/**
 * Graph algorithms at build time, all from graphology's standard library (never hand-written), on the catalog
 * projection: products with their brands, attribute values, categories (a product's offers' categories) and
 * similar products, categories with the ones they map to. Connected components and degree describe it; PageRank
 * and Louvain communities are written onto its nodes as props.pagerank and props.community. Offers, users and
 * interactions stay out: at 3 × 100k products and a million interactions the whole graph in graphology costs
 * minutes, and the offers only repeat their product.
 */
import type Database from 'better-sqlite3';
import { UndirectedGraph } from 'graphology';
import { forEachConnectedComponentOrder } from 'graphology-components';
import louvainModule from 'graphology-communities-louvain';
import pagerankModule from 'graphology-metrics/centrality/pagerank.js';
import { rng } from '../align/gbdt.js';

// CommonJS modules whose types declare `export default`: Node hands their module.exports over as the default.
const louvain = louvainModule as unknown as typeof louvainModule.default;
const pagerank = pagerankModule as unknown as typeof pagerankModule.default;

/** The catalog projection's shape and what the algorithms found on it. */
export interface GraphAlgorithms {
  nodes: number;
  edges: number;
  components: number;
  largestComponent: number;
  degree: { mean: number; max: number };
  communities: number;
  modularity: number;
}

/**
 * Nodes go in in key order and edges in the order of their ends' keys: the same graph, whatever its row ids, gets
 * the same communities (Louvain's random walk is seeded).
 */
export function runAlgorithms(db: Database.Database): GraphAlgorithms {
  const graph = new UndirectedGraph();
  const ids = db
    .prepare(
      `SELECT id FROM graph_nodes WHERE type IN ('product', 'brand', 'attribute', 'category') ORDER BY key`,
    )
    .pluck()
    .all() as number[];
  const position = new Map<number, number>();
  ids.forEach((id, i) => {
    position.set(id, i);
    graph.addNode(id);
  });
  const edges = db
    .prepare(
      `SELECT src, dst FROM graph_edges WHERE type IN ('has_brand', 'has_attribute', 'similar_to', 'maps_to')
       UNION SELECT p.src, c.dst FROM graph_edges p JOIN graph_edges c ON c.src = p.dst AND c.type = 'in_category'
         WHERE p.type = 'offered_as'`,
    )
    .raw(true)
    .iterate() as IterableIterator<[number, number]>;
  const pairs: number[] = [];
  for (const [src, dst] of edges) {
    const a = position.get(src);
    const b = position.get(dst);
    if (a === undefined || b === undefined || a === b) continue;
    pairs.push(Math.min(a, b) * ids.length + Math.max(a, b));
  }
  const ordered = Float64Array.from(pairs).sort();
  let previous = -1;
  for (const pair of ordered) {
    if (pair === previous) continue;
    previous = pair;
    const a = Math.floor(pair / ids.length);
    graph.addEdge(ids[a], ids[pair - a * ids.length]);
  }
  let components = 0;
  let largestComponent = 0;
  forEachConnectedComponentOrder(graph, (order) => {
    components++;
    if (order > largestComponent) largestComponent = order;
  });
  let maxDegree = 0;
  graph.forEachNode((node) => {
    maxDegree = Math.max(maxDegree, graph.degree(node));
  });
  const shape = {
    nodes: graph.order,
    edges: graph.size,
    components,
    largestComponent,
    degree: { mean: graph.order === 0 ? 0 : (2 * graph.size) / graph.order, max: maxDegree },
  };
  if (graph.size === 0) return { ...shape, communities: 0, modularity: 0 };
  const ranks = pagerank(graph, { getEdgeWeight: null });
  const detailed = louvain.detailed(graph, { rng: rng(1) });
  const update = db.prepare(
    `UPDATE graph_nodes SET props = json_set(props, '$.pagerank', ?, '$.community', CAST(? AS INTEGER)) WHERE id = ?`,
  );
  graph.forEachNode((node) => {
    update.run(Number(ranks[node].toPrecision(6)), detailed.communities[node], Number(node));
  });
  return {
    ...shape,
    communities: detailed.count,
    modularity: Number(detailed.modularity.toFixed(4)),
  };
}
