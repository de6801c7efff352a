/**
 * JSON export: `{"format": "concord-graph", "version": 1, "nodes": [...], "edges": [...]}`, nodes as graph.node
 * returns them (without degree) and edges as GraphEdgeSchema, one per line so a large file can be read line by line.
 */
import type { GraphRows } from './rows.js';
import type { FileSink } from './sink.js';

export const JSON_EXPORT_FORMAT = 'concord-graph';

export async function writeJsonGraph(rows: GraphRows, sink: FileSink): Promise<void> {
  await sink.write(`{"format":${JSON.stringify(JSON_EXPORT_FORMAT)},"version":1,\n"nodes":[`);
  let first = true;
  for (const n of rows.nodes()) {
    await sink.write(
      `${first ? '\n' : ',\n'}{"key":${JSON.stringify(n.key)},"type":${JSON.stringify(n.type)},"label":${JSON.stringify(n.label)},"props":${n.props || '{}'}}`,
    );
    first = false;
  }
  await sink.write('],\n"edges":[');
  first = true;
  for (const e of rows.edges()) {
    await sink.write(
      `${first ? '\n' : ',\n'}{"id":${e.id},"source":${JSON.stringify(e.source)},"target":${JSON.stringify(e.target)},"type":${JSON.stringify(e.type)},"props":${e.props || '{}'}}`,
    );
    first = false;
  }
  await sink.write(']}\n');
}
