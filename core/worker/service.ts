import type { Result } from '../api/contract.js';
import { dispatch } from '../app/dispatch.js';
import type { HandlerContext } from '../app/context.js';
import { WorkspaceSession } from '../app/session.js';
import { toApiError } from '../api/toApiError.js';
import { JobRunner } from '../jobs/jobRunner.js';
import { ChannelServer } from '../rpc/server.js';
import type { WorkerLink } from './transport.js';

export interface WorkerOptions {
  mode: Result<'app.info'>['mode'];
  /** Workspace to open at start (it must exist). */
  workspace?: string;
}

/**
 * The worker's API service over any link: one workspace session and one job runner, requests through the shared
 * dispatch (one channel server), job events to every client. Tells its host `worker-ready` once it listens.
 */
export function startWorkerService(link: WorkerLink, options: WorkerOptions): HandlerContext {
  const server = new ChannelServer((request) => dispatch(request, ctx));
  const ctx: HandlerContext = {
    mode: options.mode,
    session: new WorkspaceSession(),
    jobs: new JobRunner({ onEvent: (job) => server.broadcast({ type: 'event', event: 'job', job }) }),
  };
  link.serve(server);
  if (options.workspace) {
    try {
      ctx.session.open(options.workspace);
    } catch (err) {
      const { message } = toApiError(err);
      process.stderr.write(`concord worker: could not open ${options.workspace}: ${message}\n`);
      server.broadcast({
        type: 'event',
        event: 'notice',
        level: 'error',
        message: `Could not open the workspace: ${message}`,
      });
    }
  }
  link.ready({ type: 'worker-ready', pid: process.pid, workspace: ctx.session.path });
  return ctx;
}
