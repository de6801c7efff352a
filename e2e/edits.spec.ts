/**
 * Safe edits (issue 14, points 1, 9 and 10) in web mode at 1440 px, on a small generated store
 * (`concord demo --products 150`) imported and aligned through the API:
 *  - the Clusters view tells look-alike clusters apart by their variant options, shows every channel's record of a
 *    cluster side by side with prices in their currency, asks before a merge that breaks something (saying what),
 *    and undoes a merge and a split from the toast;
 *  - the gap table picks a range with Shift+click without selecting text, drops picked rows once they leave the
 *    filter, and changes no status with nothing picked.
 */
import type { Locator } from '@playwright/test';
import {
  alignedDemo,
  api,
  dismissToasts,
  expect,
  runJob,
  screenshot,
  test,
  type ConcordServer,
} from './support.js';

interface ClusterItem {
  clusterId: string;
  title: string | null;
  options: string | null;
  channels: string[];
  size: number;
}
interface ClusterView {
  records: { id: number; channel: string; fields: Record<string, string | null> }[];
}

/** Click on row `from`, Shift+click on row `to` (on the severity cell: the product title opens the product). */
async function pickRange(rows: Locator, from: number, to: number): Promise<void> {
  await rows.nth(from).locator('[role=gridcell]').nth(1).click();
  await rows
    .nth(to)
    .locator('[role=gridcell]')
    .nth(1)
    .click({ modifiers: ['Shift'] });
}

const recordIds = async (server: ConcordServer, clusterId: string): Promise<number[]> =>
  ((await api(server, 'clusters.get', { clusterId })) as ClusterView).records.map((r) => r.id);

