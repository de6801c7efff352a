import { randomUUID } from 'node:crypto';
import type { JobState } from '../api/contract.js';
import { toApiError } from '../api/toApiError.js';
import { ConcordError } from '../model/errors.js';
import { acquireWriteLock, waitingMessage } from '../store/writeLock.js';
import type { Progress } from './progress.js';

/** What a job's work gets: the signal that cancels it and a progress reporter. */
export interface JobContext {
  signal: AbortSignal;
  progress(progress: Progress): void;
}

export interface JobSpec<T> {
  kind: string;
  title: string;
  /**
   * Write jobs (imports) need the workspace's single SQLite writer: they run one at a time, in the order they
   * were started. Other jobs start at once.
   */
  writes: boolean;
  /**
   * The workspace file a write job writes. Its write lock (core/store/writeLock.ts) is held while the job runs, so
   * that writers in other programs wait; while another program holds it, this job waits (phase `waiting`, its
   * message naming the holder) up to CONCORD_LOCK_TIMEOUT, then fails with CONFLICT.
   */
  workspace?: string;
  run(ctx: JobContext): Promise<T>;
}

export interface JobRunnerOptions {
  /** Called with a snapshot whenever a job starts, finishes, or (throttled) makes progress. */
  onEvent?: (job: JobState) => void;
  /** Progress events per job at most this often (status changes are never held back). */
  progressIntervalMs?: number;
  /** Finished jobs kept for `list()`, newest kept. */
  keepFinished?: number;
}

interface Entry {
  state: JobState;
  spec: JobSpec<unknown>;
  controller: AbortController;
  lastProgressEvent: number;
  finished: Promise<JobState>;
  settle(state: JobState): void;
}

/** Runs jobs with progress, cancellation and a queue for write jobs; keeps a list for `jobs.list`. */
export class JobRunner {
  private readonly jobs = new Map<string, Entry>();
  private readonly writeQueue: Entry[] = [];
  private writing: Entry | null = null;
  private readonly onEvent: (job: JobState) => void;
  private readonly progressIntervalMs: number;
  private readonly keepFinished: number;

  constructor(options: JobRunnerOptions = {}) {
    this.onEvent = options.onEvent ?? (() => {});
    this.progressIntervalMs = options.progressIntervalMs ?? 100;
    this.keepFinished = options.keepFinished ?? 200;
  }

  /** Starts (or queues) a job and returns its first state. */
  start<T>(spec: JobSpec<T>): JobState {
    let settle!: (state: JobState) => void;
    const finished = new Promise<JobState>((resolve) => (settle = resolve));
    const queued = spec.writes && this.writing !== null;
    const entry: Entry = {
      state: {
        id: randomUUID(),
        kind: spec.kind,
        title: spec.title,
        status: 'running',
        progress: queued
          ? { done: 0, total: 0, phase: 'queued', message: 'waiting for the running import to finish' }
          : { done: 0, total: 0, phase: 'starting', message: '' },
        startedAt: new Date().toISOString(),
        finishedAt: null,
      },
      spec: spec as JobSpec<unknown>,
      controller: new AbortController(),
      lastProgressEvent: 0,
      finished,
      settle,
    };
    this.jobs.set(entry.state.id, entry);
    this.emit(entry);
    if (!spec.writes) void this.execute(entry);
    else if (queued) this.writeQueue.push(entry);
    else this.runWrite(entry);
    return snapshot(entry.state);
  }

  /** Cancels a queued or running job. False when the job is unknown or already finished. */
  cancel(id: string): boolean {
    const entry = this.jobs.get(id);
    if (!entry || entry.state.status !== 'running') return false;
    const queuedAt = this.writeQueue.indexOf(entry);
    if (queuedAt !== -1) {
      this.writeQueue.splice(queuedAt, 1);
      this.finish(
        entry,
        'cancelled',
        undefined,
        new ConcordError('CANCELLED', 'cancelled before it started'),
      );
      return true;
    }
    entry.controller.abort();
    return true;
  }

  /** Every job known, oldest first. */
  list(): JobState[] {
    return [...this.jobs.values()].map((e) => snapshot(e.state));
  }

  /** Forgets the finished jobs among `ids` (running ones stay); returns the ids forgotten. */
  dismiss(ids: readonly string[]): string[] {
    const dismissed: string[] = [];
    for (const id of ids) {
      const entry = this.jobs.get(id);
      if (!entry || entry.state.status === 'running') continue;
      this.jobs.delete(id);
      dismissed.push(id);
    }
    return dismissed;
  }

