// The shared supervisor's restart policy and failed-job marking, driven with a fake fork and fake timers.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { JobState } from '../api/contract.js';
import { WorkerSupervisor, type CrashReport, type SupervisedProcess } from './supervisor.js';

class FakeWorker implements SupervisedProcess {
  killed = false;
  constructor(
    readonly workspace: string | null,
    readonly exit: (cause: string) => void,
  ) {}
  kill(): void {
    this.killed = true;
  }
}

function job(id: string, status: JobState['status'], kind = 'import'): JobState {
  return {
    id,
    kind,
    title: id,
    status,
    progress: { done: 0, total: 1, phase: 'import', message: '' },
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: null,
  };
}

function setup(policy = { delaysMs: [0, 100, 1000], maxRestarts: 3, windowMs: 60_000 }) {
  const workers: FakeWorker[] = [];
  const reports: CrashReport[] = [];
  const started: boolean[] = [];
  const supervisor = new WorkerSupervisor<FakeWorker>(
    {
      fork: (workspace, exited) => {
        const w = new FakeWorker(workspace, exited);
        workers.push(w);
        return w;
      },
      log: () => {},
      now: () => Date.now(),
    },
    { crashed: (r) => void reports.push(r), started: (_c, restarted) => void started.push(restarted) },
    policy,
  );
  return { supervisor, workers, reports, started };
}

describe('WorkerSupervisor', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('restarts with backoff on the same workspace and stops after a crash loop', () => {
    const { supervisor, workers, reports, started } = setup();
    supervisor.workspace = '/w.concord';
    supervisor.start();
    workers[0].exit('exit code 1'); // 1st crash: at once
    expect(workers).toHaveLength(2);
    workers[1].exit('exit code 1'); // 2nd: after 100 ms
    expect(workers).toHaveLength(2);
    vi.advanceTimersByTime(100);
    expect(workers).toHaveLength(3);
    workers[2].exit('signal SIGKILL'); // 3rd: after 1 s (the last delay repeats)
    vi.advanceTimersByTime(999);
    expect(workers).toHaveLength(3);
    vi.advanceTimersByTime(1);
    expect(workers.map((w) => w.workspace)).toEqual(Array(4).fill('/w.concord'));
    expect(started).toEqual([false, true, true, true]);
    workers[3].exit('exit code 1'); // 4th within the window: a crash loop
    vi.advanceTimersByTime(10_000);
    expect(workers).toHaveLength(4);
    expect(supervisor.state).toBe('crashed');
    expect(reports.map((r) => [r.cause, r.crashes, r.restarting])).toEqual([
      ['exit code 1', 1, true],
      ['exit code 1', 2, true],
      ['signal SIGKILL', 3, true],
      ['exit code 1', 4, false],
    ]);
    expect(supervisor.restartAfterCrashLoop()).toBe(true);
    expect(workers).toHaveLength(5);
  });

  it('marks the running jobs failed on a crash and keeps them for jobs.list', () => {
    const { supervisor, workers, reports } = setup();
    supervisor.start();
    supervisor.client.emit({ type: 'event', event: 'job', job: job('a', 'running') });
    supervisor.client.emit({ type: 'event', event: 'job', job: job('b', 'running', 'align') });
    supervisor.client.emit({ type: 'event', event: 'job', job: job('c', 'running') });
    supervisor.client.emit({ type: 'event', event: 'job', job: job('c', 'done') });
    workers[0].exit('signal SIGKILL');
    expect(reports[0].failedJobs.map((j) => [j.id, j.status, j.error?.message])).toEqual([
      ['a', 'failed', 'the worker process stopped unexpectedly (signal SIGKILL); the import was rolled back'],
      ['b', 'failed', 'the worker process stopped unexpectedly (signal SIGKILL); the job was stopped'],
    ]);
    expect(reports[0].failedJobs.every((j) => j.finishedAt !== null)).toBe(true);
    expect(supervisor.lostJobs.map((j) => j.id)).toEqual(['a', 'b']);
  });

  it('rejects calls in flight when the worker dies, and waiting calls when it is stopped', async () => {
    const { supervisor, workers } = setup();
    supervisor.start();
    const posted: unknown[] = [];
    supervisor.client.attach({ post: (m) => void posted.push(m), close: () => {} });
    const inFlight = supervisor.client.invoke('jobs.list', {});
    workers[0].exit('exit code 3');
    await expect(inFlight).rejects.toMatchObject({
      code: 'INTERNAL',
      message: 'The worker process stopped (exit code 3) before answering jobs.list.',
    });
    const waiting = supervisor.client.invoke('jobs.list', {}); // not attached to the new worker yet
    expect(supervisor.stop('shutting down')).toBe(workers[1]);
    expect(workers[1].killed).toBe(true);
    await expect(waiting).rejects.toMatchObject({ code: 'INTERNAL', message: 'shutting down' });
    workers[1].exit('signal SIGTERM'); // on purpose: no restart
    expect(workers).toHaveLength(2);
    expect(supervisor.state).toBe('stopped');
  });

  it('does not start a worker that is not available', () => {
    const unavailable: string[] = [];
    const supervisor = new WorkerSupervisor(
      { fork: () => ({ kill() {} }), unavailable: () => 'not built', log: () => {} },
      { unavailable: (m) => void unavailable.push(m) },
    );
    expect(supervisor.start()).toBe(false);
    expect(supervisor.state).toBe('missing');
    expect(unavailable).toEqual(['not built']);
  });
});
