import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { generateStore } from '../../fixtures/generator/index.js';
import { alignHandlers } from './handlers.js';
import type { HandlerContext } from '../app/context.js';
import { WorkspaceSession } from '../app/session.js';
import { alignCommand, exportCommand } from '../cli/commands/align.js';
import { detectWorkspaceGaps } from '../consistency/runGaps.js';
import { importFile } from '../ingest/importFile.js';
import { JobRunner } from '../jobs/jobRunner.js';
import { openWorkspace } from '../store/workspace.js';
import { alignWorkspace, recluster } from './alignWorkspace.js';
import { countLabels } from './labels.js';
import { readTruthClusters, refKey, type TruthClusters } from './truth.js';

/** One generated store (3 channels × 300 products), imported once; each test aligns a copy of the workspace. */
let dir: string;
let base: string;
let truth: TruthClusters;
let distractors: { a: string; b: string }[];
let clusterIds: string[];
let copies = 0;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'concord-align-'));
  const store = await generateStore({
    outDir: join(dir, 'store'),
    products: 300,
    seed: 11,
    channels: ['shopify', 'woocommerce', 'google'],
  });
  base = join(dir, 'base.concord');
  openWorkspace(base, { create: true }).close();
  for (const ch of store.channels) await importFile({ workspace: base, file: ch.path, channel: ch.name });
  truth = await readTruthClusters(store.truthPath);
  const t = JSON.parse(readFileSync(store.truthPath, 'utf8')) as {
    distractors: { a: string; b: string }[];
    clusterIds: string[];
  };
  distractors = t.distractors;
  clusterIds = t.clusterIds;
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function copy(): string {
  const file = join(dir, `ws${++copies}.concord`);
  copyFileSync(base, file);
  return file;
}

/** Predicted cluster (records.id of its representative) of every record, keyed by channel + record id. */
function predicted(file: string): Map<string, number> {
  const ws = openWorkspace(file);
  try {
    const rows = ws.db
      .prepare(
        'SELECT r.channel, r.record_id, c.cluster_id FROM clusters c JOIN records r ON r.id = c.record_id',
      )
      .all() as { channel: string; record_id: string; cluster_id: number }[];
    return new Map(rows.map((r) => [refKey(r.channel, r.record_id), r.cluster_id]));
  } finally {
    ws.close();
  }
}

function context(file: string): HandlerContext {
  const session = new WorkspaceSession();
  session.open(file);
  return { mode: 'test', session, jobs: new JobRunner() };
}

