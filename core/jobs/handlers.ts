/** Handlers of the jobs methods: every job the runner knows, and cancelling one. */
import type { Handlers } from '../app/context.js';

export const jobsHandlers: Pick<Handlers, 'jobs.list' | 'jobs.cancel'> = {
  async 'jobs.list'(_params, ctx) {
    return ctx.jobs.list();
  },

  async 'jobs.cancel'({ jobId }, ctx) {
    return { cancelled: ctx.jobs.cancel(jobId) };
  },
};
