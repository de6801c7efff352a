/**
 * graph.export: the whole graph written to disk as JSON, GraphML or Neo4j import CSVs, streamed row by row
 * (rows.ts, sink.ts). `out` is a file for json and graphml and a folder for neo4j (created when missing).
 */
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { GraphExport } from '../../api/contract.js';
import { ConcordError } from '../../model/errors.js';
import { writeGraphml } from './graphml.js';
import { writeJsonGraph } from './json.js';
import { writeNeo4j } from './neo4j.js';
import { withGraphRows } from './rows.js';
import { FileSink } from './sink.js';

export async function exportGraph(
  workspace: string,
  format: GraphExport['format'],
  out: string,
): Promise<GraphExport> {
  const target = resolve(out);
  if (format === 'neo4j') {
    if (existsSync(target) && !statSync(target).isDirectory())
      throw new ConcordError('BAD_INPUT', `${out} is a file: the neo4j export writes a folder of CSV files`, {
        field: 'out',
        file: out,
      });
    requireFolder(dirname(target), out);
    mkdirSync(target, { recursive: true });
    return withGraphRows(workspace, async (rows) => {
      const { files } = await writeNeo4j(rows, target);
      return { format, files, nodes: rows.nodeCount, edges: rows.edgeCount };
    });
  }
  if (existsSync(target) && statSync(target).isDirectory())
    throw new ConcordError('BAD_INPUT', `${out} is a folder: the ${format} export writes one file`, {
      field: 'out',
      file: out,
    });
  requireFolder(dirname(target), out);
  return withGraphRows(workspace, async (rows) => {
    const sink = new FileSink(target);
    try {
      await (format === 'json' ? writeJsonGraph(rows, sink) : writeGraphml(rows, sink));
      await sink.close();
    } catch (err) {
      sink.destroy();
      rmSync(target, { force: true });
      throw err;
    }
    return { format, files: [target], nodes: rows.nodeCount, edges: rows.edgeCount };
  });
}

function requireFolder(folder: string, out: string): void {
  if (!existsSync(folder) || !statSync(folder).isDirectory())
    throw new ConcordError('BAD_INPUT', `${out}: the folder ${folder} does not exist`, {
      field: 'out',
      file: out,
    });
}
