/**
 * The Gaps page's tools over a small generated store: facet counts (each filter's values counted under the other
 * filters, checked against the table's own totals), the grade filter behind the quality grades, and a channel's
 * own category values for the mapping picker.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { alignWorkspace } from '../align/alignWorkspace.js';
import { GAP_KINDS, GAP_STATUSES, type GapFilter } from '../api/contract.js';
import type { HandlerContext } from '../app/context.js';
import { dispatchClient } from '../test-support/dispatchClient.js';
import { WorkspaceSession } from '../app/session.js';
import { JobRunner } from '../jobs/jobRunner.js';
import { importGeneratedStore } from '../test-support/generatedStore.js';

const ctx: HandlerContext = { mode: 'test', session: new WorkspaceSession(), jobs: new JobRunner() };
const call = dispatchClient(ctx);

async function total(filter: GapFilter): Promise<number> {
  return (await call('gaps.list', { filter, limit: 1 })).total;
}

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'concord-gap-tools-'));
  const ws = join(dir, 'shop.concord');
  await importGeneratedStore(ws, { outDir: join(dir, 'store'), products: 150, seed: 'gap-tools' });
  await alignWorkspace(ws);
  await call('workspace.open', { path: ws });
  const { jobId } = await call('gaps.detect', {});
  expect((await ctx.jobs.wait(jobId)).status).toBe('done');
  // Some gaps of other statuses, so the status facet has more than one value.
  const some = await call('gaps.list', { filter: { kinds: ['missing_in_channel'] }, limit: 5 });
  await call('gaps.setStatus', { ids: some.rows.map((r) => r.id), status: 'accepted' });
}, 120_000);

describe('gap facets', () => {
  it('count each value as the table lists it, under the other filters', { timeout: 60_000 }, async () => {
    const all = await call('gaps.facets', {});
    const channels = Object.keys(all.channels);
    expect(channels.length).toBeGreaterThan(1);
    expect(Object.keys(all.statuses)).toEqual(expect.arrayContaining(['open', 'accepted']));
    // With one channel chosen: every kind's count is that channel's table for that kind; the channel facet still
    // counts every channel (choosing another one is what it shows).
    const channel = channels[1];
    const filter: GapFilter = { channels: [channel], statuses: ['open'] };
    const facets = await call('gaps.facets', { filter });
    expect(facets.channels).toEqual((await call('gaps.facets', { filter: { statuses: ['open'] } })).channels);
    for (const c of channels) expect(facets.channels[c] ?? 0).toBe(await total({ ...filter, channels: [c] }));
    let kinds = 0;
    for (const k of GAP_KINDS) {
      const n = facets.kinds[k] ?? 0;
      expect(n, k).toBe(await total({ ...filter, kinds: [k] }));
      kinds += n;
    }
    expect(kinds).toBe(await total(filter));
    for (const s of ['high', 'medium', 'low'] as const)
      expect(facets.severities[s] ?? 0).toBe(await total({ ...filter, severities: [s] }));
    for (const s of GAP_STATUSES)
      expect(facets.statuses[s] ?? 0).toBe(await total({ ...filter, statuses: [s] }));
    for (const g of ['A', 'B', 'C', 'D', 'E'] as const)
      expect(facets.grades[g] ?? 0).toBe(await total({ ...filter, grades: [g] }));
    // A text search narrows every facet.
    const probe = (await call('gaps.list', { filter, limit: 1 })).rows[0];
    const searched = await call('gaps.facets', { filter: { ...filter, query: probe.productId } });
    expect(searched.channels[channel]).toBe(await total({ ...filter, query: probe.productId }));
  });

  it('filter by quality grade: the products behind a grade', async () => {
    const summary = (await call('gaps.summary', {}))!;
    const grade = (['E', 'D', 'C', 'B', 'A'] as const).find((g) => (summary.grades[g] ?? 0) > 0)!;
    const listed = await call('gaps.list', { filter: { grades: [grade] }, limit: 1000 });
    expect(listed.total).toBeGreaterThan(0);
    for (const clusterId of new Set(listed.rows.map((r) => r.clusterId)))
      expect((await call('gaps.product', { clusterId })).grade).toBe(grade);
    expect(await total({ grades: [] })).toBe(0);
  });
});

describe('a channel’s own categories', () => {
  it('lists them from its records, searched and capped, and pins one the mapping had not learned', async () => {
    const channel = 'woocommerce';
    const db = ctx.session.requireDb();
    const inRecords = db
      .prepare(
        `SELECT category, count(*) AS n FROM records WHERE channel = ? AND category IS NOT NULL AND category != '' GROUP BY category`,
      )
      .all(channel) as { category: string; n: number }[];
    const all = await call('categories.values', { channel, limit: 1000 });
    expect(all.total).toBe(inRecords.length);
    expect(new Map(all.values.map((v) => [v.category, v.records]))).toEqual(
      new Map(inRecords.map((r) => [r.category, r.n])),
    );
    expect(all.values.map((v) => v.records)).toEqual(
      [...all.values.map((v) => v.records)].sort((a, b) => b - a),
    );
    expect(all.references.length).toBeGreaterThan(0);
    const learned = new Map((await call('categories.map', { channel })).map((m) => [m.category, m.mapsTo]));
    for (const v of all.values) if (learned.has(v.category)) expect(v.mapsTo).toBe(learned.get(v.category));

    const word = all.values[0].category.split(' > ').at(-1)!.toLowerCase();
    const searched = await call('categories.values', { channel, query: word.toUpperCase(), limit: 2 });
    const matching = all.values.filter((v) => v.category.toLowerCase().includes(word));
    expect(searched.total).toBe(matching.length);
    expect(searched.values.length).toBe(Math.min(2, matching.length));

    // A category no matched product is filed under (not in the learned mapping) can be pinned all the same.
    const unlearned = all.values.find((v) => !learned.has(v.category));
    const target = unlearned ?? all.values[0];
    const pinned = await call('categories.setMapping', {
      channel,
      category: target.category,
      mapsTo: all.references[0],
    });
    expect(pinned).toMatchObject({ source: 'user', mapsTo: all.references[0] });
    const after = await call('categories.values', { channel, query: target.category, limit: 5 });
    expect(after.values.find((v) => v.category === target.category)).toMatchObject({
      mapsTo: all.references[0],
      source: 'user',
    });
    await expect(
      call('categories.setMapping', { channel, category: 'No Such > Category', mapsTo: null }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('rules.check', () => {
  const good = {
    name: 'feed exclusions',
    when: { channel: 'shopify', field: 'tags', op: 'contains', value: 'no-feed' },
    notExpectedIn: ['google'],
  };
  const problem = async (rules: unknown) => (await call('rules.check', { rules })).problem;

  it('names the rule and the field of the first problem, as rules.set refuses it, and stores nothing', async () => {
    const before = await call('rules.get', {});
    expect(await problem([good])).toBeNull();
    expect(await problem([good, { ...good, name: 'b', when: { ...good.when, op: 'near' } }])).toMatchObject({
      index: 1,
      field: 'when.op',
      message: expect.stringContaining('unknown op "near"'),
    });
    expect(await problem([{ ...good, when: { ...good.when, op: 'matches', value: '(' } }])).toMatchObject({
      index: 0,
      field: 'when.value',
    });
    expect(await problem([{ ...good, onlyIn: ['google'] }])).toMatchObject({ index: 0, field: 'onlyIn' });
    expect(await problem([good, good])).toMatchObject({ index: 1, field: 'name' });
    expect(await problem({})).toMatchObject({ index: -1, field: '' });
    await expect(call('rules.set', { rules: [good, good] })).rejects.toMatchObject({
      code: 'BAD_INPUT',
      details: { index: 1, field: 'name' },
    });
    expect(await call('rules.get', {})).toEqual(before);
  });
});
