import type { Result } from '../api/contract.js';
import { dispatch } from '../app/dispatch.js';
import type { HandlerContext } from '../app/context.js';
import { WorkspaceSession } from '../app/session.js';
import { toApiError } from '../api/toApiError.js';
import { JobRunner } from '../jobs/jobRunner.js';
import type { Transport } from './transport.js';

export interface WorkerOptions {
  mode: Result<'app.info'>['mode'];
  /** Workspace to open at start (it must exist). */
  workspace?: string;
}

/**
 * The worker's API service over any transport: one workspace session and one job runner, requests through the
 * shared dispatch, job events to every client. Announces itself with a `worker-ready` message once it listens.
 */
export function startWorkerService(transport: Transport, options: WorkerOptions): HandlerContext {
  const ctx: HandlerContext = {
    mode: options.mode,
    session: new WorkspaceSession(),
    jobs: new JobRunner({ onEvent: (job) => transport.send({ type: 'event', event: 'job', job }) }),
  };
  transport.onMessage((message, reply) => {
    void dispatch(message, ctx).then(reply);
  });
  if (options.workspace) {
    try {
      ctx.session.open(options.workspace);
    } catch (err) {
      const { message } = toApiError(err);
      process.stderr.write(`concord worker: could not open ${options.workspace}: ${message}\n`);
      transport.send({
        type: 'event',
        event: 'notice',
        level: 'error',
        message: `Could not open the workspace: ${message}`,
      });
    }
  }
  transport.send({ type: 'worker-ready', pid: process.pid, workspace: ctx.session.path });
  return ctx;
}
