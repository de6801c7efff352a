/** The Import page in web mode, driven like a user: pick files, check the preview, import, read the sources. */
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import type { Page } from '@playwright/test';
import {
  api,
  chooseFiles,
  expect,
  SAMPLES,
  screenshot,
  shopifyHeader,
  shopifyProduct,
  shopifyRow,
  test,
} from './support.js';

/** Data rows in a delimited sample, counted independently of Concord's reader. */
function dataRows(file: string, delimiter: string): number {
  const parsed = Papa.parse<string[]>(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''), {
    delimiter,
    skipEmptyLines: true,
  });
  return parsed.data.length - 1;
}

function card(page: Page, name: string) {
  return page.getByRole('article', { name });
}

function sourceRow(page: Page, file: string) {
  return page.getByTestId('sources-table').getByRole('row').filter({ hasText: file });
}

/** Column order of the sources table. */
const COL = { channel: 0, format: 1, encoding: 2, file: 3, rows: 4, records: 5, warnings: 6, sha: 7 };

test('imports two channel exports and lists them with their row counts', async ({ app: page, server }) => {
  const shopify = join(SAMPLES, 'shopify-2024.csv');
  const gmc = join(SAMPLES, 'gmc.tsv');
  await expect(page.getByText('No sources yet — drop exports here')).toBeVisible();
  const info = (await api(server, 'workspace.current')) as { name: string };
  await expect(page.getByTestId('workspace-name')).toHaveText(info.name);
  // The ONNX execution provider in use is shown (CPU here: no GPU on this machine).
  await expect(page.getByTestId('inference-provider')).toHaveText('Inference: CPU');
  await screenshot(page, '01-empty-state');

  await chooseFiles(page, [shopify, gmc]);
  const shopifyCard = card(page, 'shopify-2024.csv');
  const gmcCard = card(page, 'gmc.tsv');
  // Preview: detected format with confidence, encoding, the default channel, the first rows.
  await expect(shopifyCard.getByLabel('Format')).toBeEnabled();
  await expect(shopifyCard.getByLabel('Channel')).toHaveValue('shopify');
  await expect(shopifyCard.getByRole('option', { name: 'Detected: Shopify' })).toBeAttached();
  await expect(shopifyCard.getByRole('columnheader', { name: 'Handle' })).toBeVisible();
  await expect(shopifyCard.getByRole('cell', { name: 'classic-cotton-tee' }).first()).toBeVisible();
  await expect(gmcCard.getByLabel('Channel')).toHaveValue('google');
  await expect(gmcCard.getByRole('option', { name: 'Detected: Google Merchant Center' })).toBeAttached();
  await expect(gmcCard.getByLabel('Encoding')).toBeEnabled();
  await screenshot(page, '02-import-preview');

  await shopifyCard.getByRole('button', { name: 'Import', exact: true }).click();
  await gmcCard.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(shopifyCard.getByText('Imported', { exact: true })).toBeVisible();
  await expect(gmcCard.getByText('Imported', { exact: true })).toBeVisible();

  const shopifyRows = dataRows(shopify, ',');
  const gmcRows = dataRows(gmc, '\t');
  await expect(sourceRow(page, 'shopify-2024.csv').getByRole('cell').nth(COL.rows)).toHaveText(
    shopifyRows.toLocaleString('en-US'),
  );
  await expect(sourceRow(page, 'gmc.tsv').getByRole('cell').nth(COL.rows)).toHaveText(
    gmcRows.toLocaleString('en-US'),
  );
  await expect(sourceRow(page, 'shopify-2024.csv').getByRole('cell').nth(COL.channel)).toHaveText('shopify');
  await expect(sourceRow(page, 'gmc.tsv').getByRole('cell').nth(COL.channel)).toHaveText('google');

  // The same numbers over the API, and the full checksum behind the shortened one.
  const list = (await api(server, 'sources.list')) as {
    file: string;
    rows: number;
    warnings: number;
    sha256: string;
  }[];
  expect(list.map((s) => [s.file, s.rows]).sort()).toEqual([
    ['gmc.tsv', gmcRows],
    ['shopify-2024.csv', shopifyRows],
  ]);
  const sha = list.find((s) => s.file === 'gmc.tsv')!.sha256;
  await expect(sourceRow(page, 'gmc.tsv').getByRole('button', { name: `Copy SHA-256 ${sha}` })).toHaveText(
    sha.slice(0, 12),
  );

  await page.getByRole('button', { name: 'Clear finished' }).click();

  // Warnings expand under their source (when the sample has any).
  const withWarnings = list.find((s) => s.warnings > 0);
  if (withWarnings) {
    await sourceRow(page, withWarnings.file).getByRole('button', { expanded: false }).click();
    await expect(page.getByRole('table', { name: `Warnings of ${withWarnings.file}` })).toBeVisible();
  }
  await screenshot(page, '03-sources-table');

  // Dark theme: the toggle switches it, and it is remembered across a reload.
  await page.getByRole('button', { name: 'Switch to dark theme' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(sourceRow(page, 'gmc.tsv')).toBeVisible();
  await page.keyboard.press('Control+j');
  await expect(page.getByRole('region', { name: 'Jobs' })).toBeVisible();
  await screenshot(page, '05-dark-theme');
});

test('a broken file fails with the line of the problem and leaves the workspace unchanged', async ({
  app: page,
  server,
}) => {
  const header = shopifyHeader();
  const file = join(server.dir, 'ragged.csv');
  // A row longer than the header (short rows import, padded with a warning): an unquoted comma in a value.
  const ragged = `${shopifyRow(header, shopifyProduct(2))},an extra cell`;
  writeFileSync(
    file,
    [
      header.join(','),
      shopifyRow(header, shopifyProduct(1)),
      ragged,
      shopifyRow(header, shopifyProduct(3)),
      '',
    ].join('\n'),
  );

  await chooseFiles(page, [file]);
  const c = card(page, 'ragged.csv');
  await c.getByRole('button', { name: 'Import', exact: true }).click();
  const failure = c.getByRole('alert').filter({ hasText: 'Import failed' });
  await expect(failure).toBeVisible();
  await expect(failure).toContainText('ragged.csv');
  await expect(failure).toContainText(/line 3\b/);
  await expect(failure.getByRole('definition')).toContainText(['ragged.csv', '3']);
  await screenshot(page, '04-failed-import');

  await expect(page.getByText('No sources yet — drop exports here')).toBeVisible();
  expect(await api(server, 'sources.list')).toEqual([]);
});

test('cancelling a long import leaves the workspace as it was', async ({ app: page, server }) => {
  // Something in the workspace first, so "unchanged" means more than "empty".
  await chooseFiles(page, [join(SAMPLES, 'gmc.tsv')]);
  await card(page, 'gmc.tsv').getByRole('button', { name: 'Import', exact: true }).click();
  await expect(card(page, 'gmc.tsv').getByText('Imported', { exact: true })).toBeVisible();
  await expect(sourceRow(page, 'gmc.tsv')).toBeVisible();
  const before = await api(server, 'sources.list');
  const workspaceBefore = await api(server, 'workspace.current');

  const header = shopifyHeader();
  const big = join(server.dir, 'big-shopify.csv');
  const lines = [header.join(',')];
  for (let i = 1; i <= 400_000; i++) lines.push(shopifyRow(header, shopifyProduct(i)));
  writeFileSync(big, lines.join('\n') + '\n');

  await chooseFiles(page, [big]);
  const c = card(page, 'big-shopify.csv');
  await expect(c.getByLabel('Channel')).toHaveValue('shopify', { timeout: 60_000 });
  await c.getByRole('button', { name: 'Import', exact: true }).click();
  const cancel = c.getByRole('button', { name: 'Cancel' });
  await cancel.click();
  await expect(c.getByText('Import cancelled — the workspace is unchanged.')).toBeVisible();

  await expect(page.getByTestId('sources-table').getByRole('row')).toHaveCount(2); // header + gmc.tsv
  await expect(sourceRow(page, 'big-shopify.csv')).toHaveCount(0);
  expect(await api(server, 'sources.list')).toEqual(before);
  expect(await api(server, 'workspace.current')).toEqual(workspaceBefore);
  const jobs = (await api(server, 'jobs.list')) as { status: string }[];
  expect(jobs.map((j) => j.status).sort()).toEqual(['cancelled', 'done']);
});

test('a <script> title is shown as text, never run', async ({ app: page, server }) => {
  const header = shopifyHeader();
  const file = join(server.dir, 'script-title.csv');
  const title = '<script>window.__pwned=1</script>';
  writeFileSync(file, [header.join(','), shopifyRow(header, shopifyProduct(1, title)), ''].join('\n'));

  await chooseFiles(page, [file]);
  const c = card(page, 'script-title.csv');
  await expect(c.getByRole('cell', { name: title, exact: true })).toBeVisible();
  await c.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(c.getByText('Imported', { exact: true })).toBeVisible();
  expect(await page.evaluate(() => (globalThis as { __pwned?: unknown }).__pwned)).toBeUndefined();
  expect(await page.locator('script:not([src])').count()).toBe(0);
});

test('keyboard: shortcuts dialog, jobs panel, theme toggle and focus are usable without a mouse', async ({
  app: page,
}) => {
  await page.keyboard.press('?');
  const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('Import files');
  await expect(dialog).toContainText('Go to Gaps');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  // Alt+<n> goes to the n-th page of the navigation.
  await page.keyboard.press('Alt+3');
  await expect(page).toHaveURL(/#\/gaps/);
  await page.keyboard.press('Alt+1');
  await expect(page).toHaveURL(/#\/import/);

  await page.keyboard.press('Control+j');
  await expect(page.getByRole('region', { name: 'Jobs' })).toContainText('No jobs yet');
  await page.keyboard.press('Control+j');
  await expect(page.getByRole('region', { name: 'Jobs' })).toBeHidden();

  const chooser = page.waitForEvent('filechooser');
  await page.keyboard.press('Control+o');
  expect((await chooser).isMultiple()).toBe(true);

  // Tab reaches the navigation with a visible focus ring.
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  const focused = page.locator(':focus-visible');
  await expect(focused).toHaveCount(1);
  await expect(focused).not.toHaveCSS('outline-style', 'none');
});
