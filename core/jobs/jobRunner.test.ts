import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JobState } from '../api/contract.js';
import { importFile } from '../ingest/importFile.js';
import { ConcordError } from '../model/errors.js';
import { listSources } from '../store/sources.js';
import { openWorkspace } from '../store/workspace.js';
import { writeShopifyCsv } from '../test-support/shopifyCsv.js';
import { useTempDir } from '../test-support/tmp.js';
import { JobRunner, type JobContext } from './jobRunner.js';

const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

/** A job whose steps the test drives: `step()` reports progress, `finish()` ends it; a cancel rejects it. */
function controllableJob() {
  let ctx: JobContext | null = null;
  let finish: (value: string) => void = () => {};
  let markStarted: () => void = () => {};
  const started = new Promise<void>((resolve) => (markStarted = resolve));
  return {
    started,
    run(c: JobContext): Promise<string> {
      ctx = c;
      markStarted();
      return new Promise<string>((resolve, reject) => {
        finish = resolve;
        c.signal.addEventListener('abort', () => reject(new ConcordError('CANCELLED', 'cancelled')));
      });
    },
    step: (done: number, total: number) =>
      ctx!.progress({ done, total, phase: 'work', message: `${done} of ${total}` }),
    finish: (value: string) => finish(value),
  };
}

