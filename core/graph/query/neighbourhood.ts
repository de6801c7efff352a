/**
 * The neighbourhood of a node: the nodes within `depth` hops, breadth first (nearest first, then by edge), over the
 * edge and node types asked for; one page of them (`offset`, `limit`) with the edges that reach them, and `more`
 * = how many were found beyond the page ("show N more").
 */
import type { GraphEdge, Subgraph } from '../../api/contract.js';
import type { EdgeType, NodeType } from '../../model/graph.js';
import type { GraphReader } from './graphReader.js';

/**
 * A node with more edges than this is a hub (a channel listing 100k offers, a big brand): it is reached and shown,
 * with its degree so the view can expand it on its own, but a neighbourhood of depth > 1 does not walk through it.
 * Without this, depth 2 around any offer would pull in the whole channel. The start node is always expanded.
 */
export const HUB_DEGREE = 1000;

/** No neighbourhood walks more nodes than this, whatever the depth: `more` then counts what was walked. */
const MAX_WALKED = 50_000;

export interface NeighbourhoodOptions {
  depth: number;
  edgeTypes?: readonly EdgeType[];
  nodeTypes?: readonly NodeType[];
  limit: number;
  offset: number;
}

export function neighbourhood(reader: GraphReader, key: string, options: NeighbourhoodOptions): Subgraph {
  const start = reader.requireNode(key);
  const edgeTypes = options.edgeTypes ? new Set<string>(options.edgeTypes) : null;
  const nodeTypes = options.nodeTypes ? new Set<string>(options.nodeTypes) : null;
  // In walk order: the start, then each depth's nodes; each with the edge it was first reached by.
  const order: number[] = [start.id];
  const reachedBy = new Map<number, number | null>([[start.id, null]]);
  let frontier = [start.id];
  for (let depth = 1; depth <= options.depth && frontier.length > 0 && order.length < MAX_WALKED; depth++) {
    const next: number[] = [];
    for (const id of frontier) {
      if (id !== start.id && reader.hasMoreEdgesThan(id, HUB_DEGREE)) continue;
      for (const edge of reader.adjacent(id)) {
        if (edgeTypes !== null && !edgeTypes.has(edge.type)) continue;
        if (reachedBy.has(edge.other)) continue;
        if (nodeTypes !== null && !nodeTypes.has(reader.typeOf(edge.other))) continue;
        reachedBy.set(edge.other, edge.id);
        order.push(edge.other);
        next.push(edge.other);
        if (order.length >= MAX_WALKED) break;
      }
      if (order.length >= MAX_WALKED) break;
    }
    frontier = next;
  }

  const page = order.slice(options.offset, options.offset + options.limit);
  const inPage = new Set(page);
  const nodes = page.map((id) => reader.toNode(reader.nodeById(id)!));
  const edges: GraphEdge[] = [];
  const seenEdges = new Set<number>();
  const addEdge = (edgeId: number): void => {
    if (seenEdges.has(edgeId)) return;
    seenEdges.add(edgeId);
    edges.push(reader.toEdge(reader.edgeById(edgeId)!));
  };
  for (const id of page) {
    const by = reachedBy.get(id);
    if (by !== null && by !== undefined) addEdge(by);
    // The other edges between nodes of the page (a triangle product - brand - similar product shows all three),
    // read from the side that is not a hub: a hub's edges to the page are read from the page's nodes.
    if (reader.hasMoreEdgesThan(id, HUB_DEGREE)) continue;
    for (const edge of reader.adjacent(id)) {
      if (inPage.has(edge.other) && (edgeTypes === null || edgeTypes.has(edge.type))) addEdge(edge.id);
    }
  }
  return { nodes, edges, more: Math.max(0, order.length - options.offset - page.length) };
}
