import type { z } from 'zod';
import type { Api, MethodName, Result } from '../api/contract.js';
import type { JobRunner } from '../jobs/jobRunner.js';
import { ConcordError } from '../model/errors.js';
import type { WorkspaceSession } from './session.js';

/** What every handler may use: the state the worker (or the CLI, in process) holds. */
export interface HandlerContext {
  mode: Result<'app.info'>['mode'];
  session: WorkspaceSession;
  jobs: JobRunner;
}

/** One handler per contract method; params arrive parsed (defaults applied) by dispatch. */
export type Handlers = {
  [M in MethodName]: (params: z.output<Api[M]['params']>, ctx: HandlerContext) => Promise<Result<M>>;
};

/** Opening another workspace would pull it from under a running import: refused (CONFLICT) while one writes. */
export function refuseWhileWriting(ctx: HandlerContext): void {
  if (ctx.jobs.hasPendingWrites()) {
    throw new ConcordError(
      'CONFLICT',
      'an import is running in the open workspace: wait for it or cancel it first',
    );
  }
}
