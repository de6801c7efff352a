/** Handlers of the knowledge graph's queries: search, node, neighbourhood, paths, pattern queries. */
import { ConcordError } from '../model/errors.js';
import type { Handlers } from '../app/context.js';

type QueryMethods = 'graph.search' | 'graph.node' | 'graph.neighbourhood' | 'graph.path' | 'graph.query';

const skeleton = (name: string) => async (): Promise<never> => {
  throw new ConcordError('INTERNAL', `${name}: not built yet (graph-base skeleton)`);
};

export const graphQueryHandlers: Pick<Handlers, QueryMethods> = {
  'graph.search': skeleton('graph.search'),
  'graph.node': skeleton('graph.node'),
  'graph.neighbourhood': skeleton('graph.neighbourhood'),
  'graph.path': skeleton('graph.path'),
  'graph.query': skeleton('graph.query'),
};
