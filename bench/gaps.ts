/**
 * `npm run bench -- gaps [--products N] [--seed S]`: gap detection on the aligned workspace of the align benchmark
 * (3 channels × N products, default 100,000; built first by that benchmark when missing), with the store's
 * assortment rules set as a merchant would. Reports the detection time (target < 10 s), peak RSS, and precision /
 * recall per gap kind against the generator's ground truth.
 */
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { openWorkspace } from '../core/store/workspace.js';
import { alignBench } from './align.js';
import { gapScoresJson, round, scoreGaps } from './storeWorkspace.js';
import { benchOptions } from './options.js';

const log = (m: string): void => void process.stderr.write(`[bench gaps] ${m}\n`);

export async function gapsBench(argv: string[]): Promise<unknown> {
  const { products, seed } = benchOptions(argv, { products: 100_000, seed: 42 });
  const { dir, ws } = await alignedBenchWorkspace(products, seed, log);
  const { detect, summary, evaluation } = await scoreGaps(ws, join(dir, 'store'), log);
  const records = summary.records;
  return {
    store: { products, seed, records, clusters: summary.products },
    machine: { cpus: cpus().length, loadavg: loadavg().map((v) => round(v)) },
    detect: {
      ...detect,
      open: summary.byStatus.open ?? 0,
      excluded: summary.byStatus.excluded ?? 0,
    },
    vsGroundTruth: gapScoresJson(evaluation),
    targets: { seconds: 10, precision: 0.95, recall: 0.95 },
    pass: {
      seconds: detect.seconds < 10,
      quality: evaluation.kinds.every((k) => k.precision >= 0.95 && k.recall >= 0.95),
    },
  };
}

/**
 * The align benchmark's workspace (3 channels × `products`), aligned by this version: built by that benchmark when
 * missing. `dir` holds it and the generated store (`dir/store`).
 */
export async function alignedBenchWorkspace(
  products: number,
  seed: number,
  log: (m: string) => void,
): Promise<{ dir: string; ws: string }> {
  const dir = resolve('.bench/align', `p${products}-s${seed}`);
  const ws = join(dir, 'bench.concord');
  const aligned = (): boolean => {
    if (!existsSync(ws)) return false;
    const w = openWorkspace(ws, { readonly: true });
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
  return { dir, ws };
}
