import type { Handlers } from '../app/context.js';
import { requireReady } from '../app/readiness.js';
import { openWorkspace } from '../store/workspace.js';
import { embedWorkspace, trainWorkspaceEncoder } from './pipeline.js';
import { registerTransformerFolder } from './registry.js';

export const embedHandlers: Pick<Handlers, 'embed.start'> = {
  async 'embed.start'({ timeBudgetSeconds, epochs, providers, modelFolder }, ctx) {
    const path = ctx.session.requirePath();
    if (!modelFolder) requireReady(ctx.session.requireDb(), 'trainEncoder');
    const session = providers ? { providers } : undefined;
    const job = ctx.jobs.start({
      kind: 'embed',
      title: modelFolder ? `Embed records with ${modelFolder}` : 'Train the text encoder and embed records',
      writes: true,
      workspace: path,
      run: async ({ signal, progress }) => {
        const ws = openWorkspace(path, { purpose: 'embed' });
        try {
          if (modelFolder) {
            const model = registerTransformerFolder(ws, modelFolder, 'user-model');
            const r = await embedWorkspace(ws, model, { session }, { signal, progress });
            return {
              model: { id: model.id, name: model.name, sha256: model.sha256 },
              provider: r.provider,
              embeddings: { rows: r.embeddings.rows, dims: r.embeddings.dims },
              seconds: r.seconds,
            };
          }
          const r = await trainWorkspaceEncoder(
            ws,
            { epochs, timeBudgetMs: timeBudgetSeconds * 1000, session },
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
            train: r.train,
            embedSeconds: r.embedSeconds,
          };
        } finally {
          ws.close();
        }
      },
    });
    return { jobId: job.id };
  },
};
