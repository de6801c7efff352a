import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JobRunner } from '../jobs/jobRunner.js';
import { concord } from '../test-support/cli.js';
import { shopifyCsv } from '../test-support/shopifyCsv.js';
import { useTempDir, writeTemp } from '../test-support/tmp.js';
import { dispatchClient } from '../test-support/dispatchClient.js';
import type { HandlerContext } from './handlers.js';
import { WorkspaceSession } from './session.js';

function setUp(dir: string) {
  const ctx: HandlerContext = { mode: 'test', session: new WorkspaceSession(), jobs: new JobRunner() };
  return { ctx, call: dispatchClient(ctx), ws: join(dir, 'shop.concord') };
}

const NO_RECORDS_ALIGN =
  'there are no product records to align yet: import the exports of at least two channels first';
const NO_RECORDS_GAPS =
  'there are no product records to compare yet: import the exports of at least two channels first';
const NO_RECORDS_TRAIN =
  'training the encoder needs at least 2 product records with a title, and this workspace has 0: import a channel export first';

describe('actions that need records refuse on a workspace that lacks them, in the API and the CLI alike', () => {
  const tmp = useTempDir();

  it('says on workspace.current which actions cannot run yet and why, and the handlers refuse with that reason', async () => {
    const { ctx, call, ws } = setUp(tmp());
    const info = await call('workspace.create', { path: ws });
    expect(info.blocked).toEqual({
      align: NO_RECORDS_ALIGN,
      detectGaps: NO_RECORDS_GAPS,
      trainEncoder: NO_RECORDS_TRAIN,
    });
    await expect(call('align.start', {})).rejects.toEqual({
      code: 'CONFLICT',
      message: NO_RECORDS_ALIGN,
      details: { action: 'align' },
    });
    for (const params of [{}, { align: true }]) {
      await expect(call('gaps.detect', params)).rejects.toMatchObject({
        code: 'CONFLICT',
        message: NO_RECORDS_GAPS,
      });
    }
    await expect(call('embed.start', {})).rejects.toMatchObject({
      code: 'CONFLICT',
      message: NO_RECORDS_TRAIN,
    });
    expect(ctx.jobs.list()).toEqual([]);

    const csv = writeTemp(tmp(), 'shopify.csv', shopifyCsv(3));
    await ctx.jobs.wait((await call('import.start', { file: { path: csv }, channel: 'shopify' })).jobId);
    const oneChannel =
      'only one channel (shopify) has product records: import another channel’s export first';
    expect((await call('workspace.current', {}))?.blocked).toEqual({
      align: `alignment matches records across channels, and ${oneChannel}`,
      detectGaps: `gap detection compares channels, and ${oneChannel}`,
      trainEncoder: null,
    });
    await expect(call('align.start', {})).rejects.toMatchObject({
      code: 'CONFLICT',
      message: `alignment matches records across channels, and ${oneChannel}`,
    });

    const other = writeTemp(tmp(), 'other.csv', shopifyCsv(2).replaceAll('tee-', 'mug-'));
    await ctx.jobs.wait((await call('import.start', { file: { path: other }, channel: 'app' })).jobId);
    expect((await call('workspace.current', {}))?.blocked).toEqual({
      align: null,
      detectGaps: null,
      trainEncoder: null,
    });
    const aligned = await ctx.jobs.wait((await call('align.start', {})).jobId);
    expect(aligned.status).toBe('done');
    ctx.session.close();
  });

  it('concord align and concord gaps exit 2 with the same reason on an empty workspace', () => {
    const ws = join(tmp(), 'empty.concord');
    expect(concord('init', ws).code).toBe(0);
    const align = concord('align', ws);
    expect(align.code).toBe(2);
    expect(align.stderr).toContain(NO_RECORDS_ALIGN);
    const gaps = concord('gaps', ws);
    expect(gaps.code).toBe(2);
    expect(gaps.stderr).toContain(NO_RECORDS_GAPS);
  });
});
