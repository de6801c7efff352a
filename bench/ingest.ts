import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateShopifyCsv } from '../fixtures/generator/index.js';
import { benchOptions } from './options.js';

const log = (msg: string) => process.stderr.write(`[bench ingest] ${msg}\n`);

/** How to get the reference when it is missing; the benchmark installs nothing itself. */
const SQLITE3_INSTALL = 'apt-get install sqlite3';

/** The sqlite3 shell (the reference), or null when it is not on PATH. */
function sqlite3Shell(): string | null {
  const found = spawnSync('sh', ['-c', 'command -v sqlite3'], { encoding: 'utf8' }).stdout?.trim();
  return found || null;
}

interface Reference {
  seconds: number;
  rows: number;
}

/** Times the sqlite3 shell's `.import` of the CSV into a plain table. */
function sqlite3Import(shell: string, dir: string, csv: string): Reference {
  const refDb = join(dir, 'reference.sqlite');
  rmSync(refDb, { force: true });
  log('sqlite3 shell .import');
  const seconds = timed(() =>
    execFileSync(shell, [refDb, '.mode csv', `.import '${csv}' t`], { stdio: 'inherit' }),
  );
  const rows = Number(execFileSync(shell, [refDb, 'SELECT count(*) FROM t;'], { encoding: 'utf8' }).trim());
  rmSync(refDb, { force: true });
  return { seconds, rows };
}

function timed(fn: () => void): number {
  const t = performance.now();
  fn();
  return (performance.now() - t) / 1000;
}

/**
 * Imports a generated 1,000,000-row Shopify CSV (raw rows + normalized records) and compares with the sqlite3
 * shell's `.import` of the same file into a plain table. Target (issue 1/4): >= 0.5x the shell's speed,
 * peak RSS < 1 GB.
 */
export async function ingestBench(argv: string[]): Promise<unknown> {
  const { rows, keep } = benchOptions(argv, { rows: 1_000_000 }, ['keep']);
  const dir = resolve('.bench/ingest');
  mkdirSync(dir, { recursive: true });
  const csv = join(dir, `shopify-${rows}.csv`);
  if (!existsSync(csv)) {
    log(`generating ${rows.toLocaleString('en-US')}-row Shopify CSV`);
    const t = performance.now();
    await generateShopifyCsv({ path: csv, rows, seed: 1 });
    log(`generated in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  const bytes = statSync(csv).size;

  const shell = sqlite3Shell();
  if (!shell) log(`no sqlite3 shell on PATH: the reference ratio is null (\`${SQLITE3_INSTALL}\` gets it)`);
  const ref = shell ? sqlite3Import(shell, dir, csv) : null;

  const ws = join(dir, 'bench.concord');
  rmSync(ws, { force: true });
  rmSync(`${ws}-wal`, { force: true });
  rmSync(`${ws}-shm`, { force: true });
  const child = fileURLToPath(new URL('./ingestChild.js', import.meta.url));
  log('concord import');
  const out = execFileSync(process.execPath, [child, ws, csv], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const concord = JSON.parse(out) as {
    seconds: number;
    rows: number;
    records: number;
    warnings: number;
    peakRssMB: number;
  };
  if (!keep) {
    rmSync(ws, { force: true });
    rmSync(`${ws}.d`, { recursive: true, force: true });
  }

  const ratio = ref ? ref.seconds / concord.seconds : null;
  return {
    file: { rows, bytes, mb: +(bytes / 1e6).toFixed(1) },
    concord: {
      seconds: +concord.seconds.toFixed(2),
      rowsPerSec: Math.round(concord.rows / concord.seconds),
      mbPerSec: +(bytes / 1e6 / concord.seconds).toFixed(1),
      peakRssMB: concord.peakRssMB,
      rows: concord.rows,
      records: concord.records,
      warnings: concord.warnings,
      keeps: 'raw rows verbatim + normalized records + row warnings, one transaction',
    },
    sqlite3Shell: ref
      ? { seconds: +ref.seconds.toFixed(2), rowsPerSec: Math.round(ref.rows / ref.seconds), rows: ref.rows }
      : null,
    ratioVsSqlite3Shell: ratio === null ? null : +ratio.toFixed(3),
    ...(ratio === null
      ? { ratioMissingReason: `the sqlite3 shell is not installed; \`${SQLITE3_INSTALL}\` gets it` }
      : {}),
    targets: { ratioVsSqlite3Shell: 0.5, rowsPerSec: 250_000, peakRssMB: 1024 },
    pass: {
      ratio: ratio === null ? null : ratio >= 0.5,
      rowsPerSec: concord.rows / concord.seconds >= 250_000,
      peakRss: concord.peakRssMB < 1024,
    },
  };
}
