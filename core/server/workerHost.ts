import { fork, type ChildProcess } from 'node:child_process';
import type { EventMessage } from '../api/contract.js';
import { toApiError, type CallOptions } from '../rpc/client.js';
import type { Outcome } from '../rpc/server.js';
import { WORKER_NODE_FLAGS, WorkerSupervisor, type CrashReport } from '../worker/supervisor.js';
import { isWorkerReady } from '../worker/transport.js';

export type { Outcome } from '../rpc/server.js';

export interface WorkerHostOptions {
  /** The compiled worker entry (dist/core/worker/main.js). */
  entry: string;
  /** Workspace the worker opens at start (and again after a restart). */
  workspace: string | null;
  log(line: string): void;
}

/**
 * The web server's adapter over the shared supervisor (core/worker/supervisor.ts): the worker runs as a child
 * process on Node IPC, and many clients share it through one channel client (each call gets its own id on the
 * worker side). Calls made while the worker (re)starts wait for it. When it dies, the supervisor fails the calls in
 * flight and the jobs that were running (their import transactions never committed); this host tells every client
 * and adds those jobs to `jobs.list` answers, since the new worker does not know them.
 */
export class WorkerHost {
  private readonly supervisor: WorkerSupervisor<ChildProcess>;
  private readonly eventListeners: ((event: EventMessage) => void)[] = [];
  private exited: Promise<void> = Promise.resolve();
  private everReady = false;
  private startup: { resolve(): void; reject(err: Error): void } | null = null;

  constructor(private readonly options: WorkerHostOptions) {
    this.supervisor = new WorkerSupervisor<ChildProcess>(
      { fork: (workspace, exited) => this.spawn(workspace, exited), log: options.log },
      { crashed: (report) => this.crashed(report) },
      undefined,
      { toError: (error) => error },
    );
    this.supervisor.workspace = options.workspace;
    this.supervisor.client.onEvent((event) => this.broadcast(event));
  }

  /** Starts the worker; resolves once it serves requests. */
  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.startup = { resolve, reject };
      this.supervisor.start();
    });
  }

  get pid(): number | undefined {
    return this.supervisor.process?.pid;
  }

  onEvent(listener: (event: EventMessage) => void): void {
    this.eventListeners.push(listener);
  }

  /** Calls a contract method on the worker. Never rejects: failures come back as `{ok: false, error}`. */
  async call(method: string, params: unknown, options?: CallOptions): Promise<Outcome> {
    const { state } = this.supervisor;
    if (state === 'stopped') return failed('the server is shutting down');
    if (state === 'crashed') return failed('the worker process is not running (it kept crashing)');
    try {
      let result = await this.supervisor.client.invoke(method, params, options);
      if ((method === 'workspace.open' || method === 'workspace.create') && result)
        this.supervisor.workspace = (result as { path: string }).path;
      if (method === 'jobs.list' && Array.isArray(result)) result = [...this.supervisor.lostJobs, ...result];
      return { ok: true, result };
    } catch (err) {
      return { ok: false, error: toApiError(err) };
    }
  }

  /** Stops the worker (SIGTERM, then SIGKILL after a grace period) and does not restart it. */
  async stop(graceMs = 3000): Promise<void> {
    const child = this.supervisor.stop('the server is shutting down'); // SIGTERM
    if (child && child.exitCode === null && child.signalCode === null) {
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await this.exited;
      clearTimeout(timer);
    }
  }

  private spawn(workspace: string | null, exited: (cause: string) => void): ChildProcess {
    const args = ['--mode', 'web', ...(workspace ? ['--workspace', workspace] : [])];
    // The worker's stdout goes to our stderr: the server's stdout carries only the "listening" line.
    const child = fork(this.options.entry, args, {
      stdio: ['ignore', 2, 2, 'ipc'],
      execArgv: [...WORKER_NODE_FLAGS],
    });
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    this.options.log(`worker process ${child.pid} started${workspace ? ` on ${workspace}` : ''}`);
    const client = this.supervisor.client;
    child.on('message', (message) => {
      if (isWorkerReady(message)) this.ready(child, message.workspace);
      else client.receive(message);
    });
    child.on('error', (err) => this.options.log(`worker process error: ${err.message}`));
    child.once('exit', (code, signal) => {
      const cause = signal ? `signal ${signal}` : `exit code ${code}`;
      if (!this.everReady && this.supervisor.process === child && this.startup) {
        // Not a crash to restart from: the worker never came up.
        this.supervisor.stop('the worker process did not start');
        this.startup.reject(
          new Error(`the worker process (${this.options.entry}) stopped during start-up (${cause})`),
        );
        this.startup = null;
        return;
      }
      exited(cause);
    });
    return child;
  }

  /** The worker listens: requests that waited for it go out now. */
  private ready(child: ChildProcess, workspace: string | null): void {
    if (this.supervisor.process !== child) return;
    if (this.everReady) {
      const where = workspace ? `; ${workspace} is open again` : '';
      this.broadcast({
        type: 'event',
        event: 'notice',
        level: 'info',
        message: `The worker process was restarted${where}.`,
      });
    }
    this.everReady = true;
    this.supervisor.workspace = workspace ?? this.supervisor.workspace;
    this.supervisor.client.attach({
      post: (message) => {
        if (!child.connected) throw new Error('the worker process is not connected');
        child.send(message as object);
      },
      close: () => {},
    });
    this.startup?.resolve();
    this.startup = null;
  }

  private crashed({ cause, failedJobs, restarting, crashes, policy }: CrashReport): void {
    for (const job of failedJobs) this.broadcast({ type: 'event', event: 'job', job });
    const lost = failedJobs.length;
    const jobs =
      lost > 0 ? ` ${lost} running job${lost === 1 ? ' was' : 's were'} marked failed and rolled back.` : '';
    this.broadcast({
      type: 'event',
      event: 'notice',
      level: 'error',
      message: restarting
        ? `The worker process stopped unexpectedly (${cause}) and is being restarted.${jobs} The workspace is intact.`
        : `The worker process stopped unexpectedly (${cause}) ${crashes} times within ${Math.round(policy.windowMs / 1000)} s ` +
          `and was not restarted.${jobs} ` +
          'Restart `concord serve`; its log shows the worker’s error.',
    });
  }

  private broadcast(event: EventMessage): void {
    for (const listener of this.eventListeners) listener(event);
  }
}

function failed(message: string): Outcome {
  return { ok: false, error: { code: 'INTERNAL', message, details: {} } };
}
