/**
 * `npm run bench -- encoder [--records N] [--queries N] [--batch N] [--seed N]`: the built-in encoder end to end
 * on synthetic multi-channel product titles (core/embed/synthetic.ts):
 * training time, ONNX inference throughput through onnxruntime on CPU (wall and CPU time, one and two intra-op
 * threads), TypeScript-vs-ORT max abs difference, ANN (usearch HNSW) build/query time and recall@10 against
 * brute force over all N embeddings. The machine is shared: CPU seconds are reported beside wall seconds.
 */
import { exportEncoder } from '../models/encoder/graph.js';
import { makeManifest } from '../models/encoder/manifest.js';
import { checkModel } from '../models/onnx/checker.js';
import { decodeModel } from '../models/onnx/proto.js';
import { createAnnIndex, exactSearch, recallAtK, recallAtKByScore } from '../core/embed/ann.js';
import { noisyView } from '../core/embed/augment.js';
import { DEFAULT_ENCODER, encodeTexts } from '../core/embed/encoder.js';
import { featurizeBatch } from '../core/embed/featurize.js';
import { Rng } from '../core/embed/rng.js';
import { EncoderRuntime } from '../core/embed/runtime.js';
import { describeChoice } from '../core/embed/session.js';
import { syntheticProducts } from '../core/embed/synthetic.js';
import { evaluateEncoder, trainEncoder } from '../core/embed/train.js';
import { benchOptions } from './options.js';

function log(msg: string): void {
  process.stderr.write(`[encoder] ${msg}\n`);
}

/** Wall and process CPU seconds (all threads) of `fn`. */
async function timed<T>(fn: () => Promise<T> | T): Promise<{ value: T; wall: number; cpu: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await fn();
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  return { value, wall, cpu: (c.user + c.system) / 1e6 };
}

const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;

