import { fork, type ChildProcess } from 'node:child_process';
import type { ApiError, EventMessage, JobState, ResponseMessage } from '../api/contract.js';
import { isWorkerReady } from '../worker/transport.js';

/** A response without its id: the caller puts back the id its own client used. */
export type Outcome = { ok: true; result: unknown } | { ok: false; error: ApiError };

export interface WorkerHostOptions {
  /** The compiled worker entry (dist/core/worker/main.js). */
  entry: string;
  /** Workspace the worker opens at start (and again after a restart). */
  workspace: string | null;
  log(line: string): void;
}

interface Pending {
  method: string;
  resolve(outcome: Outcome): void;
}

/** Restart delays after consecutive crashes; a worker that stays up a minute resets the count. */
const RESTART_DELAYS_MS = [0, 250, 1000, 2000, 5000];
const STABLE_AFTER_MS = 60_000;
const KEEP_LOST_JOBS = 100;

/**
 * Runs the worker as a child process and supervises it. Many clients share it: each call gets a fresh request id
 * on the worker side and its answer comes back to the caller's promise. When the worker dies unexpectedly, the
 * host fails the calls in flight and the jobs that were running (their import transactions never committed),
 * tells every client, starts a new worker on the same workspace and keeps serving.
 */
export class WorkerHost {
  private child: ChildProcess | null = null;
  private ready = false;
  private stopping = false;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly waitingForReady: (() => void)[] = [];
  private readonly runningJobs = new Map<string, JobState>();
  /** Jobs a crash ended: the new worker does not know them, so `jobs.list` answers get them added. */
  private readonly lostJobs: JobState[] = [];
  private readonly eventListeners: ((event: EventMessage) => void)[] = [];
  private workspace: string | null;
  private crashes = 0;
  private startedAt = 0;
  private exited: Promise<void> = Promise.resolve();
  private everReady = false;
  private failFirstStart: ((err: Error) => void) | null = null;

  constructor(private readonly options: WorkerHostOptions) {
    this.workspace = options.workspace;
  }

  /** Starts the worker; resolves once it serves requests. */
  async start(): Promise<void> {
    const firstStartFailed = new Promise<never>((_, reject) => (this.failFirstStart = reject));
    this.spawn();
    await Promise.race([this.whenReady(), firstStartFailed]);
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  onEvent(listener: (event: EventMessage) => void): void {
    this.eventListeners.push(listener);
  }

  /** Calls a contract method on the worker. Never rejects: failures come back as `{ok: false, error}`. */
  async call(method: string, params: unknown): Promise<Outcome> {
    // While the worker restarts, calls wait for the new one.
    while (!(this.ready && this.child)) {
      if (this.stopping) return failed('INTERNAL', 'the server is shutting down');
      await this.whenReady();
    }
    const child = this.child;
    const id = this.nextId++;
    return new Promise<Outcome>((resolve) => {
      this.pending.set(id, { method, resolve });
      child.send({ type: 'request', id, method, params }, (err) => {
        if (err && this.pending.delete(id))
          resolve(failed('INTERNAL', `could not reach the worker process: ${err.message}`));
      });
    });
  }

  /** Stops the worker (SIGTERM, then SIGKILL after a grace period) and does not restart it. */
  async stop(graceMs = 3000): Promise<void> {
    this.stopping = true;
    for (const wake of this.waitingForReady.splice(0)) wake();
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await this.exited;
      clearTimeout(timer);
    }
  }

  private whenReady(): Promise<void> {
    if (this.ready || this.stopping) return Promise.resolve();
    return new Promise((resolve) => this.waitingForReady.push(resolve));
  }

  private spawn(): void {
    const args = ['--mode', 'web', ...(this.workspace ? ['--workspace', this.workspace] : [])];
    // The worker's stdout goes to our stderr: the server's stdout carries only the "listening" line.
    const child = fork(this.options.entry, args, { stdio: ['ignore', 2, 2, 'ipc'], execArgv: [] });
    this.child = child;
    this.ready = false;
    this.startedAt = Date.now();
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    this.options.log(`worker process ${child.pid} started${this.workspace ? ` on ${this.workspace}` : ''}`);
    child.on('message', (message) => this.onMessage(message));
    child.on('error', (err) => this.options.log(`worker process error: ${err.message}`));
    child.once('exit', (code, signal) => this.onExit(child, code, signal));
  }

