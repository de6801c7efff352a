/**
 * Builds or updates the knowledge graph from the stored products (DESIGN.md "Knowledge graph"): each part (a
 * catalog source's offers, the products, the category mapping, each interactions source, the gaps, the similar
 * products) is built on its own and merged into the stored graph by node key; only the parts whose inputs changed
 * since the previous build are rebuilt unless `full`. One transaction: a cancelled or failed build leaves the
 * previous graph as it was.
 */
import type Database from 'better-sqlite3';
import type { GraphStats } from '../api/contract.js';
import { cancelled, ConcordError } from '../model/errors.js';
import type { ProgressListener } from '../jobs/progress.js';
import { notAligned } from '../consistency/runGaps.js';
import { productsStale } from '../store/products.js';
import { unalignedRecords } from '../store/records.js';
import { openWorkspace } from '../store/workspace.js';
import { runAlgorithms, type GraphAlgorithms } from './algorithms.js';
import { buildCatalogSource, buildChannels } from './parts/catalog.js';
import { buildCategoryMap, buildGaps, buildInteractions } from './parts/links.js';
import { buildProducts } from './parts/products.js';
import { buildSimilar } from './parts/similar.js';
import {
  behaviourPart,
  catalogPart,
  PART_CATEGORY_MAP,
  PART_CHANNELS,
  PART_GAPS,
  PART_PRODUCTS,
  PART_SIMILAR,
  planParts,
} from './parts.js';
import { GraphStore, type PartWriter } from './store.js';

export interface BuildOptions {
  full?: boolean;
  signal?: AbortSignal;
  onProgress?: ProgressListener;
}

/** What graph_builds.stats holds: graph.stats' fields and the algorithms' findings, the parts rebuilt and their times. */
export interface StoredBuildStats extends GraphStats {
  algorithms: GraphAlgorithms;
  rebuilt: string[];
  partMs: Record<string, number>;
}

/** Refuses a store without products to build from (exit code 2 on the CLI; nothing is written). */
export function requireAligned(db: Database.Database): void {
  const clusters = db.prepare('SELECT EXISTS (SELECT 1 FROM clusters)').pluck().get() === 1;
  if (!clusters || unalignedRecords(db) || productsStale(db)) throw notAligned();
}

function previousParts(db: Database.Database): Map<string, string> {
  const row = db.prepare('SELECT parts FROM graph_builds ORDER BY id DESC LIMIT 1').pluck().get() as
    string | undefined;
  return new Map(Object.entries(row ? (JSON.parse(row) as Record<string, string>) : {}));
}

export async function buildGraph(file: string, options: BuildOptions = {}): Promise<StoredBuildStats> {
  const started = performance.now();
  const ws = openWorkspace(file, { purpose: 'graph' });
  try {
    const db = ws.db;
    requireAligned(db);
    const plan = planParts(db);
    const before = previousParts(db);
    const full = options.full === true || before.size === 0;
    const rebuilt = [...plan.parts].filter(([part, fp]) => full || before.get(part) !== fp).map(([p]) => p);
    const dropped = [...before.keys()].filter((p) => !plan.parts.has(p));
    const build = ((db.prepare('SELECT max(id) FROM graph_builds').pluck().get() as number | null) ?? 0) + 1;
    const steps = rebuilt.length + 3;
    let done = 0;
    const step = async (message: string): Promise<void> => {
      // Yields so that a cancel and the progress reach the job between parts.
      await new Promise((resolve) => setImmediate(resolve));
      if (options.signal?.aborted) throw cancelled();
      options.onProgress?.({ done: done++, total: steps, phase: 'graph', message });
    };

    const builders = partBuilders(plan, ws.blobDir);
    const partMs: Record<string, number> = {};
    const store = new GraphStore(db, build);
    db.exec('BEGIN IMMEDIATE');
    try {
      await step(full ? 'Clearing the previous graph' : `Dropping ${rebuilt.length} changed parts`);
      if (full) store.clear();
      else store.dropEdges([...rebuilt, ...dropped]);
      for (const part of rebuilt) {
        await step(`Building ${part}`);
        const t = performance.now();
        const make = builders.get(part);
        if (!make) throw new ConcordError('INTERNAL', `no builder for graph part ${part}`);
        make(store.writer(part));
        partMs[part] = Math.round(performance.now() - t);
      }
      await step('Merging: removing what the rebuilt parts no longer hold');
      if (full) store.reindex();
      store.collect(full ? [] : [...rebuilt, ...dropped]);
      store.index(full);
      await step('Components, PageRank and communities');
      const t = performance.now();
      const algorithms = runAlgorithms(db);
      partMs.algorithms = Math.round(performance.now() - t);
      const stats: StoredBuildStats = {
        ...counts(db),
        components: algorithms.components,
        largestComponent: algorithms.largestComponent,
        buildMs: Math.round(performance.now() - started),
        full,
        builtAt: new Date().toISOString(),
        algorithms,
        rebuilt,
        partMs,
      };
      db.prepare(
        'INSERT INTO graph_builds (id, started_at, finished_at, full, parts, rebuilt, stats) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ).run(
        build,
        new Date(Date.now() - stats.buildMs).toISOString(),
        stats.builtAt,
        full ? 1 : 0,
        JSON.stringify(Object.fromEntries(plan.parts)),
        JSON.stringify(rebuilt),
        JSON.stringify(stats),
      );
      db.exec('COMMIT');
      options.onProgress?.({ done: steps, total: steps, phase: 'graph', message: 'Graph built' });
      return stats;
    } catch (err) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw err;
    }
  } finally {
    ws.close();
  }
}

function partBuilders(
  plan: ReturnType<typeof planParts>,
  blobDir: string,
): Map<string, (w: PartWriter) => void> {
  const builders = new Map<string, (w: PartWriter) => void>([
    [PART_CHANNELS, buildChannels],
    [PART_PRODUCTS, buildProducts],
    [PART_CATEGORY_MAP, buildCategoryMap],
    [PART_GAPS, buildGaps],
    [PART_SIMILAR, (w) => buildSimilar(w, blobDir)],
  ]);
  for (const id of plan.catalogSources) builders.set(catalogPart(id), (w) => buildCatalogSource(w, id));
  for (const id of plan.behaviourSources) builders.set(behaviourPart(id), (w) => buildInteractions(w, id));
  return builders;
}

function counts(db: Database.Database): Pick<GraphStats, 'nodes' | 'edges'> {
  const byType = (table: string): Record<string, number> =>
    Object.fromEntries(
      db.prepare(`SELECT type, count(*) FROM ${table} GROUP BY type ORDER BY type`).raw(true).all() as [
        string,
        number,
      ][],
    );
  return { nodes: byType('graph_nodes'), edges: byType('graph_edges') };
}

/** The latest build's stats, or null before the first build. */
export function latestGraphStats(db: Database.Database): StoredBuildStats | null {
  const row = db.prepare('SELECT stats FROM graph_builds ORDER BY id DESC LIMIT 1').pluck().get() as
    string | undefined;
  return row ? (JSON.parse(row) as StoredBuildStats) : null;
}
