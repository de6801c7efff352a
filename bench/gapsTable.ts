/**
 * `npm run bench -- gaps-table [--rows N] [--fresh]`: the Gaps page's table with N synthetic gaps (default
 * 1,000,000), DESIGN.md "Performance": "1,000,000 rows scroll smoothly (virtualized)". The gaps are written
 * straight into a workspace's `gaps` table (one transaction, one prepared statement; plus the detection run the
 * page needs to show the table), `concord serve` hosts it, and Debian's Chromium (CHROME_PATH overrides) opens the
 * table. Measured in the page: the time until the first row is rendered; then a drag of the scrollbar from top to
 * bottom in steps, one per frame (frame times by requestAnimationFrame: p50, p95, max, frames over 50 ms); a
 * stretch of fast wheel-like scrolling; and the time until the last row is rendered at the end. Also the
 * latency of gaps.list for the first and the last page. The workspace is kept in .bench/gaps-table/ unless --fresh.
 */
import { once } from 'node:events';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { GAP_KINDS } from '../core/api/contract.js';
import { GAP_FIELD, SEVERITY, SEVERITY_RANK } from '../core/consistency/detect.js';
import { ApiSocket } from '../core/server/wsClient.js';
import { openWorkspace } from '../core/store/workspace.js';
import { startServe, type ServeProcess } from '../core/test-support/serve.js';
import { launchChromium } from './browser.js';
import { benchOptions } from './options.js';
import { frameStats as stats } from './stats.js';

const log = (msg: string) => process.stderr.write(`[bench gaps-table] ${msg}\n`);

const ROOT = resolve(import.meta.dirname, '..', '..');
const CHANNELS = ['shopify', 'woocommerce', 'google', 'amazon'] as const;

/** Writes `rows` gaps (and the detection run and channels the page needs) into a new workspace. */
function fillWorkspace(file: string, rows: number): number {
  const t = performance.now();
  const ws = openWorkspace(file, { create: true });
  const db = ws.db;
  try {
    db.transaction(() => {
      const ch = db.prepare('INSERT INTO channels (name, priority) VALUES (?, ?)');
      CHANNELS.forEach((c, i) => ch.run(c, i));
      const byKind: Record<string, number> = {};
      const insert = db.prepare(
        `INSERT INTO gaps (key, run_id, kind, channel, record_id, record_ref, cluster_id, product_id, field, expected,
                           actual, severity, severity_rank, present_in, status, rule, title)
         VALUES (?, 1, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)`,
      );
      let open = 0;
      for (let i = 0; i < rows; i++) {
        const kind = GAP_KINDS[i % GAP_KINDS.length];
        const channel = CHANNELS[1 + (Math.floor(i / GAP_KINDS.length) % (CHANNELS.length - 1))];
        const cluster = Math.floor(i / 3);
        const field = GAP_FIELD[kind];
        const absent = field === null; // an absence: no record, no values
        const recordId = absent ? null : `SKU-${String(i).padStart(7, '0')}`;
        const status = i % 50 === 0 ? 'accepted' : i % 77 === 0 ? 'ignored' : 'open';
        if (status === 'open') {
          open++;
          byKind[kind] = (byKind[kind] ?? 0) + 1;
        }
        const price = (10 + (i % 990) + 0.99).toFixed(2);
        insert.run(
          `${kind}|${channel}|${recordId ?? `shopify|ANCHOR-${i}`}`,
          kind,
          channel,
          recordId,
          cluster,
          `p_${cluster.toString(16)}`,
          field,
          absent ? null : `${price} USD`,
          absent ? null : `${(Number(price) * 1.2).toFixed(2)} USD`,
          SEVERITY[kind],
          SEVERITY_RANK[SEVERITY[kind]],
          JSON.stringify(absent ? [{ channel: 'shopify', recordId: `ANCHOR-${i}` }] : []),
          status,
          `Trail Bottle ${cluster} ${['500 ml', '750 ml', '1 l'][cluster % 3]} Insulated Steel`,
        );
      }
      const summary = {
        detectedAt: new Date().toISOString(),
        seconds: 0,
        records: rows,
        products: Math.ceil(rows / 3),
        open,
        byKind,
        completeness: [],
        grades: { A: 0, B: 0, C: 0, D: 0, E: 0 },
        tolerances: { pricePct: 1, salePricePct: 1, weightPct: 5 },
      };
      db.prepare('INSERT INTO gap_runs (id, detected_at, sources, summary) VALUES (1, ?, ?, ?)').run(
        summary.detectedAt,
        '[]',
        JSON.stringify(summary),
      );
    })();
  } finally {
    ws.close();
  }
  return (performance.now() - t) / 1000;
}

/** Milliseconds one API call takes over the WebSocket (a fresh connection, opened before timing). */
async function timeCall(s: ServeProcess, method: string, params: unknown): Promise<number> {
  const socket = await ApiSocket.connect(`ws://127.0.0.1:${s.port}/api/ws?token=${s.token}`, {
    Origin: s.origin,
  });
  try {
    const t = performance.now();
    await socket.send(method, params);
    return performance.now() - t;
  } finally {
    socket.close();
  }
}