describe('alignWorkspace (end to end on a generated store)', () => {
  it('matches records with pairwise F1 ≥ 0.95 against the truth, with high blocking recall and few pairs kept', async () => {
    const file = copy();
    const out = await alignWorkspace(file, { truth });
    expect(out.truth!.f1).toBeGreaterThanOrEqual(0.95);
    expect(out.truth!.precision).toBeGreaterThanOrEqual(0.95);
    expect(out.blocking.recall).toBeGreaterThanOrEqual(0.98);
    expect(out.blocking.keptFraction).toBeLessThan(0.05);
    expect(out.summary.records).toBe(truth.flat().length);
    expect(out.summary.model.validF1).toBeGreaterThan(0.9);
    expect(out.summary.seconds.total).toBeGreaterThan(0);
    // Every record has a cluster; at most one record per channel in a cluster (the generator lists no duplicates).
    const ws = openWorkspace(file);
    try {
      expect(ws.db.prepare('SELECT count(*) FROM clusters').pluck().get()).toBe(out.summary.records);
      const dup = ws.db
        .prepare(
          'SELECT count(*) FROM (SELECT c.cluster_id, r.channel FROM clusters c JOIN records r ON r.id = c.record_id GROUP BY 1, 2 HAVING count(*) > 1)',
        )
        .pluck()
        .get();
      expect(dup).toBe(0);
    } finally {
      ws.close();
    }
  });

  it('does not merge look-alike distractors (one identity token apart) or sibling variants', async () => {
    const file = copy();
    await alignWorkspace(file);
    const pred = predicted(file);
    const recordsOf = new Map<string, string[]>();
    truth.forEach((c, k) =>
      recordsOf.set(
        clusterIds[k],
        c.map((r) => refKey(r.channel, r.recordId)),
      ),
    );
    expect(distractors.length).toBeGreaterThan(5);
    let merged = 0;
    for (const d of distractors) {
      const a = new Set((recordsOf.get(d.a) ?? []).map((r) => pred.get(r)));
      for (const r of recordsOf.get(d.b) ?? []) if (a.has(pred.get(r))) merged++;
    }
    expect(merged).toBe(0);
    // Sibling variants (same product family, e.g. p_0002a-v1 / -v2) stay apart too.
    const family = new Map<string, Set<number>>();
    let siblingsMerged = 0;
    truth.forEach((c, k) => {
      const fam = clusterIds[k].replace(/-v\d+$/, '');
      const mine = new Set(c.map((r) => pred.get(refKey(r.channel, r.recordId))!));
      const seen = family.get(fam) ?? new Set<number>();
      for (const x of mine) if (seen.has(x)) siblingsMerged++;
      for (const x of mine) seen.add(x);
      family.set(fam, seen);
    });
    expect(siblingsMerged).toBeLessThanOrEqual(2);
  });

  it('builds golden records by survivorship with provenance (system of record first)', async () => {
    const file = copy();
    await alignWorkspace(file);
    const ctx = context(file);
    const list = await alignHandlers['clusters.list']({ offset: 0, limit: 50, multiOnly: true }, ctx);
    expect(list.total).toBeGreaterThan(100);
    const three = list.items.find((c) => c.channels.length === 3)!;
    expect(three.channels[0]).toBe('shopify');
    const got = await alignHandlers['clusters.get']({ clusterId: three.clusterId }, ctx);
    expect(got.records).toHaveLength(3);
    const shop = got.records.find((r) => r.channel === 'shopify')!;
    expect(got.golden.title).toMatchObject({
      value: shop.fields.title,
      channel: 'shopify',
      recordId: shop.recordId,
      rule: 'priority',
    });
    expect(got.golden.price.channel).toBe('shopify');
    for (const v of Object.values(got.golden))
      expect(['priority', 'majority', 'completeness', 'none']).toContain(v.rule);
    // A field the system of record lacks comes from another record (completeness or majority), with its provenance.
    const ws = openWorkspace(file);
    try {
      const row = ws.db
        .prepare(
          'SELECT cluster_id, provenance FROM golden_records WHERE provenance IS NOT NULL AND provenance LIKE \'%"gtin"%\' LIMIT 1',
        )
        .get() as { cluster_id: number; provenance: string } | undefined;
      if (row) {
        const g = await alignHandlers['clusters.get']({ clusterId: `c${row.cluster_id}` }, ctx);
        expect(g.golden.gtin.value).not.toBeNull();
        expect(['completeness', 'majority']).toContain(g.golden.gtin.rule);
        expect(g.golden.gtin.channel).not.toBe('shopify');
      }
    } finally {
      ws.close();
    }
    ctx.session.close();
  });

  it('splits and merges clusters through labels; undo takes a split back; labels survive a re-alignment', async () => {
    const file = copy();
    await alignWorkspace(file);
    const ctx = context(file);
    const list = await alignHandlers['clusters.list']({ offset: 0, limit: 20, multiOnly: true }, ctx);
    const target = list.items.find((c) => c.size === 3)!;
    const before = await alignHandlers['clusters.get']({ clusterId: target.clusterId }, ctx);
    const moved = before.records.find((r) => r.channel === 'google')!;
    const split = await alignHandlers['clusters.split'](
      { clusterId: target.clusterId, recordIds: [moved.id] },
      ctx,
    );
    expect(split.clusterIds).toHaveLength(2);
    const [stay, away] = await Promise.all(
      split.clusterIds.map((id) => alignHandlers['clusters.get']({ clusterId: id }, ctx)),
    );
    expect(stay.records.map((r) => r.id)).not.toContain(moved.id);
    expect(away.records.map((r) => r.id)).toEqual([moved.id]);
    expect(await alignHandlers['align.summary']({}, ctx)).toMatchObject({ labels: 2 });

    // Undo: the split's labels go, the record rejoins its product.
    const undone = await alignHandlers['matches.undo']({}, ctx);
    expect(undone.undone).toMatchObject({ label: 'no_match' });
    expect(undone.labels).toBe(0);
    const again = await alignHandlers['clusters.get']({ clusterId: target.clusterId }, ctx);
    expect(again.records.map((r) => r.id).sort()).toEqual(before.records.map((r) => r.id).sort());

    // Split again, then merge the two back by hand: stored as match labels.
    const split2 = await alignHandlers['clusters.split'](
      { clusterId: target.clusterId, recordIds: [moved.id] },
      ctx,
    );
    const merged = await alignHandlers['clusters.merge']({ clusterIds: split2.clusterIds }, ctx);
    const m = await alignHandlers['clusters.get']({ clusterId: merged.clusterId }, ctx);
    expect(m.records.map((r) => r.id).sort()).toEqual(before.records.map((r) => r.id).sort());

    // Merging two different products is obeyed too (stored as labels), and survives a full re-alignment.
    const other =
      list.items.find(
        (c) => c.clusterId !== target.clusterId && c.size === 2 && !c.channels.includes('shopify'),
      ) ?? list.items.find((c) => c.clusterId !== target.clusterId && c.size <= 2)!;
    const forced = await alignHandlers['clusters.merge'](
      { clusterIds: [merged.clusterId, other.clusterId] },
      ctx,
    );
    const big = await alignHandlers['clusters.get']({ clusterId: forced.clusterId }, ctx);
    expect(big.records.length).toBe(3 + other.size);
    ctx.session.close();
    const out = await alignWorkspace(file);
    expect(out.summary.labels).toBeGreaterThan(0);
    const pred = predicted(file);
    const ids = new Set(big.records.map((r) => pred.get(refKey(r.channel, r.recordId))));
    expect(ids.size).toBe(1);
  });

  it('re-clusters at another threshold from stored probabilities; labels from the review queue change clusters', async () => {
    const file = copy();
    const first = await alignWorkspace(file);
    const ws = openWorkspace(file);
    try {
      const strict = recluster(ws.db, { threshold: 1 }).summary;
      expect(strict.threshold).toBe(1);
      // Only what is sure (equal GTINs) joins at 1: fewer records matched.
      expect(strict.matchedRecords).toBeLessThan(first.summary.matchedRecords);
      const back = recluster(ws.db, { threshold: first.summary.threshold }).summary;
      expect(back.matchedRecords).toBe(first.summary.matchedRecords);
    } finally {
      ws.close();
    }
    const ctx = context(file);
    const queue = await alignHandlers['matches.queue']({ limit: 10 }, ctx);
    expect(queue.length).toBeGreaterThan(0);
    const dist = queue.map((q) => Math.abs(q.probability - first.summary.threshold));
    expect([...dist].sort((a, b) => a - b)).toEqual(dist);
    for (const q of queue) {
      expect(q.a.channel).not.toBe(q.b.channel);
      expect(Array.isArray(q.differing)).toBe(true);
    }
    // Label the top pair the other way round from the model's decision: clusters follow the label.
    const top = queue[0];
    const label = top.probability >= first.summary.threshold ? 'no_match' : 'match';
    expect((await alignHandlers['matches.label']({ a: top.a.id, b: top.b.id, label }, ctx)).labels).toBe(1);
    const pred = predicted(file);
    const together =
      pred.get(refKey(top.a.channel, top.a.recordId)) === pred.get(refKey(top.b.channel, top.b.recordId));
    expect(together).toBe(label === 'match');
    // The labelled pair leaves the queue; skip also removes a pair without counting as a label.
    const next = await alignHandlers['matches.queue']({ limit: 10 }, ctx);
    expect(next.some((q) => q.a.id === top.a.id && q.b.id === top.b.id)).toBe(false);
    await alignHandlers['matches.label']({ a: next[0].a.id, b: next[0].b.id, label: 'skip' }, ctx);
    const ws2 = openWorkspace(file);
    expect(countLabels(ws2.db)).toBe(1);
    ws2.close();
    const curve = await alignHandlers['matches.curve']({}, ctx);
    expect(curve.labels?.pairs).toBe(1);
    ctx.session.close();
  });

  it("stores every cluster's product and family; gap detection reads them and never aligns itself", async () => {
    const file = copy();
    await expect(detectWorkspaceGaps(file)).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'records are not aligned yet',
      details: { remedy: { do: 'alignThenDetect' } },
    });
    await alignWorkspace(file);
    const ws = openWorkspace(file);
    const check = (): void => {
      const count = (sql: string): number => ws.db.prepare(sql).pluck().get() as number;
      expect(count('SELECT count(*) FROM golden_records')).toBe(count('SELECT count(*) FROM products'));
      // A product's clusters are of one family, and the cluster speaking for it is one of them.
      expect(
        count(`SELECT count(*) FROM products p JOIN products h ON h.cluster_id = p.product_id
               WHERE h.product_id != h.cluster_id OR h.family_id != p.family_id`),
      ).toBe(0);
      expect(count('SELECT count(*) FROM products p WHERE p.family_id > p.cluster_id')).toBe(0);
      // The channels' own grouping (Shopify handles, item groups) makes families of several products.
      expect(count('SELECT count(DISTINCT family_id) FROM products')).toBeLessThan(
        count('SELECT count(DISTINCT product_id) FROM products'),
      );
    };
    const stored = () => ws.db.prepare('SELECT * FROM products ORDER BY cluster_id').all();
    try {
      check();
      // Alignment decides in memory what re-clustering decides over the stored clusters: the same products.
      const aligned = stored();
      recluster(ws.db, {});
      expect(stored()).toEqual(aligned);
      recluster(ws.db, { threshold: 0.9 });
      check();
    } finally {
      ws.close();
    }
    await detectWorkspaceGaps(file);
    const after = openWorkspace(file);
    try {
      const gaps = after.db
        .prepare(
          `SELECT count(*) AS n, sum(NOT EXISTS (SELECT 1 FROM products p WHERE p.product_id = g.cluster_id)) AS elsewhere
           FROM gaps g`,
        )
        .get() as { n: number; elsewhere: number };
      expect(gaps.n).toBeGreaterThan(0);
      expect(gaps.elsewhere).toBe(0);
    } finally {
      after.close();
    }
  });

  it('handles an empty workspace and a single channel (nothing to learn from: every record its own product)', async () => {
    const empty = join(dir, 'empty.concord');
    openWorkspace(empty, { create: true }).close();
    const none = await alignWorkspace(empty);
    expect(none.summary).toMatchObject({ records: 0, clusters: 0, matchedRecords: 0 });
    const single = join(dir, 'single.concord');
    openWorkspace(single, { create: true }).close();
    await importFile({
      workspace: single,
      file: join(dir, 'store', 'woocommerce.csv'),
      channel: 'woocommerce',
    });
    const one = await alignWorkspace(single);
    expect(one.summary.clusters).toBe(one.summary.records);
    expect(one.summary.model.validF1).toBeNull();
  });

  it('runs align and retrain as jobs through the API', async () => {
    const file = copy();
    const ctx = context(file);
    expect(await alignHandlers['align.summary']({}, ctx)).toBeNull();
    await expect(alignHandlers['matches.queue']({ limit: 5 }, ctx)).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    const { jobId } = await alignHandlers['align.start']({}, ctx);
    const done = await ctx.jobs.wait(jobId);
    expect(done.status).toBe('done');
    expect(done.result).toMatchObject({ records: expect.any(Number), clusters: expect.any(Number) });
    const retrain = await alignHandlers['matches.retrain']({}, ctx);
    expect((await ctx.jobs.wait(retrain.jobId)).status).toBe('done');
    expect(await alignHandlers['align.summary']({}, ctx)).toMatchObject({
      records: (done.result as { records: number }).records,
    });
    ctx.session.close();
  });
});

