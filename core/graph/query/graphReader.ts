/**
 * Reading the stored knowledge graph (graph_nodes, graph_edges; core/store/migrations/008-graph.ts) one node or one
 * adjacency list at a time, through prepared statements on the session's read-only connection. Every query module
 * reads through this, so none of them loads the whole graph.
 */
import type Database from 'better-sqlite3';
import type { GraphEdge, GraphNode } from '../../api/contract.js';
import { ConcordError } from '../../model/errors.js';
import type { EdgeType, NodeType } from '../../model/graph.js';

export interface NodeRow {
  id: number;
  key: string;
  type: NodeType;
  label: string;
  props: string;
}

export interface EdgeRow {
  id: number;
  src: number;
  dst: number;
  type: EdgeType;
  props: string | null;
}

/** An edge seen from one of its ends: the node at the other end, and whether it is walked forward (src -> dst). */
export interface Adjacent extends EdgeRow {
  other: number;
  forward: boolean;
}

function prepareStatements(db: Database.Database) {
  return {
    byKey: db.prepare<[string], NodeRow>('SELECT id, key, type, label, props FROM graph_nodes WHERE key = ?'),
    byId: db.prepare<[number], NodeRow>('SELECT id, key, type, label, props FROM graph_nodes WHERE id = ?'),
    keyOf: db.prepare<[number], string>('SELECT key FROM graph_nodes WHERE id = ?').pluck(),
    typeOf: db.prepare<[number], string>('SELECT type FROM graph_nodes WHERE id = ?').pluck(),
    outDegree: db.prepare<[number], number>('SELECT count(*) FROM graph_edges WHERE src = ?').pluck(),
    inDegree: db.prepare<[number], number>('SELECT count(*) FROM graph_edges WHERE dst = ?').pluck(),
    /** Both directions, forward edges first: each half walks its own index (graph_edges_src, graph_edges_dst). */
    adjacent: db.prepare<[number, number, number], Adjacent>(
      `SELECT * FROM (
         SELECT id, src, dst, type, props, dst AS other, 1 AS forward FROM graph_edges WHERE src = ?
         UNION ALL
         SELECT id, src, dst, type, props, src AS other, 0 AS forward FROM graph_edges WHERE dst = ? AND src <> dst
       ) LIMIT ?`,
    ),
    /** Edges at a node counted up to a bound, so asking about a hub does not count its 100k edges. */
    boundedDegree: db
      .prepare<[number, number, number, number], number>(
        `SELECT (SELECT count(*) FROM (SELECT 1 FROM graph_edges WHERE src = ? LIMIT ?))
              + (SELECT count(*) FROM (SELECT 1 FROM graph_edges WHERE dst = ? LIMIT ?))`,
      )
      .pluck(),
    edgeById: db.prepare<[number], EdgeRow>('SELECT id, src, dst, type, props FROM graph_edges WHERE id = ?'),
    built: db
      .prepare<[], number>('SELECT EXISTS (SELECT 1 FROM graph_builds) OR EXISTS (SELECT 1 FROM graph_nodes)')
      .pluck(),
  };
}

/** Reads one workspace's graph; the statements are prepared once per connection. */
export class GraphReader {
  private readonly st: ReturnType<typeof prepareStatements>;

  constructor(readonly db: Database.Database) {
    this.st = prepareStatements(db);
  }

  /** True once a build has written the graph (or, in tests, nodes were written straight into the tables). */
  isBuilt(): boolean {
    return this.st.built.get() === 1;
  }

  /** The node with this key, or NOT_FOUND naming it. */
  requireNode(key: string): NodeRow {
    const row = this.st.byKey.get(key);
    if (row === undefined) {
      throw new ConcordError(
        'NOT_FOUND',
        `no node "${key}" in the knowledge graph (keys look like product:12, brand:acme, offer:shopify:SKU-1)`,
        { field: 'key', key },
      );
    }
    return row;
  }

  nodeById(id: number): NodeRow | undefined {
    return this.st.byId.get(id);
  }

  edgeById(id: number): EdgeRow | undefined {
    return this.st.edgeById.get(id);
  }

  keyOf(id: number): string {
    return this.st.keyOf.get(id) ?? `#${id}`;
  }

  typeOf(id: number): NodeType {
    return this.st.typeOf.get(id) as NodeType;
  }

  degree(id: number): number {
    return this.st.outDegree.get(id)! + this.st.inDegree.get(id)!;
  }

  /** More than `bound` edges at the node (counting at most bound + 1 of them). */
  hasMoreEdgesThan(id: number, bound: number): boolean {
    return this.st.boundedDegree.get(id, bound + 1, id, bound + 1)! > bound;
  }

  /** Up to `limit` edges at a node, in both directions. */
  adjacent(id: number, limit = -1): Adjacent[] {
    return this.st.adjacent.all(id, id, limit).map((row) => ({ ...row, forward: Boolean(row.forward) }));
  }

  toNode(row: NodeRow, withDegree = true): GraphNode {
    const node: GraphNode = { key: row.key, type: row.type, label: row.label, props: parseProps(row.props) };
    if (withDegree) node.degree = this.degree(row.id);
    return node;
  }

  toEdge(row: EdgeRow): GraphEdge {
    return {
      id: row.id,
      source: this.keyOf(row.src),
      target: this.keyOf(row.dst),
      type: row.type,
      props: parseProps(row.props),
    };
  }
}

export function parseProps(json: string | null): Record<string, unknown> {
  if (json === null || json === '') return {};
  const value = JSON.parse(json) as unknown;
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/**
 * The reader of the open workspace's graph, or CONFLICT saying the graph has not been built yet (with the remedy
 * the hosts word: build the graph).
 */
export function requireGraph(db: Database.Database): GraphReader {
  const reader = readerOf(db);
  if (!reader.isBuilt()) {
    throw new ConcordError('CONFLICT', 'the knowledge graph has not been built yet for this workspace', {
      remedy: { do: 'buildGraph' },
    });
  }
  return reader;
}

const readers = new WeakMap<Database.Database, GraphReader>();

function readerOf(db: Database.Database): GraphReader {
  let reader = readers.get(db);
  if (reader === undefined) {
    reader = new GraphReader(db);
    readers.set(db, reader);
  }
  return reader;
}
