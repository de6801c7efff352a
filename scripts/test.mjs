#!/usr/bin/env node
// `npm test`: builds, runs the unit suite (vitest) and the end-to-end suite (Playwright), then prints one
// summary line `N passed, N failed` (CI reads it). Exit code is non-zero when anything failed.
// It gets the Chromium the end-to-end suite needs first (scripts/chromium.mjs): the one it finds, else one it
// fetches; when it can get none, the end-to-end suite counts as failed and the summary names the command.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { ensureChromium } from './chromium.mjs';

const results = 'test-results';
rmSync(`${results}/vitest.json`, { force: true });
rmSync(`${results}/e2e.json`, { force: true });
mkdirSync(results, { recursive: true });

function run(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status ?? 1;
}

const summary = [];
let passed = 0;
let failed = 0;
let skipped = 0;

const e2e = existsSync('playwright.config.ts');
const browser = e2e ? ensureChromium() : null;
if (browser && 'path' in browser)
  console.error(`end-to-end tests run in ${browser.path} (${browser.source})`);
else if (browser)
  console.error(`no Chromium for the end-to-end tests: ${browser.error}. Get one: ${browser.advice}`);

// Static checks count as tests: a type error or a lint error fails the run.
const checks = [
  ['typecheck', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']],
  ...(existsSync('renderer/tsconfig.json')
    ? [['typecheck renderer', 'npx', ['tsc', '-p', 'renderer/tsconfig.json', '--noEmit']]]
    : []),
  ['lint', 'npx', ['eslint', '.']],
  ['format', 'npx', ['prettier', '--check', '.']],
];
for (const [name, cmd, args] of checks) {
  if (run(cmd, args) === 0) passed++;
  else {
    failed++;
    summary.push(`${name} failed`);
  }
}

let buildFailed = run('npm', ['run', '-s', 'build']) !== 0;
if (!buildFailed && existsSync('renderer/index.html'))
  buildFailed = run('npm', ['run', '-s', 'build:renderer']) !== 0;
if (buildFailed) failed++;

if (!buildFailed) {
  run('npx', [
    'vitest',
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${results}/vitest.json`,
  ]);
  if (existsSync(`${results}/vitest.json`)) {
    const v = JSON.parse(readFileSync(`${results}/vitest.json`, 'utf8'));
    const unitFailed =
      v.numFailedTests + (v.numFailedTestSuites > 0 && v.numFailedTests === 0 ? v.numFailedTestSuites : 0);
    passed += v.numPassedTests;
    failed += unitFailed;
    skipped += v.numPendingTests + v.numTodoTests;
    summary.push(`unit: ${v.numPassedTests} passed, ${unitFailed} failed`);
  } else {
    failed += 1;
    summary.push('unit: vitest produced no report (crashed)');
  }

  if (browser && !('path' in browser)) {
    failed += 1;
    summary.push(`e2e: not run, no Chromium (${browser.error}); get one with: ${browser.advice}`);
  } else if (e2e) {
    run('npx', ['playwright', 'test', '--reporter=list,json'], {
      PLAYWRIGHT_JSON_OUTPUT_NAME: `${results}/e2e.json`,
      CHROME_PATH: browser.path,
    });
    if (existsSync(`${results}/e2e.json`)) {
      const p = JSON.parse(readFileSync(`${results}/e2e.json`, 'utf8'));
      const s = p.stats;
      const e2eFailed = s.unexpected + (p.errors?.length ?? 0);
      passed += s.expected + s.flaky;
      failed += e2eFailed;
      skipped += s.skipped;
      summary.push(`e2e: ${s.expected + s.flaky} passed, ${e2eFailed} failed, ${s.skipped} not run`);
      for (const note of collectSkipReasons(p.suites ?? [])) summary.push(`  not run: ${note}`);
    } else {
      failed += 1;
      summary.push('e2e: Playwright produced no report (crashed)');
    }
  }
} else {
  summary.push('build failed: no tests were run');
}

function collectSkipReasons(suites, out = []) {
  for (const suite of suites) {
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests ?? []) {
        if (t.status === 'skipped') {
          const why = (t.annotations ?? [])
            .map((a) => a.description)
            .filter(Boolean)
            .join('; ');
          out.push(`${spec.title}${why ? ` — ${why}` : ''}`);
        }
      }
    }
    collectSkipReasons(suite.suites ?? [], out);
  }
  return out;
}

console.log('');
for (const line of summary) console.log(line);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
