/**
 * `npm run bench -- <name…>`: reproducible benchmarks, each printing one JSON document on stdout.
 * With no name, runs them all. Progress goes to stderr.
 */
import { alignBench } from './align.js';
import { encoderBench } from './encoder.js';
import { gapsTableBench } from './gapsTable.js';
import { gapsBench } from './gaps.js';
import { ingestBench } from './ingest.js';
import { storesBench } from './stores.js';

const BENCHES: Record<string, (args: string[]) => Promise<unknown>> = {
  align: alignBench,
  ingest: ingestBench,
  encoder: encoderBench,
  'gaps-table': gapsTableBench,
  gaps: gapsBench,
  stores: storesBench,
};

const [name, ...rest] = process.argv.slice(2);
const names = name ? [name] : Object.keys(BENCHES);
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
