/**
 * Handlers of the knowledge graph's queries (search, node, neighbourhood, paths, pattern queries) and its export.
 * They read through the session's read-only connection (the export through one of its own, export/rows.ts); before
 * the first build they refuse with CONFLICT and the remedy "build the graph".
 */
import type { Handlers } from '../app/context.js';
import { exportGraph } from './export/index.js';
import { requireGraph } from './query/graphReader.js';
import { neighbourhood } from './query/neighbourhood.js';
import { runPattern } from './query/pattern.js';
import { explainPathWith } from './query/paths.js';
import { searchNodes } from './query/search.js';

type QueryMethods =
  'graph.search' | 'graph.node' | 'graph.neighbourhood' | 'graph.path' | 'graph.query' | 'graph.export';

export const graphQueryHandlers: Pick<Handlers, QueryMethods> = {
  async 'graph.search'({ text, types, limit }, ctx) {
    return searchNodes(requireGraph(ctx.session.requireDb()), text, { types, limit });
  },

  async 'graph.node'({ key }, ctx) {
    const reader = requireGraph(ctx.session.requireDb());
    return reader.toNode(reader.requireNode(key));
  },

  async 'graph.neighbourhood'({ key, ...options }, ctx) {
    return neighbourhood(requireGraph(ctx.session.requireDb()), key, options);
  },

  async 'graph.path'({ from, to, max, edgeTypes }, ctx) {
    return explainPathWith(requireGraph(ctx.session.requireDb()), from, to, max, { edgeTypes });
  },

  async 'graph.query'(query, ctx) {
    return runPattern(requireGraph(ctx.session.requireDb()), query);
  },

  async 'graph.export'({ format, out }, ctx) {
    requireGraph(ctx.session.requireDb());
    return exportGraph(ctx.session.requirePath(), format, out);
  },
};
