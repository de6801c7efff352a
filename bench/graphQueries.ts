/**
 * `npm run bench -- graph-queries [--products N] [--seed S] [--interactions M]`: the knowledge graph's queries and
 * exports on the graph-build benchmark's workspace (3 channels × N products, default 20,000, and M interactions,
 * default 200,000; built by that benchmark when missing). Reports per query the median, p95 and max over sampled
 * products, and each export's time, size and rows per second.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { PatternQuery } from '../core/api/contract.js';
import { PatternQuerySchema } from '../core/api/contract.js';
import { exportGraph } from '../core/graph/export/index.js';
import { requireGraph } from '../core/graph/query/graphReader.js';
import { neighbourhood } from '../core/graph/query/neighbourhood.js';
import { explainPathWith } from '../core/graph/query/paths.js';
import { runPattern } from '../core/graph/query/pattern.js';
import { searchNodes } from '../core/graph/query/search.js';
import { openWorkspace } from '../core/store/workspace.js';
import { graphBuildBench } from './graphBuild.js';
import { benchOptions } from './options.js';
import { round } from './storeWorkspace.js';

const log = (m: string): void => void process.stderr.write(`[bench graph-queries] ${m}\n`);
const SAMPLES = 25;

function timings(ms: number[]): { p50: number; p95: number; max: number; runs: number } {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q: number) => round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))], 2);
  return { p50: at(0.5), p95: at(0.95), max: round(sorted[sorted.length - 1], 2), runs: sorted.length };
}

function timed<T>(ms: number[], run: () => T): T {
  const t = performance.now();
  const result = run();
  ms.push(performance.now() - t);
  return result;
}

export async function graphQueriesBench(argv: string[]): Promise<unknown> {
  const { products, seed, interactions } = benchOptions(argv, {
    products: 20_000,
    seed: 42,
    interactions: 200_000,
  });
  // The graph-build benchmark's workspace: aligned, interactions imported, gaps detected, graph built.
  const ws = join(resolve('.bench/graph', `p${products}-s${seed}-i${interactions}`), 'bench.concord');
  if (!graphBuilt(ws)) {
    log('no built graph yet: running the graph-build benchmark first');
    await graphBuildBench([
      '--products',
      String(products),
      '--seed',
      String(seed),
      '--interactions',
      String(interactions),
    ]);
  }

  const workspace = openWorkspace(ws, { readonly: true });
  try {
    const reader = requireGraph(workspace.db);
    const db = workspace.db;
    const count = (type: string) =>
      db.prepare<[string], number>('SELECT count(*) FROM graph_nodes WHERE type = ?').pluck().get(type)!;
    const productIds = db
      .prepare<[], string>("SELECT key FROM graph_nodes WHERE type = 'product' ORDER BY id")
      .pluck()
      .all();
    const step = Math.max(1, Math.floor(productIds.length / SAMPLES));
    const sample = productIds.filter((_, i) => i % step === 0).slice(0, SAMPLES);

    log('neighbourhoods');
    const depth2: number[] = [];
    const depth2Nodes: number[] = [];
    for (const key of sample) {
      const sub = timed(depth2, () => neighbourhood(reader, key, { depth: 2, limit: 200, offset: 0 }));
      depth2Nodes.push(sub.nodes.length + sub.more);
    }
    const depth2Big: number[] = [];
    for (const key of sample)
      timed(depth2Big, () => neighbourhood(reader, key, { depth: 2, limit: 5000, offset: 0 }));
    const channelKey = db
      .prepare<[], string>("SELECT key FROM graph_nodes WHERE type = 'channel' LIMIT 1")
      .pluck()
      .get()!;
    const hub: number[] = [];
    for (let i = 0; i < 5; i++)
      timed(hub, () => neighbourhood(reader, channelKey, { depth: 1, limit: 200, offset: 0 }));

    log('explainPath');
    const sameBrand = db
      .prepare<[], { a: string; b: string }>(
        `SELECT pa.key AS a, pb.key AS b FROM graph_edges ea
           JOIN graph_edges eb ON eb.dst = ea.dst AND eb.type = 'has_brand' AND eb.src > ea.src
           JOIN graph_nodes pa ON pa.id = ea.src JOIN graph_nodes pb ON pb.id = eb.src
          WHERE ea.type = 'has_brand' AND ea.src IN (SELECT src FROM graph_edges WHERE type = 'has_brand' ORDER BY src LIMIT ${SAMPLES * 4})
          GROUP BY ea.src LIMIT ${SAMPLES}`,
      )
      .all();
    const pathsSameBrand: number[] = [];
    const found: number[] = [];
    for (const { a, b } of sameBrand)
      found.push(timed(pathsSameBrand, () => explainPathWith(reader, a, b, 3)).length);
    const pathsAny: number[] = [];
    let connected = 0;
    for (let i = 0; i + 1 < sample.length; i += 2) {
      if (timed(pathsAny, () => explainPathWith(reader, sample[i], sample[i + 1], 3)).length > 0) connected++;
    }
    const example = sameBrand[0]
      ? explainPathWith(reader, sameBrand[0].a, sameBrand[0].b, 3).map((p) => p.words)
      : [];

    log('pattern queries');
    const topBrand = db
      .prepare<[], string>(
        `SELECT n.label FROM graph_edges e JOIN graph_nodes n ON n.id = e.dst WHERE e.type = 'has_brand'
          GROUP BY e.dst ORDER BY count(*) DESC LIMIT 1`,
      )
      .pluck()
      .get()!;
    const gapChannel = db
      .prepare<[], string>(
        `SELECT json_extract(props, '$.channel') FROM graph_edges WHERE type = 'conflicts_with'
          AND json_extract(props, '$.kind') = 'price_mismatch' LIMIT 1`,
      )
      .pluck()
      .get();
    const brandCategoryGap = PatternQuerySchema.parse({
      start: { type: 'product' },
      hops: [
        { edge: 'has_brand', node: { where: [{ prop: 'label', op: 'eq', value: topBrand }] } },
        { from: 0, edge: 'offered_as', node: { type: 'offer' } },
        { edge: 'in_category', node: { type: 'category' } },
        {
          from: 0,
          edge: 'conflicts_with',
          where: [
            { prop: 'kind', op: 'eq', value: 'price_mismatch' },
            ...(gapChannel ? [{ prop: 'channel', op: 'eq', value: gapChannel }] : []),
          ],
        },
      ],
    });
    const mostBought = db
      .prepare<[], string>(
        `SELECT p.key FROM graph_edges i JOIN graph_edges o ON o.dst = i.dst AND o.type = 'offered_as'
           JOIN graph_nodes p ON p.id = o.src
          WHERE i.type = 'interacted' AND json_extract(i.props, '$.event') = 'purchase'
          GROUP BY p.id ORDER BY count(*) DESC LIMIT 2`,
      )
      .pluck()
      .all();
    const boughtThenLater = PatternQuerySchema.parse({
      start: { type: 'user' },
      hops: [
        { edge: 'interacted', where: [{ prop: 'event', op: 'eq', value: 'purchase' }] },
        {
          edge: 'offered_as',
          direction: 'in',
          node: { where: [{ prop: 'key', op: 'eq', value: mostBought[0] }] },
        },
        { from: 0, edge: 'interacted', after: 1, where: [{ prop: 'event', op: 'eq', value: 'purchase' }] },
        {
          edge: 'offered_as',
          direction: 'in',
          node: { where: [{ prop: 'key', op: 'eq', value: mostBought[1] }] },
        },
      ],
    });
    const pattern = (query: PatternQuery) => {
      const ms: number[] = [];
      let result = { nodes: [] as unknown[], more: 0 };
      for (let i = 0; i < 3; i++) result = timed(ms, () => runPattern(reader, query));
      return { ...timings(ms), matched: result.nodes.length + result.more };
    };
    const searchMs: number[] = [];
    for (const word of ['shoe', 'blue', 'pro', 'organic', 'cotton'])
      timed(searchMs, () => searchNodes(reader, word, { limit: 20 }));

    log('exports');
    const outDir = join(dirname(ws), 'graph-exports');
    rmSync(outDir, { recursive: true, force: true });
    mkdirSync(outDir, { recursive: true });
    const exports: Record<string, unknown> = {};
    for (const format of ['json', 'graphml', 'neo4j'] as const) {
      const out = join(outDir, format === 'neo4j' ? 'neo4j' : `graph.${format}`);
      const t = performance.now();
      const result = await exportGraph(ws, format, out);
      const seconds = (performance.now() - t) / 1000;
      const bytes =
        format === 'neo4j'
          ? readdirSync(out).reduce((s, f) => s + statSync(join(out, f)).size, 0)
          : statSync(out).size;
      exports[format] = {
        seconds: round(seconds, 2),
        MB: round(bytes / 1e6, 1),
        rowsPerSecond: Math.round((result.nodes + result.edges) / seconds),
        files: result.files.length,
      };
    }
    return {
      store: { products, seed, interactions },
      graph: {
        nodes: db.prepare<[], number>('SELECT count(*) FROM graph_nodes').pluck().get(),
        edges: db.prepare<[], number>('SELECT count(*) FROM graph_edges').pluck().get(),
        products: count('product'),
        offers: count('offer'),
        users: count('user'),
      },
      machine: { cpus: cpus().length, loadavg: loadavg().map((v) => round(v)) },
      ms: {
        neighbourhoodDepth2Limit200: { ...timings(depth2), nodesFound: timings(depth2Nodes) },
        neighbourhoodDepth2Limit5000: timings(depth2Big),
        channelHubDepth1Limit200: timings(hub),
        explainPathSameBrand: { ...timings(pathsSameBrand), pathsFound: timings(found) },
        explainPathSampledPairs: { ...timings(pathsAny), connected, pairs: pathsAny.length },
        patternBrandCategoryPriceGap: pattern(brandCategoryGap),
        patternBoughtAThenB: pattern(boughtThenLater),
        search: timings(searchMs),
      },
      examplePaths: example,
      exports,
    };
  } finally {
    workspace.close();
  }
}

function graphBuilt(ws: string): boolean {
  if (!existsSync(ws)) return false;
  const w = openWorkspace(ws, { readonly: true });
  try {
    return w.db.prepare('SELECT EXISTS (SELECT 1 FROM graph_builds)').pluck().get() === 1;
  } finally {
    w.close();
  }
}
