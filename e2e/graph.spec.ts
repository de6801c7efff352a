/**
 * The Graph page in web mode on the real backend: a small generated store (`concord demo --products 150`) imported
 * and aligned through the API, the graph built with the page's own button, then on the page: search a product that
 * every channel sells, show it with its neighbourhood (its offers on every channel), expand the offers by
 * double-clicking them on the canvas (their channels come in), read the product's provenance, shift-click a channel
 * to see the path in words, remove a node, export the view as JSON and PNG, open a node from the address, and
 * open a product from the Gaps drawer's "Graph view".
 *
 * The canvas is a bitmap: the test reads where cytoscape drew each node (its instance on the container) and clicks
 * there with the real mouse.
 */
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import {
  api,
  dismissToasts,
  expect,
  importDemoExports,
  screenshot,
  startFromEmptyPage,
  test,
  waitForJobs,
} from './support.js';

const graphHash = (key: string) => `#/graph?node=${encodeURIComponent(key)}`;

interface NodeView {
  key: string;
  type: string;
  label: string;
  props: Record<string, unknown>;
}

/** The keys of the nodes on the canvas. */
function canvasNodes(page: Page): Promise<string[]> {
  return page.getByTestId('graph-canvas').evaluate((el) => {
    const cy = (
      el as unknown as { _cyreg: { cy: { nodes(): { map<T>(f: (n: { id(): string }) => T): T[] } } } }
    )._cyreg.cy;
    return cy.nodes().map((n) => n.id());
  });
}

/** Where a node is drawn on the page, once the layout has stopped moving it. */
async function nodeOnScreen(page: Page, key: string): Promise<{ x: number; y: number }> {
  const read = () =>
    page.getByTestId('graph-canvas').evaluate((el, k) => {
      const cy = (
        el as unknown as {
          _cyreg: { cy: { getElementById(id: string): { renderedPosition(): { x: number; y: number } } } };
        }
      )._cyreg.cy;
      const p = cy.getElementById(k).renderedPosition();
      const box = el.getBoundingClientRect();
      return { x: Math.round(box.left + p.x), y: Math.round(box.top + p.y) };
    }, key);
  let last = await read();
  await expect
    .poll(async () => {
      const now = await read();
      const still = now.x === last.x && now.y === last.y;
      last = now;
      return still;
    })
    .toBe(true);
  return last;
}

