/**
 * The Gaps page's API over a small generated store: detection as a job, the table's filter / sort / paging, bulk
 * status changes with undo that survive re-detection, product detail with provenance, tolerances that change what
 * is a gap, rules validation, and fix lists.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { alignWorkspace } from '../align/alignWorkspace.js';
import { JobRunner } from '../jobs/jobRunner.js';
import { openWorkspace } from '../store/workspace.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { MethodName, Params, Result } from '../api/contract.js';
import { dispatch } from '../app/dispatch.js';
import type { HandlerContext } from '../app/context.js';
import { WorkspaceSession } from '../app/session.js';
import { importGeneratedStore } from '../test-support/generatedStore.js';

let ws = '';
let rulesPath = '';
const ctx: HandlerContext = { mode: 'test', session: new WorkspaceSession(), jobs: new JobRunner() };
let id = 0;
async function call<M extends MethodName>(method: M, params: Params<M>): Promise<Result<M>> {
  const response = await dispatch({ type: 'request', id: ++id, method, params }, ctx);
  if (!response.ok) throw response.error;
  return response.result as Result<M>;
}

async function detect(): Promise<Result<'gaps.summary'>> {
  const { jobId } = await call('gaps.detect', {});
  const job = await ctx.jobs.wait(jobId);
  expect(job.status, JSON.stringify(job.error)).toBe('done');
  return call('gaps.summary', {});
}

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'concord-gaps-api-'));
  ws = join(dir, 'shop.concord');
  const store = await importGeneratedStore(ws, {
    outDir: join(dir, 'store'),
    products: 300,
    seed: 'gaps-api',
  });
  rulesPath = store.rulesPath;
  await alignWorkspace(ws);
  await call('workspace.open', { path: ws });
}, 120_000);

describe('gaps API', () => {
  it('refuses a bad rule naming its index, and stores good ones', async () => {
    await expect(
      call('rules.set', {
        rules: [
          {
            name: 'x',
            when: { channel: 'shopify', field: 'tags', op: 'near', value: 'a' },
            onlyIn: ['shopify'],
          },
        ],
      }),
    ).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringMatching(/rule 0/),
    });
    const rules = JSON.parse(readFileSync(rulesPath, 'utf8')) as unknown[];
    const saved = await call('rules.set', { rules });
    expect(saved.rules).toHaveLength(rules.length);
    expect(saved.builtinStatusRule).toBe(true);
  });

  it('detects gaps as a job and pages, filters and sorts them', { timeout: 120_000 }, async () => {
    const summary = await detect();
    expect(summary).not.toBeNull();
    expect(summary!.byStatus.open).toBeGreaterThan(50);
    expect(summary!.byStatus.excluded).toBeGreaterThan(0);
    expect(summary!.completeness.map((c) => c.channel)).toEqual([
      'shopify',
      'woocommerce',
      'google',
      'amazon',
    ]);
    expect(Object.values(summary!.grades).reduce((a, b) => a + b, 0)).toBe(summary!.products);

    const all = await call('gaps.list', { limit: 1000 });
    expect(all.total).toBe(summary!.byStatus.open);
    expect(all.rows[0].severity).toBe('high');
    const prices = await call('gaps.list', { filter: { kinds: ['price_mismatch'], channels: ['google'] } });
    expect(prices.total).toBeGreaterThan(0);
    expect(prices.rows.every((r) => r.kind === 'price_mismatch' && r.channel === 'google')).toBe(true);
    const byRecord = await call('gaps.list', { sort: { column: 'recordId', direction: 'asc' }, limit: 50 });
    const ids = byRecord.rows.map((r) => r.recordId ?? '');
    expect(ids).toEqual([...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    const searched = await call('gaps.list', { filter: { query: prices.rows[0].recordId! } });
    expect(searched.rows.map((r) => r.id)).toContain(prices.rows[0].id);
  });

  it(
    'accepts gaps in bulk, undoes, and keeps statuses across re-detection',
    { timeout: 120_000 },
    async () => {
      const prices = await call('gaps.list', { filter: { kinds: ['price_mismatch'] } });
      const chosen = prices.rows.slice(0, 3).map((r) => r.id);
      expect(await call('gaps.setStatus', { ids: chosen, status: 'accepted' })).toEqual({ updated: 3 });
      expect(await call('gaps.undoStatus', {})).toEqual({ restored: 3 });
      expect((await call('gaps.list', { filter: { statuses: ['accepted'] } })).total).toBe(0);
      await call('gaps.setStatus', { ids: chosen, status: 'accepted' });
      const ignored = await call('gaps.setStatus', {
        filter: { kinds: ['weight_mismatch'] },
        status: 'ignored',
      });
      expect(ignored.updated).toBeGreaterThan(0);

      const summary = await detect();
      expect(summary!.byStatus.accepted).toBe(3);
      expect(summary!.byStatus.ignored).toBe(ignored.updated);
      const accepted = await call('gaps.list', { filter: { statuses: ['accepted'] } });
      expect(accepted.rows.map((r) => r.id).sort()).toEqual([...chosen].sort());
    },
  );

  it('shows a product side by side with provenance and its gaps', async () => {
    const gap = (
      await call('gaps.list', { filter: { kinds: ['price_mismatch'], statuses: ['open', 'accepted'] } })
    ).rows[0];
    const product = await call('gaps.product', { clusterId: gap.clusterId });
    expect(product.records.length).toBeGreaterThan(1);
    expect(product.records.every((r) => r.file.length > 0 && r.line > 0)).toBe(true);
    expect(product.golden.price.value).toBe(gap.expected);
    const rec = product.records.find((r) => r.recordId === gap.recordId)!;
    expect(product.differing[String(rec.id)]).toContain('price');
    expect(product.gaps.map((g) => g.id)).toContain(gap.id);
    expect(['A', 'B', 'C', 'D', 'E']).toContain(product.grade);
  });

  it(
    'uses the tolerances: a wide price tolerance turns price gaps into fixed ones',
    { timeout: 120_000 },
    async () => {
      expect(await call('gaps.tolerances', {})).toEqual({ pricePct: 1, salePricePct: 1, weightPct: 5 });
      await call('gaps.setTolerances', { pricePct: 90, salePricePct: 1, weightPct: 5 });
      const summary = await detect();
      expect(summary!.matrix.filter((m) => m.kind === 'price_mismatch')).toEqual([]);
      expect(
        (await call('gaps.list', { filter: { kinds: ['price_mismatch'], statuses: ['fixed'] } })).total,
      ).toBeGreaterThan(0);
      await call('gaps.setTolerances', { pricePct: 1, salePricePct: 1, weightPct: 5 });
      const back = await detect();
      expect(back!.matrix.some((m) => m.kind === 'price_mismatch')).toBe(true);
    },
  );

  it('lists the learned category mapping and lets a user pin one', async () => {
    const map = await call('categories.map', { channel: 'woocommerce' });
    expect(map.length).toBeGreaterThan(0);
    const pinned = await call('categories.setMapping', {
      channel: 'woocommerce',
      category: map[0].category,
      mapsTo: null,
    });
    expect(pinned).toMatchObject({ source: 'user', mapsTo: null });
    await expect(
      call('categories.setMapping', { channel: 'woocommerce', category: 'No Such > Category', mapsTo: null }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it(
    'shows in the drawer and on the Matches page what detection decides: tolerances and the category mapping hold',
    { timeout: 60_000 },
    async () => {
      const db = ctx.session.requireDb();
      // A product with two records or more whose golden record has a price, a weight and a category; one of its
      // records without gaps, so the drawer's flags come from the rule alone.
      const pick = db
        .prepare(
          `SELECT g.cluster_id AS clusterId, g.price_minor AS price, g.weight_g AS weight, g.category, r.id, r.channel
           FROM golden_records g JOIN clusters c ON c.cluster_id = g.cluster_id JOIN records r ON r.id = c.record_id
           WHERE g.size > 1 AND g.price_minor > 1000 AND g.weight_g > 100 AND g.category IS NOT NULL
             AND (r.currency = g.currency OR r.currency IS NULL)
             AND NOT EXISTS (SELECT 1 FROM gaps WHERE gaps.record_ref = r.id AND gaps.status != 'fixed')
           LIMIT 1`,
        )
        .get() as {
        clusterId: number;
        price: number;
        weight: number;
        category: string;
        id: number;
        channel: string;
      };
      expect(pick).toBeDefined();
      const flags = async (): Promise<{ drawer: string[]; matches: string[] }> => {
        const clusterId = `c${pick.clusterId}`;
        const product = await call('gaps.product', { clusterId });
        const cluster = await call('clusters.get', { clusterId });
        return { drawer: product.differing[String(pick.id)], matches: cluster.differing[String(pick.id)] };
      };
      const edit = (price: number, weight: number, mapsTo: string): void => {
        const w = openWorkspace(ws);
        try {
          w.db
            .prepare('UPDATE records SET price_minor = ?, weight_g = ?, category = ? WHERE id = ?')
            .run(price, weight, 'Own Tree > Mapped', pick.id);
          w.db
            .prepare(
              `INSERT INTO category_map (channel, category, maps_to, support, source) VALUES (?, ?, ?, 5, 'learned')
               ON CONFLICT(channel, category) DO UPDATE SET maps_to = excluded.maps_to`,
            )
            .run(pick.channel, 'Own Tree > Mapped', mapsTo);
        } finally {
          w.close();
        }
      };
      // Within 1 % of the price, within 5 % of the weight, a category the learned mapping maps: not "differs".
      edit(Math.round(pick.price * 1.005), pick.weight * 1.03, pick.category);
      let f = await flags();
      for (const field of ['price', 'weight', 'category']) {
        expect(f.drawer).not.toContain(field);
        expect(f.matches).not.toContain(field);
      }
      // Beyond the tolerances, a category the mapping sends elsewhere: "differs", on both pages alike.
      edit(Math.round(pick.price * 1.5), pick.weight * 1.5, 'Elsewhere > Unrelated');
      f = await flags();
      expect(f.drawer).toEqual(expect.arrayContaining(['price', 'weight', 'category']));
      expect(f.matches).toEqual(f.drawer);
    },
  );

  it(
    'keeps an absence the channel has a close record for out of the gaps, as a possible match to review first',
    { timeout: 60_000 },
    async () => {
      const before = (await call('align.summary', {}))!.threshold;
      // A strict threshold leaves many likely pairs apart: their products look absent from each other's channel.
      await call('align.recluster', { threshold: 0.999 });
      try {
        const s = (await detect())!;
        expect(s.possibleMatches).toBeGreaterThan(0);
        const queue = await call('matches.queue', { limit: s.possibleMatches + 5 });
        const possible = queue.filter((p) => p.possible);
        expect(possible.length).toBe(s.possibleMatches);
        expect(queue.slice(0, possible.length).every((p) => p.possible)).toBe(true);
        // None of them is reported missing from the channel of its close record.
        const absences = await call('gaps.list', {
          filter: { kinds: ['missing_in_channel', 'variant_missing'] },
          limit: 1000,
        });
        for (const p of possible) {
          const blamed = absences.rows.filter(
            (g) => g.channel === p.b.channel && g.presentIn.some((r) => r.recordId === p.a.recordId),
          );
          expect(blamed, `${p.a.recordId} vs ${p.b.channel}`).toEqual([]);
        }
      } finally {
        await call('align.recluster', { threshold: before });
        await detect();
      }
    },
  );
});
