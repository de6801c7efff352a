/**
 * What follows a detection, through the API over a small generated store: the fix-list count before a download
 * (the very rows the export writes, filtered or not), stale gaps after an alignment change or an import, detection
 * that follows alignment when the workspace asks, and absence rows that carry their reference record and sort last.
 */
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { beforeAll, describe, expect, it } from 'vitest';
import type { GeneratedStore } from '../../fixtures/generator/index.js';
import { alignWorkspace } from '../align/alignWorkspace.js';
import type { FixList, GapRow, MethodName, Params, Result } from '../api/contract.js';
import type { HandlerContext } from '../app/context.js';
import { dispatch } from '../app/dispatch.js';
import { WorkspaceSession } from '../app/session.js';
import { JobRunner } from '../jobs/jobRunner.js';
import { importGeneratedStore } from '../test-support/generatedStore.js';

let dir = '';
let store: GeneratedStore;
const ctx: HandlerContext = { mode: 'test', session: new WorkspaceSession(), jobs: new JobRunner() };
let seq = 0;
async function call<M extends MethodName>(method: M, params: Params<M>): Promise<Result<M>> {
  const response = await dispatch({ type: 'request', id: ++seq, method, params }, ctx);
  if (!response.ok) throw response.error;
  return response.result as Result<M>;
}

async function finished(jobId: string): Promise<void> {
  const job = await ctx.jobs.wait(jobId);
  expect(job.status, JSON.stringify(job.error)).toBe('done');
}

async function detect(): Promise<void> {
  await finished((await call('gaps.detect', {})).jobId);
}

/** The data rows of a fix list's file (header and blank lines left out). */
function dataRows(list: FixList): number {
  const text = list.content.replace(/^\uFEFF/, '');
  const parsed = Papa.parse<string[]>(text, {
    delimiter: list.fileName.endsWith('.csv') ? ',' : '\t',
    skipEmptyLines: true,
    quoteChar: list.fileName.endsWith('.csv') ? '"' : '\u0000',
  });
  return parsed.data.length - 1;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'concord-followup-'));
  const ws = join(dir, 'shop.concord');
  store = await importGeneratedStore(ws, { outDir: join(dir, 'store'), products: 150, seed: 'follow-up' });
  await alignWorkspace(ws);
  await call('workspace.open', { path: ws });
  await detect();
}, 180_000);

describe('fix-list count', () => {
  it('counts, for every channel, the gaps the export corrects and the data rows it writes', async () => {
    const summary = (await call('gaps.summary', {}))!;
    let fixableSomewhere = false;
    for (const { channel } of summary.completeness) {
      const count = await call('fixlist.count', { channel });
      const list = await call('fixlist.export', { channel });
      const open = summary.matrix.filter((m) => m.channel === channel).reduce((n, m) => n + m.count, 0);
      expect(count.selected).toBe(open);
      expect(count.rows).toBe(list.rows);
      expect(count.rows).toBe(dataRows(list));
      expect(count.fixable).toBe(list.gaps);
      expect(count.skipped.reduce((n, s) => n + s.gaps, 0)).toBe(list.skipped.length);
      if (count.fixable > 0) fixableSomewhere = true;
    }
    expect(fixableSomewhere).toBe(true);
  });

  it('counts and exports the filtered selection only', async () => {
    const prices = await call('gaps.list', {
      filter: { kinds: ['price_mismatch'], statuses: ['open'] },
      limit: 1,
    });
    const channel = prices.rows[0].channel;
    const filter = { kinds: ['price_mismatch' as const] };
    const listed = await call('gaps.list', {
      filter: { ...filter, channels: [channel], statuses: ['open'] },
      limit: 1000,
    });
    const count = await call('fixlist.count', { channel, filter });
    const list = await call('fixlist.export', { channel, filter });
    expect(count.selected).toBe(listed.total);
    expect(count.rows).toBe(dataRows(list));
    expect(count.fixable).toBe(list.gaps);
    const all = await call('fixlist.count', { channel });
    expect(count.selected).toBeLessThan(all.selected);
    // A search narrows it to one record.
    const one = listed.rows[0];
    const searched = await call('fixlist.count', { channel, filter: { ...filter, query: one.recordId! } });
    expect(searched.selected).toBe(1);
    expect(searched.rows).toBe(1);
  });

  it('says why nothing is fixable when the selection holds only absences', async () => {
    const absent = await call('gaps.list', { filter: { kinds: ['missing_in_channel'] }, limit: 1 });
    const channel = absent.rows[0].channel;
    const count = await call('fixlist.count', { channel, filter: { kinds: ['missing_in_channel'] } });
    expect(count.selected).toBeGreaterThan(0);
    expect(count.fixable).toBe(0);
    expect(count.rows).toBe(0);
    expect(count.skipped[0].reason).toMatch(/not listed on/);
  });
});

