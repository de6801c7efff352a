/**
 * explainPath: the best few short paths between two nodes, each with its edges in words ("Trail Shoe has brand
 * Acme, which is the brand of Road Shoe"). The recommendations' explanations and the auditor call it.
 *
 * The graph is not loaded whole: a bounded subgraph around both ends is read from SQLite (breadth first from each
 * end in turn, see loadAround) into a graphology Graph, and graphology's bidirectional Dijkstra finds the paths.
 */
import type Database from 'better-sqlite3';
import { UndirectedGraph } from 'graphology';
import { bidirectional } from 'graphology-shortest-path/dijkstra.js';
import type { GraphEdge, GraphPath } from '../../api/contract.js';
import { EDGE_WORDS, type EdgeType } from '../../model/graph.js';
import { requireGraph, type Adjacent, type GraphReader, type NodeRow } from './graphReader.js';
import { HUB_DEGREE } from './neighbourhood.js';

/** Longest path looked for, in edges (each end walks half of it). */
const MAX_PATH_EDGES = 6;
/** The subgraph read around both ends stops growing at this many nodes. */
const MAX_LOADED_NODES = 5_000;
/** Edges read from one node: a node with more is a hub and is not walked through (see HUB_DEGREE). */
const MAX_EDGES_READ = HUB_DEGREE;
/** Levels read after the two ends first meet, for the alternatives to the shortest path. */
const LEVELS_AFTER_MEETING = 2;
/** Dijkstra runs spent looking for alternatives to the best path. */
const MAX_SEARCHES = 40;

/**
 * What walking an edge costs: a path through meaningful links (same brand, similar products, the same users' orders,
 * the same or a mapped category) is cheaper than one that only shares a channel. A product and its own offer are
 * nearly the same thing, so offered_as costs little.
 */
const EDGE_COST: Record<EdgeType, number> = {
  offered_as: 0.5,
  similar_to: 1,
  has_brand: 1,
  interacted: 1,
  in_category: 1.5,
  maps_to: 1.5,
  has_attribute: 2,
  conflicts_with: 2,
  listed_on: 3,
};
/** Added to an edge at a hub: "both are listed on Google" explains nothing when Google lists 100k offers. */
const HUB_COST = 4;

export interface ExplainOptions {
  /** Only paths over these edge types. */
  edgeTypes?: readonly EdgeType[];
}

interface EdgeAttributes {
  edgeId: number;
  cost: number;
  /** The graph's node ids (as graphology keys) at its two ends, so a search can leave a node out. */
  a: string;
  b: string;
}

/**
 * The best `max` distinct short paths from node `from` to node `to` (keys), cheapest first, each in words; [] when
 * they are not connected within MAX_PATH_EDGES edges. NOT_FOUND for an unknown key; CONFLICT before the graph is
 * built.
 */
export function explainPath(
  db: Database.Database,
  from: string,
  to: string,
  max = 3,
  options: ExplainOptions = {},
): GraphPath[] {
  return explainPathWith(requireGraph(db), from, to, max, options);
}

export function explainPathWith(
  reader: GraphReader,
  from: string,
  to: string,
  max: number,
  options: ExplainOptions = {},
): GraphPath[] {
  const source = reader.requireNode(from);
  const target = reader.requireNode(to);
  if (source.id === target.id) return [{ nodes: [reader.toNode(source)], edges: [], words: source.label }];
  const graph = loadAround(reader, source.id, target.id, options.edgeTypes);
  const found = kCheapestPaths(graph, String(source.id), String(target.id), max);
  return found.map((path) => toGraphPath(reader, graph, path));
}

/**
 * Reads the subgraph around both ends, one level at a time from the end with the smaller frontier (as a
 * bidirectional search does), until the two have walked MAX_PATH_EDGES levels between them, or
 * LEVELS_AFTER_MEETING levels after they first met, or it holds MAX_LOADED_NODES nodes. A hub (more than HUB_DEGREE edges: a channel, a big brand or category) is added when an
 * edge reaches it but is not walked through: reading a channel's 100k offers to explain one pair of products would
 * cost seconds and the path through it explains little. Two offers on the same channel still meet at the channel
 * node, through the edge each side read from its own offer.
 */
function loadAround(
  reader: GraphReader,
  sourceId: number,
  targetId: number,
  edgeTypes: readonly EdgeType[] | undefined,
): UndirectedGraph<Record<string, never>, EdgeAttributes> {
  const allowed = edgeTypes ? new Set<string>(edgeTypes) : null;
  const graph = new UndirectedGraph<Record<string, never>, EdgeAttributes>({
    type: 'undirected',
    multi: false,
  });
  const hubs = new Map<number, boolean>();
  const sides = [
    { frontier: [sourceId], seen: new Set([sourceId]) },
    { frontier: [targetId], seen: new Set([targetId]) },
  ];
  graph.addNode(String(sourceId));
  graph.addNode(String(targetId));
  let lastLevel = MAX_PATH_EDGES;
  for (let level = 0; level < lastLevel && graph.order < MAX_LOADED_NODES; level++) {
    const side = sides[0].frontier.length <= sides[1].frontier.length ? sides[0] : sides[1];
    const other = side === sides[0] ? sides[1] : sides[0];
    if (side.frontier.length === 0) break;
    const next: number[] = [];
    for (const id of side.frontier) {
      const end = id === sourceId || id === targetId;
      const adjacent = reader.adjacent(id, end ? -1 : MAX_EDGES_READ + 1);
      hubs.set(id, adjacent.length > MAX_EDGES_READ);
      if (adjacent.length > MAX_EDGES_READ && !end) continue;
      for (const edge of adjacent) {
        if (allowed !== null && !allowed.has(edge.type)) continue;
        addEdge(graph, edge, id);
        if (!side.seen.has(edge.other)) {
          side.seen.add(edge.other);
          next.push(edge.other);
        }
      }
      if (graph.order >= MAX_LOADED_NODES) break;
    }
    side.frontier = next;
    // Once the ends meet, a few more levels find the alternatives; beyond that only longer paths would be added.
    if (lastLevel === MAX_PATH_EDGES && next.some((id) => other.seen.has(id)))
      lastLevel = Math.min(MAX_PATH_EDGES, level + 1 + LEVELS_AFTER_MEETING);
  }
  // Edges at hubs cost more: the walked hubs are known, the nodes beyond the last level are asked (bounded count).
  const isHub = (id: number): boolean => {
    let hub = hubs.get(id);
    if (hub === undefined) {
      hub = reader.hasMoreEdgesThan(id, HUB_DEGREE);
      hubs.set(id, hub);
    }
    return hub;
  };
  graph.forEachEdge((edge, attributes) => {
    if (isHub(Number(attributes.a)) || isHub(Number(attributes.b))) {
      graph.setEdgeAttribute(edge, 'cost', attributes.cost + HUB_COST);
    }
  });
  return graph;
}

