import type { AlignSummary, GraphStats } from '../../api/contract.js';
import { csvCell } from '../../consistency/fixlist/cells.js';
import { withWorkspace } from '../api.js';
import { requirePositionals, type Command } from '../command.js';
import { formatTable, openOutput, UsageError, writeJson } from '../io.js';
import { graphLine, graphSummary } from './graph.js';

/** The align.start job's result: the summary, with the scores against the ground truth when one was given. */
export type AlignResult = AlignSummary & {
  truth?: {
    precision: number;
    recall: number;
    f1: number;
    truePairs: number;
    predictedPairs: number;
    blockingRecall: number;
  };
};

export const alignCommand: Command = {
  name: 'align',
  summary:
    'Work out which records of the channels are the same product: block, match, cluster, golden records.',
  usage: 'concord align WS [--labels FILE] [--threshold P] [--truth FILE] [--json]',
  help: `Options:
  --labels FILE      store match labels from FILE first (CSV/TSV with a header
                     channelA,recordIdA,channelB,recordIdB,label; label match or no_match)
  --threshold P      match probability from which two records may join one product (0..1; default the previous run's, else 0.5)
  --truth FILE       ground truth (the fixture generator's truth.json): report blocking recall and
                     pairwise precision / recall / F1
  --json             print the summary as one JSON document

The matcher learns from what is sure (records of two channels with the same valid GTIN are one product,
with different valid GTINs two) and from stored labels; it decides the pairs the GTIN cannot. Re-running
replaces the previous alignment; labels are kept.`,
  options: {
    labels: { type: 'string' },
    threshold: { type: 'string' },
    truth: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run({ positionals, values }) {
    requirePositionals(this, positionals, 1, 'the workspace file');
    let threshold: number | undefined;
    if (values.threshold !== undefined) {
      threshold = Number(values.threshold);
      if (!(threshold >= 0 && threshold <= 1) || String(values.threshold).trim() === '')
        throw new UsageError(
          `--threshold takes a probability between 0 and 1, got "${String(values.threshold)}"`,
        );
    }
    const { s, graph } = await withWorkspace(positionals[0], async (api) => {
      const s = await api.job<AlignResult>('align.start', {
        threshold,
        labelsFile: values.labels as string | undefined,
        truthFile: values.truth as string | undefined,
      });
      // The knowledge graph is the stage after alignment (after the detection the workspace may have follow it).
      const graph = await api.job<GraphStats>(
        'graph.build',
        { full: false },
        { label: 'building the graph' },
      );
      return { s, graph };
    });
    const truth = s.truth;
    if (values.json) {
      writeJson({ ...s, graph: graphSummary(graph) });
      return 0;
    }
    const pct = (v: number | null) => (v === null ? '–' : `${(100 * v).toFixed(2)} %`);
    const rows: [string, string | number][] = [
      ['records', s.records],
      ['products (clusters)', s.clusters],
      ['records matched across channels', s.matchedRecords],
      ['threshold', s.threshold],
      ['labels', s.labels],
      ['candidate pairs', s.blocking.candidatePairs],
      ['kept of all cross-channel pairs', `${(100 * s.blocking.keptFraction).toPrecision(3)} %`],
      ['training pairs (positives)', `${s.model.trainingPairs} (${s.model.positives})`],
      ['validation F1', pct(s.model.validF1)],
    ];
    if (truth) {
      rows.push(['blocking recall (truth)', pct(truth.blockingRecall)]);
      rows.push([
        'pairwise precision / recall / F1',
        `${pct(truth.precision)} / ${pct(truth.recall)} / ${pct(truth.f1)}`,
      ]);
    }
    rows.push([
      'seconds',
      Object.entries(s.seconds)
        .map(([k, v]) => `${k} ${v}`)
        .join(', '),
    ]);
    process.stdout.write(formatTable(['', ''], rows) + '\n' + graphLine(graph) + '\n');
    return 0;
  },
};

export const exportCommand: Command = {
  name: 'export',
  summary: 'Export results: `export matches` writes every record with its product (cluster) id.',
  usage: 'concord export matches WS --out FILE.csv',
  help: `Subcommands:
  matches            one row per product record (singletons included): channel,recordId,clusterId

Options:
  --out FILE         the CSV file to write (replaced)

Cells that a spreadsheet would read as a formula (starting with = + - @, tab or CR) are prefixed with '.`,
  options: { out: { type: 'string' } },
  async run({ positionals, values }) {
    if (positionals.length === 0)
      throw new UsageError(`missing what to export ("matches")\nusage: ${this.usage}`);
    if (positionals[0] !== 'matches')
      throw new UsageError(`unknown export "${positionals[0]}"\nusage: ${this.usage}`);
    requirePositionals(this, positionals.slice(1), 1, 'the workspace file');
    const out = values.out;
    if (typeof out !== 'string' || out.length === 0)
      throw new UsageError(`missing --out FILE\nusage: ${this.usage}`);
    const rows = await withWorkspace(positionals[1], (api) => api.call('matches.export', {}));
    const sink = openOutput(out);
    try {
      sink.write('channel,recordId,clusterId\n');
      for (const r of rows) sink.write(`${csvCell(r.channel)},${csvCell(r.recordId)},${r.clusterId}\n`);
    } catch (err) {
      sink.abort();
      throw err;
    }
    sink.close();
    process.stderr.write(`wrote ${rows.length.toLocaleString('en-US')} records to ${out}\n`);
    return 0;
  },
};