describe('absence rows', () => {
  it('sort after the records by record id, in either direction, by their reference record', async () => {
    const total = (await call('gaps.list', {})).total;
    for (const direction of ['asc', 'desc'] as const) {
      const rows: GapRow[] = [];
      for (let offset = 0; offset < total; offset += 1000)
        rows.push(
          ...(await call('gaps.list', { sort: { column: 'recordId', direction }, offset, limit: 1000 })).rows,
        );
      const firstAbsent = rows.findIndex((r) => r.recordId === null);
      expect(firstAbsent).toBeGreaterThan(0);
      expect(rows.slice(firstAbsent).every((r) => r.recordId === null)).toBe(true);
      const refs = rows.slice(firstAbsent).map((r) => r.presentIn[0].recordId);
      const sorted = [...refs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      expect(refs).toEqual(direction === 'asc' ? sorted : sorted.reverse());
    }
  });

  it('name the missing variant by its option values, where its records have options', async () => {
    const missing = await call('gaps.list', { filter: { kinds: ['variant_missing'] }, limit: 1000 });
    const named = missing.rows.filter((g) => g.expected !== null);
    // Some products say their variant in the title only (no option columns): those have no option values.
    expect(named.length).toBeGreaterThan(missing.total / 2);
    for (const g of named) {
      expect(g.field).toBe('options');
      expect(g.expected).toMatch(/^[^:]+: [^/]+( \/ [^:]+: [^/]+)*$/);
    }
    for (const g of missing.rows) expect(g.presentIn.length).toBeGreaterThan(0);
  });
});

describe('stale gaps', () => {
  it('are fresh after a detection, stale after a merge, and fresh again after re-detection', async () => {
    expect(await call('gaps.staleness', {})).toMatchObject({ stale: false, reasons: [] });
    const clusters = await call('clusters.list', { limit: 2 });
    await call('clusters.merge', { clusterIds: clusters.items.map((c) => c.clusterId) });
    const stale = (await call('gaps.staleness', {}))!;
    expect(stale.stale).toBe(true);
    expect(stale.reasons).toEqual([
      {
        kind: 'alignment',
        message: 'Products changed after this detection (1 merge)',
        at: expect.any(String),
      },
    ]);
    await detect();
    expect((await call('gaps.staleness', {}))!.stale).toBe(false);
  });

  it('are stale after an import of another export', { timeout: 120_000 }, async () => {
    const channel = store.channels[1];
    const copy = join(dir, `again-${channel.path.split('/').pop()}`);
    copyFileSync(channel.path, copy);
    const { jobId } = await call('import.start', {
      file: { path: copy },
      channel: channel.name,
      replace: true,
    });
    await finished(jobId);
    const stale = (await call('gaps.staleness', {}))!;
    expect(stale.stale).toBe(true);
    expect(stale.reasons.map((r) => r.kind)).toContain('imports');
    expect(stale.reasons.find((r) => r.kind === 'imports')!.message).toContain(copy.split('/').pop()!);
  });

  it('follow every alignment job with detection once the setting is on', { timeout: 180_000 }, async () => {
    expect(await call('gaps.detectSettings', {})).toEqual({ autoDetectAfterAlign: false });
    expect(await call('gaps.setDetectSettings', { autoDetectAfterAlign: true })).toEqual({
      autoDetectAfterAlign: true,
    });
    const before = (await call('gaps.summary', {}))!.runId;
    const { jobId } = await call('align.start', {});
    await finished(jobId);
    const detection = ctx.jobs.list().find((j) => j.title === 'Find gaps between channels (after alignment)');
    expect(detection, 'a detection job follows the alignment').toBeDefined();
    await finished(detection!.id);
    expect((await call('gaps.summary', {}))!.runId).toBeGreaterThan(before);
    expect(await call('gaps.staleness', {})).toMatchObject({ stale: false });
    await call('gaps.setDetectSettings', { autoDetectAfterAlign: false });
  });
});
