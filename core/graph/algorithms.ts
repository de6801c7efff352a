/**
 * Graph algorithms at build time, all from graphology's standard library (never hand-written): connected
 * components and degree over the whole graph; PageRank and Louvain communities over the catalog projection
 * (products with their brands, attribute values, categories and similar products), written onto those nodes as
 * props.pagerank and props.community.
 */
import type Database from 'better-sqlite3';
import { MultiUndirectedGraph, UndirectedGraph } from 'graphology';
import { forEachConnectedComponentOrder } from 'graphology-components';
import louvainModule from 'graphology-communities-louvain';
import pagerankModule from 'graphology-metrics/centrality/pagerank.js';

// CommonJS modules whose types declare `export default`: Node hands their module.exports over as the default.
const louvain = louvainModule as unknown as typeof louvainModule.default;
const pagerank = pagerankModule as unknown as typeof pagerankModule.default;

export interface GraphAlgorithms {
  components: number;
  largestComponent: number;
  degree: { mean: number; max: number };
  /** The catalog projection's size and what PageRank and Louvain found on it. */
  projection: { nodes: number; edges: number; communities: number; modularity: number };
  ms: { components: number; projection: number };
}

/** Louvain's random walk, seeded so that the same graph gets the same communities. */
function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Whole graph: component count, largest component, degree. */
function components(
  db: Database.Database,
): Pick<GraphAlgorithms, 'components' | 'largestComponent' | 'degree'> {
  const graph = new MultiUndirectedGraph();
  for (const id of db.prepare('SELECT id FROM graph_nodes').pluck().iterate() as IterableIterator<number>)
    graph.addNode(id);
  const edges = db.prepare('SELECT src, dst FROM graph_edges').raw(true).iterate() as IterableIterator<
    [number, number]
  >;
  for (const [src, dst] of edges) graph.addEdge(src, dst);
  let count = 0;
  let largest = 0;
  forEachConnectedComponentOrder(graph, (order) => {
    count++;
    if (order > largest) largest = order;
  });
  let max = 0;
  graph.forEachNode((node) => {
    const d = graph.degree(node);
    if (d > max) max = d;
  });
  const mean = graph.order === 0 ? 0 : (2 * graph.size) / graph.order;
  return { components: count, largestComponent: largest, degree: { mean, max } };
}

/**
 * PageRank and Louvain on the catalog projection, stored on its nodes. Nodes go in in key order and edges in the
 * order of their ends' keys, so that the same graph (whatever its row ids) gets the same communities.
 */
function projection(db: Database.Database): GraphAlgorithms['projection'] {
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
  for (const pair of ordered) {
    const a = Math.floor(pair / ids.length);
    graph.mergeEdge(ids[a], ids[pair - a * ids.length]);
  }
  if (graph.size === 0) return { nodes: graph.order, edges: 0, communities: 0, modularity: 0 };
  const ranks = pagerank(graph, { getEdgeWeight: null });
  const detailed = louvain.detailed(graph, { rng: seededRandom(1) });
  const update = db.prepare(
    `UPDATE graph_nodes SET props = json_set(props, '$.pagerank', ?, '$.community', CAST(? AS INTEGER)) WHERE id = ?`,
  );
  graph.forEachNode((node) => {
    update.run(Number(ranks[node].toPrecision(6)), detailed.communities[node], Number(node));
  });
  return {
    nodes: graph.order,
    edges: graph.size,
    communities: detailed.count,
    modularity: Number(detailed.modularity.toFixed(4)),
  };
}

export function runAlgorithms(db: Database.Database): GraphAlgorithms {
  const t0 = performance.now();
  const whole = components(db);
  const t1 = performance.now();
  const projected = projection(db);
  const t2 = performance.now();
  return {
    ...whole,
    projection: projected,
    ms: { components: Math.round(t1 - t0), projection: Math.round(t2 - t1) },
  };
}
