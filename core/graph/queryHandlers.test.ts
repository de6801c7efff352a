/**
 * The graph queries through the API (dispatch, as every host calls them) on small graphs written straight into a
 * workspace's graph tables (testGraph.ts), whose every path is known: search, node, neighbourhood with paging and
 * hubs, explainPath in words, pattern queries, and the errors (unknown key, graph not built, bad query).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { HandlerContext } from '../app/context.js';
import { dispatch } from '../app/dispatch.js';
import { WorkspaceSession } from '../app/session.js';
import { JobRunner } from '../jobs/jobRunner.js';
import { dispatchClient } from '../test-support/dispatchClient.js';
import { openWorkspace } from '../store/workspace.js';
import { PatternQuerySchema } from '../api/contract.js';
import { compilePattern } from './query/pattern.js';
import { explainPath } from './query/paths.js';
import { HUB_DEGREE } from './query/neighbourhood.js';
import { shopGraph, writeTestGraph } from './testGraph.js';

const FILLER = HUB_DEGREE + 200;
const dir = mkdtempSync(join(tmpdir(), 'concord-graph-query-'));
const shop = join(dir, 'shop.concord');
const ctx: HandlerContext = { mode: 'test', session: new WorkspaceSession(), jobs: new JobRunner() };
const call = dispatchClient(ctx);

beforeAll(async () => {
  writeTestGraph(shop, shopGraph(FILLER));
  await call('workspace.open', { path: shop });
});

describe('graph.search', () => {
  it('finds nodes by label and alias prefixes, best first, with a type filter', async () => {
    const shoes = await call('graph.search', { text: 'sho', limit: 20 });
    expect(shoes.map((n) => n.key)).toEqual(
      expect.arrayContaining(['product:1', 'product:2', 'offer:shopify:SKU-1', 'channel:shopify']),
    );
    const products = await call('graph.search', { text: 'trail sho', types: ['product'], limit: 5 });
    expect(products.map((n) => n.key)).toEqual(['product:1']);
    expect(products[0].degree).toBeGreaterThan(0);
    const byAlias = await call('graph.search', { text: 'acme-co', limit: 5 });
    expect(byAlias.map((n) => n.key)).toEqual(['brand:acme']);
  });

  it('reads FTS5 syntax in the text as words', async () => {
    await expect(call('graph.search', { text: 'shoe" OR label:* NEAR(', limit: 5 })).resolves.toBeInstanceOf(
      Array,
    );
    expect(await call('graph.search', { text: '"*', limit: 5 })).toEqual([]);
  });
});

describe('graph.node', () => {
  it('returns a node with all its props and its degree', async () => {
    const node = await call('graph.node', { key: 'product:1' });
    expect(node).toMatchObject({ key: 'product:1', type: 'product', label: 'Trail Shoe' });
    expect(node.props).toMatchObject({ price: 89.5, inStock: true });
    // brand, 2 offers, similar, attribute, conflict
    expect(node.degree).toBe(6);
  });

  it('refuses an unknown key with NOT_FOUND naming it', async () => {
    await expect(call('graph.node', { key: 'product:999' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('"product:999"'),
    });
  });
});

describe('graph.neighbourhood', () => {
  it('returns depth 1 with the edges that reach each node, filtered by edge type', async () => {
    const all = await call('graph.neighbourhood', { key: 'product:1' });
    expect(all.nodes[0].key).toBe('product:1');
    // brand, two offers (the Google one also through the price gap), the similar product, the colour
    expect(all.nodes).toHaveLength(6);
    expect(all.more).toBe(0);
    const keys = new Set(all.nodes.map((n) => n.key));
    for (const e of all.edges) expect(keys.has(e.source) && keys.has(e.target)).toBe(true);
    const offers = await call('graph.neighbourhood', { key: 'product:1', edgeTypes: ['offered_as'] });
    expect(offers.nodes.map((n) => n.key).sort()).toEqual([
      'offer:google:SKU-1',
      'offer:shopify:SKU-1',
      'product:1',
    ]);
    expect(offers.edges.every((e) => e.type === 'offered_as')).toBe(true);
  });

  it('walks depth 2 with node-type filters', async () => {
    const users = await call('graph.neighbourhood', {
      key: 'product:1',
      depth: 2,
      nodeTypes: ['offer', 'user'],
    });
    expect(users.nodes.map((n) => n.key).sort()).toEqual(
      ['offer:google:SKU-1', 'offer:shopify:SKU-1', 'product:1', 'user:u1', 'user:u2'].sort(),
    );
  });

  it('pages a hub with limit, offset and more, and does not walk through hubs at depth 2', async () => {
    const first = await call('graph.neighbourhood', { key: 'channel:google', limit: 100 });
    const total = 3 + FILLER;
    expect(first.nodes).toHaveLength(100);
    expect(first.more).toBe(total + 1 - 100);
    expect(first.nodes[0].degree).toBe(total);
    const next = await call('graph.neighbourhood', { key: 'channel:google', limit: 100, offset: 100 });
    expect(next.nodes).toHaveLength(100);
    expect(next.more).toBe(total + 1 - 200);
    expect(new Set([...first.nodes, ...next.nodes].map((n) => n.key)).size).toBe(200);
    // Every node of the second page comes with the edge that reached it from the channel.
    expect(next.edges.filter((e) => e.target === 'channel:google')).toHaveLength(100);

    // From an offer, depth 2 reaches the Google hub but not its 1,200 other offers.
    const around = await call('graph.neighbourhood', { key: 'offer:google:SKU-2', depth: 2, limit: 5000 });
    const reached = around.nodes.map((n) => n.key);
    expect(reached).toContain('channel:google');
    expect(reached.some((k) => k.startsWith('offer:google:F-'))).toBe(false);
  });
});

describe('explainPath', () => {
  it('explains two products of one brand through the brand first, in words', async () => {
    const paths = await call('graph.path', { from: 'product:1', to: 'product:2', max: 3 });
    expect(paths.length).toBeGreaterThanOrEqual(2);
    const words = paths.map((p) => p.words);
    // The direct similar_to edge, then the shared brand; never first through the Google hub.
    expect(words[0]).toBe('Trail Shoe is similar to Road Shoe');
    expect(words).toContain('Trail Shoe has brand Acme, which is the brand of Road Shoe');
    expect(paths[0].nodes.map((n) => n.key)).toEqual(['product:1', 'product:2']);
    expect(new Set(words).size).toBe(words.length);
    for (const p of paths) expect(p.edges).toHaveLength(p.nodes.length - 1);
  });

  it('finds products bought by the same user, and keeps to the edge types asked for', async () => {
    const paths = explainPath(ctx.session.requireDb(), 'product:1', 'product:3', 5, {
      edgeTypes: ['offered_as', 'interacted'],
    });
    expect(paths[0].words).toBe(
      'Trail Shoe is offered as Trail Shoe (shopify), which was used by u1, which interacted with Rain Jacket (shopify), which is an offer of Rain Jacket',
    );
    for (const p of paths)
      expect(p.edges.every((e) => e.type === 'offered_as' || e.type === 'interacted')).toBe(true);
    const viaAttribute = await call('graph.path', {
      from: 'product:1',
      to: 'product:3',
      max: 1,
      edgeTypes: ['has_attribute'],
    });
    expect(viaAttribute[0].words).toBe('Trail Shoe has colour = navy, which is an attribute of Rain Jacket');
  });

  it('says nothing connects two nodes that are not connected, and names an unknown end', async () => {
    expect(
      await call('graph.path', { from: 'product:1', to: 'product:3', edgeTypes: ['similar_to'] }),
    ).toEqual([]);
    await expect(call('graph.path', { from: 'product:1', to: 'brand:nope' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('brand:nope'),
    });
  });
});

describe('graph.query', () => {
  it('finds products of a brand in a category with an open price gap on Google', async () => {
    const result = await call('graph.query', {
      start: { type: 'product' },
      hops: [
        { edge: 'has_brand', node: { type: 'brand', where: [{ prop: 'label', op: 'eq', value: 'Acme' }] } },
        { from: 0, edge: 'offered_as', node: { type: 'offer' } },
        { edge: 'in_category', node: { where: [{ prop: 'label', op: 'contains', value: 'running' }] } },
        {
          from: 0,
          edge: 'conflicts_with',
          where: [{ prop: 'kind', op: 'eq', value: 'price_mismatch' }],
          node: { where: [{ prop: 'channel', op: 'eq', value: 'google' }] },
        },
      ],
    });
    expect(result.nodes.map((n) => n.key)).toEqual(['product:1']);
    expect(result.more).toBe(0);
  });

  it('finds users who bought A and later B, not B then A', async () => {
    const boughtThenLater = (a: string, b: string) =>
      call('graph.query', {
        start: { type: 'user' },
        hops: [
          { edge: 'interacted', where: [{ prop: 'event', op: 'eq', value: 'purchase' }] },
          { edge: 'offered_as', direction: 'in', node: { where: [{ prop: 'key', op: 'eq', value: a }] } },
          { from: 0, edge: 'interacted', after: 1, where: [{ prop: 'event', op: 'eq', value: 'purchase' }] },
          { edge: 'offered_as', direction: 'in', node: { where: [{ prop: 'key', op: 'eq', value: b }] } },
        ],
      });
    expect((await boughtThenLater('product:1', 'product:3')).nodes.map((n) => n.key)).toEqual(['user:u1']);
    expect((await boughtThenLater('product:3', 'product:1')).nodes.map((n) => n.key)).toEqual(['user:u2']);
  });

  it('returns end nodes, pages with more, and filters with in / gt / ne', async () => {
    const page = await call('graph.query', {
      start: { type: 'channel', where: [{ prop: 'label', op: 'eq', value: 'google' }] },
      hops: [
        { edge: 'listed_on', direction: 'in', node: { where: [{ prop: 'price', op: 'gt', value: 100 }] } },
      ],
      return: 'end',
      limit: 50,
    });
    // Filler offers are priced 0..FILLER-1: those above 100, and the Rain Jacket's Google offer at 120.
    expect(page.nodes).toHaveLength(50);
    expect(page.more).toBe(FILLER - 101 + 1 - 50);
    const few = await call('graph.query', {
      start: {
        type: 'offer',
        where: [
          { prop: 'recordId', op: 'in', value: ['SKU-1', 'SKU-2'] },
          { prop: 'channel', op: 'ne', value: 'google' },
        ],
      },
    });
    expect(few.nodes.map((n) => n.key)).toEqual(['offer:shopify:SKU-1', 'offer:shopify:SKU-2']);
  });

  it('refuses property names that are not names, naming the field', async () => {
    await expect(
      call('graph.query', {
        start: { type: 'product', where: [{ prop: "x') OR 1=1 --", op: 'eq', value: 1 }] },
      }),
    ).rejects.toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining('start.where[0].prop') });
    await expect(
      call('graph.query', { start: { type: 'product' }, hops: [{ edge: 'has_brand', from: 2 }] }),
    ).rejects.toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining('hops[0].from') });
    await expect(
      call('graph.query', { start: { type: 'product', where: [{ prop: 'price', op: 'in', value: 3 }] } }),
    ).rejects.toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining('start.where[0].value') });
  });
});

describe('before the graph is built', () => {
  it('refuses every query with CONFLICT and the remedy to build it', async () => {
    const empty = join(dir, 'empty.concord');
    openWorkspace(empty, { create: true }).close();
    const own: HandlerContext = { mode: 'test', session: new WorkspaceSession(), jobs: new JobRunner() };
    own.session.open(empty);
    const response = await dispatch(
      { type: 'request', id: 1, method: 'graph.neighbourhood', params: { key: 'product:1' } },
      own,
    );
    expect(response).toMatchObject({
      ok: false,
      error: {
        code: 'CONFLICT',
        message: expect.stringContaining('not been built'),
        details: { remedy: { do: 'buildGraph' } },
      },
    });
    own.session.close();
  });
});

describe('pattern query plans', () => {
  it('start from a node named by key rather than from every node of the start type', () => {
    const query = PatternQuerySchema.parse({
      start: { type: 'user' },
      hops: [
        { edge: 'interacted' },
        {
          edge: 'offered_as',
          direction: 'in',
          node: { where: [{ prop: 'key', op: 'eq', value: 'product:1' }] },
        },
      ],
    });
    const { sql, params } = compilePattern(query);
    const plan = ctx.session
      .requireDb()
      .prepare(`EXPLAIN QUERY PLAN ${sql}`)
      .all(...params)
      .map((row) => (row as { detail: string }).detail);
    expect(plan[0]).toMatch(/^SEARCH n2 USING .*\(key=\?\)/);
    expect(plan.join(' | ')).not.toContain('graph_nodes_type');
  });
});
