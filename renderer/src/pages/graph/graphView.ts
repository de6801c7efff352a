/**
 * What the Graph page shows, apart from how it is drawn: the nodes and edges in view, which expansions brought
 * each node in (so collapsing an expansion removes the nodes only it brought), and how far each expanded node's
 * neighbours have been paged ("show N more"). Every change returns the difference, which the canvas applies in one
 * cytoscape batch.
 */
import type { GraphEdge, GraphNode, Subgraph } from '../../../../core/api/contract';

export interface ViewDiff {
  addedNodes: GraphNode[];
  addedEdges: GraphEdge[];
  removedNodes: string[];
  removedEdges: number[];
}

export function emptyDiff(): ViewDiff {
  return { addedNodes: [], addedEdges: [], removedNodes: [], removedEdges: [] };
}

/** Appends `more` to `into` (one canvas update for several changes). */
export function joinDiff(into: ViewDiff, more: ViewDiff): ViewDiff {
  into.addedNodes.push(...more.addedNodes);
  into.addedEdges.push(...more.addedEdges);
  into.removedNodes.push(...more.removedNodes);
  into.removedEdges.push(...more.removedEdges);
  return into;
}

export interface Expansion {
  /** The offset of the next page (graph.neighbourhood counts the node itself as the first of its pages). */
  next: number;
  /** Neighbours not shown yet. */
  more: number;
}

/** The view as a JSON document (the "Export JSON" download). */
export interface ViewJson {
  nodes: GraphNode[];
  edges: GraphEdge[];
  roots: string[];
  expanded: Record<string, Expansion>;
}

export class GraphView {
  readonly nodes = new Map<string, GraphNode>();
  readonly edges = new Map<number, GraphEdge>();
  /** Nodes shown for themselves (searched, picked from a query, on a path): only removing them takes them away. */
  readonly roots = new Set<string>();
  /** For each other node, the expanded nodes whose neighbourhood brought it in. */
  private readonly via = new Map<string, Set<string>>();
  private readonly expansions = new Map<string, Expansion>();
  /** Node key -> ids of the edges in view at it. */
  private readonly incident = new Map<string, Set<number>>();

  expansion(key: string): Expansion | undefined {
    return this.expansions.get(key);
  }

  /** Adds nodes as roots (and the edges between nodes in view). */
  addRoots(nodes: readonly GraphNode[], edges: readonly GraphEdge[] = []): ViewDiff {
    const diff = emptyDiff();
    for (const node of nodes) {
      this.roots.add(node.key);
      this.via.delete(node.key);
      this.addNode(node, diff);
    }
    this.addEdges(edges, diff);
    return diff;
  }

  /**
   * Merges one page of `origin`'s neighbourhood (asked for from `offset`): new nodes come in as brought by `origin`;
   * nodes already in view that another expansion brought are now held by `origin` too.
   */
  mergeNeighbourhood(origin: string, sub: Subgraph, offset: number): ViewDiff {
    const diff = emptyDiff();
    for (const node of sub.nodes) {
      if (node.key === origin) {
        if (!this.nodes.has(origin)) {
          this.roots.add(origin);
          this.addNode(node, diff);
        }
        continue;
      }
      if (!this.roots.has(node.key)) {
        const held = this.via.get(node.key);
        if (held) held.add(origin);
        else this.via.set(node.key, new Set([origin]));
      }
      this.addNode(node, diff);
    }
    this.addEdges(sub.edges, diff);
    this.expansions.set(origin, { next: offset + sub.nodes.length, more: sub.more });
    return diff;
  }

  /** Takes back what expanding `key` brought: the nodes no other expansion holds, and theirs in turn. */
  collapse(key: string): ViewDiff {
    const diff = emptyDiff();
    const work = [key];
    while (work.length > 0) {
      const origin = work.pop()!;
      if (!this.expansions.delete(origin)) continue;
      for (const [node, held] of this.via) {
        if (!held.delete(origin) || held.size > 0) continue;
        this.dropNode(node, diff);
        work.push(node);
      }
    }
    return diff;
  }

  /** Removes a node, with what its expansion alone brought. */
  remove(key: string): ViewDiff {
    // Collapsing first: afterwards no node is held by `key` any more.
    const diff = this.collapse(key);
    if (this.nodes.has(key)) this.dropNode(key, diff);
    this.roots.delete(key);
    return diff;
  }

  /** Empties the view. */
  clear(): ViewDiff {
    const diff = emptyDiff();
    diff.removedNodes = [...this.nodes.keys()];
    diff.removedEdges = [...this.edges.keys()];
    this.nodes.clear();
    this.edges.clear();
    this.roots.clear();
    this.via.clear();
    this.expansions.clear();
    this.incident.clear();
    return diff;
  }

  toJson(): ViewJson {
    return {
      nodes: [...this.nodes.values()],
      edges: [...this.edges.values()],
      roots: [...this.roots],
      expanded: Object.fromEntries(this.expansions),
    };
  }

  private addNode(node: GraphNode, diff: ViewDiff): void {
    if (this.nodes.has(node.key)) return;
    this.nodes.set(node.key, node);
    diff.addedNodes.push(node);
  }

  private addEdges(edges: readonly GraphEdge[], diff: ViewDiff): void {
    for (const edge of edges) {
      if (this.edges.has(edge.id) || !this.nodes.has(edge.source) || !this.nodes.has(edge.target)) continue;
      this.edges.set(edge.id, edge);
      for (const end of [edge.source, edge.target]) {
        const set = this.incident.get(end);
        if (set) set.add(edge.id);
        else this.incident.set(end, new Set([edge.id]));
      }
      diff.addedEdges.push(edge);
    }
  }

  private dropNode(key: string, diff: ViewDiff): void {
    this.nodes.delete(key);
    this.via.delete(key);
    diff.removedNodes.push(key);
    for (const id of this.incident.get(key) ?? []) {
      const edge = this.edges.get(id);
      if (!edge) continue;
      this.edges.delete(id);
      diff.removedEdges.push(id);
      const other = edge.source === key ? edge.target : edge.source;
      this.incident.get(other)?.delete(id);
    }
    this.incident.delete(key);
  }
}
