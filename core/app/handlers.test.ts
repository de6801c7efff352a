import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JobRunner } from '../jobs/jobRunner.js';
import { shopifyCsv, writeShopifyCsv } from '../test-support/shopifyCsv.js';
import { useTempDir, writeTemp } from '../test-support/tmp.js';
import { handlerClient } from '../test-support/handlerClient.js';
import type { HandlerContext } from './handlers.js';
import { WorkspaceSession } from './session.js';
import { uploadsDir } from './uploads.js';

function setUp(dir: string) {
  const ctx: HandlerContext = { mode: 'test', session: new WorkspaceSession(), jobs: new JobRunner() };
  return { ctx, call: handlerClient(ctx), ws: join(dir, 'shop.concord') };
}

/** Puts a file where the web server would have streamed an upload. */
function fakeUpload(ws: string, id: string, content: string, name: string): void {
  mkdirSync(uploadsDir(ws), { recursive: true });
  writeFileSync(join(uploadsDir(ws), id), content);
  writeFileSync(
    join(uploadsDir(ws), `${id}.json`),
    JSON.stringify({ name, size: content.length, uploadedAt: new Date().toISOString() }),
  );
}

const ID = 'a'.repeat(32);

describe('handlers', () => {
  const tmp = useTempDir();

  it('creates and opens workspaces, and describes the open one', async () => {
    const { call, ws } = setUp(tmp());
    expect(await call('workspace.current', {})).toBeNull();
    const info = await call('workspace.create', { path: ws });
    expect(info).toMatchObject({
      path: ws,
      name: 'shop',
      channels: [],
      counts: { sources: 0, records: 0, rows: 0 },
    });
    await expect(call('workspace.create', { path: ws })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await call('workspace.open', { path: ws })).toEqual(info);
    expect(await call('workspace.current', {})).toEqual(info);
  });

  it('imports a file by path as a job, then lists the source and its warnings', async () => {
    const { ctx, call, ws } = setUp(tmp());
    await call('workspace.create', { path: ws });
    const csv = writeTemp(tmp(), 'shopify.csv', shopifyCsv(3));
    const { jobId } = await call('import.start', { file: { path: csv }, channel: 'web shop' });
    const job = await ctx.jobs.wait(jobId);
    expect(job).toMatchObject({
      kind: 'import',
      title: 'Import shopify.csv into web shop',
      status: 'done',
      result: { rows: 3, records: 3, format: 'shopify' },
    });
    const sources = await call('sources.list', {});
    expect(sources).toMatchObject([
      { channel: 'web shop', file: 'shopify.csv', format: 'shopify', rows: 3, records: 3 },
    ]);
    expect(await call('sources.warnings', { sourceId: sources[0].id })).toEqual([]);
    await expect(call('sources.warnings', { sourceId: 999 })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'no source #999 in this workspace',
    });
    expect((await call('workspace.current', {}))?.counts).toEqual({ sources: 1, records: 3, rows: 3 });
    expect(await call('jobs.list', {})).toMatchObject([{ id: jobId, status: 'done' }]);
  });

  it('reads uploads by id under their original name, in previews, sources and errors', async () => {
    const { ctx, call, ws } = setUp(tmp());
    await call('workspace.create', { path: ws });
    fakeUpload(ws, ID, shopifyCsv(2), 'Shop Export (May).csv');
    const preview = await call('import.preview', { file: { uploadId: ID } });
    expect(preview).toMatchObject({ file: 'Shop Export (May).csv', format: 'shopify' });
    expect(preview.rows).toHaveLength(2);

    const { jobId } = await call('import.start', { file: { uploadId: ID }, channel: 'shopify' });
    expect(await ctx.jobs.wait(jobId)).toMatchObject({
      status: 'done',
      title: 'Import Shop Export (May).csv into shopify',
    });
    expect(await call('sources.list', {})).toMatchObject([{ file: 'Shop Export (May).csv' }]);

    const broken = 'b'.repeat(32);
    fakeUpload(ws, broken, `${shopifyCsv(1)}tee-2,"Tee 2\n`, 'broken.csv'); // a quote never closed
    const failed = await ctx.jobs.wait(
      (await call('import.start', { file: { uploadId: broken }, channel: 'shopify2' })).jobId,
    );
    expect(failed).toMatchObject({
      status: 'failed',
      error: { code: 'BAD_INPUT', details: { file: 'broken.csv', line: 3 } },
    });
    expect(failed.error!.message).toMatch(/^broken\.csv, line 3/);
  });

  it('never resolves an upload id to anything but a regular file inside the uploads folder', async () => {
    const { call, ws } = setUp(tmp());
    await expect(call('import.preview', { file: { uploadId: ID } })).rejects.toMatchObject({
      code: 'CONFLICT',
    }); // no workspace yet
    await call('workspace.create', { path: ws });
    await expect(call('import.preview', { file: { uploadId: ID } })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    const secret = writeTemp(tmp(), 'secret.csv', 'sku,name\nS1,secret\n');
    mkdirSync(uploadsDir(ws), { recursive: true });
    symlinkSync(secret, join(uploadsDir(ws), ID));
    await expect(call('import.preview', { file: { uploadId: ID } })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(
      call('import.start', { file: { uploadId: `../${'c'.repeat(29)}` } as never, channel: 'x' }),
    ).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(
      call('import.start', { file: { uploadId: 'C'.repeat(32) }, channel: 'x' }),
    ).rejects.toMatchObject({ code: 'BAD_INPUT' });
  });

  it('refuses imports without a workspace or of missing files, and workspace switches during an import', async () => {
    const { ctx, call, ws } = setUp(tmp());
    const csv = join(tmp(), 'big.csv');
    await writeShopifyCsv(csv, 100_000);
    await expect(call('import.start', { file: { path: csv }, channel: 'shopify' })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    await call('workspace.create', { path: ws });
    await expect(
      call('import.start', { file: { path: join(tmp(), 'missing.csv') }, channel: 'shopify' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      call('import.start', { file: { path: csv }, channel: 'generic', format: 'csv' }),
    ).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: 'format csv needs a column mapping with at least recordId',
    });

    const { jobId } = await call('import.start', { file: { path: csv }, channel: 'shopify' });
    await expect(call('workspace.open', { path: ws })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: /an import is running/,
    });
    expect(await call('jobs.cancel', { jobId })).toEqual({ cancelled: true });
    expect(await ctx.jobs.wait(jobId)).toMatchObject({ status: 'cancelled', error: { code: 'CANCELLED' } });
    expect(await call('jobs.cancel', { jobId })).toEqual({ cancelled: false });
    expect(await call('sources.list', {})).toEqual([]);
  });
});
