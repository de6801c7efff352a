/** Handlers of building the knowledge graph and reading its stats (owned by the graph build). */
import type { GraphStats } from '../api/contract.js';
import type { Handlers, HandlerContext } from '../app/context.js';
import type { JobRunner } from '../jobs/jobRunner.js';
import { ConcordError } from '../model/errors.js';
import { buildGraph, latestGraphStats, requireAligned, type StoredBuildStats } from './build.js';

type BuildMethods = 'graph.build' | 'graph.stats';

/** graph.stats' fields of a stored build's stats. */
export function graphStatsOf(s: StoredBuildStats): GraphStats {
  return {
    nodes: s.nodes,
    edges: s.edges,
    components: s.components,
    largestComponent: s.largestComponent,
    buildMs: s.buildMs,
    full: s.full,
    builtAt: s.builtAt,
  };
}

/**
 * Starts the graph build job; after `afterJob` when given (the alignment whose products it reads: write jobs run in
 * order, and when that one does not finish, the build does not run).
 */
export function startGraphBuild(
  jobs: JobRunner,
  workspace: string,
  options: { full: boolean; afterJob?: string },
): string {
  return jobs.start({
    kind: 'graph',
    title: options.afterJob ? 'Build the knowledge graph (after alignment)' : 'Build the knowledge graph',
    writes: true,
    workspace,
    run: async ({ signal, progress }) => {
      if (options.afterJob !== undefined) {
        const before = await jobs.wait(options.afterJob);
        if (before.status !== 'done')
          throw new ConcordError('CANCELLED', 'not run: the alignment before it did not finish');
      }
      return graphStatsOf(await buildGraph(workspace, { full: options.full, signal, onProgress: progress }));
    },
  }).id;
}

export const graphBuildHandlers: Pick<Handlers, BuildMethods> = {
  async 'graph.build'({ full }, ctx: HandlerContext) {
    requireAligned(ctx.session.requireDb());
    return { jobId: startGraphBuild(ctx.jobs, ctx.session.requirePath(), { full }) };
  },
  async 'graph.stats'(_params, ctx) {
    const s = latestGraphStats(ctx.session.requireDb());
    return s ? graphStatsOf(s) : null;
  },
};