/** One graph edge per pair of nodes: the cheapest of the stored edges between them. */
function addEdge(
  graph: UndirectedGraph<Record<string, never>, EdgeAttributes>,
  edge: Adjacent,
  from: number,
): void {
  const a = String(from);
  const b = String(edge.other);
  if (a === b) return;
  graph.mergeNode(b);
  const cost = EDGE_COST[edge.type];
  const existing = graph.edge(a, b);
  if (existing === undefined) graph.addEdgeWithKey(`e${edge.id}`, a, b, { edgeId: edge.id, cost, a, b });
  else if (cost < graph.getEdgeAttribute(existing, 'cost'))
    graph.mergeEdgeAttributes(existing, { edgeId: edge.id, cost });
}

interface FoundPath {
  nodes: string[];
  cost: number;
}

/**
 * The `k` cheapest distinct paths, in the manner of Yen's algorithm: after each path found, Dijkstra runs again with
 * one of its inner nodes, or one of its edges, left out, and the cheapest path not yet taken comes next.
 */
function kCheapestPaths(
  graph: UndirectedGraph<Record<string, never>, EdgeAttributes>,
  source: string,
  target: string,
  k: number,
): FoundPath[] {
  const taken: FoundPath[] = [];
  const seen = new Set<string>();
  const candidates: { path: FoundPath; banned: Set<string> }[] = [];
  let searches = 0;
  // `banned` holds node keys (graph_nodes ids) and edge keys ("e" + the first graph_edges id between the two).
  const search = (banned: Set<string>): void => {
    if (searches++ >= MAX_SEARCHES) return;
    const cost = (edge: string, attributes: EdgeAttributes): number =>
      banned.has(edge) || banned.has(attributes.a) || banned.has(attributes.b) ? Infinity : attributes.cost;
    const nodes = bidirectional(graph, source, target, cost) as string[] | null;
    if (nodes === null || nodes.length === 0 || nodes.length - 1 > MAX_PATH_EDGES) return;
    const path = { nodes, cost: pathCost(graph, nodes) };
    // Dijkstra may hand back a path through a left-out part when nothing else connects the ends.
    if (!Number.isFinite(pathCost(graph, nodes, banned))) return;
    const key = nodes.join(' ');
    if (seen.has(key)) return;
    seen.add(key);
    candidates.push({ path, banned });
  };
  search(new Set());
  while (taken.length < k && candidates.length > 0) {
    candidates.sort((x, y) => x.path.cost - y.path.cost || x.path.nodes.length - y.path.nodes.length);
    const best = candidates.shift()!;
    taken.push(best.path);
    const { nodes } = best.path;
    for (const inner of nodes.slice(1, -1)) search(new Set([...best.banned, inner]));
    for (let i = 1; i < nodes.length; i++)
      search(new Set([...best.banned, graph.edge(nodes[i - 1], nodes[i])!]));
  }
  return taken;
}

/** The path's cost; Infinity when it goes through a left-out node or edge. */
function pathCost(
  graph: UndirectedGraph<Record<string, never>, EdgeAttributes>,
  nodes: string[],
  banned: ReadonlySet<string> = new Set(),
): number {
  let cost = 0;
  for (let i = 1; i < nodes.length; i++) {
    const edge = graph.edge(nodes[i - 1], nodes[i])!;
    if (banned.has(edge) || banned.has(nodes[i])) return Infinity;
    cost += graph.getEdgeAttribute(edge, 'cost');
  }
  return cost;
}

function toGraphPath(
  reader: GraphReader,
  graph: UndirectedGraph<Record<string, never>, EdgeAttributes>,
  path: FoundPath,
): GraphPath {
  const rows: NodeRow[] = path.nodes.map((id) => reader.nodeById(Number(id))!);
  const edges: GraphEdge[] = [];
  let words = rows[0].label;
  for (let i = 1; i < rows.length; i++) {
    const edgeId = graph.getEdgeAttribute(graph.edge(path.nodes[i - 1], path.nodes[i])!, 'edgeId');
    const row = reader.edgeById(edgeId)!;
    edges.push(reader.toEdge(row));
    const forward = row.src === rows[i - 1].id;
    const phrase = forward ? EDGE_WORDS[row.type].forward : EDGE_WORDS[row.type].backward;
    words += i === 1 ? ` ${phrase} ${rows[i].label}` : `, which ${phrase} ${rows[i].label}`;
  }
  return { nodes: rows.map((row) => reader.toNode(row)), edges, words };
}