export async function encoderBench(argv: string[]): Promise<unknown> {
  const {
    records: N,
    queries: Q,
    batch: batchSize,
    seed,
  } = benchOptions(argv, { records: 100_000, queries: 1000, batch: 1024, seed: 1 });

  // ---- data: products listed on 3 channels; channels 1-2 share a valid GTIN (known pairs), channel 3 does not
  const products = syntheticProducts(Math.ceil(N / 3), seed, 3);
  const texts = products.flatMap((p) => p.titles).slice(0, N);
  const groups = products.flatMap((_, i) => [i, i, -1]).slice(0, N);
  const truth = products.flatMap((_, i) => [i, i, i]).slice(0, N);
  log(`${texts.length} titles from ${products.length} products`);

  // ---- training
  const config = DEFAULT_ENCODER;
  const train = await timed(() =>
    trainEncoder(
      { texts, groups },
      {
        config,
        seed,
        onProgress: (p) => {
          if (p.phase === 'train' && p.done % 100 === 0) log(`train ${p.done}/${p.total} ${p.message}`);
        },
      },
    ),
  );
  const r = train.value;
  log(
    `trained in ${train.wall.toFixed(1)} s (${train.cpu.toFixed(1)} CPU s), loss ${r.firstLoss.toFixed(3)} -> ${r.lastLoss.toFixed(3)}`,
  );
  const hidden = evaluateEncoder(r.weights, { texts, groups: truth }, 2000, seed + 5);

  // ---- export
  const manifest = makeManifest({
    name: 'bench',
    version: 1,
    dim: config.dim,
    outDim: config.outDim,
    featurizer: config.featurizer,
  });
  const exp = await timed(() => exportEncoder(r.weights, manifest));
  const bytes = exp.value;
  const problems = checkModel(decodeModel(bytes));

  // ---- inference through ORT on CPU
  const featurizeOnly = await timed(() => {
    for (let s = 0; s < texts.length; s += batchSize)
      featurizeBatch(texts.slice(s, s + batchSize), config.featurizer);
  });
  const inference: Record<string, unknown> = {};
  let embeddings: Float32Array = new Float32Array(0);
  let provider = '';
  for (const threads of [1, 2]) {
    const rt = await EncoderRuntime.open(bytes, { providers: ['cpu'], intraOpThreads: threads });
    provider = describeChoice(rt.choice);
    await rt.embed(texts.slice(0, batchSize)); // warm-up
    const run = await timed(() => rt.embed(texts, { batchSize }));
    if (threads === 1) embeddings = run.value;
    inference[threads === 1 ? 'oneThread' : 'twoThreads'] = {
      titlesPerSecond: Math.round(texts.length / run.wall),
      titlesPerCpuSecond: Math.round(texts.length / run.cpu),
      wallSeconds: round(run.wall),
      cpuSeconds: round(run.cpu),
    };
    log(`ORT ${threads} thread(s): ${Math.round(texts.length / run.wall)} titles/s`);
    await rt.close();
  }

  // ---- parity
  const P = Math.min(5000, texts.length);
  const ts = encodeTexts(r.weights, texts.slice(0, P));
  let maxDiff = 0;
  for (let i = 0; i < ts.length; i++) maxDiff = Math.max(maxDiff, Math.abs(ts[i] - embeddings[i]));

  // ---- ANN over all embeddings; queries: embeddings of noisy views of random titles
  const E = config.outDim;
  const keys = Array.from({ length: texts.length }, (_, i) => i);
  const rng = new Rng(seed + 9);
  const qTitles = Array.from({ length: Q }, () => noisyView(texts[rng.int(texts.length)], rng));
  const rtq = await EncoderRuntime.open(bytes, { providers: ['cpu'] });
  const queries = await rtq.embed(qTitles);
  await rtq.close();
  const index = createAnnIndex({ dims: E });
  const build = await timed(() => index.add(keys, embeddings));
  const search = await timed(() => index.search(queries, 10));
  const brute = await timed(() => exactSearch(embeddings, keys, E, queries, 10));
  const recall = recallAtK(search.value, brute.value);
  const recallByScore = recallAtKByScore(search.value, brute.value);
  const distinct = new Set<string>();
  for (let i = 0; i < texts.length; i++)
    distinct.add(Buffer.from(embeddings.buffer, embeddings.byteOffset + i * E * 4, E * 4).toString('base64'));
  log(`ANN build ${build.wall.toFixed(1)} s, recall@10 ${recall.toFixed(4)}`);

  return {
    records: texts.length,
    products: products.length,
    config: {
      dim: config.dim,
      outDim: config.outDim,
      buckets: config.featurizer.buckets,
      maxFeatures: config.featurizer.maxFeatures,
    },
    training: {
      wallSeconds: round(train.wall, 1),
      cpuSeconds: round(train.cpu, 1),
      steps: r.steps,
      epochs: r.epochs,
      batchSize: r.options.batchSize,
      firstLoss: round(r.firstLoss),
      lastLoss: round(r.lastLoss),
      before: r.before,
      after: r.after,
      /** Retrieval of same-product records including the channel whose pairs training never saw. */
      hiddenTruth: hidden,
    },
    export: { bytes: bytes.length, seconds: round(exp.wall), checkerProblems: problems },
    inference: {
      provider,
      batchSize,
      ...inference,
      featurizeOnlyTitlesPerSecond: Math.round(texts.length / featurizeOnly.wall),
      targetTitlesPerSecond: 5000,
    },
    parity: { rows: P, maxAbsDiffTsVsOrt: maxDiff, bound: 1e-5 },
    ann: {
      kind: index.kind,
      vectors: index.size(),
      distinctVectors: distinct.size,
      queries: Q,
      buildSeconds: round(build.wall, 2),
      buildCpuSeconds: round(build.cpu, 2),
      searchMsPerQuery: round((search.wall * 1000) / Q, 4),
      bruteForceMsPerQuery: round((brute.wall * 1000) / Q, 3),
      /** Share of brute force's top-10 keys found (duplicates come back in brute force's order). */
      recallAt10: round(recall, 4),
      /** ann-benchmarks' definition: results scoring at least the exact 10th score count. */
      recallAt10ByScore: round(recallByScore, 4),
    },
  };
}
