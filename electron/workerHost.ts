/**
 * Runs the worker process (dist/core/worker/main.js: core + better-sqlite3 + onnxruntime-node) for the Electron
 * app and connects every window to it directly.
 *
 *   main ── utilityProcess.fork(worker, ['--workspace', path])
 *   per window: MessageChannelMain → port1 to the worker (`{type:'connect'}`), port2 to the page (`concord:port`)
 *   main's own control connection: one more channel, used for the menu's Open/New Workspace and Import Files
 *
 * API data flows page ⇄ worker over the MessagePort and never through main. If the worker exits without being
 * asked to, it is restarted, every window gets a fresh port, and the page is told (a notice event on
 * `concord:notice`). Crash loops stop after `maxRestarts` within `restartWindowMs`.
 *
 * Electron's objects come in through `WorkerHostDeps` (main.ts passes utilityProcess.fork and MessageChannelMain),
 * so the restart logic is unit-tested with fakes (workerHost.test.ts) and this file has no runtime Electron import.
 */
import type { JobEventMessage, MethodName, Params, Result } from '../core/api/contract.js';
import { RpcError } from '../core/rpc/client.js';
import { WorkerSupervisor, type CrashReport, type WorkerState } from '../core/worker/supervisor.js';
import { notice, type NoticeEvent } from './ipc.js';

export type { WorkerState } from '../core/worker/supervisor.js';

/** The worker process as the host sees it (an adapter over Electron's UtilityProcess). */
export interface WorkerProcess<P> {
  postMessage(message: unknown, transfer: P[]): void;
  kill(): void;
  onExit(listener: (code: number) => void): void;
}

/** A window whose page talks to the worker (an adapter over its webContents). */
export interface ClientWindow<P> {
  readonly id: number;
  isDestroyed(): boolean;
  /** webContents.postMessage('concord:port', null, [port]) */
  postPort(port: P): void;
  /** webContents.send('concord:notice', notice) */
  sendNotice(notice: NoticeEvent): void;
  /** webContents.send('concord:notice', event): a job a worker crash ended, marked failed. */
  sendJobEvent?(event: JobEventMessage): void;
}

export interface WorkerHostDeps<P> {
  fork(modulePath: string, args: string[]): WorkerProcess<P>;
  newChannel(): { port1: P; port2: P };
  /** Starts listening on a port main keeps for itself; returns how to post on it and close it. */
  openPort(port: P, onMessage: (data: unknown) => void): { post(message: unknown): void; close(): void };
  exists(path: string): boolean;
  log(message: string): void;
  now?(): number;
}

export interface WorkerHostOptions {
  maxRestarts?: number;
  restartWindowMs?: number;
  requestTimeoutMs?: number;
}

/**
 * Electron's adapter over the shared supervisor (core/worker/supervisor.ts): the supervisor forks, restarts,
 * rejects calls in flight and marks running jobs failed; this class hands ports to windows and words the notices.
 */
export class WorkerHost<P> {
  /** Why the worker is not running (missing build, crash loop), told to windows that connect meanwhile. */
  private failure: NoticeEvent | null = null;
  private readonly windows = new Map<number, ClientWindow<P>>();
  private readonly supervisor: WorkerSupervisor<WorkerProcess<P>>;

  constructor(
    readonly modulePath: string,
    private readonly deps: WorkerHostDeps<P>,
    options: WorkerHostOptions = {},
  ) {
    this.supervisor = new WorkerSupervisor<WorkerProcess<P>>(
      {
        fork: (workspace, exited) => {
          const child = deps.fork(modulePath, workspace ? ['--workspace', workspace] : []);
          child.onExit((code) => exited(`exit code ${code}`));
          return child;
        },
        unavailable: () =>
          deps.exists(modulePath)
            ? null
            : `The worker is not built (${modulePath} is missing). Run \`npm run build\` and start Concord again.`,
        log: deps.log,
        now: deps.now,
      },
      {
        started: (child) => {
          this.failure = null;
          this.connectControl(child);
          for (const win of this.liveWindows()) this.handPort(child, win);
        },
        crashed: (report) => this.crashed(report),
        unavailable: (message) => this.fail(notice('error', message)),
      },
      // A window's page reconnects at once to the new process: restart without delay.
      {
        delaysMs: [0],
        maxRestarts: options.maxRestarts ?? 3,
        windowMs: options.restartWindowMs ?? 60_000,
      },
      { timeoutMs: options.requestTimeoutMs ?? 120_000, checkRequests: true },
    );
  }

