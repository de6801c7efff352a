import type { GraphStats } from '../../api/contract.js';
import { withWorkspace } from '../api.js';
import { requirePositionals, type Command, type Options } from '../command.js';
import { formatTable, UsageError, writeJson } from '../io.js';
import { graphExportSubcommand, graphQuerySubcommand } from './graphQuery.js';

/**
 * One `concord graph <sub>` subcommand: its usage line, its own options (the command accepts the union; a
 * subcommand refuses the others') and what it runs with the positionals after the subcommand's name.
 */
export interface GraphSubcommand {
  usage: string;
  summary: string;
  /** The positionals after the subcommand's name, in words (for the error when some are missing). */
  positionals: { count: number; names: string };
  options: Options;
  run(args: { positionals: string[]; values: Record<string, unknown> }): Promise<number>;
}

function statsTable(s: GraphStats): string {
  const rows: (string | number)[][] = [
    ...Object.entries(s.nodes).map(([type, n]) => [`${type} nodes`, n]),
    ...Object.entries(s.edges).map(([type, n]) => [`${type} edges`, n]),
    ['components', s.components],
    ['largest component (nodes)', s.largestComponent],
    ['build (s)', (s.buildMs / 1000).toFixed(2)],
    ['full build', s.full ? 'yes' : 'no (changed parts only)'],
    ['built at', s.builtAt],
  ];
  return formatTable(
    ['', 'value'],
    rows.map(([k, v]) => [k, typeof v === 'number' ? v : String(v)]),
  );
}

/** The graph's stats as the demo's JSON has them: node and edge counts (in all and by type), components, time. */
export function graphSummary(g: GraphStats) {
  const total = (by: Record<string, number>): number => Object.values(by).reduce((a, b) => a + b, 0);
  return {
    nodes: total(g.nodes),
    edges: total(g.edges),
    nodesByType: g.nodes,
    edgesByType: g.edges,
    components: g.components,
    largestComponent: g.largestComponent,
    seconds: g.buildMs / 1000,
  };
}

/** One line on the graph for the text summaries (demo, align). */
export function graphLine(g: GraphStats): string {
  const s = graphSummary(g);
  const by = (m: Record<string, number>): string =>
    Object.entries(m)
      .map(([t, n]) => `${t} ${n.toLocaleString('en-US')}`)
      .join(', ');
  return (
    `Knowledge graph: ${s.nodes.toLocaleString('en-US')} nodes (${by(s.nodesByType)}), ` +
    `${s.edges.toLocaleString('en-US')} edges (${by(s.edgesByType)}); ${s.components.toLocaleString('en-US')} components ` +
    `(largest ${s.largestComponent.toLocaleString('en-US')} nodes), built in ${s.seconds.toFixed(2)} s`
  );
}

const build: GraphSubcommand = {
  usage: 'concord graph build WS [--full] [--json]',
  summary: 'build or update the knowledge graph from the aligned store (only changed parts unless --full)',
  positionals: { count: 1, names: 'the workspace file' },
  options: { full: { type: 'boolean' }, json: { type: 'boolean' } },
  async run({ positionals, values }) {
    const stats = await withWorkspace(positionals[0], (api) =>
      api.job<GraphStats>('graph.build', { full: values.full === true }, { label: 'building the graph' }),
    );
    if (values.json) writeJson(stats);
    else process.stdout.write(statsTable(stats) + '\n');
    return 0;
  },
};

const stats: GraphSubcommand = {
  usage: 'concord graph stats WS [--json]',
  summary: 'node and edge counts by type, components and the last build time',
  positionals: { count: 1, names: 'the workspace file' },
  options: { json: { type: 'boolean' } },
  async run({ positionals, values }) {
    const s = await withWorkspace(positionals[0], (api) => api.call('graph.stats', {}));
    if (!s) throw new UsageError('no knowledge graph yet: run `concord graph build WS` first');
    if (values.json) writeJson(s);
    else process.stdout.write(statsTable(s) + '\n');
    return 0;
  },
};

/** The subcommands by name; add one here (with its options) and it is parsed, listed in help and dispatched. */
export const GRAPH_SUBCOMMANDS: Record<string, GraphSubcommand> = {
  build,
  stats,
  query: graphQuerySubcommand,
  export: graphExportSubcommand,
};

function allOptions(): Options {
  return Object.assign({}, ...Object.values(GRAPH_SUBCOMMANDS).map((s) => s.options)) as Options;
}

export const graphCommand: Command = {
  name: 'graph',
  summary: 'The knowledge graph: build it, read its stats, query and export it.',
  get usage() {
    return Object.values(GRAPH_SUBCOMMANDS)
      .map((s) => s.usage)
      .join('\n       ');
  },
  get help() {
    const width = Math.max(...Object.keys(GRAPH_SUBCOMMANDS).map((n) => n.length));
    return [
      'Subcommands:',
      ...Object.entries(GRAPH_SUBCOMMANDS).map(([n, s]) => `  ${n.padEnd(width)}  ${s.summary}`),
      '',
      'The graph is built from the stored products (run `concord align WS` first); `concord align` and',
      '`concord demo` build it as their last stage.',
    ].join('\n');
  },
  get options() {
    return allOptions();
  },
  async run({ positionals, values }) {
    const [name, ...rest] = positionals;
    const sub = name === undefined ? undefined : GRAPH_SUBCOMMANDS[name];
    if (!sub)
      throw new UsageError(
        `${name === undefined ? 'missing subcommand' : `unknown subcommand "${name}"`} (one of ${Object.keys(GRAPH_SUBCOMMANDS).join(', ')})\nusage: ${this.usage}`,
      );
    for (const option of Object.keys(values))
      if (values[option] !== undefined && option !== 'help' && !(option in sub.options))
        throw new UsageError(`graph ${name} does not take --${option}\nusage: ${sub.usage}`);
    requirePositionals({ ...this, usage: sub.usage }, rest, sub.positionals.count, sub.positionals.names);
    return sub.run({ positionals: rest, values });
  },
};