  get(id: string): JobState | undefined {
    const entry = this.jobs.get(id);
    return entry ? snapshot(entry.state) : undefined;
  }

  /** Resolves with the job's final state. */
  async wait(id: string): Promise<JobState> {
    const entry = this.jobs.get(id);
    if (!entry) throw new ConcordError('NOT_FOUND', `no job ${id}`, { jobId: id });
    return entry.finished;
  }

  /** True while a write job runs or waits. */
  hasPendingWrites(): boolean {
    return this.writing !== null || this.writeQueue.length > 0;
  }

  private runWrite(entry: Entry): void {
    this.writing = entry;
    void this.execute(entry).finally(() => {
      this.writing = null;
      const next = this.writeQueue.shift();
      if (next) this.runWrite(next);
    });
  }

  private async execute(entry: Entry): Promise<void> {
    const { signal } = entry.controller;
    if (entry.state.progress.phase === 'queued')
      this.setProgress(entry, { done: 0, total: 0, phase: 'starting', message: '' }, true);
    try {
      const result = await this.runHoldingLock(entry);
      if (signal.aborted) throw new ConcordError('CANCELLED', 'cancelled');
      this.finish(entry, 'done', result);
    } catch (err) {
      const error = toApiError(err);
      if (signal.aborted || error.code === 'CANCELLED')
        this.finish(entry, 'cancelled', undefined, new ConcordError('CANCELLED', 'cancelled'));
      else this.finish(entry, 'failed', undefined, err);
    }
  }

  /** Runs the job's work, holding its workspace's write lock (when it names one) for as long as it runs. */
  private async runHoldingLock(entry: Entry): Promise<unknown> {
    const { signal } = entry.controller;
    const work = { signal, progress: (p: Progress) => this.setProgress(entry, p, false) };
    if (!entry.spec.writes || entry.spec.workspace === undefined) return entry.spec.run(work);
    const lock = await acquireWriteLock(entry.spec.workspace, entry.spec.kind, {
      signal,
      onWait: (holder, timeoutMs) =>
        this.setProgress(
          entry,
          { done: 0, total: 0, phase: 'waiting', message: waitingMessage(holder, timeoutMs) },
          true,
        ),
    });
    try {
      return await entry.spec.run(work);
    } finally {
      lock.release();
    }
  }

  private setProgress(entry: Entry, progress: Progress, force: boolean): void {
    if (entry.state.status !== 'running') return;
    entry.state.progress = { ...progress };
    const now = performance.now();
    if (force || now - entry.lastProgressEvent >= this.progressIntervalMs) {
      entry.lastProgressEvent = now;
      this.emit(entry);
    }
  }

  private finish(
    entry: Entry,
    status: 'done' | 'failed' | 'cancelled',
    result?: unknown,
    err?: unknown,
  ): void {
    entry.state.status = status;
    entry.state.finishedAt = new Date().toISOString();
    if (status === 'done') {
      entry.state.result = result;
      entry.state.progress = finalProgress(entry.state.progress);
    } else entry.state.error = toApiError(err);
    this.emit(entry);
    entry.settle(snapshot(entry.state));
    this.forgetOldJobs();
  }

  private forgetOldJobs(): void {
    const finished = [...this.jobs.values()].filter((e) => e.state.status !== 'running');
    for (const e of finished.slice(0, Math.max(0, finished.length - this.keepFinished)))
      this.jobs.delete(e.state.id);
  }

  private emit(entry: Entry): void {
    try {
      this.onEvent(snapshot(entry.state));
    } catch (err) {
      process.stderr.write(`job event listener failed: ${(err as Error).stack ?? String(err)}\n`);
    }
  }
}

/**
 * A finished job's progress: phase `done`, complete. The last report's message stays when it said the work was
 * complete ("1,234 rows"); a stage's message ("saving") does not.
 */
function finalProgress(last: Progress): Progress {
  const complete = last.phase === 'done' || (last.total > 0 && last.done >= last.total);
  const total = Math.max(last.total, 1);
  return { done: total, total, phase: 'done', message: complete ? last.message : '' };
}

function snapshot(state: JobState): JobState {
  return { ...state, progress: { ...state.progress }, ...(state.error ? { error: { ...state.error } } : {}) };
}
