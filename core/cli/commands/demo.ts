import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { generateStore } from '../../../fixtures/generator/index.js';
import { alignWorkspace } from '../../align/alignWorkspace.js';
import { readTruthClusters } from '../../align/truth.js';
import { GAP_KINDS } from '../../api/contract.js';
import { currentGaps } from '../../consistency/gapStore.js';
import { parseRules } from '../../consistency/rules.js';
import { detectWorkspaceGaps } from '../../consistency/runGaps.js';
import { setRulesSettings } from '../../consistency/settings.js';
import { evaluateGaps, readGapTruth } from '../../consistency/truthEval.js';
import { importFile } from '../../ingest/importFile.js';
import { readFileSync } from 'node:fs';
import { openWorkspace } from '../../store/workspace.js';
import type { Command } from '../command.js';
import { formatTable, progressLine, UsageError, writeJson } from '../io.js';

/** Records per channel that share a product (cluster) with a record of another channel. */
function matchedByChannel(wsFile: string): Map<string, number> {
  const ws = openWorkspace(wsFile);
  try {
    const rows = ws.db
      .prepare(
        `SELECT r.channel AS channel, count(*) AS n FROM records r JOIN clusters c ON c.record_id = r.id
         WHERE c.cluster_id IN (SELECT cluster_id FROM clusters GROUP BY cluster_id HAVING count(*) > 1)
         GROUP BY r.channel`,
      )
      .all() as { channel: string; n: number }[];
    return new Map(rows.map((r) => [r.channel, r.n]));
  } finally {
    ws.close();
  }
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
    openWorkspace(wsFile, { create: true }).close();
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
      const bar = progressLine(`importing ${ch.name}`);
      const r = await importFile({
        workspace: wsFile,
        file: ch.path,
        channel: ch.name,
        onProgress: bar.update,
      });
      bar.done();
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
    const alignBar = progressLine('aligning');
    const aligned = await alignWorkspace(wsFile, {
      truth: await readTruthClusters(store.truthPath),
      onProgress: alignBar.update,
    });
    alignBar.done();
    // The store's assortment rules, given as a merchant would (`concord rules WS --set rules.json`).
    const rulesWs = openWorkspace(wsFile);
    try {
      setRulesSettings(rulesWs.db, {
        rules: parseRules(JSON.parse(readFileSync(store.rulesPath, 'utf8')), store.rulesPath),
      });
    } finally {
      rulesWs.close();
    }
    const gapsBar = progressLine('finding gaps');
    const gapSummary = await detectWorkspaceGaps(wsFile, { onProgress: gapsBar.update });
    gapsBar.done();
    const gapWs = openWorkspace(wsFile);
    const allGaps = [...currentGaps(gapWs.db, { includeExcluded: true })];
    gapWs.close();
    const gapEval = evaluateGaps(await readGapTruth(store.truthPath), allGaps);
    const byChannelKind = new Map<string, Record<string, number>>();
    for (const m of gapSummary.matrix) {
      const row = byChannelKind.get(m.channel) ?? {};
      row[m.kind] = m.count;
      byChannelKind.set(m.channel, row);
    }
    const completeness = new Map(gapSummary.completeness.map((c) => [c.channel, c]));
    const matched = matchedByChannel(wsFile);
    const channels = rows.map((r) => ({
      ...r,
      matched: matched.get(r.channel) ?? 0,
      gaps: byChannelKind.get(r.channel) ?? {},
      completeness: completeness.get(r.channel)?.requiredPct ?? null,
    }));
    const alignment = {
      records: aligned.summary.records,
      products: aligned.summary.clusters,
      matchedRecords: aligned.summary.matchedRecords,
      seconds: aligned.summary.seconds.total ?? null,
      vsGroundTruth: aligned.truth
        ? {
            precision: aligned.truth.precision,
            recall: aligned.truth.recall,
            f1: aligned.truth.f1,
            blockingRecall: aligned.truth.blockingRecall,
          }
        : null,
    };
    if (values.json) {
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
        `\n\nWorkspace: ${wsFile}\nGround truth: ${store.truthPath}\n` +
        `Next: concord gaps ${wsFile} --format csv --out gaps.csv   ·   concord fixlist ${wsFile} --channel google --out google-fixes.tsv\n` +
        `Open it in the app: npm start -- ${wsFile}   (the Gaps page shows the dashboard, the table and each product side by side)\n`,
    );
    return 0;
  },
};

function lowest(kinds: readonly { kind: string; precision: number; recall: number }[]): string {
  const p = kinds.reduce((a, b) => (b.precision < a.precision ? b : a));
  const r = kinds.reduce((a, b) => (b.recall < a.recall ? b : a));
  return `precision ${p.precision.toFixed(3)} ${p.kind}, recall ${r.recall.toFixed(3)} ${r.kind}`;
}
