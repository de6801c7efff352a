/** Handlers of the jobs methods: every job the runner knows, cancelling one, and forgetting finished ones. */
import type { Handlers } from '../app/context.js';

export const jobsHandlers: Pick<Handlers, 'jobs.list' | 'jobs.cancel' | 'jobs.dismiss'> = {
  async 'jobs.list'(_params, ctx) {
    return ctx.jobs.list();
  },

  async 'jobs.cancel'({ jobId }, ctx) {
    return { cancelled: ctx.jobs.cancel(jobId) };
  },

  async 'jobs.dismiss'({ jobIds }, ctx) {
    return { dismissed: ctx.jobs.dismiss(jobIds) };
  },
};
