/**
 * `npm run bench -- interactions [--products N] [--interactions M] [--users U] [--seed S]`: users and their
 * sessions (fixtures/generator generateInteractions) over the align benchmark's store of 3 channels × N products
 * (default 100,000; generated when missing), M interactions (default 1,000,000), generated in a child process so
 * its seconds and peak RSS are the generator's own, then measured from the files (interactionStats): funnel
 * ratios, multi-channel and cold-start users, popularity skew, taste recovery. The files stay in
 * .bench/interactions/ for other benchmarks (`benchInteractions`; `importInteractions` in storeWorkspace.ts).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generateInteractions, generateStore } from '../fixtures/generator/index.js';
import type { GeneratedInteractions } from '../fixtures/generator/index.js';
import { interactionStats } from '../fixtures/generator/interactionStats.js';
import { benchOptions } from './options.js';
import { round } from './storeWorkspace.js';

const log = (m: string): void => void process.stderr.write(`[bench interactions] ${m}\n`);
const CHANNELS = ['shopify', 'woocommerce', 'google'] as const;

interface ChildResult {
  generated: GeneratedInteractions;
  seconds: number;
  /** CPU seconds (user + system): the figure that does not depend on how busy the machine is. */
  cpuSeconds: number;
  peakRssMB: number;
}

/** The align benchmark's store directory for N products and seed S, generated when it is missing. */
async function benchStore(products: number, seed: number): Promise<string> {
  const dir = resolve('.bench/align', `p${products}-s${seed}`, 'store');
  if (existsSync(join(dir, 'truth.json'))) return dir;
  log(`generating the store: ${CHANNELS.length} channels × ${products.toLocaleString('en-US')} products`);
  await generateStore({ outDir: dir, products, seed, channels: [...CHANNELS] });
  return dir;
}

/**
 * M interactions over the align benchmark's store (N products, seed S), generated when missing (in a child
 * process). Returns the files, the store's directory and the generation's own figures (null when reused).
 */
export async function benchInteractions(
  products: number,
  seed: number,
  interactions: number,
  users?: number,
): Promise<{ storeDir: string; generated: GeneratedInteractions; child: ChildResult | null }> {
  const storeDir = await benchStore(products, seed);
  const outDir = resolve(
    '.bench/interactions',
    `p${products}-s${seed}-i${interactions}${users === undefined ? '' : `-u${users}`}`,
  );
  const marker = join(outDir, 'generated.json');
  if (existsSync(marker)) {
    log(`reusing ${outDir}`);
    const child = JSON.parse(readFileSync(marker, 'utf8')) as ChildResult;
    return { storeDir, generated: child.generated, child: null };
  }
  log(`generating ${interactions.toLocaleString('en-US')} interactions (child process)`);
  const out = execFileSync(
    process.execPath,
    [
      fileURLToPath(import.meta.url),
      '--child',
      JSON.stringify({ store: storeDir, outDir, interactions, users, marker }),
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const child = JSON.parse(out) as ChildResult;
  return { storeDir, generated: child.generated, child };
}

export async function interactionsBench(argv: string[]): Promise<unknown> {
  const o = benchOptions(argv, { products: 100_000, interactions: 1_000_000, users: NaN, seed: 42 });
  if (!Number.isInteger(o.products) || o.products < 1)
    throw new Error('--products takes a positive whole number');
  if (!Number.isInteger(o.interactions) || o.interactions < 1)
    throw new Error('--interactions takes a positive whole number');
  const users = Number.isNaN(o.users) ? undefined : o.users;
  const { storeDir, generated, child } = await benchInteractions(o.products, o.seed, o.interactions, users);
  log('measuring the files');
  const t = performance.now();
  const stats = await interactionStats(join(storeDir, 'truth.json'), generated);
  const r = (v: number): number => round(v, 4);
  return {
    store: { dir: storeDir, products: o.products, seed: o.seed, channels: [...CHANNELS] },
    machine: { cpus: cpus().length, loadavg: loadavg().map((v) => round(v)) },
    generate: child
      ? { seconds: round(child.seconds), cpuSeconds: round(child.cpuSeconds), peakRssMB: child.peakRssMB }
      : 'reused (delete .bench/interactions/ to measure)',
    files: generated.files.map((f) => ({ channel: f.channel, file: f.path, rows: f.rows })),
    counts: generated.counts,
    measured: {
      ...stats,
      cartPerView: r(stats.cartPerView),
      purchasePerCart: r(stats.purchasePerCart),
      multiChannelShare: r(stats.multiChannelShare),
      top10PercentShare: r(stats.top10PercentShare),
      preferredCategoryShare: r(stats.preferredCategoryShare),
      preferredCategoryChance: r(stats.preferredCategoryChance),
      favouriteBrandShare: r(stats.favouriteBrandShare),
      favouriteBrandChance: r(stats.favouriteBrandChance),
      priceOffsetByBand: Object.fromEntries(
        Object.entries(stats.priceOffsetByBand).map(([b, v]) => [b, r(v)]),
      ),
      weeks: round(stats.weeks, 1),
      seconds: round((performance.now() - t) / 1000),
    },
    targets: { generateSeconds: 60 },
    pass: child ? { generateSeconds: child.seconds < 60 } : null,
  };
}

/** Child mode: generate, write the figures beside the files (for reuse) and print them as JSON. */
async function child(args: string): Promise<void> {
  const { store, outDir, interactions, users, marker } = JSON.parse(args) as {
    store: string;
    outDir: string;
    interactions: number;
    users?: number;
    marker: string;
  };
  const t = performance.now();
  const cpu = process.cpuUsage();
  const generated = await generateInteractions({ store, outDir, interactions, users });
  const used = process.cpuUsage(cpu);
  const result: ChildResult = {
    generated,
    seconds: (performance.now() - t) / 1000,
    cpuSeconds: (used.user + used.system) / 1e6,
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
  };
  writeFileSync(marker, JSON.stringify(result));
  process.stdout.write(JSON.stringify(result));
}

if (process.argv[2] === '--child' && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await child(process.argv[3]);
}