/**
 * What runs in the page (plain JavaScript: this program is compiled without the DOM's types), installed as
 * `window.__bench`: firstRow() opens the table and waits for its first row; steady(px, n) scrolls by px per frame
 * for n frames; drag(n) moves the scrollbar from top to bottom in n jumps, one per frame, then waits for the last
 * row's data. Each returns frame times (ms between animation frames) and what it waited.
 */
const PAGE_SCRIPT = `
window.__bench = {
  firstRow() {
    return new Promise((resolve) => {
      const t0 = performance.now();
      window.location.hash = '#/gaps/table';
      const check = () => {
        if (document.querySelector('.gap-spacer [data-gap-id]')) resolve(performance.now() - t0);
        else requestAnimationFrame(check);
      };
      requestAnimationFrame(check);
    });
  },
  /** Runs move(i) once per animation frame, i = 0, 1, …, until it returns false; resolves with the frame times. */
  perFrame(move) {
    return new Promise((resolve) => {
      const frames = [];
      let last = performance.now();
      let i = 0;
      const tick = () => {
        const now = performance.now();
        if (i > 0) frames.push(now - last);
        last = now;
        if (!move(i++)) return resolve({ frames, end: now });
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
  },
  async steady(step, n) {
    const el = document.querySelector('.gap-scroll');
    const { frames } = await window.__bench.perFrame((i) => {
      if (i >= n) return false;
      el.scrollTop += step;
      return true;
    });
    return { frames };
  },
  async drag(n) {
    const el = document.querySelector('.gap-scroll');
    el.scrollTop = 0;
    const total = Number(document.querySelector('[role=grid]').getAttribute('aria-rowcount')) - 1;
    const max = el.scrollHeight - el.clientHeight;
    const { frames, end } = await window.__bench.perFrame((i) => {
      if (i >= n) return false;
      el.scrollTop = Math.round((max * (i + 1)) / n);
      return true;
    });
    return new Promise((resolve) => {
      const waitLast = () => {
        const row = document.querySelector('.gap-spacer [aria-rowindex="' + (total + 1) + '"][data-gap-id]');
        if (row) resolve({ frames, lastRowMs: performance.now() - end });
        else requestAnimationFrame(waitLast);
      };
      waitLast();
    });
  },
};
`;

export async function gapsTableBench(argv: string[]): Promise<unknown> {
  const { rows, steps, fresh } = benchOptions(argv, { rows: 1_000_000, steps: 300 }, ['fresh']);
  if (!Number.isInteger(rows) || rows < 1) throw new Error('--rows takes a positive whole number');
  const dir = resolve('.bench/gaps-table', `r${rows}`);
  const ws = join(dir, 'bench.concord');
  let insertSeconds: number | null = null;
  if (fresh || !existsSync(ws)) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    log(`writing ${rows.toLocaleString('en-US')} gaps`);
    insertSeconds = fillWorkspace(ws, rows);
    log(`written in ${insertSeconds.toFixed(1)} s`);
  } else {
    log(`reusing ${ws} (--fresh to rebuild)`);
  }

  const server = await startServe(ROOT, ws, 60_000);
  const { browser } = await launchChromium();
  try {
    const listFirstMs = await timeCall(server, 'gaps.list', { offset: 0, limit: 200 });
    const listLastMs = await timeCall(server, 'gaps.list', { offset: Math.max(0, rows - 200), limit: 200 });
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(server.url);
    await page.getByRole('heading', { level: 1, name: 'Import' }).waitFor();
    log('opening the table');
    await page.evaluate(PAGE_SCRIPT);
    const firstRowMs = (await page.evaluate('window.__bench.firstRow()')) as number;
    const shown = await page.getByTestId('gap-total').innerText();
    log(`first row after ${Math.round(firstRowMs)} ms (${shown})`);
    log('fast scrolling (900 px per frame, 300 frames)');
    const steady = (await page.evaluate('window.__bench.steady(900, 300)')) as { frames: number[] };
    log(`dragging the scrollbar to the end in ${steps} steps`);
    const drag = (await page.evaluate(`window.__bench.drag(${steps})`)) as {
      frames: number[];
      lastRowMs: number;
    };
    const rendered = await page.locator('.gap-spacer [role=row]').count();
    return {
      rows,
      insertSeconds: insertSeconds === null ? null : Math.round(insertSeconds * 100) / 100,
      shown,
      firstRowMs: Math.round(firstRowMs),
      fastScroll: { pxPerFrame: 900, ...stats(steady.frames) },
      dragToEnd: { steps, ...stats(drag.frames) },
      lastRowMs: Math.round(drag.lastRowMs),
      rowsInDom: rendered,
      apiListMs: { first: Math.round(listFirstMs), last: Math.round(listLastMs) },
      pageErrors: errors,
      browser: browser.version(),
    };
  } finally {
    await browser.close();
    server.child.kill('SIGTERM');
    await once(server.child, 'exit');
  }
}