describe('concord align / concord export matches (commands run in-process)', () => {
  async function capture(fn: () => Promise<number>): Promise<{ code: number; out: string }> {
    let out = '';
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out += String(chunk);
      return true;
    });
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      return { code: await fn(), out };
    } finally {
      spy.mockRestore();
      err.mockRestore();
    }
  }

  it('aligns with --json (labels file, threshold, truth) and exports one CSV row per record', async () => {
    const file = copy();
    const labels = join(dir, 'labels.csv');
    const [c0, c1] = truth.filter((c) => c.length >= 2);
    writeFileSync(
      labels,
      `channelA,recordIdA,channelB,recordIdB,label\n${c0[0].channel},${c0[0].recordId},${c1[0].channel},${c1[0].recordId},no_match\n`,
    );
    const truthFile = join(dir, 'store', 'truth.json');
    const r = await capture(() =>
      alignCommand.run({
        positionals: [file],
        values: { json: true, labels, threshold: '0.6', truth: truthFile },
      }),
    );
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.out) as {
      records: number;
      clusters: number;
      threshold: number;
      labels: number;
      blocking: { recall: number };
      truth: { f1: number };
      seconds: Record<string, number>;
    };
    expect(summary).toMatchObject({ threshold: 0.6, labels: 1 });
    expect(summary.blocking.recall).toBeGreaterThan(0.95);
    expect(summary.truth.f1).toBeGreaterThan(0.95);
    expect(summary.seconds.total).toBeGreaterThan(0);

    const csv = join(dir, 'matches.csv');
    const e = await capture(() =>
      exportCommand.run({ positionals: ['matches', file], values: { out: csv } }),
    );
    expect(e.code).toBe(0);
    const lines = readFileSync(csv, 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe('channel,recordId,clusterId');
    expect(lines.length - 1).toBe(summary.records);
    const keys = new Set(lines.slice(1).map((l) => l.split(',').slice(0, 2).join(',')));
    expect(keys.size).toBe(summary.records);
    expect(new Set(lines.slice(1).map((l) => l.split(',').pop())).size).toBe(summary.clusters);
  });

  it('refuses bad usage', async () => {
    const file = copy();
    await expect(alignCommand.run({ positionals: [file], values: { threshold: '2' } })).rejects.toThrow(
      /--threshold/,
    );
    await expect(exportCommand.run({ positionals: ['matches', file], values: {} })).rejects.toThrow(/--out/);
    await expect(exportCommand.run({ positionals: ['gaps', file], values: { out: 'x' } })).rejects.toThrow(
      /unknown export/,
    );
    // Export before any alignment: CONFLICT (exit 2).
    await expect(
      exportCommand.run({ positionals: ['matches', file], values: { out: join(dir, 'x.csv') } }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
  });
});