  private onMessage(message: unknown): void {
    if (isWorkerReady(message)) {
      if (this.everReady) {
        const where = message.workspace ? `; ${message.workspace} is open again` : '';
        this.broadcast({
          type: 'event',
          event: 'notice',
          level: 'info',
          message: `The worker process was restarted${where}.`,
        });
      }
      this.everReady = true;
      this.ready = true;
      this.workspace = message.workspace ?? this.workspace;
      for (const wake of this.waitingForReady.splice(0)) wake();
      return;
    }
    const m = message as ResponseMessage | EventMessage;
    if (m.type === 'response') this.onResponse(m);
    else if (m.type === 'event') {
      if (m.event === 'job') this.track(m.job);
      this.broadcast(m);
    }
  }

  private onResponse(response: ResponseMessage): void {
    const pending = this.pending.get(response.id);
    if (!pending) return;
    this.pending.delete(response.id);
    if (!response.ok) {
      pending.resolve({ ok: false, error: response.error });
      return;
    }
    let result = response.result;
    if ((pending.method === 'workspace.open' || pending.method === 'workspace.create') && result) {
      this.workspace = (result as { path: string }).path;
    }
    if (pending.method === 'jobs.list' && Array.isArray(result)) result = [...this.lostJobs, ...result];
    pending.resolve({ ok: true, result });
  }

  private track(job: JobState): void {
    if (job.status === 'running') this.runningJobs.set(job.id, job);
    else this.runningJobs.delete(job.id);
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (child !== this.child) return;
    this.child = null;
    this.ready = false;
    const cause = signal ? `signal ${signal}` : `exit code ${code}`;
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      p.resolve(failed('INTERNAL', `the worker process stopped (${cause}) before answering ${p.method}`));
    }
    if (this.stopping) return;
    if (!this.everReady) {
      this.failFirstStart?.(
        new Error(`the worker process (${this.options.entry}) stopped during start-up (${cause})`),
      );
      return;
    }

    this.options.log(`worker process stopped unexpectedly (${cause}); restarting it`);
    const lost = this.failRunningJobs(cause);
    this.broadcast({
      type: 'event',
      event: 'notice',
      level: 'error',
      message:
        `The worker process stopped unexpectedly (${cause}) and is being restarted.` +
        (lost > 0
          ? ` ${lost} running job${lost === 1 ? ' was' : 's were'} marked failed and rolled back.`
          : '') +
        ' The workspace is intact.',
    });
    this.crashes = Date.now() - this.startedAt > STABLE_AFTER_MS ? 1 : this.crashes + 1;
    const delay = RESTART_DELAYS_MS[Math.min(this.crashes - 1, RESTART_DELAYS_MS.length - 1)];
    setTimeout(() => {
      if (!this.stopping) this.spawn();
    }, delay);
  }

  private failRunningJobs(cause: string): number {
    const finishedAt = new Date().toISOString();
    const jobs = [...this.runningJobs.values()];
    this.runningJobs.clear();
    for (const job of jobs) {
      const consequence = job.kind === 'import' ? 'the import was rolled back' : 'the job was stopped';
      const failedJob: JobState = {
        ...job,
        status: 'failed',
        finishedAt,
        error: {
          code: 'INTERNAL',
          message: `the worker process stopped unexpectedly (${cause}); ${consequence}`,
          details: { cause },
        },
      };
      this.lostJobs.push(failedJob);
      this.broadcast({ type: 'event', event: 'job', job: failedJob });
    }
    this.lostJobs.splice(0, Math.max(0, this.lostJobs.length - KEEP_LOST_JOBS));
    return jobs.length;
  }

  private broadcast(event: EventMessage): void {
    for (const listener of this.eventListeners) listener(event);
  }
}

function failed(code: ApiError['code'], message: string): Outcome {
  return { ok: false, error: { code, message, details: {} } };
}
