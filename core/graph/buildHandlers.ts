/** Handlers of building the knowledge graph and reading its stats (owned by the graph build). */
import { ConcordError } from '../model/errors.js';
import type { Handlers } from '../app/context.js';

type BuildMethods = 'graph.build' | 'graph.stats';

export const graphBuildHandlers: Pick<Handlers, BuildMethods> = {
  async 'graph.build'() {
    throw new ConcordError('INTERNAL', 'graph.build: not built yet (graph-base skeleton)');
  },
  async 'graph.stats'() {
    throw new ConcordError('INTERNAL', 'graph.stats: not built yet (graph-base skeleton)');
  },
};
