/**
 * `npm run bench -- gaps [--products N] [--seed S]`: gap detection on the aligned workspace of the align benchmark
 * (3 channels × N products, default 100,000; built first by that benchmark when missing), with the store's
 * assortment rules set as a merchant would. Reports the detection time (target < 10 s), peak RSS, and precision /
 * recall per gap kind against the generator's ground truth.
 */
import { existsSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { currentGaps } from '../core/consistency/gapStore.js';
import { parseRules } from '../core/consistency/rules.js';
import { detectWorkspaceGaps } from '../core/consistency/runGaps.js';
import { setRulesSettings } from '../core/consistency/settings.js';
import { evaluateGaps, readGapTruth } from '../core/consistency/truthEval.js';
import { openWorkspace } from '../core/store/workspace.js';
import { alignBench } from './align.js';

const log = (m: string): void => void process.stderr.write(`[bench gaps] ${m}\n`);

export async function gapsBench(argv: string[]): Promise<unknown> {
  const { values } = parseArgs({
    args: argv,
    options: { products: { type: 'string' }, seed: { type: 'string' } },
    allowPositionals: true,
  });
  const products = Number(values.products ?? 100_000);
  const seed = Number(values.seed ?? 42);
  const dir = resolve('.bench/align', `p${products}-s${seed}`);
  const ws = join(dir, 'bench.concord');
  const aligned = (): boolean => {
    if (!existsSync(ws)) return false;
    const w = openWorkspace(ws);
    try {
      // Aligned by this version: the products alignment decides are stored (detection reads them).
      return w.db.prepare('SELECT 1 FROM products LIMIT 1').get() !== undefined;
    } finally {
      w.close();
    }
  };
  if (!aligned()) {
    log('no aligned workspace yet: running the align benchmark first');
    await alignBench(['--products', String(products), '--seed', String(seed)]);
  }
  const store = join(dir, 'store');
  const w = openWorkspace(ws);
  setRulesSettings(w.db, {
    rules: parseRules(JSON.parse(readFileSync(join(store, 'rules.json'), 'utf8')), 'rules.json'),
  });
  const records = w.db.prepare('SELECT count(*) FROM records').pluck().get() as number;
  w.close();

  log(`detecting gaps over ${records.toLocaleString('en-US')} records`);
  const rssBefore = process.memoryUsage().rss;
  const t = performance.now();
  const cpu = process.cpuUsage();
  const summary = await detectWorkspaceGaps(ws, {
    onProgress: (p) => log(`${p.phase}: ${p.message}`),
  });
  const seconds = (performance.now() - t) / 1000;
  const used = process.cpuUsage(cpu);
  const peakRssMB = process.resourceUsage().maxRSS / 1024;

  log('scoring against the ground truth');
  const r = openWorkspace(ws);
  const gaps = [...currentGaps(r.db, { includeExcluded: true })];
  r.close();
  const evaluation = evaluateGaps(await readGapTruth(join(store, 'truth.json')), gaps);
  const round = (v: number, d = 3): number => Math.round(v * 10 ** d) / 10 ** d;
  return {
    store: { products, seed, records, clusters: summary.products },
    machine: { cpus: cpus().length, loadavg: loadavg().map((v) => round(v)) },
    detect: {
      seconds: round(seconds),
      cpuSeconds: round((used.user + used.system) / 1e6),
      peakRssMB: Math.round(peakRssMB),
      rssBeforeMB: Math.round(rssBefore / 2 ** 20),
      open: summary.byStatus.open ?? 0,
      excluded: summary.byStatus.excluded ?? 0,
    },
    vsGroundTruth: {
      overall: {
        precision: round(evaluation.overall.precision, 4),
        recall: round(evaluation.overall.recall, 4),
      },
      kinds: evaluation.kinds.map((k) => ({
        kind: k.kind,
        truth: k.truth,
        detected: k.detected,
        precision: round(k.precision, 4),
        recall: round(k.recall, 4),
      })),
    },
    targets: { seconds: 10, precision: 0.95, recall: 0.95 },
    pass: {
      seconds: seconds < 10,
      quality: evaluation.kinds.every((k) => k.precision >= 0.95 && k.recall >= 0.95),
    },
  };
}
