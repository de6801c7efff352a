/** `concord graph query` and `concord graph export` (subcommands in graph.ts's table). */
import { GRAPH_EXPORT_FORMATS, PatternQuerySchema, type PatternQuery } from '../../api/contract.js';
import { badInput, ConcordError } from '../../model/errors.js';
import { readJsonFile } from './rules.js';
import { withWorkspace } from '../api.js';
import { UsageError, writeJson } from '../io.js';
import type { GraphSubcommand } from './graph.js';

/** The pattern query in `file`, or BAD_INPUT naming the file and the line (bad JSON) or the field (bad query). */
export function readPatternQuery(file: string): PatternQuery {
  const parsed = PatternQuerySchema.safeParse(readJsonFile(file));
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue.path
    .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
    .join('')
    .replace(/^\./, '');
  throw badInput({ file, field: field || 'the query' }, issue.message);
}

export const graphQuerySubcommand: GraphSubcommand = {
  usage: 'concord graph query WS --json QUERY.json',
  summary: 'run a pattern query (JSON, as the Graph page builds them) and print the matching nodes as JSON',
  positionals: { count: 2, names: 'the workspace file and the query file (--json QUERY.json)' },
  options: { json: { type: 'boolean' } },
  async run({ positionals }) {
    const [workspace, file] = positionals;
    const query = readPatternQuery(file);
    const result = await withWorkspace(workspace, async (api) => {
      try {
        return await api.call('graph.query', query);
      } catch (err) {
        // The query's own faults (a property name, a hop number) are named by field: say which file holds them.
        const field = err instanceof ConcordError ? err.details.field : undefined;
        if (err instanceof ConcordError && err.code === 'BAD_INPUT' && typeof field === 'string')
          throw badInput({ file, field }, err.message.replace(`${field}: `, ''));
        throw err;
      }
    });
    writeJson(result);
    return 0;
  },
};

export const graphExportSubcommand: GraphSubcommand = {
  usage: `concord graph export WS --format ${GRAPH_EXPORT_FORMATS.join('|')} --out PATH`,
  summary: 'write the graph as JSON, GraphML (a file) or Neo4j import CSVs with a README (a folder)',
  positionals: { count: 1, names: 'the workspace file' },
  options: { format: { type: 'string' }, out: { type: 'string' } },
  async run({ positionals, values }) {
    const format = values.format;
    if (typeof format !== 'string' || !(GRAPH_EXPORT_FORMATS as readonly string[]).includes(format))
      throw new UsageError(
        `${format === undefined ? 'missing --format' : `unknown --format "${String(format)}"`} (one of ${GRAPH_EXPORT_FORMATS.join(', ')})\nusage: ${this.usage}`,
      );
    const out = values.out;
    if (typeof out !== 'string' || out.length === 0)
      throw new UsageError(`missing --out PATH\nusage: ${this.usage}`);
    const result = await withWorkspace(positionals[0], (api) =>
      api.call('graph.export', { format: format as GraphExportFormat, out }),
    );
    const n = (v: number, word: string) => `${v.toLocaleString('en-US')} ${word}${v === 1 ? '' : 's'}`;
    process.stderr.write(
      `wrote ${out}: ${n(result.nodes, 'node')} and ${n(result.edges, 'edge')} as ${format}` +
        (result.files.length > 1 ? ` in ${n(result.files.length, 'file')}` : '') +
        '\n',
    );
    return 0;
  },
};

type GraphExportFormat = (typeof GRAPH_EXPORT_FORMATS)[number];
