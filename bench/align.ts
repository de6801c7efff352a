/**
 * `npm run bench -- align [--products N] [--seed S] [--fresh]`: a generated store of 3 channels (shopify,
 * woocommerce, google) × N products (default 100,000), imported into a workspace, then aligned in a child process
 * (so its peak RSS is the alignment's own) and compared with the generator's truth: pairwise precision / recall /
 * F1 over record pairs, blocking recall and the fraction of cross-channel pairs kept, seconds per phase, CPU
 * seconds and peak RSS. Targets (DESIGN.md "Performance"): < 60 s and < 4 GB RSS on 2 cores, F1 ≥ 0.98, blocking
 * recall ≥ 0.99. The store and workspace are kept in .bench/align/ and reused (same N and seed) unless --fresh.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generateStore } from '../fixtures/generator/index.js';
import { alignWorkspace } from '../core/align/alignWorkspace.js';
import { readTruthClusters } from '../core/align/truth.js';
import { openWorkspace } from '../core/store/workspace.js';
import { importStore, pairwiseJson, round } from './storeWorkspace.js';
import { WORKER_NODE_FLAGS } from '../core/worker/supervisor.js';
import { benchOptions } from './options.js';

const log = (msg: string) => process.stderr.write(`[bench align] ${msg}\n`);
const CHANNELS = ['shopify', 'woocommerce', 'google'] as const;
/** The aligning child runs with the worker's Node flags, so the bench measures what the app runs. */
const ALIGN_NODE_FLAGS = WORKER_NODE_FLAGS;

interface ChildResult {
  outcome: Awaited<ReturnType<typeof alignWorkspace>>;
  peakRssMB: number;
  wallSeconds: number;
  cpuSeconds: number;
}

export async function alignBench(argv: string[]): Promise<unknown> {
  const { products, seed, fresh } = benchOptions(argv, { products: 100_000, seed: 42 }, ['fresh']);
  if (!Number.isInteger(products) || products < 1)
    throw new Error('--products takes a positive whole number');
  const dir = resolve('.bench/align', `p${products}-s${seed}`);
  const ws = join(dir, 'bench.concord');
  const marker = join(dir, 'imported.json');
  let prepared: { generateSeconds: number; importSeconds: number; records: number } | null = null;
  if (!fresh && existsSync(marker) && existsSync(ws)) {
    prepared = JSON.parse(readFileSync(marker, 'utf8')) as typeof prepared;
    log(`reusing ${dir} (--fresh to rebuild)`);
  }
  if (!prepared) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    log(`generating ${CHANNELS.length} channels × ${products.toLocaleString('en-US')} products`);
    const t = performance.now();
    const store = await generateStore({
      outDir: join(dir, 'store'),
      products,
      seed,
      channels: [...CHANNELS],
    });
    const generateSeconds = (performance.now() - t) / 1000;
    openWorkspace(ws, { create: true }).close();
    const imported = await importStore(ws, store.channels, log);
    prepared = { generateSeconds, importSeconds: imported.seconds, records: imported.records };
    writeFileSync(marker, JSON.stringify(prepared));
  }

  log('aligning (child process)');
  const out = execFileSync(
    process.execPath,
    [...ALIGN_NODE_FLAGS, fileURLToPath(import.meta.url), '--child', ws, join(dir, 'store', 'truth.json')],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const r = JSON.parse(out) as ChildResult;
  const o = r.outcome;
  const truth = o.truth!;
  const seconds = o.summary.seconds.total;
  return {
    store: {
      products,
      seed,
      channels: [...CHANNELS],
      records: o.summary.records,
      generateSeconds: round(prepared.generateSeconds),
      importSeconds: round(prepared.importSeconds),
    },
    machine: { cpus: cpus().length, loadavg: loadavg().map((v) => round(v)) },
    align: {
      seconds,
      cpuSeconds: o.summary.seconds.cpu,
      phases: o.summary.seconds,
      peakRssMB: r.peakRssMB,
      clusters: o.summary.clusters,
      matchedRecords: o.summary.matchedRecords,
      threshold: o.summary.threshold,
    },
    blocking: {
      recall: o.blocking.recall,
      keptFraction: o.blocking.keptFraction,
      candidatePairs: o.blocking.candidatePairs,
      crossPairs: o.blocking.crossPairs,
      bySource: o.blocking.byVia,
    },
    pairwise: pairwiseJson(truth),
    model: o.model,
    embeddings: o.embeddings,
    targets: { seconds: 60, peakRssMB: 4096, f1: 0.98, blockingRecall: 0.99 },
    pass: {
      seconds: seconds < 60,
      peakRss: r.peakRssMB < 4096,
      f1: truth.f1 >= 0.98,
      blockingRecall: (o.blocking.recall ?? 0) >= 0.99,
    },
  };
}

/** Child mode: align one workspace against a truth file and print the outcome with peak RSS as JSON. */
async function child(ws: string, truthFile: string): Promise<void> {
  const truth = await readTruthClusters(truthFile);
  const cpu = process.cpuUsage();
  const t = performance.now();
  let last = '';
  const outcome = await alignWorkspace(ws, {
    truth,
    onProgress: (p) => {
      if (p.phase !== last) process.stderr.write(`[bench align] ${p.phase}: ${p.message}\n`);
      last = p.phase;
    },
  });
  const used = process.cpuUsage(cpu);
  const result: ChildResult = {
    outcome,
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    wallSeconds: (performance.now() - t) / 1000,
    cpuSeconds: (used.user + used.system) / 1e6,
  };
  process.stdout.write(JSON.stringify(result));
}

if (process.argv[2] === '--child' && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await child(process.argv[3], process.argv[4]);
}
