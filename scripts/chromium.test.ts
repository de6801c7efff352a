import { describe, expect, it } from 'vitest';
import type { Found, NotFound, Step } from './chromium.mjs';
import {
  APT_INSTALL,
  DEBIAN_CHROMIUM,
  PLAYWRIGHT_INSTALL,
  ensureChromium,
  fetchPlan,
  pickChromium,
} from './chromium.mjs';

const PW = '/root/.cache/ms-playwright/chromium-1/chrome-linux64/chrome';
const only =
  (...present: string[]) =>
  (p: string) =>
    present.includes(p);

describe('pickChromium', () => {
  it('takes CHROME_PATH first when it exists', () => {
    const r = pickChromium({
      chromePath: '/opt/chrome',
      playwrightPath: PW,
      exists: only('/opt/chrome', DEBIAN_CHROMIUM),
    });
    expect(r).toEqual({ path: '/opt/chrome', source: 'CHROME_PATH' });
  });

  it('refuses a CHROME_PATH that does not exist instead of silently taking another browser', () => {
    const r = pickChromium({ chromePath: '/opt/none', exists: only(DEBIAN_CHROMIUM) });
    expect(r).toEqual({ error: expect.stringContaining('/opt/none') });
  });

  it("then Debian's /usr/bin/chromium, before chromium on PATH and Playwright's", () => {
    const r = pickChromium({
      onPath: '/usr/local/bin/chromium',
      playwrightPath: PW,
      exists: only(DEBIAN_CHROMIUM, '/usr/local/bin/chromium', PW),
    });
    expect(r).toEqual({ path: DEBIAN_CHROMIUM, source: 'Debian chromium' });
  });

  it('then chromium on PATH', () => {
    const r = pickChromium({
      onPath: '/usr/local/bin/chromium',
      playwrightPath: PW,
      exists: only('/usr/local/bin/chromium', PW),
    });
    expect(r).toMatchObject({ path: '/usr/local/bin/chromium' });
  });

  it("then Playwright's download, only when the file is there", () => {
    expect(pickChromium({ playwrightPath: PW, exists: only(PW) })).toMatchObject({ path: PW });
    expect(pickChromium({ playwrightPath: PW, exists: only() })).toHaveProperty('error');
  });
});

describe('fetchPlan', () => {
  it("as root on Debian: Playwright's download, then apt-get; advice is the apt-get command", () => {
    const plan = fetchPlan({ debian: true, root: true });
    expect(plan.steps.map((s) => s.command)).toEqual([PLAYWRIGHT_INSTALL, APT_INSTALL]);
    expect(plan.steps[0].timeoutMs).toBeLessThan(plan.steps[1].timeoutMs);
    expect(plan.advice).toBe(APT_INSTALL);
  });

  it('not root on Debian: never runs apt-get, advises it with sudo', () => {
    const plan = fetchPlan({ debian: true, root: false });
    expect(plan.steps.map((s) => s.command)).toEqual([PLAYWRIGHT_INSTALL]);
    expect(plan.advice).toBe('sudo apt-get update && sudo apt-get install -y chromium');
  });

  it("elsewhere: only Playwright's download, and that is the advice", () => {
    const plan = fetchPlan({ debian: false, root: true });
    expect(plan.steps.map((s) => s.command)).toEqual([PLAYWRIGHT_INSTALL]);
    expect(plan.advice).toBe(PLAYWRIGHT_INSTALL);
  });
});

describe('ensureChromium', () => {
  /** A machine with no Chromium until one of `installs` runs; records what ran. */
  function machine(installs: string[], host = { debian: true, root: true }) {
    const ran: string[] = [];
    let installed = false;
    const find = (): Found | NotFound =>
      installed ? { path: DEBIAN_CHROMIUM, source: 'Debian chromium' } : { error: 'no Chromium found' };
    const run = (step: Step) => {
      ran.push(step.command);
      installed ||= installs.includes(step.command);
      return installs.includes(step.command);
    };
    return { ran, options: { env: {}, log: () => {}, find, run, host } };
  }

  it('uses what it finds and runs nothing', () => {
    const m = machine([]);
    const r = ensureChromium({ ...m.options, find: () => ({ path: '/x/chromium', source: 'CHROME_PATH' }) });
    expect(r).toEqual({ path: '/x/chromium', source: 'CHROME_PATH' });
    expect(m.ran).toEqual([]);
  });

  it("falls back to apt-get when Playwright's download fails, and finds the installed browser", () => {
    const m = machine([APT_INSTALL]);
    expect(ensureChromium(m.options)).toEqual({ path: DEBIAN_CHROMIUM, source: 'Debian chromium' });
    expect(m.ran).toEqual([PLAYWRIGHT_INSTALL, APT_INSTALL]);
  });

  it("stops after Playwright's download when it works", () => {
    const m = machine([PLAYWRIGHT_INSTALL]);
    expect(ensureChromium(m.options)).toHaveProperty('path');
    expect(m.ran).toEqual([PLAYWRIGHT_INSTALL]);
  });

  it('names the command that would get one when every way fails', () => {
    const m = machine([], { debian: true, root: false });
    expect(ensureChromium(m.options)).toEqual({
      error: 'no Chromium found',
      advice: 'sudo apt-get update && sudo apt-get install -y chromium',
    });
    expect(m.ran).toEqual([PLAYWRIGHT_INSTALL]);
  });

  it('fetches nothing when CHROME_PATH names a missing file', () => {
    const m = machine([APT_INSTALL]);
    const r = ensureChromium({
      ...m.options,
      env: { CHROME_PATH: '/nope' },
      find: () => ({ error: 'missing' }),
    });
    expect(r).toMatchObject({ error: 'missing', advice: expect.stringContaining('CHROME_PATH') });
    expect(m.ran).toEqual([]);
  });
});