  get state(): WorkerState {
    return this.supervisor.state;
  }

  /** The workspace the worker opens at start (and re-opens after a restart). */
  setWorkspace(path: string | null): void {
    this.supervisor.workspace = path;
  }

  get currentWorkspace(): string | null {
    return this.supervisor.workspace;
  }

  get running(): boolean {
    return this.supervisor.process !== null;
  }

  /** Starts the worker (no-op when it runs). False when the compiled worker is missing. */
  start(): boolean {
    return this.supervisor.start();
  }

  /** Stops the worker on purpose (quit): no restart, no notice. */
  stop(): void {
    this.supervisor.stop('Concord is shutting down.');
  }

  /** Registers a window and gives its page a port (again, e.g. after a reload: the old port died with the page). */
  connect(win: ClientWindow<P>): void {
    this.windows.set(win.id, win);
    const child = this.supervisor.process;
    if (child) this.handPort(child, win);
    else if (this.failure) win.sendNotice(this.failure);
  }

  disconnect(windowId: number): void {
    this.windows.delete(windowId);
  }

  /** Sends a notice event to every window. */
  notifyAll(event: NoticeEvent): void {
    for (const win of this.liveWindows()) win.sendNotice(event);
  }

  /** Calls the worker's API from main (menu actions). Params are checked by the contract, the result parsed. */
  request<M extends MethodName>(method: M, params: Params<M>): Promise<Result<M>> {
    if (!this.running)
      return Promise.reject(
        new RpcError({
          code: 'INTERNAL',
          message: 'The worker process is not running.',
          details: { method },
        }),
      );
    return this.supervisor.client.call(method, params);
  }

  /** After a crash loop: forget the crash history and start again (an explicit user action). */
  restartAfterCrashLoop(): boolean {
    return this.supervisor.restartAfterCrashLoop();
  }

  private liveWindows(): ClientWindow<P>[] {
    const live: ClientWindow<P>[] = [];
    for (const [id, win] of this.windows) {
      if (win.isDestroyed()) this.windows.delete(id);
      else live.push(win);
    }
    return live;
  }

  private handPort(child: WorkerProcess<P>, win: ClientWindow<P>): void {
    const { port1, port2 } = this.deps.newChannel();
    child.postMessage({ type: 'connect' }, [port1]);
    win.postPort(port2);
  }

  private connectControl(child: WorkerProcess<P>): void {
    const { port1, port2 } = this.deps.newChannel();
    child.postMessage({ type: 'connect' }, [port1]);
    const client = this.supervisor.client;
    client.attach(this.deps.openPort(port2, (data) => client.receive(data)));
  }

  private crashed({ cause, crashes, restarting, failedJobs, policy }: CrashReport): void {
    for (const job of failedJobs)
      for (const win of this.liveWindows()) win.sendJobEvent?.({ type: 'event', event: 'job', job });
    if (!restarting) {
      this.fail(
        notice(
          'error',
          `The worker process stopped unexpectedly (${cause}) ${crashes} times within ` +
            `${Math.round(policy.windowMs / 1000)} s and was not restarted. Open a workspace (File ▸ Open Workspace…) ` +
            'to try again; the terminal shows the worker’s error.',
        ),
      );
      return;
    }
    // The supervisor restarts right after this report; the windows get their fresh ports from `started`.
    this.notifyAll(
      notice(
        'error',
        `The worker process stopped unexpectedly (${cause}) and was restarted; running jobs were marked failed.`,
      ),
    );
  }

  private fail(event: NoticeEvent): void {
    this.failure = event;
    this.notifyAll(event);
  }
}
