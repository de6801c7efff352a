import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { generateStore } from '../../../fixtures/generator/index.js';
import { GAP_KINDS, type GapsSummary, type GraphStats, type Result } from '../../api/contract.js';
import { evaluateGaps, readGapTruth } from '../../consistency/truthEval.js';
import type { ImportResult } from '../../ingest/importFile.js';
import { LocalApi } from '../api.js';
import type { Command } from '../command.js';
import { formatTable, UsageError, writeJson } from '../io.js';
import type { AlignResult } from './align.js';
import { graphLine, graphSummary } from './graph.js';

/** Records per channel in a product (cluster) of more than one record. */
function matchedByChannel(rows: Result<'matches.export'>): Map<string, number> {
  const size = new Map<string, number>();
  for (const r of rows) size.set(r.clusterId, (size.get(r.clusterId) ?? 0) + 1);
  const matched = new Map<string, number>();
  for (const r of rows)
    if (size.get(r.clusterId)! > 1) matched.set(r.channel, (matched.get(r.channel) ?? 0) + 1);
  return matched;
}

export const demoCommand: Command = {
  name: 'demo',
  summary:
    'Generate a multi-channel store, import every channel into a new workspace, align it, find gaps and print a summary.',
  usage: 'concord demo [--out DIR] [--products N] [--seed S] [--json]',
  help: `Options:
  --out DIR        where the exports and demo.concord go (default: ./concord-demo; replaced if it exists)
  --products N     products in the generated store (default 2000)
  --seed S         generator seed (default 42)
  --json           print the summary as JSON`,
  options: {
    out: { type: 'string' },
    products: { type: 'string' },
    seed: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run({ values }) {
    const out = resolve((values.out as string | undefined) ?? 'concord-demo');
    const products = Number(values.products ?? 2000);
    const seed = Number(values.seed ?? 42);
    if (!Number.isInteger(products) || products < 1)
      throw new UsageError('--products takes a positive whole number');
    if (!Number.isInteger(seed)) throw new UsageError('--seed takes a whole number');
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out, { recursive: true });
    const t0 = performance.now();
    const store = await generateStore({ outDir: join(out, 'exports'), products, seed });
    const generateSeconds = (performance.now() - t0) / 1000;
    const wsFile = join(out, 'demo.concord');
    // The whole pipeline through the API, as the app drives it: create, import, align, rules, gaps.
    const api = new LocalApi();
    try {
      return await runDemo(api, {
        wsFile,
        store,
        products,
        seed,
        generateSeconds,
        json: values.json === true,
      });
    } finally {
      api.close();
    }
  },
};

