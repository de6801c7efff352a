/**
 * The Gaps table and drawer after a detection, as a merchandiser reads them (issue 14 points 3–6 and 12): the
 * changed word marked in Expected / Actual and in the drawer, absence rows that name their reference record and
 * sort last, a how-to-fix line in the channel's words, a fix-list dialog that counts before the download and
 * exports the filtered selection, and the stale-gaps banner after a merge. Screenshots at 1440 and 1024 px.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import type { Page } from '@playwright/test';
import {
  api,
  dismissToasts,
  expect,
  importDemoExports,
  runJob,
  screenshot,
  test,
  type ConcordServer,
} from './support.js';

interface Row {
  id: number;
  kind: string;
  channel: string;
  recordId: string | null;
  expected: string | null;
  actual: string | null;
  presentIn: { channel: string; recordId: string }[];
}

interface Count {
  selected: number;
  fixable: number;
  rows: number;
  skipped: { reason: string; gaps: number }[];
}

async function list(server: ConcordServer, params: unknown): Promise<{ total: number; rows: Row[] }> {
  return (await api(server, 'gaps.list', params)) as { total: number; rows: Row[] };
}

/** The demo store imported, aligned and its gaps detected (through the API), the page on the gap table. */
async function detectedStore(page: Page, server: ConcordServer): Promise<void> {
  await importDemoExports(server);
  await runJob(server, 'gaps.detect', { align: true });
  await page.goto(page.url().replace(/#.*$/, '') + '#/gaps/table');
  await expect(page.getByRole('grid', { name: 'Gaps' })).toBeVisible();
}

test('the table and drawer show what differs, absences and how to fix; the export counts first', async ({
  app: page,
  server,
}) => {
  test.setTimeout(420_000);
  await detectedStore(page, server);
  const grid = page.getByRole('grid', { name: 'Gaps' });
  const rows = grid.locator('.gap-spacer > [role=row][data-gap-id]');

  // Point 5: a title gap shows the changed word marked in both cells, the whole value on hover.
  const titles = await list(server, { filter: { kinds: ['title_mismatch'] }, limit: 1 });
  expect(titles.total).toBeGreaterThan(0);
  const title = titles.rows[0];
  await page.getByTestId('filter-kind').selectOption('title_mismatch');
  await page.getByTestId('gap-search').fill(title.recordId!);
  const titleRow = grid.locator(`[data-gap-id="${title.id}"]`);
  await expect(titleRow).toBeVisible();
  const expectedCell = titleRow.locator('.gap-col-expected');
  const actualCell = titleRow.locator('.gap-col-actual');
  await expect(expectedCell.locator('mark.tok-diff').first()).toBeVisible();
  await expect(actualCell.locator('mark.tok-diff').first()).toBeVisible();
  await expect(expectedCell.locator('[title]').first()).toHaveAttribute('title', title.expected!);
  await expect(actualCell.locator('[title]').first()).toHaveAttribute('title', title.actual!);
  // The marked word is inside the cell's visible box, not cut off by its ellipsis.
  for (const cell of [expectedCell, actualCell]) {
    const overflow = await cell.evaluate((el) => {
      const mark = el.querySelector('mark.tok-diff')!.getBoundingClientRect();
      return mark.right - el.getBoundingClientRect().right;
    });
    expect(overflow).toBeLessThanOrEqual(1);
  }

  // Point 5: the drawer marks the differing words the way the Matches page does; point 12: how to fix it.
  await titleRow.getByRole('button').click();
  const drawer = page.getByTestId('product-drawer');
  const gapItem = drawer.locator('.pd-gap.is-highlighted');
  await expect(gapItem.locator('.pd-actual mark.tok-diff').first()).toBeVisible();
  await expect(
    drawer.getByTestId('product-compare').locator('td[data-differs] mark.tok-diff').first(),
  ).toBeVisible();
  const summary = (await api(server, 'gaps.summary')) as {
    completeness: { channel: string; format: string }[];
  };
  const format = summary.completeness.find((c) => c.channel === title.channel)!.format;
  const own: Record<string, RegExp> = {
    shopify: /Shopify admin › .*Title/,
    woocommerce: /WooCommerce › .*Name/,
    gmc: /Merchant Center: .*\btitle\b/,
    amazon: /Seller Central › .*item_name/,
  };
  await expect(gapItem.getByTestId('fix-hint')).toContainText(own[format] ?? /title column/);
  await dismissToasts(page);
  await screenshot(page, 'gaps-followup-drawer-1440');
  await page.setViewportSize({ width: 1024, height: 768 });
  await screenshot(page, 'gaps-followup-drawer-1024');
  await page.keyboard.press('Escape');
  await expect(drawer).toBeHidden();

  // Point 5: at 1024 px the key columns stay in view.
  await page.getByTestId('gap-search').fill('');
  await page.getByTestId('filter-kind').selectOption('');
  await expect(rows.first()).toBeVisible();
  const gridBox = (await grid.boundingBox())!;
  for (const col of ['kind', 'channel', 'recordId', 'title', 'expected', 'actual', 'status']) {
    const head = (await grid.locator(`.gap-head .gap-col-${col}`).boundingBox())!;
    expect(head, col).not.toBeNull();
    expect(head.width, col).toBeGreaterThan(20);
    expect(head.x + head.width, col).toBeLessThanOrEqual(gridBox.x + gridBox.width + 1);
  }
  await page.getByTestId('sort-recordId').click();
  await expect(rows.first().locator('.gap-absent')).toHaveCount(0);
  await dismissToasts(page);
  await screenshot(page, 'gaps-followup-table-1024');
  await page.setViewportSize({ width: 1440, height: 900 });

  // Point 6: sorting by record id puts no absence first; an absence names its reference record and variant.
  const byRecord = await list(server, { sort: { column: 'recordId', direction: 'asc' }, limit: 1 });
  expect(byRecord.rows[0].recordId).not.toBeNull();
  await expect(rows.first()).toHaveAttribute('data-gap-id', String(byRecord.rows[0].id));
  const variants = await list(server, { filter: { kinds: ['variant_missing'] }, limit: 200 });
  const variant = variants.rows.find((r) => r.expected !== null)!;
  await page.getByTestId('filter-kind').selectOption('variant_missing');
  await page.getByTestId('filter-channel').selectOption(variant.channel);
  const variantRow = grid.locator(`[data-gap-id="${variant.id}"]`);
  await page.getByTestId('sort-recordId').click();
  await expect(rows.first()).toBeVisible();
  const position = (
    await list(server, {
      filter: { kinds: ['variant_missing'], channels: [variant.channel] },
      sort: { column: 'recordId', direction: 'desc' },
      limit: 1000,
    })
  ).rows.findIndex((r) => r.id === variant.id);
  await grid.focus();
  for (let i = 0; i < position; i++) await page.keyboard.press('ArrowDown');
  await expect(variantRow).toBeVisible();
  const ref = variant.presentIn[0];
  await expect(variantRow.locator('.gap-absent-ref')).toHaveText(`${ref.channel}:${ref.recordId}`);
  await expect(variantRow.locator('.gap-col-expected')).toHaveText(variant.expected!);
  await expect(variantRow.locator('.gap-col-actual')).toHaveText('not listed');
  await variantRow.getByRole('button').click();
  await expect(drawer.getByTestId('missing-variant')).toContainText(variant.expected!);
  await expect(drawer.locator('.pd-gap.is-highlighted')).toContainText(`${ref.channel}:${ref.recordId}`);
  await page.keyboard.press('Escape');

  // Point 3: with only absences selected the dialog says nothing is fixable before any download.
  await page.getByTestId('filter-kind').selectOption('missing_in_channel');
  await page.getByTestId('export-open').click();
  const dialog = page.getByTestId('export-dialog');
  await expect(dialog.getByTestId('export-filter-note')).toContainText('Missing in channel');
  await expect(dialog.getByTestId(`export-channel-${variant.channel}`)).toBeDisabled();
  await expect(dialog.getByTestId(`export-why-${variant.channel}`)).toContainText(
    /None of the .* open gaps? can go in a fix list: /,
  );
  await page.getByRole('button', { name: 'Close', exact: true }).click();
  await expect(dialog).toBeHidden();

  // Point 3: a price filter: the count shown is the rows the download holds.
  const prices = await list(server, { filter: { kinds: ['price_mismatch'] }, limit: 1 });
  const channel = prices.rows[0].channel;
  await page.getByTestId('filter-channel').selectOption('');
  await page.getByTestId('filter-kind').selectOption('price_mismatch');
  await page.getByTestId('export-open').click();
  const count = (await api(server, 'fixlist.count', {
    channel,
    filter: { kinds: ['price_mismatch'] },
  })) as Count;
  expect(count.fixable).toBeGreaterThan(0);
  await expect(dialog.getByTestId(`export-fixable-${channel}`)).toHaveText(
    `${count.fixable} fixable · ${count.rows} row${count.rows === 1 ? '' : 's'}`,
  );
  await dismissToasts(page);
  await screenshot(page, 'gaps-followup-export');
  const downloading = page.waitForEvent('download');
  await dialog.getByTestId(`export-channel-${channel}`).click();
  const download = await downloading;
  const saved = join(server.dir, download.suggestedFilename());
  await download.saveAs(saved);
  const tsv = !download.suggestedFilename().endsWith('.csv');
  const parsed = Papa.parse<string[]>(readFileSync(saved, 'utf8').replace(/^\uFEFF/, ''), {
    delimiter: tsv ? '\t' : ',',
    quoteChar: tsv ? '\u0000' : '"',
    skipEmptyLines: true,
  });
  expect(parsed.data.length - 1).toBe(count.rows);
  await expect(page.locator('.toasts')).toContainText(`correcting ${count.fixable} gap`);
});

test('gaps go stale after a merge: the banner re-detects; detection can follow alignment', async ({
  app: page,
  server,
}) => {
  test.setTimeout(420_000);
  await detectedStore(page, server);
  await expect(page.getByTestId('gap-total')).toBeVisible();
  await expect(page.getByTestId('stale-banner')).toHaveCount(0);

  // A merge on the Matches page (here through the API) changes the products the gaps were detected from.
  const clusters = (await api(server, 'clusters.list', { limit: 2 })) as { items: { clusterId: string }[] };
  await api(server, 'clusters.merge', { clusterIds: clusters.items.map((c) => c.clusterId) });
  expect(await api(server, 'gaps.staleness')).toMatchObject({ stale: true });
  await page.getByRole('link', { name: 'Matches' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Matches' })).toBeVisible();
  await page.getByRole('link', { name: 'Gaps' }).click();
  const banner = page.getByTestId('stale-banner');
  await expect(banner).toContainText('Products changed after this detection (1 merge)');
  await dismissToasts(page);
  await screenshot(page, 'gaps-followup-stale');
  await banner.getByTestId('stale-redetect').click();
  await expect(banner).toBeHidden({ timeout: 180_000 });

  // The setting: stored in the workspace, and an alignment job is then followed by detection.
  const toggle = page.getByTestId('auto-detect');
  await expect(toggle).not.toBeChecked();
  await toggle.check();
  await expect.poll(() => api(server, 'gaps.detectSettings')).toEqual({ autoDetectAfterAlign: true });
  const before = ((await api(server, 'gaps.summary')) as { runId: number }).runId;
  await runJob(server, 'align.start');
  await expect
    .poll(async () => ((await api(server, 'gaps.summary')) as { runId: number }).runId, { timeout: 180_000 })
    .toBeGreaterThan(before);
  await expect(banner).toHaveCount(0);
});
