/**
 * `npm run bench -- graph-view [--elements N] [--seconds S] [--settleMs T]`: the Graph page's canvas with N elements (default
 * 5,000), DESIGN.md "Performance": "5,000 elements stay interactive (p95 frame < 50 ms panning)". The page's own
 * canvas module (renderer/src/pages/graph/graphCanvas.ts: its cytoscape style, options and fcose layout) is bundled
 * with esbuild into a bench page (renderer/src/pages/graph/bench/viewBench.ts) and opened in the Chromium the
 * end-to-end tests use (scripts/chromium.mjs). It is fed a store-shaped graph of N elements in one diff, as the page
 * feeds a neighbourhood. Measured in the page: the time to add the elements, to lay them out (fcose) and to draw
 * them; then, after T ms (2,000) without input, frame times (requestAnimationFrame deltas) for S seconds of
 * panning and S of zooming.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { launchChromium } from './browser.js';
import { benchOptions } from './options.js';
import { frameStats } from './stats.js';

const log = (msg: string) => process.stderr.write(`[bench graph-view] ${msg}\n`);

const ROOT = resolve(import.meta.dirname, '..', '..');
const ENTRY = join(ROOT, 'renderer', 'src', 'pages', 'graph', 'bench', 'viewBench.ts');

/** The page: a full-window container coloured as the app's light theme. */
const HTML = `<!doctype html>
<html><head><meta charset="utf-8"><title>graph view bench</title>
<style>html,body{margin:0;height:100%}#graph{position:absolute;inset:0;background:#fff;color:#1a1b1f;--accent:#4e5ad3}</style>
</head><body><div id="graph"></div><script src="bench.js"></script></body></html>`;

const round = (ms: number) => Math.round(ms);

export async function graphViewBench(argv: string[]): Promise<unknown> {
  const { elements, seconds, settleMs } = benchOptions(argv, { elements: 5000, seconds: 4, settleMs: 2000 });
  if (!Number.isInteger(elements) || elements < 10) throw new Error('--elements takes a whole number ≥ 10');
  const dir = resolve('.bench/graph-view');
  mkdirSync(dir, { recursive: true });
  await build({
    entryPoints: [ENTRY],
    bundle: true,
    format: 'iife',
    minify: true,
    target: 'chrome120',
    outfile: join(dir, 'bench.js'),
    logLevel: 'warning',
  });
  writeFileSync(join(dir, 'index.html'), HTML);

  const { browser, source } = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(pathToFileURL(join(dir, 'index.html')).href);
    await page.waitForFunction('!!window.__graphBench');
    log(`loading ${elements} elements`);
    const load = (await page.evaluate(`window.__graphBench.load(${elements})`)) as {
      nodes: number;
      edges: number;
      addMs: number;
      layoutMs: number;
      renderMs: number;
      totalMs: number;
      zoom: number;
    };
    log(`laid out in ${round(load.layoutMs)} ms, drawn ${round(load.renderMs)} ms later`);
    // A user looks at the graph before moving it: cytoscape fills its texture caches meanwhile.
    await page.waitForTimeout(settleMs);
    log(`panning for ${seconds} s`);
    const pan = (await page.evaluate(`window.__graphBench.pan(${seconds * 1000})`)) as number[];
    await page.evaluate('window.__graphBench.fit()');
    log(`zooming for ${seconds} s`);
    const zoom = (await page.evaluate(`window.__graphBench.zoom(${seconds * 1000})`)) as number[];
    mkdirSync(join(ROOT, 'test-results', 'screenshots'), { recursive: true });
    await page.screenshot({ path: join(ROOT, 'test-results', 'screenshots', 'graph-view-bench.png') });
    return {
      elements: load.nodes + load.edges,
      nodes: load.nodes,
      edges: load.edges,
      addMs: round(load.addMs),
      layoutMs: round(load.layoutMs),
      renderMs: round(load.renderMs),
      totalMs: round(load.totalMs),
      settleMs,
      pan: frameStats(pan),
      zoom: frameStats(zoom),
      targetPanP95Ms: 50,
      pageErrors: errors,
      browser: `${source} ${browser.version()}`,
    };
  } finally {
    await browser.close();
  }
}
