/**
 * `npm run bench -- <name…>`: reproducible benchmarks, each printing one JSON document on stdout.
 * With no name, runs them all but `soak` (ten minutes: run it by name). Progress goes to stderr.
 */
import { alignBench } from './align.js';
import { encoderBench } from './encoder.js';
import { gapsTableBench } from './gapsTable.js';
import { gapsBench } from './gaps.js';
import { graphBench } from './graph.js';
import { graphBuildBench } from './graphBuild.js';
import { graphQueriesBench } from './graphQueries.js';
import { graphViewBench } from './graphView.js';
import { ingestBench } from './ingest.js';
import { interactionsBench } from './interactions.js';
import { soakBench } from './soak.js';
import { storesBench } from './stores.js';

const BENCHES: Record<string, (args: string[]) => Promise<unknown>> = {
  align: alignBench,
  ingest: ingestBench,
  encoder: encoderBench,
  'gaps-table': gapsTableBench,
  gaps: gapsBench,
  graph: graphBench,
  'graph-build': graphBuildBench,
  'graph-view': graphViewBench,
  stores: storesBench,
  interactions: interactionsBench,
  'graph-queries': graphQueriesBench,
  soak: soakBench,
};
// graph runs graph-build, graph-queries and graph-view: those three are run by name only, or through it.
const BY_NAME_ONLY = new Set(['soak', 'graph-build', 'graph-queries', 'graph-view']);

const [name, ...rest] = process.argv.slice(2);
const names = name ? [name] : Object.keys(BENCHES).filter((n) => !BY_NAME_ONLY.has(n));
const results: Record<string, unknown> = {};
for (const n of names) {
  const bench = BENCHES[n];
  if (!bench) {
    process.stderr.write(`unknown benchmark "${n}" (known: ${Object.keys(BENCHES).join(', ')})\n`);
    process.exit(2);
  }
  results[n] = await bench(rest);
}
process.stdout.write(`${JSON.stringify(name ? results[name] : results, null, 2)}\n`);
