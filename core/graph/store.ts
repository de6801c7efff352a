/**
 * The stored graph (migration 008) as the build writes it: nodes upserted by key (so a node keeps its id while its
 * part is rebuilt, and the edges of other parts still reach it), edges in batches, stale nodes collected, the text
 * search kept in step. The one place that writes graph_nodes, graph_edges and graph_search.
 */
import type Database from 'better-sqlite3';
import type { EdgeType, NodeType } from '../model/graph.js';
import { BatchInsert } from '../store/batchInsert.js';

/** What a part's builder writes through. */
export interface PartWriter {
  readonly db: Database.Database;
  readonly part: string;
  /** graph_builds.id of this build. */
  readonly build: number;
  /** Inserts or updates the node of `key` (label, props, part) and returns its id. */
  node(key: string, type: NodeType, label: string, props: string): number;
  /** The id of a node already stored, or undefined. */
  idOf(key: string): number | undefined;
  edge(src: number, dst: number, type: EdgeType, props: string | null): void;
  /** Writes buffered edges (before SQL that reads them). */
  flush(): void;
}

/** The SQL upsert of a node row, for builders that insert nodes with INSERT … SELECT. */
export const NODE_UPSERT = `ON CONFLICT(key) DO UPDATE SET type = excluded.type, label = excluded.label,
  part = excluded.part, props = excluded.props, build = excluded.build`;

/** Upsert that only marks a shared node (a category, a user) as written by this build, keeping what it says. */
export const NODE_TOUCH = `ON CONFLICT(key) DO UPDATE SET part = excluded.part, build = excluded.build`;

/** graph_edges' indexes as migration 008 creates them. */
const EDGE_INDEXES = [
  { name: 'graph_edges_src', columns: 'src, type' },
  { name: 'graph_edges_dst', columns: 'dst, type' },
  { name: 'graph_edges_part', columns: 'part' },
] as const;

export class GraphStore {
  private readonly upsert: Database.Statement;
  private readonly lookup: Database.Statement;
  private readonly edges: BatchInsert;

  constructor(
    readonly db: Database.Database,
    readonly build: number,
  ) {
    this.upsert = db
      .prepare(
        `INSERT INTO graph_nodes (key, type, label, part, props, build) VALUES (?, ?, ?, ?, ?, ?) ${NODE_UPSERT} RETURNING id`,
      )
      .pluck();
    this.lookup = db.prepare('SELECT id FROM graph_nodes WHERE key = ?').pluck();
    this.edges = new BatchInsert(db, 'graph_edges', ['src', 'dst', 'type', 'part', 'props'], 128);
  }

  writer(part: string): PartWriter {
    return {
      db: this.db,
      part,
      build: this.build,
      node: (key, type, label, props) => this.upsert.get(key, type, label, part, props, this.build) as number,
      idOf: (key) => this.lookup.get(key) as number | undefined,
      edge: (src, dst, type, props) => this.edges.add(src, dst, type, part, props),
      flush: () => this.edges.flush(),
    };
  }

  /**
   * Empties the graph for a full build, and drops the edge indexes: a million edges appended to unindexed rows and
   * indexed once (sorted) cost a fraction of keeping three indexes in step row by row. reindex() puts them back.
   */
  clear(): void {
    this.db.exec(
      `DELETE FROM graph_edges; DELETE FROM graph_nodes; DELETE FROM graph_search;
       ${EDGE_INDEXES.map((i) => `DROP INDEX IF EXISTS ${i.name};`).join(' ')}`,
    );
  }

  /** The edge indexes clear() dropped (migration 008's). */
  reindex(): void {
    for (const i of EDGE_INDEXES)
      this.db.exec(`CREATE INDEX IF NOT EXISTS ${i.name} ON graph_edges(${i.columns})`);
  }

  /** Drops the edges of parts about to be rebuilt or gone; their nodes stay until collect() (ids kept). */
  dropEdges(parts: readonly string[]): void {
    const del = this.db.prepare('DELETE FROM graph_edges WHERE part = ?');
    for (const p of parts) del.run(p);
  }

  /**
   * After the parts are rebuilt: the nodes of rebuilt or dropped parts that this build did not write again are
   * stale. A stale offer, user or category still reached by another part's edge stays (an offer no catalog has any
   * more becomes an unknown item, as interactions make it); the other stale nodes go with their edges. Then shared
   * nodes (brand, category, attribute, user, channel) left without an edge go.
   */
  collect(parts: readonly string[]): void {
    const db = this.db;
    db.exec('CREATE TEMP TABLE IF NOT EXISTS graph_stale (id INTEGER PRIMARY KEY); DELETE FROM graph_stale;');
    const stale = db.prepare(
      'INSERT INTO graph_stale (id) SELECT id FROM graph_nodes WHERE part = ? AND build <> ?',
    );
    for (const p of parts) stale.run(p, this.build);
    const edgePart = `coalesce((SELECT e.part FROM graph_edges e WHERE e.dst = n.id LIMIT 1),
                               (SELECT e.part FROM graph_edges e WHERE e.src = n.id LIMIT 1))`;
    const reached = `(EXISTS (SELECT 1 FROM graph_edges e WHERE e.dst = n.id) OR EXISTS (SELECT 1 FROM graph_edges e WHERE e.src = n.id))`;
    db.prepare(
      `UPDATE graph_nodes AS n SET build = @build, part = ${edgePart},
         label = CASE WHEN type = 'offer' THEN json_extract(props, '$.recordId') ELSE label END,
         props = CASE WHEN type = 'offer' THEN ${unknownOfferProps("json_extract(props, '$.channel')", "json_extract(props, '$.recordId')")} ELSE props END
       WHERE id IN (SELECT id FROM graph_stale) AND type IN ('offer', 'user', 'category') AND ${reached}`,
    ).run({ build: this.build });
    db.exec(`
      DELETE FROM graph_stale WHERE id IN (SELECT id FROM graph_nodes WHERE build = ${this.build});
      DELETE FROM graph_edges WHERE src IN (SELECT id FROM graph_stale) OR dst IN (SELECT id FROM graph_stale);
      INSERT INTO graph_stale (id) SELECT id FROM graph_nodes n
        WHERE type IN ('brand', 'category', 'attribute', 'user', 'channel') AND NOT ${reached}
        ON CONFLICT DO NOTHING;
      DELETE FROM graph_search WHERE rowid IN (SELECT id FROM graph_stale);
      DELETE FROM graph_nodes WHERE id IN (SELECT id FROM graph_stale);
      DELETE FROM graph_stale;
    `);
  }

  /** Indexes the labels and aliases of the nodes this build wrote (after the others' rows are gone). */
  index(full: boolean): void {
    if (!full)
      this.db
        .prepare('DELETE FROM graph_search WHERE rowid IN (SELECT id FROM graph_nodes WHERE build = ?)')
        .run(this.build);
    this.db
      .prepare(
        `INSERT INTO graph_search (rowid, label, aliases)
         SELECT id, label, coalesce(json_extract(props, '$.aliases'), '') FROM graph_nodes WHERE build = ?`,
      )
      .run(this.build);
  }
}

/** The props of an offer an interaction names that no catalog has (SQL over two expressions). */
export function unknownOfferProps(channel: string, recordId: string): string {
  return `json_object('channel', ${channel}, 'recordId', ${recordId}, 'unknown', json('true'))`;
}
