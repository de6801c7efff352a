/**
 * `npm run bench -- graph-build [--products N] [--seed S] [--interactions M] [--fresh]`: the knowledge graph build
 * on the align benchmark's aligned workspace (3 channels × N products, default 100,000) plus M generated
 * interactions (default 1,000,000, fixtures/generator generateInteractions, imported with the real importer). A full
 * build, then one channel (the last) re-imported and re-aligned, then the incremental build that follows: seconds,
 * peak RSS (each build in a child process, so the RSS is its own) and the graph's counts. Target (DESIGN.md
 * "Performance"): < 60 s and < 4 GB. The workspace with interactions is kept in .bench/graph/ unless --fresh.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { generateInteractions } from '../fixtures/generator/index.js';
import { alignWorkspace } from '../core/align/alignWorkspace.js';
import { detectWorkspaceGaps } from '../core/consistency/runGaps.js';
import { buildGraph, type StoredBuildStats } from '../core/graph/build.js';
import { importFile } from '../core/ingest/importFile.js';
import { openWorkspace } from '../core/store/workspace.js';
import { alignedBenchWorkspace } from './gaps.js';
import { benchOptions } from './options.js';
import { round } from './storeWorkspace.js';

const log = (m: string): void => void process.stderr.write(`[bench graph-build] ${m}\n`);

interface ChildBuild {
  stats: StoredBuildStats;
  seconds: number;
  peakRssMB: number;
}

/** Builds in a child process (`full` or not) and reads its result. */
function buildInChild(ws: string, full: boolean): ChildBuild {
  const out = execFileSync(
    process.execPath,
    [fileURLToPath(import.meta.url), '--child', ws, full ? 'full' : 'incremental'],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 1024 * 1024 },
  );
  return JSON.parse(out) as ChildBuild;
}

function buildJson(b: ChildBuild): unknown {
  return {
    seconds: round(b.seconds),
    peakRssMB: b.peakRssMB,
    full: b.stats.full,
    rebuilt: b.stats.rebuilt,
    partMs: b.stats.partMs,
  };
}

export async function graphBuildBench(argv: string[]): Promise<unknown> {
  const { products, seed, interactions, fresh } = benchOptions(
    argv,
    { products: 100_000, seed: 42, interactions: 1_000_000 },
    ['fresh'],
  );
  const aligned = await alignedBenchWorkspace(products, seed, log);
  const dir = resolve('.bench/graph', `p${products}-s${seed}-i${interactions}`);
  const ws = join(dir, 'bench.concord');
  const marker = join(dir, 'prepared.json');
  const storeDir = join(aligned.dir, 'store');
  if (fresh || !existsSync(marker) || !existsSync(ws)) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    log('copying the aligned workspace');
    const source = new Database(aligned.ws, { readonly: true });
    await source.backup(ws);
    source.close();
    log(`generating ${interactions.toLocaleString('en-US')} interactions`);
    const t = performance.now();
    const generated = await generateInteractions({ store: storeDir, outDir: dir, interactions });
    const generateSeconds = (performance.now() - t) / 1000;
    const t2 = performance.now();
    for (const f of generated.files) {
      log(`importing ${f.file} (${f.rows.toLocaleString('en-US')} rows)`);
      await importFile({ workspace: ws, file: f.path, channel: f.channel, kind: 'interactions' });
    }
    const importSeconds = (performance.now() - t2) / 1000;
    const w = openWorkspace(ws);
    const detected = w.db.prepare('SELECT EXISTS (SELECT 1 FROM gap_runs)').pluck().get() === 1;
    w.close();
    if (!detected) {
      log('detecting gaps');
      await detectWorkspaceGaps(ws);
    }
    writeFileSync(
      marker,
      JSON.stringify({ generateSeconds, importSeconds, counts: generated.counts, files: generated.files }),
    );
  }
  const prepared = JSON.parse(readFileSync(marker, 'utf8')) as {
    generateSeconds: number;
    importSeconds: number;
    counts: { users: number; interactions: number };
  };

  log('full build (child process)');
  const full = buildInChild(ws, true);
  const w = openWorkspace(ws);
  const last = w.db
    .prepare(
      `SELECT s.channel, s.file_path FROM sources s JOIN channels c ON c.name = s.channel
       WHERE s.kind = 'products' ORDER BY c.priority DESC LIMIT 1`,
    )
    .raw(true)
    .get() as [string, string];
  w.close();
  const [channel, file] = last;
  log(`re-importing ${channel} and re-aligning`);
  const t = performance.now();
  await importFile({ workspace: ws, file, channel, replace: true });
  const reimportSeconds = (performance.now() - t) / 1000;
  const t2 = performance.now();
  await alignWorkspace(ws);
  const realignSeconds = (performance.now() - t2) / 1000;
  log('incremental build (child process)');
  const incremental = buildInChild(ws, false);
  const s = incremental.stats;
  return {
    store: {
      products,
      seed,
      interactions: prepared.counts.interactions,
      users: prepared.counts.users,
      generateSeconds: round(prepared.generateSeconds),
      importSeconds: round(prepared.importSeconds),
    },
    machine: { cpus: cpus().length, loadavg: loadavg().map((v) => round(v)) },
    full: buildJson(full),
    reimport: { channel, reimportSeconds: round(reimportSeconds), realignSeconds: round(realignSeconds) },
    incremental: buildJson(incremental),
    graph: {
      nodes: s.nodes,
      edges: s.edges,
      components: s.components,
      largestComponent: s.largestComponent,
      projection: s.algorithms,
    },
    targets: { seconds: 60, peakRssMB: 4096 },
    pass: { seconds: full.seconds < 60, peakRss: full.peakRssMB < 4096 },
  };
}

/** Child mode: one build, its stats, wall seconds and peak RSS as JSON on stdout. */
async function child(ws: string, mode: string): Promise<void> {
  const t = performance.now();
  let phase = '';
  const stats = await buildGraph(ws, {
    full: mode === 'full',
    onProgress: (p) => {
      if (p.message !== phase) log(`${mode}: ${p.message}`);
      phase = p.message;
    },
  });
  const result: ChildBuild = {
    stats,
    seconds: (performance.now() - t) / 1000,
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
  };
  process.stdout.write(JSON.stringify(result));
}

if (process.argv[2] === '--child' && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await child(process.argv[3], process.argv[4]);
}
