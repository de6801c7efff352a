import { alignWorkspace, requireRun } from '../../align/alignWorkspace.js';
import { readTruthClusters } from '../../align/truth.js';
import { csvCell } from '../../consistency/fixlist/cells.js';
import { openWorkspace } from '../../store/workspace.js';
import { requirePositionals, type Command } from '../command.js';
import { formatTable, openOutput, progressLine, UsageError, writeJson } from '../io.js';

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
    const truth = typeof values.truth === 'string' ? await readTruthClusters(values.truth) : undefined;
    const bar = progressLine('aligning');
    const outcome = await alignWorkspace(positionals[0], {
      threshold,
      labelsFile: values.labels as string | undefined,
      truth,
      onProgress: bar.update,
    });
    bar.done();
    const s = outcome.summary;
    if (values.json) {
      writeJson({
        ...s,
        ...(outcome.truth
          ? {
              truth: {
                precision: outcome.truth.precision,
                recall: outcome.truth.recall,
                f1: outcome.truth.f1,
                truePairs: outcome.truth.truePairs,
                predictedPairs: outcome.truth.predictedPairs,
                blockingRecall: outcome.truth.blockingRecall,
              },
            }
          : {}),
      });
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
    if (outcome.truth) {
      rows.push(['blocking recall (truth)', pct(outcome.truth.blockingRecall)]);
      rows.push([
        'pairwise precision / recall / F1',
        `${pct(outcome.truth.precision)} / ${pct(outcome.truth.recall)} / ${pct(outcome.truth.f1)}`,
      ]);
    }
    rows.push([
      'seconds',
      Object.entries(s.seconds)
        .map(([k, v]) => `${k} ${v}`)
        .join(', '),
    ]);
    process.stdout.write(formatTable(['', ''], rows) + '\n');
    return 0;
  },
};

/** A CSV cell: quoted when needed, and never read as a formula by a spreadsheet (shared with fix lists). */
export { csvCell };

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
    const ws = openWorkspace(positionals[1]);
    try {
      requireRun(ws.db);
      const rows = ws.db
        .prepare(
          `SELECT r.channel, r.record_id, coalesce(c.cluster_id, r.id)
           FROM records r JOIN sources s ON s.id = r.source_id
           LEFT JOIN channels ch ON ch.name = r.channel
           LEFT JOIN clusters c ON c.record_id = r.id
           WHERE s.kind = 'products'
           ORDER BY ch.priority, r.id`,
        )
        .raw(true)
        .iterate() as IterableIterator<[string, string, number]>;
      const sink = openOutput(out);
      let count = 0;
      try {
        sink.write('channel,recordId,clusterId\n');
        for (const [channel, recordId, cluster] of rows) {
          sink.write(`${csvCell(channel)},${csvCell(recordId)},c${cluster}\n`);
          count++;
        }
      } catch (err) {
        sink.abort();
        throw err;
      }
      sink.close();
      process.stderr.write(`wrote ${count.toLocaleString('en-US')} records to ${out}\n`);
      return 0;
    } finally {
      ws.close();
    }
  },
};
