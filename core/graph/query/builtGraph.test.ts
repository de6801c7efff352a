/**
 * The queries and exports on a graph the real build made: a generated store with users and interactions, imported,
 * aligned, gaps detected, graph built (core/graph/build.ts). Checks what holds whatever the generator drew.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateInteractions } from '../../../fixtures/generator/interactions.js';
import { alignWorkspace } from '../../align/alignWorkspace.js';
import type { HandlerContext } from '../../app/context.js';
import { WorkspaceSession } from '../../app/session.js';
import { detectWorkspaceGaps } from '../../consistency/runGaps.js';
import { importFile } from '../../ingest/importFile.js';
import { JobRunner } from '../../jobs/jobRunner.js';
import { dispatchClient } from '../../test-support/dispatchClient.js';
import { importGeneratedStore } from '../../test-support/generatedStore.js';
import { buildGraph } from '../build.js';
import { explainPath } from './paths.js';

const ctx: HandlerContext = { mode: 'test', session: new WorkspaceSession(), jobs: new JobRunner() };
const call = dispatchClient(ctx);
const dir = mkdtempSync(join(tmpdir(), 'concord-graph-built-'));
const ws = join(dir, 'shop.concord');

beforeAll(async () => {
  const store = await importGeneratedStore(ws, {
    outDir: join(dir, 'store'),
    products: 150,
    seed: 'graph-query',
  });
  const interactions = await generateInteractions({ store, users: 60 });
  for (const f of interactions.files)
    await importFile({
      workspace: ws,
      file: join(interactions.outDir, f.file),
      channel: f.channel,
      kind: 'interactions',
    });
  await alignWorkspace(ws);
  await detectWorkspaceGaps(ws);
  await buildGraph(ws);
  await call('workspace.open', { path: ws });
}, 240_000);

describe('queries on a built graph', () => {
  it('searches a product by its title and shows its offers on every channel', async () => {
    const {
      nodes: [first],
    } = await call('graph.query', { start: { type: 'product' }, limit: 1 });
    expect(first.type).toBe('product');
    const words = first.label.split(/\s+/).slice(0, 2).join(' ');
    const found = await call('graph.search', { text: words, types: ['product'], limit: 50 });
    expect(found.map((n) => n.key)).toContain(first.key);
    const around = await call('graph.neighbourhood', { key: first.key, edgeTypes: ['offered_as'] });
    const offers = around.nodes.filter((n) => n.type === 'offer');
    expect(offers.length).toBeGreaterThan(0);
    expect(new Set(offers.map((o) => o.props.channel)).size).toBe(offers.length);
  });

  it('explains two products of one brand, and users who bought one product and later another', async () => {
    const brands = await call('graph.query', { start: { type: 'brand' }, limit: 100 });
    const ofBrand = async (key: string) =>
      (
        await call('graph.neighbourhood', { key, edgeTypes: ['has_brand'], nodeTypes: ['product'], limit: 3 })
      ).nodes.slice(1);
    let pair: { brand: string; a: string; b: string; words: string } | null = null;
    for (const brand of brands.nodes) {
      const [a, b] = await ofBrand(brand.key);
      if (b === undefined) continue;
      pair = {
        brand: brand.key,
        a: a.key,
        b: b.key,
        words: `${a.label} has brand ${brand.label}, which is the brand of ${b.label}`,
      };
      break;
    }
    expect(pair).not.toBeNull();
    const paths = explainPath(ctx.session.requireDb(), pair!.a, pair!.b, 3);
    expect(paths.map((p) => p.words)).toContain(pair!.words);

    const repeat = await call('graph.query', {
      start: { type: 'user' },
      hops: [
        { edge: 'interacted', where: [{ prop: 'event', op: 'eq', value: 'purchase' }] },
        { from: 0, edge: 'interacted', after: 1, where: [{ prop: 'event', op: 'eq', value: 'purchase' }] },
      ],
    });
    expect(repeat.nodes.length).toBeGreaterThan(0);
    expect(repeat.nodes.every((n) => n.type === 'user')).toBe(true);
  });

  it('exports the built graph to Neo4j CSVs whose counts match graph.stats', async () => {
    const stats = (await call('graph.stats', {}))!;
    const out = join(dir, 'neo4j');
    const result = await call('graph.export', { format: 'neo4j', out });
    const totalNodes = Object.values(stats.nodes).reduce((s, n) => s + n, 0);
    const totalEdges = Object.values(stats.edges).reduce((s, n) => s + n, 0);
    expect(result).toMatchObject({ nodes: totalNodes, edges: totalEdges });
    let rows = 0;
    for (const file of result.files.filter((f) => f.endsWith('.csv'))) {
      const [header, ...body] = parseCsv(readFileSync(file, 'utf8')) as string[][];
      expect(header.some((h) => h === 'key:ID' || h === ':START_ID')).toBe(true);
      rows += body.length;
    }
    expect(rows).toBe(totalNodes + totalEdges);
  });
});
