import { describe, expect, it } from 'vitest';
import type { JobState } from '../../../core/api/contract';
import {
  finishedOnce,
  jobsNewestFirst,
  lostJobs,
  mergeJob,
  upsertJobs,
  withoutFinished,
  type JobMap,
} from './jobMerge';

function job(id: string, patch: Partial<JobState> = {}): JobState {
  return {
    id,
    kind: 'align',
    title: 'Align',
    status: 'running',
    progress: { done: 0, total: 10, phase: 'score', message: '' },
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: null,
    ...patch,
  };
}
const progress = (done: number, phase = 'score') => ({ done, total: 10, phase, message: '' });

describe('mergeJob', () => {
  it('takes the first state it hears of', () => {
    expect(mergeJob(undefined, job('a'))).toEqual(job('a'));
  });

  it('never goes back from finished to running', () => {
    const done = job('a', { status: 'done', finishedAt: '2026-01-01T00:01:00.000Z' });
    expect(mergeJob(done, job('a'))).toBe(done);
    const failed = job('a', { status: 'failed' });
    expect(mergeJob(done, failed)).toBe(failed);
  });

  it('ignores progress that goes backwards within a phase, not across phases', () => {
    const at5 = job('a', { progress: progress(5) });
    expect(mergeJob(at5, job('a', { progress: progress(3) }))).toBe(at5);
    const at6 = job('a', { progress: progress(6) });
    expect(mergeJob(at5, at6)).toBe(at6);
    const next = job('a', { progress: progress(1, 'cluster') });
    expect(mergeJob(at5, next)).toBe(next);
  });
});

describe('withoutFinished', () => {
  it('drops dismissed finished jobs, keeps running ones, and leaves the old map alone', () => {
    const before: JobMap = new Map([
      ['failed', job('failed', { status: 'failed' })],
      ['running', job('running')],
      ['done', job('done', { status: 'done' })],
    ]);
    const after = withoutFinished(before, ['failed', 'running', 'unknown']);
    expect([...after.keys()]).toEqual(['running', 'done']);
    expect(before.size).toBe(3);
  });
});

describe('upsertJobs', () => {
  it('merges a list into a new map and leaves the old one alone', () => {
    const before: JobMap = new Map([['a', job('a', { progress: progress(5) })]]);
    const after = upsertJobs(before, [job('a', { progress: progress(2) }), job('b')]);
    expect([...after.keys()]).toEqual(['a', 'b']);
    expect(after.get('a')?.progress.done).toBe(5);
    expect(before.size).toBe(1);
  });
});

describe('lostJobs', () => {
  it('marks failed the running jobs the worker no longer lists', () => {
    const jobs: JobMap = new Map([
      ['a', job('a')],
      ['b', job('b')],
      ['c', job('c', { status: 'done' })],
    ]);
    const lost = lostJobs(jobs, [job('b')], '2026-01-01T00:05:00.000Z');
    expect(lost.map((j) => j.id)).toEqual(['a']);
    expect(lost[0]).toMatchObject({
      status: 'failed',
      finishedAt: '2026-01-01T00:05:00.000Z',
      error: { code: 'INTERNAL', message: expect.stringContaining('worker process stopped') },
    });
  });
});

describe('jobsNewestFirst', () => {
  it('orders by start, newest first', () => {
    const jobs: JobMap = new Map([
      ['old', job('old', { startedAt: '2026-01-01T00:00:00.000Z' })],
      ['new', job('new', { startedAt: '2026-01-02T00:00:00.000Z' })],
    ]);
    expect(jobsNewestFirst(jobs).map((j) => j.id)).toEqual(['new', 'old']);
  });
});

describe('finishedOnce', () => {
  it('is true once per job, when it first ends', () => {
    const first = finishedOnce();
    expect(first(job('a'))).toBe(false);
    expect(first(job('a', { status: 'done' }))).toBe(true);
    expect(first(job('a', { status: 'done' }))).toBe(false);
    expect(first(job('b', { status: 'cancelled' }))).toBe(true);
  });
});
