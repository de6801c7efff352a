/**
 * Shared end-to-end plumbing: a fresh `concord serve` per test (its own temp workspace), a page on it that fails
 * the test on any console error, a direct API call over the WebSocket, file helpers and screenshots.
 */
import { test as base, expect, type Locator, type Page } from '@playwright/test';
import { execFileSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { ConcordError } from '../core/model/errors.js';
import { ApiSocket } from '../core/server/wsClient.js';
import { httpRequest } from '../core/test-support/http.js';
import { startServe } from '../core/test-support/serve.js';

export const ROOT = resolve(import.meta.dirname, '..');
export const SAMPLES = join(ROOT, 'fixtures', 'samples');
const SCREENSHOTS = join(ROOT, 'test-results', 'screenshots');

export interface ConcordServer {
  /** `http://127.0.0.1:PORT` */
  origin: string;
  port: number;
  token: string;
  /** The URL `concord serve` printed (with the token). */
  url: string;
  workspace: string;
  /** A temp folder for files the test writes. */
  dir: string;
}

async function startServer(
  dir: string,
): Promise<{ server: ConcordServer; child: ChildProcess; log: () => string }> {
  const workspace = join(dir, 'e2e.concord');
  const { child, url, origin, port, token, stderr } = await startServe(ROOT, workspace, 30_000);
  return { server: { url, origin, port, token, workspace, dir }, child, log: stderr };
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

export const test = base.extend<{ server: ConcordServer; app: Page }>({
  // eslint-disable-next-line no-empty-pattern
  server: async ({}, use, testInfo) => {
    const dir = mkdtempSync(join(tmpdir(), 'concord-e2e-'));
    const { server, child, log } = await startServer(dir);
    try {
      await use(server);
    } finally {
      await stopServer(child);
      if (testInfo.status !== testInfo.expectedStatus)
        await testInfo.attach('concord-serve.stderr', { body: log() });
      rmSync(dir, { recursive: true, force: true });
    }
  },
  /** The app, opened the way a user does (the printed URL), with every console error failing the test. */
  app: async ({ page, server }, use) => {
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
    await page.goto(server.url);
    await expect(page.getByRole('heading', { level: 1, name: 'Import' })).toBeVisible();
    await use(page);
    expect(errors, 'no console errors').toEqual([]);
  },
});

export { expect };

/** Calls one API method over its own WebSocket (the shared RPC client, core/rpc) and returns its result. */
export async function api(server: ConcordServer, method: string, params: unknown = {}): Promise<unknown> {
  const socket = await ApiSocket.connect(`ws://127.0.0.1:${server.port}/api/ws?token=${server.token}`, {
    Origin: server.origin,
  });
  try {
    return await socket.send(method, params);
  } catch (err) {
    if (!(err instanceof ConcordError)) throw err;
    throw new Error(`${method} failed: ${JSON.stringify(err.toJSON())}`, { cause: err });
  } finally {
    socket.close();
  }
}

/**
 * Opens a page from the sidebar while it has nothing to show yet (its heading and window title), checks the
 * empty state's message and clicks the one action it offers.
 */
export async function startFromEmptyPage(
  page: Page,
  name: string,
  emptyTestId: string,
  message: string,
  action: string,
): Promise<void> {
  await page.getByRole('link', { name }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  await expect(page).toHaveTitle(`${name} — Concord`);
  const empty = page.getByTestId(emptyTestId);
  await expect(empty.getByText(message)).toBeVisible();
  await empty.getByRole('button', { name: action }).click();
}

/** Waits until every one of these jobs is done. */
export async function waitForJobs(server: ConcordServer, jobIds: string[], timeout = 180_000): Promise<void> {
  await expect
    .poll(
      async () => {
        const jobs = (await api(server, 'jobs.list')) as { id: string; status: string }[];
        return jobIds.map((id) => jobs.find((j) => j.id === id)?.status ?? 'missing');
      },
      { timeout },
    )
    .toEqual(jobIds.map(() => 'done'));
}

/** Starts a job through the API (align.start, gaps.detect, import.start, …) and waits until it is done; its id. */
export async function runJob(
  server: ConcordServer,
  method: string,
  params: unknown = {},
  timeout?: number,
): Promise<string> {
  const { jobId } = (await api(server, method, params)) as { jobId: string };
  await waitForJobs(server, [jobId], timeout);
  return jobId;
}

/** Toasts are transient: close them so a screenshot shows the page. */
export async function dismissToasts(page: Page): Promise<void> {
  const close = page.locator('.toasts').getByRole('button', { name: 'Dismiss' });
  while ((await close.count()) > 0) await close.first().click();
}

export interface DemoExports {
  /** The generator's truth.json. */
  truth: string;
  channels: { channel: string; format: string; file: string; path: string; records: number }[];
}

/** Generates a small demo store (`concord demo --products N`) and imports each channel's export through the API. */
export async function importDemoExports(server: ConcordServer, products = 150): Promise<DemoExports> {
  const out = join(server.dir, 'demo');
  const json = execFileSync(
    process.execPath,
    [join(ROOT, 'bin', 'concord.js'), 'demo', '--out', out, '--products', String(products), '--json'],
    { cwd: ROOT, encoding: 'utf8' },
  );
  const demo = JSON.parse(json) as {
    truth: string;
    channels: { channel: string; format: string; file: string; records: number }[];
  };
  const channels = demo.channels.map((ch) => ({ ...ch, path: join(out, 'exports', ch.file) }));
  const jobIds: string[] = [];
  for (const ch of channels) {
    // Web mode reads no paths: each export goes up as an upload first, as the page sends it.
    const uploadId = await uploadFile(server, ch.path);
    const { jobId } = (await api(server, 'import.start', {
      file: { uploadId },
      channel: ch.channel,
    })) as {
      jobId: string;
    };
    jobIds.push(jobId);
  }
  await waitForJobs(server, jobIds, 60_000);
  return { truth: demo.truth, channels };
}

/** The demo store imported and aligned through the API. */
export async function alignedDemo(server: ConcordServer, products = 150): Promise<DemoExports> {
  const demo = await importDemoExports(server, products);
  await runJob(server, 'align.start');
  return demo;
}

/** Uploads a file to the server (POST /api/upload) and returns its upload id. */
export async function uploadFile(server: ConcordServer, path: string): Promise<string> {
  const reply = await httpRequest(server.port, `/api/upload?name=${encodeURIComponent(basename(path))}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${server.token}` },
    body: readFileSync(path),
  });
  if (reply.status !== 200) throw new Error(`upload of ${path} failed: HTTP ${reply.status} ${reply.body}`);
  return (JSON.parse(reply.body) as { uploadId: string }).uploadId;
}

/** Picks files through the page's file chooser (the "Choose files…" button). */
export async function chooseFiles(page: Page, files: string[]): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page
    .getByRole('button', { name: /Choose files/ })
    .first()
    .click();
  await (await chooser).setFiles(files);
}

