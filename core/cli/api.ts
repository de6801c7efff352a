import type { JobState, MethodName, Params, Result } from '../api/contract.js';
import type { HandlerContext } from '../app/context.js';
import { dispatch, type DispatchOptions } from '../app/dispatch.js';
import { WorkspaceSession } from '../app/session.js';
import { JobRunner } from '../jobs/jobRunner.js';
import { ConcordError } from '../model/errors.js';
import { progressLine } from './io.js';

/** What a job's progress line says, by job kind. */
const PROGRESS_LABELS: Record<string, string> = {
  import: 'importing',
  embed: 'embedding',
  align: 'aligning',
  gaps: 'finding gaps',
  graph: 'building the graph',
};

/**
 * The API in process: the same dispatch, validation, guards and handlers as the app, over a workspace session and a
 * job runner of the CLI's own. A failed call throws a ConcordError with the API's code (so it maps to the exit code).
 */
export class LocalApi {
  readonly ctx: HandlerContext;
  private readonly listeners = new Set<(job: JobState) => void>();
  private nextId = 1;

  /** `options` are dispatch's (tests pass their own handlers). */
  constructor(private readonly options: DispatchOptions = {}) {
    this.ctx = {
      mode: 'cli',
      session: new WorkspaceSession(),
      jobs: new JobRunner({ onEvent: (job) => this.listeners.forEach((l) => l(job)) }),
    };
  }

  async call<M extends MethodName>(method: M, params: Params<M>): Promise<Result<M>> {
    const response = await dispatch(
      { type: 'request', id: this.nextId++, method, params },
      this.ctx,
      this.options,
    );
    if (!response.ok)
      throw new ConcordError(response.error.code, response.error.message, response.error.details);
    return response.result as Result<M>;
  }

  /**
   * Calls a method that starts a job and waits for it: a progress line on a TTY for it and any job it depends on
   * (nothing when stderr is piped), Ctrl-C cancels, a failure is thrown with its code. `onJob` hears every job
   * that starts meanwhile (e.g. an alignment that gap detection runs first).
   */
  async job<T>(
    method: MethodName,
    params: Params<MethodName>,
    options: { label?: string; onJob?: (job: JobState) => void } = {},
  ): Promise<T> {
    let shown: { id: string; line: ReturnType<typeof progressLine> } | null = null;
    const started = new Set<string>();
    const said = new Set<string>();
    const listener = (job: JobState): void => {
      if (!started.has(job.id)) {
        started.add(job.id);
        options.onJob?.(job);
      }
      if (job.status !== 'running') return;
      if (job.progress.phase === 'waiting') {
        // Said once, TTY or not: the command is not stuck, it waits for another program's write.
        if (!said.has(job.progress.message)) {
          said.add(job.progress.message);
          shown?.line.done();
          shown = null;
          process.stderr.write(`${job.progress.message}\n`);
        }
        return;
      }
      if (shown?.id !== job.id) {
        shown?.line.done();
        const label = (job.kind === method.split('.')[0] && options.label) || PROGRESS_LABELS[job.kind];
        shown = { id: job.id, line: progressLine(label ?? job.title) };
      }
      shown.line.update(job.progress);
    };
    const cancelAll = (): void => {
      for (const j of this.ctx.jobs.list()) if (j.status === 'running') this.ctx.jobs.cancel(j.id);
    };
    this.listeners.add(listener);
    process.once('SIGINT', cancelAll);
    try {
      const { jobId } = (await this.call(method, params as never)) as { jobId: string };
      const final = await this.ctx.jobs.wait(jobId);
      if (final.status === 'done') return final.result as T;
      const error = final.error ?? { code: 'CANCELLED' as const, message: 'cancelled', details: {} };
      throw new ConcordError(error.code, error.message, error.details);
    } finally {
      (shown as { line: ReturnType<typeof progressLine> } | null)?.line.done();
      process.off('SIGINT', cancelAll);
      this.listeners.delete(listener);
    }
  }

  close(): void {
    this.ctx.session.close();
  }
}

/** Opens the workspace file through the API (`workspace.open`), runs `fn`, and closes it again. */
export async function withWorkspace<T>(path: string, fn: (api: LocalApi) => Promise<T>): Promise<T> {
  const api = new LocalApi();
  try {
    await api.call('workspace.open', { path });
    return await fn(api);
  } finally {
    api.close();
  }
}