test('clusters: variants told apart, all channels side by side, merge asked about and undone, split undone', async ({
  app: page,
  server,
}) => {
  test.setTimeout(300_000);
  await alignedDemo(server);

  // Two clusters with one title (two variants of a product), each with a Shopify record.
  const list = (await api(server, 'clusters.list', { multiOnly: true, limit: 500 })) as {
    items: ClusterItem[];
  };
  const byTitle = new Map<string, ClusterItem[]>();
  for (const c of list.items)
    if (c.channels.includes('shopify'))
      byTitle.set(c.title ?? '', [...(byTitle.get(c.title ?? '') ?? []), c]);
  const [title, twins] = [...byTitle].find(([, cs]) => cs.length >= 2)!;
  const [a, b] = twins;
  const before = { a: await recordIds(server, a.clusterId), b: await recordIds(server, b.clusterId) };

  await page.goto(`${server.origin}/#/matches/clusters`);
  await page.getByTestId('cluster-search').fill(title);
  const rowA = page.locator(`.cluster-item:has([data-cluster-id="${a.clusterId}"])`);
  const rowB = page.locator(`.cluster-item:has([data-cluster-id="${b.clusterId}"])`);
  // The list says which variant each is.
  await expect(rowA.locator('.cluster-options')).toHaveText(a.options!);
  await expect(rowB.locator('.cluster-options')).toHaveText(b.options!);
  expect(a.options).not.toBe(b.options);

  // Every record of the cluster shows at 1440 px, beside the golden record, prices with their currency.
  await rowA.locator('.cluster-row').click();
  const detail = page.getByTestId('cluster-detail');
  await expect(detail.getByTestId('cluster-id')).toHaveText(a.clusterId);
  const heads = detail.locator('thead th');
  await expect(heads).toHaveCount(2 + a.size);
  const panel = (await detail.boundingBox())!;
  for (const head of await heads.all()) {
    const box = (await head.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(panel.x + panel.width + 1);
  }
  const prices = detail.getByRole('row', { name: /^Price/ }).getByRole('cell');
  for (const cell of await prices.all()) await expect(cell).toContainText(/\d\.\d+ [A-Z]{3}/);
  await screenshot(page, 'clusters-variants');

  // Merging two variants: what it breaks, in words, before anything happens; Cancel leaves both as they were.
  const preview = (await api(server, 'clusters.mergePreview', {
    clusterIds: [a.clusterId, b.clusterId],
  })) as {
    conflicts: { message: string }[];
  };
  expect(preview.conflicts.map((c) => c.message)).toContain('2 shopify records');
  await rowA.getByRole('checkbox').check();
  await rowB.getByRole('checkbox').check();
  await page.getByRole('button', { name: 'Merge 2 clusters' }).click();
  const confirm = page.getByRole('dialog', { name: 'Merge 2 clusters?' });
  await expect(confirm).toBeVisible();
  for (const c of preview.conflicts)
    await expect(confirm.getByRole('listitem').filter({ hasText: c.message })).toHaveCount(1);
  await screenshot(page, 'clusters-merge-confirm');
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(confirm).toBeHidden();
  expect(await recordIds(server, a.clusterId)).toEqual(before.a);

  // Merge anyway, then Undo from the toast: both clusters exactly as before.
  await page.getByRole('button', { name: 'Merge 2 clusters' }).click();
  await confirm.getByRole('button', { name: 'Merge anyway' }).click();
  const size = detail.getByTestId('cluster-size');
  await expect(size).toHaveText(`${a.size + b.size} records`);
  const merged = page.locator('.toast', { hasText: 'Clusters merged' });
  await merged.getByRole('button', { name: 'Undo' }).click();
  await expect(page.locator('.toast', { hasText: 'Merge undone' })).toBeVisible();
  await expect(size).toHaveText(`${a.size} records`);
  expect(await recordIds(server, a.clusterId)).toEqual(before.a);
  expect(await recordIds(server, b.clusterId)).toEqual(before.b);

  // Split a record off, then Undo: the cluster is whole again.
  await detail.locator('thead').getByRole('checkbox').last().check();
  await detail.getByRole('button', { name: 'Split off' }).click();
  await expect(size).toHaveText(`${a.size - 1} record${a.size - 1 === 1 ? '' : 's'}`);
  await page
    .locator('.toast', { hasText: 'Records split off' })
    .getByRole('button', { name: 'Undo' })
    .click();
  await expect(page.locator('.toast', { hasText: 'Split undone' })).toBeVisible();
  await expect(size).toHaveText(`${a.size} records`);
  expect(await recordIds(server, a.clusterId)).toEqual(before.a);
  await dismissToasts(page);
});

test('gap table: Shift+click selects no text, picked rows leave with the filter, nothing picked changes nothing', async ({
  app: page,
  server,
}) => {
  test.setTimeout(300_000);
  await alignedDemo(server);
  await runJob(server, 'gaps.detect');
  const accepted = async () =>
    ((await api(server, 'gaps.summary')) as { byStatus: Record<string, number> }).byStatus.accepted ?? 0;

  await page.goto(`${server.origin}/#/gaps/table`);
  const grid = page.getByRole('grid', { name: 'Gaps' });
  const rows = grid.locator('.gap-row[data-gap-id]');
  await expect(rows.first()).toBeVisible();
  const selected = page.getByTestId('gap-selected');
  const accept = page
    .getByRole('toolbar', { name: 'Selected gaps' })
    .getByRole('button', { name: /^Accept/ });

  // Nothing picked: Accept is off and says why; the key says so too, and nothing is accepted.
  await expect(selected).toHaveText('Nothing selected');
  await expect(accept).toBeDisabled();
  await expect(accept).toHaveAttribute('title', /^Select gaps first/);
  await grid.focus();
  await page.keyboard.press('a');
  await expect(page.locator('.toast', { hasText: 'Nothing selected' })).toBeVisible();
  expect(await accepted()).toBe(0);
  await dismissToasts(page);

  // Shift+click picks a range, and selects no text on the page.
  await pickRange(rows, 0, 4);
  await expect(selected).toHaveText('5 selected');
  expect(await page.evaluate('String(window.getSelection() ?? "")')).toBe('');

  // Open gaps only: accepting three picked rows takes them out of the table, and out of the selection.
  await page.getByTestId('filter-status').selectOption('open');
  await expect(selected).toHaveText('Nothing selected');
  await pickRange(rows, 0, 2);
  await expect(selected).toHaveText('3 selected');
  await accept.click();
  await expect(page.getByTestId('undo-bar')).toContainText('3 gaps accepted');
  await expect(selected).toHaveText('Nothing selected');
  await expect(accept).toBeDisabled();
  expect(await accepted()).toBe(3);
  await screenshot(page, 'gaps-selection');
});