async function runDemo(
  api: LocalApi,
  o: {
    wsFile: string;
    store: Awaited<ReturnType<typeof generateStore>>;
    products: number;
    seed: number;
    generateSeconds: number;
    json: boolean;
  },
): Promise<number> {
  const { wsFile, store, products, seed, generateSeconds } = o;
  await api.call('workspace.create', { path: wsFile });
  const rows: {
    channel: string;
    format: string;
    file: string;
    rows: number;
    records: number;
    warnings: number;
    seconds: number;
  }[] = [];
  for (const ch of store.channels) {
    const r = await api.job<ImportResult>(
      'import.start',
      { file: { path: ch.path }, channel: ch.name },
      { label: `importing ${ch.name}` },
    );
    rows.push({
      channel: r.channel,
      format: r.format,
      file: r.file,
      rows: r.rows,
      records: r.records,
      warnings: r.warnings,
      seconds: r.seconds,
    });
  }
  const aligned = await api.job<AlignResult>('align.start', { truthFile: store.truthPath });
  // The store's assortment rules, given as a merchant would (`concord rules WS --set rules.json`).
  await api.call('rules.set', {
    rules: JSON.parse(readFileSync(store.rulesPath, 'utf8')),
    source: store.rulesPath,
  });
  const gapSummary = await api.job<GapsSummary>('gaps.detect', {});
  // The knowledge graph, the stage after alignment (and after gaps, so that it holds their conflicts).
  const graph = await api.job<GraphStats>('graph.build', { full: false }, { label: 'building the graph' });
  const allGaps = await api.call('gaps.export', { includeExcluded: true });
  const gapEval = evaluateGaps(await readGapTruth(store.truthPath), allGaps);
  const byChannelKind = new Map<string, Record<string, number>>();
  for (const m of gapSummary.matrix) {
    const row = byChannelKind.get(m.channel) ?? {};
    row[m.kind] = m.count;
    byChannelKind.set(m.channel, row);
  }
  const completeness = new Map(gapSummary.completeness.map((c) => [c.channel, c]));
  const matched = matchedByChannel(await api.call('matches.export', {}));
  const channels = rows.map((r) => ({
    ...r,
    matched: matched.get(r.channel) ?? 0,
    gaps: byChannelKind.get(r.channel) ?? {},
    completeness: completeness.get(r.channel)?.requiredPct ?? null,
  }));
  const alignment = {
    records: aligned.records,
    products: aligned.clusters,
    matchedRecords: aligned.matchedRecords,
    seconds: aligned.seconds.total ?? null,
    vsGroundTruth: aligned.truth
      ? {
          precision: aligned.truth.precision,
          recall: aligned.truth.recall,
          f1: aligned.truth.f1,
          blockingRecall: aligned.truth.blockingRecall,
        }
      : null,
  };
  if (o.json) {
    writeJson({
      workspace: wsFile,
      products,
      seed,
      generateSeconds,
      truth: store.truthPath,
      channels,
      alignment,
      gaps: {
        open: gapSummary.byStatus.open ?? 0,
        excluded: gapSummary.byStatus.excluded ?? 0,
        seconds: gapSummary.seconds,
        grades: gapSummary.grades,
        vsGroundTruth: gapEval.kinds.map(({ kind, truth, detected, precision, recall }) => ({
          kind,
          truth,
          detected,
          precision,
          recall,
        })),
      },
      graph: graphSummary(graph),
    });
    return 0;
  }
  const kinds = GAP_KINDS.filter((k) => channels.some((c) => (c.gaps[k] ?? 0) > 0));
  const short = (k: string): string =>
    k.replace('_mismatch', '').replace('missing_in_channel', 'missing').replace('sale_price', 'sale');
  const t = alignment.vsGroundTruth;
  process.stdout.write(
    `Generated a store of ${products.toLocaleString('en-US')} products (seed ${seed}) in ${generateSeconds.toFixed(2)} s\n\n` +
      formatTable(
        ['channel', 'format', 'file', 'rows', 'records', 'matched', 'warnings', 'import s'],
        channels.map((r) => [
          r.channel,
          r.format,
          r.file,
          r.rows,
          r.records,
          r.matched,
          r.warnings,
          r.seconds.toFixed(2),
        ]),
      ) +
      `\n\nAligned ${alignment.records.toLocaleString('en-US')} records into ${alignment.products.toLocaleString('en-US')} products` +
      (alignment.seconds !== null ? ` in ${alignment.seconds.toFixed(1)} s` : '') +
      (t
        ? `; against the generator's ground truth: precision ${t.precision.toFixed(3)}, recall ${t.recall.toFixed(3)}, F1 ${t.f1.toFixed(3)}`
        : '') +
      `\n\nGaps (open, by channel and kind) and completeness (required attributes present), found in ${gapSummary.seconds.toFixed(1)} s:\n\n` +
      formatTable(
        ['channel', ...kinds.map(short), 'total', 'complete %'],
        channels.map((c) => {
          const counts = kinds.map((k) => c.gaps[k] ?? 0);
          return [
            c.channel,
            ...counts,
            counts.reduce((a, b) => a + b, 0),
            c.completeness === null ? '' : c.completeness.toFixed(1),
          ];
        }),
      ) +
      `\n\n${(gapSummary.byStatus.excluded ?? 0).toLocaleString('en-US')} absences explained by assortment rules (not gaps). ` +
      `Product grades: ${Object.entries(gapSummary.grades)
        .map(([g, n]) => `${g} ${n.toLocaleString('en-US')}`)
        .join(', ')}.\n` +
      `Against the generator's ground truth, gaps: precision ${gapEval.overall.precision.toFixed(3)}, recall ${gapEval.overall.recall.toFixed(3)}` +
      ` (lowest per kind: ${lowest(gapEval.kinds)})` +
      `\n\n${graphLine(graph)}` +
      `\n\nWorkspace: ${wsFile}\nGround truth: ${store.truthPath}\n` +
      `Next: concord gaps ${wsFile} --format csv --out gaps.csv   ·   concord fixlist ${wsFile} --channel google --out google-fixes.tsv\n` +
      `Open it in the app: npm start -- ${wsFile}   (the Gaps page shows the dashboard, the table and each product side by side)\n`,
  );
  return 0;
}

function lowest(kinds: readonly { kind: string; precision: number; recall: number }[]): string {
  const p = kinds.reduce((a, b) => (b.precision < a.precision ? b : a));
  const r = kinds.reduce((a, b) => (b.recall < a.recall ? b : a));
  return `precision ${p.precision.toFixed(3)} ${p.kind}, recall ${r.recall.toFixed(3)} ${r.kind}`;
}
