/**
 * `npm run bench -- <name…>`: reproducible benchmarks, each printing one JSON document on stdout.
 * With no name, runs them all but `soak` (ten minutes: run it by name). Progress goes to stderr.
 */
import { alignBench } from './align.js';
import { encoderBench } from './encoder.js';
import { gapsTableBench } from './gapsTable.js';
import { gapsBench } from './gaps.js';
import { graphBuildBench } from './graphBuild.js';
import { graphQueriesBench } from './graphQueries.js';
import { ingestBench } from './ingest.js';
import { soakBench } from './soak.js';
import { storesBench } from './stores.js';

const BENCHES: Record<string, (args: string[]) => Promise<unknown>> = {
  align: alignBench,
  ingest: ingestBench,
  encoder: encoderBench,
  'gaps-table': gapsTableBench,
  gaps: gapsBench,
  'graph-build': graphBuildBench,
  stores: storesBench,
  'graph-queries': graphQueriesBench,
  soak: soakBench,
};
const BY_NAME_ONLY = new Set(['soak', 'graph-queries']);

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