test('search a product, see its offers on every channel, expand, path in words, export', async ({
  app: page,
  server,
}) => {
  test.setTimeout(300_000);
  const demo = await importDemoExports(server);
  const channels = demo.channels.map((c) => c.channel).sort();
  const { jobId } = (await api(server, 'align.start', {})) as { jobId: string };
  await waitForJobs(server, [jobId]);

  // No graph yet: the empty state's button builds it.
  await startFromEmptyPage(page, 'Graph', 'graph-empty', 'No graph built yet', 'Build graph');
  await expect(page.getByTestId('graph-stats')).toBeVisible({ timeout: 120_000 });
  const stats = (await api(server, 'graph.stats')) as { nodes: Record<string, number> };
  expect(stats.nodes.product).toBeGreaterThan(0);

  // A product every channel sells (its provenance names each channel).
  const products = (await api(server, 'graph.query', {
    start: { type: 'product', where: [] },
    limit: 500,
  })) as { nodes: NodeView[] };
  const product = products.nodes.find(
    (n) => Array.isArray(n.props.channels) && (n.props.channels as string[]).length === channels.length,
  );
  expect(product, 'a product listed on every channel').toBeDefined();
  const p = product!;

  // Search by its title, pick it from the results.
  const words = p.label.split(/\s+/).slice(0, 3).join(' ');
  await page.getByTestId('graph-search-type').selectOption('product');
  await page.getByTestId('graph-search').fill(words);
  const results = page.getByTestId('graph-search-results');
  await results.getByTitle(p.key, { exact: true }).click();
  await expect(page.getByTestId('node-title')).toHaveText(p.label);

  // Its neighbourhood: an offer on every channel.
  await expect.poll(async () => (await canvasNodes(page)).includes(p.key)).toBe(true);
  const offersOn = async () =>
    [
      ...new Set((await canvasNodes(page)).filter((k) => k.startsWith('offer:')).map((k) => k.split(':')[1])),
    ].sort();
  await expect.poll(offersOn).toEqual(channels);
  // The provenance of the golden record: every field with where its value came from.
  const provenance = page.getByTestId('provenance-fields');
  await expect(provenance.getByRole('rowheader', { name: 'title' })).toBeVisible();
  await expect(provenance).toContainText(/priority|completeness|majority/);
  await dismissToasts(page);
  await screenshot(page, 'graph-product');

  // The legend filters types: offers hidden on the canvas, then shown again.
  const hiddenOnCanvas = () =>
    page.getByTestId('graph-canvas').evaluate((el) => {
      const cy = (
        el as unknown as { _cyreg: { cy: { $(s: string): { map<T>(f: (n: { id(): string }) => T): T[] } } } }
      )._cyreg.cy;
      return cy.$('node.is-hidden').map((n) => n.id());
    });
  await page.getByTestId('show-node-offer').uncheck();
  await expect
    .poll(async () => (await hiddenOnCanvas()).sort())
    .toEqual((await canvasNodes(page)).filter((k) => k.startsWith('offer:')).sort());
  await page.getByTestId('show-node-offer').check();
  await expect.poll(hiddenOnCanvas).toEqual([]);

  // Double-click each channel's offer: its channel comes in (listed_on).
  const offers = (await canvasNodes(page)).filter((k) => k.startsWith('offer:'));
  for (const ch of channels) {
    const offer = offers.find((k) => k.startsWith(`offer:${ch}:`))!;
    const at = await nodeOnScreen(page, offer);
    await page.mouse.dblclick(at.x, at.y);
    await expect.poll(async () => (await canvasNodes(page)).includes(`channel:${ch}`)).toBe(true);
  }
  await expect(page.getByTestId('node-title')).not.toHaveText(p.label);
  await screenshot(page, 'graph-expanded');

  // Select the product, shift-click a channel: the shortest path, highlighted and in words.
  const productAt = await nodeOnScreen(page, p.key);
  await page.mouse.click(productAt.x, productAt.y);
  await expect(page.getByTestId('node-title')).toHaveText(p.label);
  const channelAt = await nodeOnScreen(page, `channel:${channels[0]}`);
  await page.keyboard.down('Shift');
  await page.mouse.click(channelAt.x, channelAt.y);
  await page.keyboard.up('Shift');
  const path = page.getByTestId('path-panel');
  await expect(path).toBeVisible();
  const first = path.getByTestId('path-words').first();
  await expect(first).toContainText('is offered as');
  await expect(first).toContainText(`is listed on ${channels[0]}`);
  await expect(first).toContainText(p.label);
  await expect(page.getByRole('tab', { name: 'Path' })).toHaveAttribute('aria-selected', 'true');
  await screenshot(page, 'graph-path');

  // The shift-click came quickly after the click on the product: two taps on two nodes, not a double-click, so
  // the channel was not expanded.
  await page.getByRole('tab', { name: 'Node' }).click();
  const target = await nodeOnScreen(page, `channel:${channels[0]}`);
  await page.mouse.click(target.x, target.y);
  await expect(page.getByTestId('node-title')).toHaveText(channels[0]);
  await expect(page.getByTestId('node-panel').getByRole('button', { name: 'Expand' })).toBeVisible();

  // Expanding a channel brings its offers a page at a time: "Show N more" asks for the next page.
  const panel = page.getByTestId('node-panel');
  const before = (await canvasNodes(page)).length;
  await panel.getByRole('button', { name: 'Expand' }).click();
  const showMore = panel.getByTestId('show-more');
  await expect(showMore).toBeVisible();
  const expanded = (await canvasNodes(page)).length;
  expect(expanded).toBeGreaterThan(before + 50);
  const more = Number(/\d+/.exec((await showMore.innerText()).replace(/,/g, ''))![0]);
  await showMore.click();
  await expect.poll(async () => (await canvasNodes(page)).length).toBeGreaterThan(expanded);
  if (more > 100) await expect(showMore).toHaveText(`Show ${more - 100} more`);
  else await expect(showMore).toBeHidden();

  // Remove it: gone from the canvas with the offers only it brought, and the path that ended there.
  const lastChannel = `channel:${channels[0]}`;
  await panel.getByRole('button', { name: 'Remove' }).click();
  await expect(page.getByTestId('node-panel-empty')).toBeVisible();
  expect((await canvasNodes(page)).length).toBeLessThan(before);
  await page.getByRole('tab', { name: 'Path' }).click();
  await expect(page.getByTestId('path-panel-empty')).toBeVisible();
  await page.getByRole('tab', { name: 'Node' }).click();
  await expect.poll(async () => (await canvasNodes(page)).includes(lastChannel)).toBe(false);

  // The view as JSON.
  const download = page.waitForEvent('download');
  await page.getByTestId('export-json').click();
  const saved = JSON.parse(readFileSync(await (await download).path(), 'utf8')) as {
    nodes: NodeView[];
    positions: Record<string, { x: number; y: number }>;
  };
  expect(saved.nodes.map((n) => n.key)).toContain(p.key);
  expect(saved.nodes.map((n) => n.key)).not.toContain(lastChannel);
  expect(Object.keys(saved.positions).sort()).toEqual(saved.nodes.map((n) => n.key).sort());

  // The view as a PNG (cytoscape draws the whole graph, not just the part on screen).
  const png = page.waitForEvent('download');
  await page.getByTestId('export-png').click();
  const image = readFileSync(await (await png).path());
  expect(image.subarray(1, 4).toString('latin1')).toBe('PNG');
  expect(image.length).toBeGreaterThan(5_000);

  // The address opens a node (the Gaps drawer's "Graph view" link): a new view on it.
  const other = products.nodes.find((n) => n.key !== p.key)!;
  await page.evaluate(`window.location.hash = ${JSON.stringify(graphHash(other.key))}`);
  await expect(page.getByTestId('node-title')).toHaveText(other.label);
  await expect.poll(async () => (await canvasNodes(page)).includes(p.key)).toBe(false);

  // The pattern-query builder: products whose title has the first word of ours and that have a brand.
  await page.getByRole('tab', { name: 'Query' }).click();
  const builder = page.getByTestId('query-builder');
  await builder.getByLabel('Start, filter 1: value').fill(p.label.split(/\s+/)[0]);
  await builder.getByTestId('query-add-hop').click();
  await builder.getByTestId('query-hop-1-edge').selectOption('has_brand');
  await builder.getByTestId('query-run').click();
  const found = builder.getByTestId('query-results');
  await found.getByTitle(p.key, { exact: true }).click();
  await expect.poll(async () => (await canvasNodes(page)).includes(p.key)).toBe(true);
  await page.getByRole('tab', { name: 'Node' }).click();
  await expect(page.getByTestId('node-title')).toHaveText(p.label);
  await screenshot(page, 'graph-query');

  // The Gaps drawer's "Graph view": the drawer's product opens here.
  const detect = (await api(server, 'gaps.detect', {})) as { jobId: string };
  await waitForJobs(server, [detect.jobId]);
  await page.getByRole('link', { name: 'Gaps' }).click();
  await page.getByRole('tab', { name: 'Gaps' }).click();
  await page.locator('.gap-spacer > [role=row][data-gap-id]').first().getByRole('button').click();
  const drawer = page.getByTestId('product-drawer');
  await expect(drawer.getByTestId('product-grade')).toBeVisible();
  const title = (await drawer.locator('#pd-title').innerText()).trim();
  await drawer.getByTestId('graph-view').click();
  await expect(page.getByRole('heading', { level: 1, name: 'Graph' })).toBeVisible();
  await expect(page).toHaveURL(/#\/graph\?node=product%3A\d+$/);
  await expect(page.getByTestId('node-title')).toHaveText(title);
  await expect(page.getByTestId('node-panel')).toContainText(/^Product/);
  await screenshot(page, 'graph-from-gaps');
});