/** A screenshot into test-results/screenshots/; `mask` covers what changes between runs (times, durations). */
export async function screenshot(
  page: Page,
  name: string,
  options: { mask?: Locator[] } = {},
): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), mask: options.mask });
}

/** The sample Shopify export's header (the 2024 column set), to write test files in the same format. */
export function shopifyHeader(): string[] {
  const first = readFileSync(join(SAMPLES, 'shopify-2024.csv'), 'utf8')
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/, 1)[0];
  return first.split(',');
}

function csvCell(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}

/** One Shopify CSV line: the named columns filled, every other column empty. */
export function shopifyRow(header: string[], values: Record<string, string>): string {
  return header.map((h) => csvCell(values[h] ?? '')).join(',');
}

export function shopifyProduct(i: number, title = `Trail Bottle ${i} 750 ml`): Record<string, string> {
  return {
    Handle: `trail-bottle-${i}`,
    Title: title,
    'Body (HTML)': `<p>Insulated steel bottle number ${i}</p>`,
    Vendor: 'Northwind',
    Type: 'Bottle',
    Tags: 'outdoor',
    Published: 'true',
    'Option1 Name': 'Title',
    'Option1 Value': 'Default Title',
    'Variant SKU': `TB-${i}`,
    'Variant Grams': '350',
    'Variant Inventory Qty': '5',
    'Variant Inventory Policy': 'deny',
    'Variant Price': '24.90',
    Status: 'active',
  };
}
