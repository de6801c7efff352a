/**
 * The graph build on a real aligned workspace: a generated store of three channels with generated interactions,
 * imported, aligned and gap-detected as a user would, then built; the counts checked against the store's tables,
 * and an incremental build after re-importing one channel checked against a full build of the same store.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateInteractions, generateStore } from '../../fixtures/generator/index.js';
import type { GeneratedStore } from '../../fixtures/generator/types.js';
import { alignWorkspace } from '../align/alignWorkspace.js';
import { detectWorkspaceGaps } from '../consistency/runGaps.js';
import { importFile } from '../ingest/importFile.js';
import { openWorkspace } from '../store/workspace.js';
import { useSuiteTempDir } from '../test-support/tmp.js';
import { buildGraph, latestGraphStats } from './build.js';

/** Runs `fn` on a connection of the workspace and closes it. */
function read<T>(ws: string, fn: (db: ReturnType<typeof openWorkspace>['db']) => T): T {
  const w = openWorkspace(ws);
  try {
    return fn(w.db);
  } finally {
    w.close();
  }
}

const count = (ws: string, sql: string, ...args: unknown[]): number =>
  read(
    ws,
    (db) =>
      db
        .prepare(sql)
        .pluck()
        .get(...args) as number,
  );

/** The whole graph by keys (ids differ between builds): nodes and edges, sorted. */
function dump(ws: string): { nodes: string[]; edges: string[]; search: string } {
  return read(ws, (db) => ({
    nodes: (
      db
        .prepare(`SELECT key, type, label, json_remove(props, '$.pagerank', '$.community') FROM graph_nodes`)
        .raw(true)
        .all() as string[][]
    )
      .map((r) => r.join('\t'))
      .sort(),
    edges: (
      db
        .prepare(
          `SELECT s.key, d.key, e.type, coalesce(e.props, '') FROM graph_edges e
           JOIN graph_nodes s ON s.id = e.src JOIN graph_nodes d ON d.id = e.dst`,
        )
        .raw(true)
        .all() as string[][]
    )
      .map((r) => r.join('\t'))
      .sort(),
    search: (db.prepare('SELECT count(*) FROM graph_search').pluck().get() as number).toString(),
  }));
}

/** What one dump has that the other has not (lines cut short, so that a failure stays readable). */
function difference(
  a: ReturnType<typeof dump>,
  b: ReturnType<typeof dump>,
): Record<keyof ReturnType<typeof dump>, string[]> {
  const side = (x: string[], y: string[]): string[] => {
    const other = new Set(y);
    return x.filter((l) => !other.has(l)).map((l) => l.slice(0, 160));
  };
  return {
    nodes: [...side(a.nodes, b.nodes).map((l) => `+ ${l}`), ...side(b.nodes, a.nodes).map((l) => `- ${l}`)],
    edges: [...side(a.edges, b.edges).map((l) => `+ ${l}`), ...side(b.edges, a.edges).map((l) => `- ${l}`)],
    search: a.search === b.search ? [] : [`${a.search} vs ${b.search}`],
  };
}

