/**
 * The whole graph, row by row, for the exports: nodes then edges in id order, read on a connection of the export's
 * own inside one read transaction, so the export is one consistent snapshot even while a build writes, and the
 * session's connection stays free for the other requests while the export waits for the disk.
 */
import type Database from 'better-sqlite3';
import type { EdgeType, NodeType } from '../../model/graph.js';
import { openWorkspace } from '../../store/workspace.js';

export interface ExportNode {
  key: string;
  type: NodeType;
  label: string;
  /** The props as stored (a JSON object). */
  props: string;
}

export interface ExportEdge {
  id: number;
  source: string;
  target: string;
  type: EdgeType;
  props: string | null;
}

export interface GraphRows {
  nodeCount: number;
  edgeCount: number;
  nodes(): IterableIterator<ExportNode>;
  edges(): IterableIterator<ExportEdge>;
}

/** Runs `write` over a snapshot of the graph in the workspace at `file`. */
export async function withGraphRows<T>(file: string, write: (rows: GraphRows) => Promise<T>): Promise<T> {
  const ws = openWorkspace(file, { readonly: true });
  const db: Database.Database = ws.db;
  try {
    db.exec('BEGIN');
    const count = (table: string) => db.prepare<[], number>(`SELECT count(*) FROM ${table}`).pluck().get()!;
    const rows: GraphRows = {
      nodeCount: count('graph_nodes'),
      edgeCount: count('graph_edges'),
      nodes: () =>
        db.prepare<[], ExportNode>('SELECT key, type, label, props FROM graph_nodes ORDER BY id').iterate(),
      edges: () =>
        db
          .prepare<[], ExportEdge>(
            `SELECT e.id, s.key AS source, d.key AS target, e.type, e.props
               FROM graph_edges e JOIN graph_nodes s ON s.id = e.src JOIN graph_nodes d ON d.id = e.dst
              ORDER BY e.id`,
          )
          .iterate(),
    };
    return await write(rows);
  } finally {
    if (db.inTransaction) db.exec('COMMIT');
    ws.close();
  }
}