describe('JobRunner', () => {
  const tmp = useTempDir();

  it('reports a job from running through throttled progress to done, with its result', async () => {
    const events: JobState[] = [];
    const runner = new JobRunner({ onEvent: (j) => events.push(j), progressIntervalMs: 50 });
    const job = controllableJob();
    const { id } = runner.start({ kind: 'test', title: 'Count things', writes: false, run: job.run });
    await job.started;
    for (let i = 1; i <= 100; i++) job.step(i, 100); // a burst: mostly held back
    await tick(60);
    job.step(100, 100); // after the interval: goes out
    job.finish('counted');
    const final = await runner.wait(id);

    expect(final).toMatchObject({
      id,
      kind: 'test',
      title: 'Count things',
      status: 'done',
      result: 'counted',
    });
    expect(final.finishedAt).not.toBeNull();
    expect(Date.parse(final.finishedAt!)).toBeGreaterThanOrEqual(Date.parse(final.startedAt));
    expect(events[0]).toMatchObject({ id, status: 'running' });
    const progressEvents = events.filter((e) => e.status === 'running' && e.progress.phase === 'work');
    expect(progressEvents.length).toBeGreaterThanOrEqual(2);
    expect(progressEvents.length).toBeLessThan(10);
    expect(progressEvents.at(-1)!.progress).toEqual({
      done: 100,
      total: 100,
      phase: 'work',
      message: '100 of 100',
    });
    expect(events.at(-1)).toMatchObject({ status: 'done', result: 'counted' });
    expect(runner.list().map((j) => j.id)).toEqual([id]);
  });

  it('marks a job failed with the error mapped to {code, message, details}', async () => {
    const runner = new JobRunner();
    const bad = runner.start({
      kind: 'test',
      title: 'Bad input',
      writes: false,
      run: async () => {
        throw new ConcordError('BAD_INPUT', 'shop.csv, line 3: ragged row', { file: 'shop.csv', line: 3 });
      },
    });
    const crash = runner.start({
      kind: 'test',
      title: 'Bug',
      writes: false,
      run: async () => {
        throw new TypeError('x is undefined');
      },
    });
    expect(await runner.wait(bad.id)).toMatchObject({
      status: 'failed',
      error: {
        code: 'BAD_INPUT',
        message: 'shop.csv, line 3: ragged row',
        details: { file: 'shop.csv', line: 3 },
      },
    });
    expect(await runner.wait(crash.id)).toMatchObject({
      status: 'failed',
      error: { code: 'INTERNAL', message: 'internal error: x is undefined' },
    });
  });

  it('ends a finished job in phase done: a stage message ("saving") does not outlive it, a count that says done does', async () => {
    const runner = new JobRunner({ progressIntervalMs: 0 });
    const staged = runner.start({
      kind: 'align',
      title: 'Align',
      writes: false,
      run: async ({ progress }) => {
        progress({ done: 0, total: 0, phase: 'save', message: 'saving' });
        return 'aligned';
      },
    });
    expect((await runner.wait(staged.id)).progress).toEqual({
      done: 1,
      total: 1,
      phase: 'done',
      message: '',
    });
    const counted = runner.start({
      kind: 'import',
      title: 'Import',
      writes: false,
      run: async ({ progress }) => {
        progress({ done: 900, total: 900, phase: 'import', message: '1,234 rows' });
        return 'imported';
      },
    });
    expect((await runner.wait(counted.id)).progress).toEqual({
      done: 900,
      total: 900,
      phase: 'done',
      message: '1,234 rows',
    });
  });

  it('dismisses finished jobs (a failed one dealt with) and keeps running ones', async () => {
    const runner = new JobRunner();
    const failed = runner.start({
      kind: 'test',
      title: 'Fails',
      writes: false,
      run: async () => {
        throw new ConcordError('BAD_INPUT', 'no such file');
      },
    });
    await runner.wait(failed.id);
    const job = controllableJob();
    const running = runner.start({ kind: 'test', title: 'Runs', writes: false, run: job.run });
    await job.started;
    expect(runner.dismiss([failed.id, running.id, 'unknown'])).toEqual([failed.id]);
    expect(runner.list().map((j) => j.id)).toEqual([running.id]);
    job.finish('ok');
    await runner.wait(running.id);
    expect(runner.dismiss([running.id])).toEqual([running.id]);
    expect(runner.list()).toEqual([]);
  });

  it('runs write jobs one at a time in the order they were started, other jobs at once', async () => {
    const runner = new JobRunner();
    const order: string[] = [];
    const writes = ['first', 'second', 'third'].map((name) => ({ name, job: controllableJob() }));
    const ids = writes.map(
      ({ name, job }) =>
        runner.start({
          kind: 'import',
          title: name,
          writes: true,
          run: async (ctx) => {
            order.push(`start ${name}`);
            const v = await job.run(ctx);
            order.push(`end ${name}`);
            return v;
          },
        }).id,
    );
    expect(runner.get(ids[1])!.progress.phase).toBe('queued');
    const reader = controllableJob();
    const readId = runner.start({ kind: 'read', title: 'reader', writes: false, run: reader.run }).id;
    await reader.started; // not held up by the writes
    reader.finish('read');
    expect((await runner.wait(readId)).status).toBe('done');

    expect(runner.hasPendingWrites()).toBe(true);
    for (const { job } of [...writes].reverse()) void job.started.then(() => job.finish('ok'));
    await Promise.all(ids.map((id) => runner.wait(id)));
    expect(order).toEqual([
      'start first',
      'end first',
      'start second',
      'end second',
      'start third',
      'end third',
    ]);
    expect(runner.hasPendingWrites()).toBe(false);
  });

  it('cancels a queued write job before it starts, and the rest of the queue still runs', async () => {
    const runner = new JobRunner();
    const a = controllableJob();
    const b = controllableJob();
    const c = controllableJob();
    let bRan = false;
    const ja = runner.start({ kind: 'import', title: 'a', writes: true, run: a.run });
    const jb = runner.start({
      kind: 'import',
      title: 'b',
      writes: true,
      run: (ctx) => ((bRan = true), b.run(ctx)),
    });
    const jc = runner.start({ kind: 'import', title: 'c', writes: true, run: c.run });
    expect(runner.cancel(jb.id)).toBe(true);
    expect(await runner.wait(jb.id)).toMatchObject({ status: 'cancelled', error: { code: 'CANCELLED' } });
    await a.started;
    a.finish('a');
    await c.started;
    c.finish('c');
    expect((await runner.wait(jc.id)).status).toBe('done');
    expect((await runner.wait(ja.id)).status).toBe('done');
    expect(bRan).toBe(false);
    expect(runner.cancel(ja.id)).toBe(false); // already finished
    expect(runner.cancel('no-such-job')).toBe(false);
  });

  it('cancels a running import: the job ends CANCELLED and the workspace is unchanged', async () => {
    const ws = join(tmp(), 'w.concord');
    openWorkspace(ws, { create: true }).close();
    const csv = join(tmp(), 'big.csv');
    await writeShopifyCsv(csv, 200_000);
    const events: JobState[] = [];
    const runner = new JobRunner({ onEvent: (j) => events.push(j), progressIntervalMs: 0 });
    const { id } = runner.start({
      kind: 'import',
      title: 'Import big.csv',
      writes: true,
      run: ({ signal, progress }) =>
        importFile({ workspace: ws, file: csv, channel: 'shopify', signal, onProgress: progress }),
    });
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (events.some((e) => e.progress.phase === 'import' && e.progress.done > 0)) {
          clearInterval(poll);
          resolve();
        }
      }, 1);
    });
    expect(runner.cancel(id)).toBe(true);
    const final = await runner.wait(id);
    expect(final).toMatchObject({ status: 'cancelled', error: { code: 'CANCELLED' } });
    expect(final.finishedAt).not.toBeNull();

    const check = openWorkspace(ws);
    try {
      expect(listSources(check.db)).toEqual([]);
      expect(check.db.prepare('SELECT count(*) FROM records').pluck().get()).toBe(0);
    } finally {
      check.close();
    }
  });
});
