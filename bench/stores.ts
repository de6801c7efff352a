/**
 * `npm run bench -- stores [--products N] [--seed S] [--generator independent|fixtures] [--examples K]`: alignment and
 * gap detection measured on stores from both generators — the project's own (fixtures/generator, channels shopify,
 * woocommerce, google) and the independently written one (fixtures/storegen) — so that a change is judged on data
 * it was not written against. For each: generate N products (default 1,500) into .bench/stores/, import every
 * channel file with the real importer, align, set the store's assortment rules, detect gaps, and score against the
 * store's truth: pairwise precision / recall / F1 over record pairs and per channel pair, blocking recall, gap
 * precision / recall per kind, seconds per phase. `--examples K` adds K missed and K wrong pairs and the evaluator's
 * gap examples per kind.
 */
import type Database from 'better-sqlite3';
import { mkdirSync, rmSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { alignWorkspace } from '../core/align/alignWorkspace.js';
import { readTruthClusters } from '../core/align/truth.js';
import { openWorkspace } from '../core/store/workspace.js';
import { generateStore } from '../fixtures/generator/index.js';
import { generateIndependentStore } from '../fixtures/storegen/index.js';
import { channelPairScores, readAlignedRecords, type AlignedRecords } from './channelPairs.js';
import {
  gapScoresJson,
  importStore,
  pairwiseJson,
  round,
  scoreGaps,
  type StoreChannelFile,
} from './storeWorkspace.js';

const GENERATORS = ['fixtures', 'independent'] as const;
type Generator = (typeof GENERATORS)[number];
const CHANNELS = ['shopify', 'woocommerce', 'google'] as const;

const log = (m: string): void => void process.stderr.write(`[bench stores] ${m}\n`);

export async function storesBench(argv: string[]): Promise<unknown> {
  const { values } = parseArgs({
    args: argv,
    options: {
      products: { type: 'string' },
      seed: { type: 'string' },
      generator: { type: 'string' },
      examples: { type: 'string' },
    },
    allowPositionals: true,
  });
  const products = Number(values.products ?? 1500);
  const seed = Number(values.seed ?? 42);
  const examples = Number(values.examples ?? 0);
  if (!Number.isInteger(products) || products < 1)
    throw new Error('--products takes a positive whole number');
  if (!Number.isInteger(examples) || examples < 0) throw new Error('--examples takes a whole number');
  const gen = values.generator;
  if (gen !== undefined && !(GENERATORS as readonly string[]).includes(gen))
    throw new Error(`--generator takes ${GENERATORS.join(' or ')}`);
  const which: Generator[] = gen === undefined ? [...GENERATORS] : [gen as Generator];
  const generators: Record<string, unknown> = {};
  for (const g of which) generators[g] = await benchOne(g, products, seed, examples);
  return {
    products,
    seed,
    machine: { cpus: cpus().length, loadavg: loadavg().map((v) => round(v)) },
    generators,
  };
}

async function generate(
  g: Generator,
  outDir: string,
  products: number,
  seed: number,
): Promise<{ channels: StoreChannelFile[]; truthPath: string }> {
  if (g === 'fixtures') {
    const s = await generateStore({ outDir, products, seed, channels: [...CHANNELS] });
    return { channels: s.channels, truthPath: s.truthPath };
  }
  const s = await generateIndependentStore({ outDir, products, seed, channels: [...CHANNELS] });
  return { channels: s.channels, truthPath: s.truthPath };
}

async function benchOne(g: Generator, products: number, seed: number, examples: number): Promise<unknown> {
  const dir = resolve('.bench/stores', `${g}-p${products}-s${seed}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const storeDir = join(dir, 'store');
  const ws = join(dir, 'bench.concord');
  const started = performance.now();

  log(`${g}: generating ${products.toLocaleString('en-US')} products`);
  let t = performance.now();
  const store = await generate(g, storeDir, products, seed);
  const generateSeconds = (performance.now() - t) / 1000;

  openWorkspace(ws, { create: true }).close();
  const imported = await importStore(ws, store.channels, (m) => log(`${g}: ${m}`));

  log(`${g}: aligning`);
  const truth = await readTruthClusters(store.truthPath);
  t = performance.now();
  let phase = '';
  const outcome = await alignWorkspace(ws, {
    truth,
    onProgress: (p) => {
      if (p.phase !== phase) log(`${g}: ${p.phase}: ${p.message}`);
      phase = p.phase;
    },
  });
  const alignSeconds = (performance.now() - t) / 1000;
  const w = openWorkspace(ws);
  const aligned = readAlignedRecords(w.db, truth);
  const pairExamples = examples > 0 ? alignmentExamples(w.db, aligned, examples) : undefined;
  w.close();
  const perPair = channelPairScores(aligned.predicted, aligned.truth, aligned.channel, aligned.channelNames);

  const scored = await scoreGaps(ws, storeDir, (m) => log(`${g}: ${m}`));
  return {
    store: {
      dir,
      channels: store.channels.map((c) => c.name),
      records: imported.records,
      importWarnings: imported.warnings,
      clusters: truth.length,
    },
    seconds: {
      generate: round(generateSeconds),
      import: round(imported.seconds),
      align: round(alignSeconds),
      gaps: scored.detect.seconds,
      total: round((performance.now() - started) / 1000),
    },
    pairwise: outcome.truth ? pairwiseJson(outcome.truth) : null,
    blockingRecall: outcome.blocking.recall === null ? null : round(outcome.blocking.recall, 5),
    channelPairs: perPair.map((s) => ({
      channels: s.channels.join('~'),
      truePairs: s.truePairs,
      predictedPairs: s.predictedPairs,
      precision: round(s.precision, 4),
      recall: round(s.recall, 4),
    })),
    gaps: gapScoresJson(scored.evaluation),
    ...(examples > 0 ? { examples: { alignment: pairExamples, gaps: scored.evaluation.examples } } : {}),
  };
}

interface RecordView {
  channel: string;
  recordId: string;
  title: string | null;
}

/** Up to `k` true pairs alignment split and `k` pairs it joined wrongly, with the records' titles. */
function alignmentExamples(
  db: Database.Database,
  a: AlignedRecords,
  k: number,
): { missed: [RecordView, RecordView][]; wrong: [RecordView, RecordView][] } {
  const title = db.prepare('SELECT title FROM records WHERE id = ?').pluck();
  const view = (i: number): RecordView => ({
    channel: a.channelNames[a.channel[i]],
    recordId: a.recordIds[i],
    title: title.get(a.ids[i]) as string | null,
  });
  const byTruth = new Map<number, number[]>();
  const byPred = new Map<number, number[]>();
  a.truth.forEach((t, i) => {
    if (t < 0) return;
    byTruth.set(t, [...(byTruth.get(t) ?? []), i]);
    byPred.set(a.predicted[i], [...(byPred.get(a.predicted[i]) ?? []), i]);
  });
  const missed: [RecordView, RecordView][] = [];
  for (const members of byTruth.values()) {
    for (let x = 0; x < members.length && missed.length < k; x++)
      for (let y = x + 1; y < members.length && missed.length < k; y++)
        if (a.predicted[members[x]] !== a.predicted[members[y]])
          missed.push([view(members[x]), view(members[y])]);
    if (missed.length >= k) break;
  }
  const wrong: [RecordView, RecordView][] = [];
  for (const members of byPred.values()) {
    for (let x = 0; x < members.length && wrong.length < k; x++)
      for (let y = x + 1; y < members.length && wrong.length < k; y++)
        if (a.truth[members[x]] !== a.truth[members[y]]) wrong.push([view(members[x]), view(members[y])]);
    if (wrong.length >= k) break;
  }
  return { missed, wrong };
}
