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
import { API, type MethodName, type Params, type Result } from '../core/api/contract.js';
import { notice, type NoticeEvent } from './ipc.js';
import { ConcordClient } from './preloadApi.js';

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

export type WorkerState = 'stopped' | 'running' | 'missing' | 'crashed';

export class WorkerHost<P> {
  private child: WorkerProcess<P> | null = null;
  private workspace: string | null = null;
  private stopping = false;
  private crashes: number[] = [];
  /** Why the worker is not running (missing build, crash loop), told to windows that connect meanwhile. */
  private failure: NoticeEvent | null = null;
  private readonly windows = new Map<number, ClientWindow<P>>();
  private readonly control: ConcordClient;
  private readonly maxRestarts: number;
  private readonly restartWindowMs: number;
  state: WorkerState = 'stopped';

  constructor(
    readonly modulePath: string,
    private readonly deps: WorkerHostDeps<P>,
    options: WorkerHostOptions = {},
  ) {
    this.maxRestarts = options.maxRestarts ?? 3;
    this.restartWindowMs = options.restartWindowMs ?? 60_000;
    this.control = new ConcordClient({
      timeoutMs: options.requestTimeoutMs ?? 120_000,
      onProtocolError: (m) => deps.log(`control connection: ${m}`),
    });
  }

  /** The workspace the worker opens at start (and re-opens after a restart). */
  setWorkspace(path: string | null): void {
    this.workspace = path;
  }

  get currentWorkspace(): string | null {
    return this.workspace;
  }

  get running(): boolean {
    return this.child !== null;
  }

  private args(): string[] {
    return this.workspace ? ['--workspace', this.workspace] : [];
  }

  /** Starts the worker (no-op when it runs). False when the compiled worker is missing. */
  start(): boolean {
    if (this.child) return true;
    this.stopping = false;
    if (!this.deps.exists(this.modulePath)) {
      this.state = 'missing';
      const message = `The worker is not built (${this.modulePath} is missing). Run \`npm run build\` and start Concord again.`;
      this.deps.log(message);
      this.fail(notice('error', message));
      return false;
    }
    const child = this.deps.fork(this.modulePath, this.args());
    this.child = child;
    this.state = 'running';
    this.failure = null;
    child.onExit((code) => this.onExit(child, code));
    this.connectControl(child);
    for (const win of this.liveWindows()) this.handPort(child, win);
    return true;
  }

  /** Stops the worker on purpose (quit): no restart, no notice. */
  stop(): void {
    this.stopping = true;
    this.control.close('Concord is shutting down.');
    const child = this.child;
    this.child = null;
    this.state = 'stopped';
    child?.kill();
  }

  /** Registers a window and gives its page a port (again, e.g. after a reload: the old port died with the page). */
  connect(win: ClientWindow<P>): void {
    this.windows.set(win.id, win);
    if (this.child) this.handPort(this.child, win);
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
  async request<M extends MethodName>(method: M, params: Params<M>): Promise<Result<M>> {
    if (!this.child)
      return Promise.reject({
        code: 'INTERNAL',
        message: 'The worker process is not running.',
        details: { method },
      });
    const raw = await this.control.invoke(method, params);
    return API[method].result.parse(raw) as Result<M>;
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
    const port = this.deps.openPort(port2, (data) => this.control.receive(data));
    this.control.attach({ post: (m) => port.post(m), close: () => port.close() });
  }

  private onExit(child: WorkerProcess<P>, code: number): void {
    if (child !== this.child) return; // an old process we already replaced or stopped
    this.child = null;
    this.control.detach(`The worker process stopped (exit code ${code}) before answering.`);
    if (this.stopping) {
      this.state = 'stopped';
      return;
    }
    const now = (this.deps.now ?? Date.now)();
    this.crashes = [...this.crashes.filter((t) => now - t < this.restartWindowMs), now];
    this.deps.log(`worker exited unexpectedly with code ${code}`);
    if (this.crashes.length > this.maxRestarts) {
      this.state = 'crashed';
      this.control.close('The worker process is not running.');
      this.fail(
        notice(
          'error',
          `The worker process stopped unexpectedly (exit code ${code}) ${this.crashes.length} times within ` +
            `${Math.round(this.restartWindowMs / 1000)} s and was not restarted. Open a workspace (File ▸ Open Workspace…) ` +
            'to try again; the terminal shows the worker’s error.',
        ),
      );
      return;
    }
    this.start(); // hands every window a fresh port
    if (this.child) {
      this.notifyAll(
        notice(
          'error',
          `The worker process stopped unexpectedly (exit code ${code}) and was restarted; running jobs were marked failed.`,
        ),
      );
    }
  }

  private fail(event: NoticeEvent): void {
    this.failure = event;
    this.notifyAll(event);
  }

  /** After a crash loop: forget the crash history and start again (an explicit user action). */
  restartAfterCrashLoop(): boolean {
    this.crashes = [];
    return this.start();
  }
}
