/**
 * The one worker supervisor, for Electron main (electron/workerHost.ts) and the web server
 * (core/server/workerHost.ts): starts the worker through an injected fork, restarts it after a crash with backoff
 * until a crash-loop limit, rejects the calls in flight with a clear error, marks the jobs that were running
 * failed, and reports each crash so the host can tell the UI. It owns the host's own channel client to the worker
 * (`client`); the host decides when that client is attached (a MessagePort at once, or child-process IPC once the
 * worker says it is ready). No platform imports: the process comes in through `fork`.
 */
import type { EventMessage, JobState } from '../api/contract.js';
import { ChannelClient, type ChannelClientOptions } from '../rpc/client.js';

/**
 * Node flags of the process that runs jobs (the worker, and the align benchmark's child, which measures it).
 * Alignment allocates millions of short-lived strings and arrays while it reads and profiles records: a larger young
 * generation (64 MB semi-spaces, Node's default is 16) lets far fewer of them be copied by the scavenger — about a
 * tenth less CPU at 100,000 products, a few hundred MB more peak RSS.
 */
export const WORKER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=64'];

/** A started worker process as the supervisor sees it. */
export interface SupervisedProcess {
  kill(): void;
}

export interface RestartPolicy {
  /** Delay before the restart after the 1st, 2nd, … crash within `windowMs` (the last one repeats). 0 = at once. */
  delaysMs: readonly number[];
  /** More crashes than this within `windowMs` is a crash loop: no more restarts until `restartAfterCrashLoop`. */
  maxRestarts: number;
  windowMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  delaysMs: [0, 250, 1000, 2000, 5000],
  maxRestarts: 5,
  windowMs: 60_000,
};

export interface SupervisorDeps<C extends SupervisedProcess> {
  /** Starts the worker on `workspace`; calls `exited(cause)` when it stops ("exit code 1", "signal SIGKILL"). */
  fork(workspace: string | null, exited: (cause: string) => void): C;
  /** Why the worker cannot start at all (say, it is not built), or null. Checked before each start. */
  unavailable?(): string | null;
  log(line: string): void;
  now?(): number;
}

export interface CrashReport {
  cause: string;
  /** The jobs that were running, now failed (the new worker does not know them). */
  failedJobs: JobState[];
  /** Crashes within the policy's window, this one included. */
  crashes: number;
  /** False when this crash ended a crash loop: the worker stays down. */
  restarting: boolean;
  policy: RestartPolicy;
}

export interface SupervisorHooks<C> {
  /** A worker process was started (`restarted` after a crash). */
  started?(child: C, restarted: boolean): void;
  crashed?(report: CrashReport): void;
  /** The worker cannot start (`unavailable`). */
  unavailable?(message: string): void;
}

export type WorkerState = 'stopped' | 'running' | 'missing' | 'crashed';

/** Jobs a crash ended, kept so that `jobs.list` can still show them. */
const KEEP_LOST_JOBS = 100;

export class WorkerSupervisor<C extends SupervisedProcess> {
  state: WorkerState = 'stopped';
  workspace: string | null = null;
  readonly client: ChannelClient;
  private child: C | null = null;
  private stopping = false;
  private crashTimes: number[] = [];
  private readonly running = new Map<string, JobState>();
  private readonly lost: JobState[] = [];
  private restartTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly deps: SupervisorDeps<C>,
    private readonly hooks: SupervisorHooks<C> = {},
    readonly policy: RestartPolicy = DEFAULT_RESTART_POLICY,
    clientOptions: Omit<ChannelClientOptions<EventMessage>, 'acceptEvent'> = {},
  ) {
    this.client = new ChannelClient({
      ...clientOptions,
      onProtocolError: clientOptions.onProtocolError ?? ((m) => deps.log(`worker connection: ${m}`)),
    });
    this.client.onEvent((e) => {
      if (e.event === 'job') this.track(e.job);
    });
  }

  get process(): C | null {
    return this.child;
  }

  /** The jobs crashes ended, oldest first. */
  get lostJobs(): readonly JobState[] {
    return this.lost;
  }

  /** Starts the worker (no-op while it runs). False when it cannot start. */
  start(): boolean {
    return this.launch(false);
  }

  /** Stops the worker on purpose: no restart, no report; every call waiting is rejected with `reason`. */
  stop(reason: string): C | null {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = null;
    this.client.close(reason);
    const child = this.child;
    this.child = null;
    this.state = 'stopped';
    child?.kill();
    return child;
  }

  /** After a crash loop: forget the crash history and start again (an explicit user action). */
  restartAfterCrashLoop(): boolean {
    this.crashTimes = [];
    return this.start();
  }

  private launch(restarted: boolean): boolean {
    if (this.child) return true;
    this.stopping = false;
    const why = this.deps.unavailable?.() ?? null;
    if (why) {
      this.state = 'missing';
      this.deps.log(why);
      this.hooks.unavailable?.(why);
      return false;
    }
    this.state = 'running';
    const child = this.deps.fork(this.workspace, (cause) => this.exited(child, cause));
    this.child = child;
    this.hooks.started?.(child, restarted);
    return true;
  }

  private track(job: JobState): void {
    if (job.status === 'running') this.running.set(job.id, job);
    else this.running.delete(job.id);
  }

  private exited(child: C, cause: string): void {
    if (child !== this.child) return; // an old process we already replaced or stopped
    this.child = null;
    this.client.detach((method) => `The worker process stopped (${cause}) before answering ${method}.`);
    if (this.stopping) {
      this.state = 'stopped';
      return;
    }
    const now = (this.deps.now ?? Date.now)();
    this.crashTimes = [...this.crashTimes.filter((t) => now - t < this.policy.windowMs), now];
    const crashes = this.crashTimes.length;
    const restarting = crashes <= this.policy.maxRestarts;
    this.deps.log(`worker process stopped unexpectedly (${cause})${restarting ? '; restarting it' : ''}`);
    const failedJobs = this.failRunningJobs(cause);
    if (!restarting) {
      this.state = 'crashed';
      this.client.close('The worker process is not running.');
    }
    this.hooks.crashed?.({ cause, failedJobs, crashes, restarting, policy: this.policy });
    if (!restarting) return;
    const { delaysMs } = this.policy;
    const delay = delaysMs[Math.min(crashes - 1, delaysMs.length - 1)] ?? 0;
    if (delay <= 0) {
      this.launch(true);
      return;
    }
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      if (!this.stopping) this.launch(true);
    }, delay);
  }

  private failRunningJobs(cause: string): JobState[] {
    const finishedAt = new Date().toISOString();
    const jobs = [...this.running.values()];
    this.running.clear();
    const failed = jobs.map((job): JobState => {
      const consequence = job.kind === 'import' ? 'the import was rolled back' : 'the job was stopped';
      return {
        ...job,
        status: 'failed',
        finishedAt,
        error: {
          code: 'INTERNAL',
          message: `the worker process stopped unexpectedly (${cause}); ${consequence}`,
          details: { cause },
        },
      };
    });
    this.lost.push(...failed);
    this.lost.splice(0, Math.max(0, this.lost.length - KEEP_LOST_JOBS));
    return failed;
  }
}
