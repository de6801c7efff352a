import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listModels } from './registry.js';
import { JobRunner } from '../jobs/jobRunner.js';
import { openWorkspace } from '../store/workspace.js';
import { shopifyCsv } from '../test-support/shopifyCsv.js';
import { useTempDir, writeTemp } from '../test-support/tmp.js';
import type { MethodName, Params, Result } from '../api/contract.js';
import { dispatch } from '../app/dispatch.js';
import type { HandlerContext } from '../app/context.js';
import { WorkspaceSession } from '../app/session.js';

describe('embed.start', () => {
  const tmp = useTempDir();

  it('trains the encoder in a job with progress, registers the model and embeds every record on CPU', async () => {
    const phases = new Set<string>();
    const ctx: HandlerContext = {
      mode: 'test',
      session: new WorkspaceSession(),
      jobs: new JobRunner({ onEvent: (job) => phases.add(job.progress.phase) }),
    };
    let id = 0;
    const call = async <M extends MethodName>(method: M, params: Params<M>): Promise<Result<M>> => {
      const r = await dispatch({ type: 'request', id: ++id, method, params }, ctx);
      if (!r.ok) throw r.error;
      return r.result as Result<M>;
    };
    const ws = join(tmp(), 'shop.concord');
    await call('workspace.create', { path: ws });
    const csv = writeTemp(tmp(), 'shopify.csv', shopifyCsv(60));
    expect(
      (await ctx.jobs.wait((await call('import.start', { file: { path: csv }, channel: 'shopify' })).jobId))
        .status,
    ).toBe('done');

    const { jobId } = await call('embed.start', { timeBudgetSeconds: 20, providers: ['cuda', 'cpu'] });
    const job = await ctx.jobs.wait(jobId);
    expect(job).toMatchObject({
      kind: 'embed',
      status: 'done',
      result: { embeddings: { rows: 60 }, provider: { provider: 'cpu' } },
    });
    expect((job.result as { provider: { fallbackReason: string } }).provider.fallbackReason).toMatch(/cuda/);
    expect(phases.size).toBeGreaterThan(2);
    const opened = openWorkspace(ws);
    try {
      expect(listModels(opened).map((m) => m.kind)).toContain('encoder');
    } finally {
      opened.close();
    }
    await expect(call('embed.start', { timeBudgetSeconds: 0 })).rejects.toMatchObject({ code: 'BAD_INPUT' });
  });
});