describe('graph build', () => {
  const dir = useSuiteTempDir('concord-graph-');
  let ws = '';
  let store: GeneratedStore;

  beforeAll(async () => {
    store = await generateStore({
      outDir: join(dir(), 'store'),
      products: 120,
      seed: 15,
      channels: ['shopify', 'woocommerce', 'google'],
    });
    ws = join(dir(), 'graph.concord');
    openWorkspace(ws, { create: true }).close();
    for (const c of store.channels) await importFile({ workspace: ws, file: c.path, channel: c.name });
    const interactions = await generateInteractions({ store, outDir: join(dir(), 'interactions') });
    for (const f of interactions.files)
      await importFile({ workspace: ws, file: f.path, channel: f.channel, kind: 'interactions' });
    await alignWorkspace(ws);
    await detectWorkspaceGaps(ws);
    await buildGraph(ws, { full: true });
  }, 120_000);

  it('has an offer per channel record, a product node per product, and the edges that link them', () => {
    const stats = read(ws, (db) => latestGraphStats(db))!;
    const records = count(
      ws,
      `SELECT count(*) FROM records r JOIN sources s ON s.id = r.source_id WHERE s.kind = 'products'`,
    );
    const products = count(
      ws,
      'SELECT count(DISTINCT coalesce(p.product_id, c.cluster_id)) FROM clusters c LEFT JOIN products p ON p.cluster_id = c.cluster_id',
    );
    expect(records).toBeGreaterThan(200);
    expect(
      count(
        ws,
        `SELECT count(*) FROM graph_nodes WHERE type = 'offer' AND json_extract(props, '$.unknown') IS NULL`,
      ),
    ).toBe(records);
    expect(stats.nodes.product).toBe(products);
    expect(stats.edges.offered_as).toBe(records);
    expect(stats.edges.listed_on).toBe(records);
    expect(stats.nodes.channel).toBe(3);
    expect(stats.edges.in_category).toBe(count(ws, `SELECT count(*) FROM records WHERE category <> ''`));
    // Every offer of the catalog belongs to exactly one product.
    expect(
      count(
        ws,
        `SELECT count(*) FROM graph_nodes o WHERE o.type = 'offer' AND json_extract(o.props, '$.unknown') IS NULL
                 AND (SELECT count(*) FROM graph_edges e WHERE e.dst = o.id AND e.type = 'offered_as') <> 1`,
      ),
    ).toBe(0);
  });

  it('merges the spellings of a brand into one node with them as aliases, searchable', () => {
    // One brand node per brand a product has (by its normalized key), however many spellings the records use.
    const brands = count(ws, `SELECT count(*) FROM graph_nodes WHERE type = 'brand'`);
    expect(brands).toBeGreaterThan(10);
    expect(brands).toBeLessThanOrEqual(count(ws, 'SELECT count(DISTINCT brand_key) FROM records'));
    expect(count(ws, `SELECT count(DISTINCT dst) FROM graph_edges WHERE type = 'has_brand'`)).toBe(brands);
    const spelled = read(
      ws,
      (db) =>
        db
          .prepare(
            `SELECT brand_key, group_concat(DISTINCT brand) FROM records WHERE brand_key IS NOT NULL
               AND 'brand:' || brand_key IN (SELECT key FROM graph_nodes)
             GROUP BY brand_key HAVING count(DISTINCT brand) > 2 ORDER BY brand_key LIMIT 1`,
          )
          .raw(true)
          .get() as [string, string],
    );
    expect(spelled).toBeDefined();
    const [key, spellings] = spelled;
    const node = read(
      ws,
      (db) =>
        db.prepare(`SELECT id, props FROM graph_nodes WHERE key = ?`).get(`brand:${key}`) as {
          id: number;
          props: string;
        },
    );
    const aliases = (JSON.parse(node.props) as { aliases: string[] }).aliases;
    expect(aliases.sort()).toEqual(spellings.split(',').sort());
    const upper = aliases.find((a) => a === a.toUpperCase() && a !== a.toLowerCase()) ?? aliases[0];
    const hits = read(
      ws,
      (db) =>
        db
          .prepare('SELECT rowid FROM graph_search WHERE aliases MATCH ?')
          .pluck()
          .all(`"${upper}"`) as number[],
    );
    expect(hits).toContain(node.id);
  });

  it('keeps the golden-record rules as provenance: per field the golden value, its channel and every channel’s value', () => {
    const props = read(
      ws,
      (db) =>
        db
          .prepare(
            `SELECT n.props FROM graph_nodes n WHERE n.type = 'product' AND json_array_length(n.props, '$.channels') = 3 LIMIT 1`,
          )
          .pluck()
          .get() as string,
    );
    const p = JSON.parse(props) as {
      productId: number;
      provenance: Record<
        string,
        { value: unknown; channel: string; rule: string; values: Record<string, unknown> }
      >;
    };
    const golden = read(
      ws,
      (db) =>
        db
          .prepare('SELECT title, source_record FROM golden_records WHERE cluster_id = ?')
          .get(p.productId) as {
          title: string;
        },
    );
    expect(p.provenance.title.value).toBe(golden.title);
    expect(['shopify', 'woocommerce', 'google']).toContain(p.provenance.title.channel);
    expect(p.provenance.title.rule).toBeTruthy();
    expect(Object.keys(p.provenance.title.values).sort()).toEqual(['google', 'shopify', 'woocommerce']);
  });

  it('has a conflicts_with edge per open gap and an interacted edge per interaction row', () => {
    const open = count(ws, `SELECT count(*) FROM gaps WHERE status = 'open'`);
    expect(open).toBeGreaterThan(0);
    expect(count(ws, `SELECT count(*) FROM graph_edges WHERE type = 'conflicts_with'`)).toBe(open);
    expect(
      count(
        ws,
        `SELECT count(*) FROM graph_edges e JOIN gaps g ON g.id = json_extract(e.props, '$.gapId')
                 WHERE e.type = 'conflicts_with' AND g.kind = json_extract(e.props, '$.kind') AND g.status = 'open'`,
      ),
    ).toBe(open);
    const rows = count(ws, `SELECT count(*) FROM interactions WHERE coalesce(user_id, '') <> ''`);
    expect(rows).toBeGreaterThan(0);
    expect(count(ws, `SELECT count(*) FROM graph_edges WHERE type = 'interacted'`)).toBe(rows);
    expect(count(ws, `SELECT count(*) FROM graph_nodes WHERE type = 'user'`)).toBe(
      count(ws, `SELECT count(DISTINCT user_id) FROM interactions WHERE coalesce(user_id, '') <> ''`),
    );
    // An item no catalog has is an offer of its own, with no product.
    const unknown = count(
      ws,
      `SELECT count(*) FROM (SELECT DISTINCT i.channel, i.item_id FROM interactions i WHERE NOT EXISTS
         (SELECT 1 FROM records r JOIN sources s ON s.id = r.source_id
          WHERE s.kind = 'products' AND r.channel = i.channel AND r.record_id = i.item_id))`,
    );
    expect(count(ws, `SELECT count(*) FROM graph_nodes WHERE json_extract(props, '$.unknown') = 1`)).toBe(
      unknown,
    );
  });

  it('computes components, PageRank and communities with graphology and stores them', () => {
    const stats = read(ws, (db) => latestGraphStats(db))!;
    // The catalog projection: products, brands, attribute values and categories.
    const nodes = stats.nodes.product + stats.nodes.brand + stats.nodes.attribute + stats.nodes.category;
    expect(stats.algorithms.nodes).toBe(nodes);
    expect(stats.components).toBeGreaterThanOrEqual(1);
    expect(stats.largestComponent).toBeGreaterThan(nodes / 2);
    expect(stats.largestComponent).toBeLessThanOrEqual(nodes);
    expect(stats.algorithms.degree.max).toBeGreaterThan(stats.algorithms.degree.mean);
    expect(stats.algorithms.communities).toBeGreaterThan(1);
    const ranks = read(
      ws,
      (db) =>
        db
          .prepare(
            `SELECT total(json_extract(props, '$.pagerank')), count(json_extract(props, '$.community'))
           FROM graph_nodes WHERE type IN ('product', 'brand', 'attribute', 'category')`,
          )
          .raw(true)
          .get() as [number, number],
    );
    expect(ranks[0]).toBeCloseTo(1, 2);
    expect(ranks[1]).toBe(stats.algorithms.nodes);
  });

  it('rebuilds nothing when nothing changed, and after re-importing one channel only its part and what depends on it, giving the graph a full build gives', async () => {
    const again = await buildGraph(ws);
    expect(again.rebuilt).toEqual([]);
    expect(again.full).toBe(false);

    const google = store.channels.find((c) => c.name === 'google')!;
    const googleSource = (): number =>
      count(ws, `SELECT id FROM sources WHERE channel = 'google' AND kind = 'products'`);
    const before = googleSource();
    await importFile({ workspace: ws, file: google.path, channel: 'google', replace: true });
    await alignWorkspace(ws);
    await detectWorkspaceGaps(ws);
    const after = googleSource();
    expect(after).not.toBe(before);
    const incremental = await buildGraph(ws);
    expect(incremental.full).toBe(false);
    expect(incremental.rebuilt).toContain(`source:${after}`);
    expect(incremental.rebuilt.filter((p) => p.startsWith('source:'))).toEqual([`source:${after}`]);
    expect(incremental.rebuilt.filter((p) => p.startsWith('interactions:'))).toEqual([]);
    expect(count(ws, `SELECT count(*) FROM graph_nodes WHERE part = ?`, `source:${before}`)).toBe(0);
    const incrementalGraph = dump(ws);

    const full = await buildGraph(ws, { full: true });
    expect(full.full).toBe(true);
    expect(difference(dump(ws), incrementalGraph)).toEqual({ nodes: [], edges: [], search: [] });
    expect(incremental.nodes).toEqual(full.nodes);
    expect(incremental.edges).toEqual(full.edges);
  });

  it('leaves the graph as it was when cancelled', async () => {
    const before = dump(ws);
    const builds = count(ws, 'SELECT count(*) FROM graph_builds');
    const controller = new AbortController();
    const run = buildGraph(ws, {
      full: true,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.message.startsWith('Building products')) controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(dump(ws)).toEqual(before);
    expect(count(ws, 'SELECT count(*) FROM graph_builds')).toBe(builds);
  });
});
