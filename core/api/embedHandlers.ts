import { trainWorkspaceEncoder } from '../embed/pipeline.js';
import { openWorkspace } from '../store/workspace.js';
import type { Handlers } from './handlers.js';

export const embedHandlers: Pick<Handlers, 'embed.start'> = {
  async 'embed.start'({ timeBudgetSeconds, providers }, ctx) {
    const path = ctx.session.requirePath();
    const job = ctx.jobs.start({
      kind: 'embed',
      title: 'Train the text encoder and embed records',
      writes: true,
      run: async ({ signal, progress }) => {
        const ws = openWorkspace(path);
        try {
          const r = await trainWorkspaceEncoder(
            ws,
            { timeBudgetMs: timeBudgetSeconds * 1000, session: providers ? { providers } : undefined },
            { signal, progress },
          );
          return {
            model: { id: r.model.id, name: r.model.name, version: r.model.version, sha256: r.model.sha256 },
            provider: r.provider,
            embeddings: r.embeddings ? { rows: r.embeddings.rows, dims: r.embeddings.dims } : null,
            metrics: {
              before: r.train.before,
              after: r.train.after,
              firstLoss: r.train.firstLoss,
              lastLoss: r.train.lastLoss,
            },
          };
        } finally {
          ws.close();
        }
      },
    });
    return { jobId: job.id };
  },
};
