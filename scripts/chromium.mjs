// The Chromium the end-to-end tests run in, for `npm test` (scripts/test.mjs) and playwright.config.ts.
// Found in this order: CHROME_PATH, Debian's /usr/bin/chromium (or `chromium` on PATH), the browser Playwright
// downloaded. When there is none, `npm test` fetches one (Playwright's download, else Debian's package when
// running as root on Debian); otherwise it names the command that would get one.
// The decisions are pure functions of what they are told exists, so they are unit-tested (chromium.test.ts).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';

export const DEBIAN_CHROMIUM = '/usr/bin/chromium';
export const PLAYWRIGHT_INSTALL = 'npx playwright install chromium';
export const APT_INSTALL = 'apt-get update && apt-get install -y chromium';

/**
 * Picks the Chromium to use from what the probe says exists, or explains why none.
 * @param {{ chromePath?: string, onPath?: string, playwrightPath?: string, exists: (p: string) => boolean }} probe
 * @returns {{ path: string, source: string } | { error: string }}
 */
export function pickChromium({ chromePath, onPath, playwrightPath, exists }) {
  if (chromePath) {
    return exists(chromePath)
      ? { path: chromePath, source: 'CHROME_PATH' }
      : { error: `CHROME_PATH is ${chromePath}, which does not exist` };
  }
  if (exists(DEBIAN_CHROMIUM)) return { path: DEBIAN_CHROMIUM, source: 'Debian chromium' };
  if (onPath && exists(onPath)) return { path: onPath, source: 'chromium on PATH' };
  if (playwrightPath && exists(playwrightPath))
    return { path: playwrightPath, source: "Playwright's Chromium" };
  return {
    error: 'no Chromium found (CHROME_PATH, /usr/bin/chromium, chromium on PATH, Playwright’s download)',
  };
}

/**
 * What to try, in order, to get a Chromium on this machine, and the command to print when all of them fail.
 * @param {{ debian: boolean, root: boolean }} host
 * @returns {{ steps: { label: string, command: string, timeoutMs: number }[], advice: string }}
 */
export function fetchPlan({ debian, root }) {
  const steps = [
    { label: "Playwright's Chromium download", command: PLAYWRIGHT_INSTALL, timeoutMs: 120_000 },
  ];
  if (debian && root)
    steps.push({ label: "Debian's chromium package", command: APT_INSTALL, timeoutMs: 900_000 });
  const advice = !debian
    ? PLAYWRIGHT_INSTALL
    : root
      ? APT_INSTALL
      : 'sudo apt-get update && sudo apt-get install -y chromium';
  return { steps, advice };
}

/** `chromium` on PATH, or undefined. */
function chromiumOnPath(env) {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, 'chromium'))) return join(dir, 'chromium');
  }
  return undefined;
}

/** Where Playwright keeps (or would keep) its own Chromium; undefined when playwright-core is absent. */
function playwrightChromium() {
  try {
    const { chromium } = createRequire(import.meta.url)('playwright-core');
    return chromium.executablePath();
  } catch {
    return undefined;
  }
}

/**
 * The Chromium on this machine, without fetching anything.
 * @returns {{ path: string, source: string } | { error: string }}
 */
export function findChromium(env = process.env) {
  return pickChromium({
    chromePath: env.CHROME_PATH || undefined,
    onPath: chromiumOnPath(env),
    playwrightPath: playwrightChromium(),
    exists: existsSync,
  });
}

function runStep(step, log) {
  log(`fetching a Chromium for the end-to-end tests: ${step.label} (\`${step.command}\`)`);
  const r = spawnSync('sh', ['-c', step.command], {
    stdio: 'inherit',
    timeout: step.timeoutMs,
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (r.status !== 0) log(`${step.label} failed${r.error ? ` (${r.error.message})` : ''}`);
  return r.status === 0;
}

/**
 * The Chromium to use, fetching one when there is none. `find` (the look-up), `host` and `run` (runs one fetch
 * step, true when it succeeded) default to the real ones; tests replace them.
 * @returns {{ path: string, source: string } | { error: string, advice: string }}
 */
export function ensureChromium({
  env = process.env,
  log = (m) => console.error(m),
  find = () => findChromium(env),
  host = {
    debian: existsSync('/etc/debian_version'),
    root: typeof process.getuid === 'function' && process.getuid() === 0,
  },
  run = (step) => runStep(step, log),
} = {}) {
  const found = find();
  if ('path' in found) return found;
  if (env.CHROME_PATH)
    return { error: found.error, advice: 'point CHROME_PATH at a Chromium binary, or unset it' };
  const plan = fetchPlan(host);
  for (const step of plan.steps) {
    if (!run(step)) continue;
    const after = find();
    if ('path' in after) return after;
  }
  return { error: found.error, advice: plan.advice };
}
