/**
 * `npm run bench -- graph [options]`: the knowledge graph's figures in one document (DESIGN.md "Performance"): the
 * build at 3 × 100k products + 1M interactions (graph-build), the queries and exports on that graph
 * (graph-queries), and the Graph page's layout and frame times at 5,000 elements in Chromium (graph-view). Each
 * part also runs alone by its name; options (--products, --seed, --interactions) go to the build and the queries.
 */
import { graphBuildBench } from './graphBuild.js';
import { graphQueriesBench } from './graphQueries.js';
import { graphViewBench } from './graphView.js';

export async function graphBench(argv: string[]): Promise<unknown> {
  const build = await graphBuildBench(argv);
  const queries = await graphQueriesBench(argv);
  const view = await graphViewBench([]);
  return { build, queries, view };
}
