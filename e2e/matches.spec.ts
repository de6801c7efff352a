/**
 * The Matches page in web mode, driven like a merchandiser: align the imported channels, label uncertain pairs with
 * the keyboard, retrain, move the threshold, split a record off a cluster and merge two clusters.
 * The data is a small generated store (`concord demo --products 150`) whose channel exports are imported through
 * the API into the test's fresh workspace.
 */
import { readFileSync } from 'node:fs';
import type { Locator, Page } from '@playwright/test';
import {
  api,
  dismissToasts,
  expect,
  importDemoExports,
  runJob,
  screenshot,
  startFromEmptyPage,
  test,
  type ConcordServer,
} from './support.js';

interface DemoStore {
  records: number;
  /** The generator's ground truth: `channel recordId` → product. */
  productOf: Map<string, number>;
}

/** Generates the demo store's exports and imports each channel through the API. */
async function importDemoStore(server: ConcordServer): Promise<DemoStore> {
  const demo = await importDemoExports(server);
  const truth = JSON.parse(readFileSync(demo.truth, 'utf8')) as {
    clusters: { channel: string; recordId: string }[][];
  };
  const productOf = new Map<string, number>();
  truth.clusters.forEach((c, i) => c.forEach((r) => productOf.set(`${r.channel} ${r.recordId}`, i)));
  return { records: demo.channels.reduce((n, ch) => n + ch.records, 0), productOf };
}

/** Whether the pair on screen is one product, by the ground truth. */
async function sameProduct(page: Page, store: DemoStore): Promise<boolean> {
  const heads = page.getByTestId('pair-table').locator('thead .record-heading');
  const keys: string[] = [];
  for (const head of await heads.all()) {
    const channel = await head.locator('.channel-chip').innerText();
    const recordId = await head.locator('.record-id').innerText();
    keys.push(`${channel} ${recordId}`);
  }
  const [a, b] = keys.map((k) => store.productOf.get(k));
  return a !== undefined && a === b;
}

/** The text of one summary figure, as a number. */
async function figure(locator: Locator): Promise<number> {
  return Number((await locator.innerText()).replace(/[^\d.]/g, ''));
}

/** Both record ids of the pair on screen. */
async function pairOnScreen(page: Page): Promise<string> {
  const heads = page.getByTestId('pair-table').locator('thead .record-id');
  return (await heads.allInnerTexts()).join(' | ');
}

test('align, label pairs with the keyboard, retrain, set the threshold, split and merge clusters', async ({
  app: page,
  server,
}) => {
  test.setTimeout(300_000);
  const store = await importDemoStore(server);
  const records = store.records;

  // Nothing aligned yet: the empty state offers the one thing to do.
  await startFromEmptyPage(page, 'Matches', 'align-empty', 'Align the imported channels', 'Align');

  // The job shows in the jobs panel while it runs; the summary appears when it is done.
  await page.keyboard.press('Control+j');
  await expect(page.getByRole('region', { name: 'Jobs' }).getByRole('listitem').first()).toContainText(
    /align/i,
  );
  await page.keyboard.press('Control+j');
  const summary = page.getByTestId('align-summary');
  await expect(summary).toBeVisible({ timeout: 180_000 });
  const aligned = (await api(server, 'align.summary')) as {
    records: number;
    clusters: number;
    labels: number;
    model: { trainingPairs: number };
  };
  expect(aligned.records).toBe(records);
  await expect(page.getByTestId('summary-records')).toHaveText(records.toLocaleString('en-US'));
  await expect(page.getByTestId('summary-clusters')).toHaveText(aligned.clusters.toLocaleString('en-US'));
  await expect(page.getByTestId('summary-training')).toHaveText(
    aligned.model.trainingPairs.toLocaleString('en-US'),
  );

  // Review queue: the most uncertain pair, side by side, with its provenance and its differing fields marked.
  const card = page.getByTestId('pair-card');
  await expect(card).toBeVisible();
  await expect(card.getByRole('img', { name: /Match probability \d+%/ })).toBeVisible();
  await expect(card.locator('thead .provenance').first()).toContainText(/:\d+$/);
  await expect(card.getByRole('button', { name: /^Match/ })).toContainText('y');
  const session = page.getByTestId('count-session');
  const skipped = page.getByTestId('count-skipped');
  const total = page.getByTestId('count-total');
  await expect(session).toHaveText('0');
  const labels0 = aligned.labels;
  await expect(total).toHaveText(String(labels0));

  const first = await pairOnScreen(page);
  await page.keyboard.press('y');
  await expect(session).toHaveText('1');
  await expect.poll(() => pairOnScreen(page)).not.toBe(first);
  await page.keyboard.press('n');
  await expect(session).toHaveText('2');
  await expect(total).toHaveText(String(labels0 + 2));
  const skippedPair = await pairOnScreen(page);
  await page.keyboard.press('s');
  await expect(skipped).toHaveText('1');
  await expect(session).toHaveText('2');
  // Undo takes back the skip: its pair is on screen again.
  await page.keyboard.press('u');
  await expect(skipped).toHaveText('0');
  await expect.poll(() => pairOnScreen(page)).toBe(skippedPair);
  await page.keyboard.press('y');
  await expect(session).toHaveText('3');
  await expect(total).toHaveText(String(labels0 + 3));
  await expect(page.getByTestId('last-decision')).toContainText('Match');
  // A short review session: the next pairs decided as the store's ground truth says.
  const more = 20;
  for (let i = 1; i <= more; i++) {
    await page.keyboard.press((await sameProduct(page, store)) ? 'y' : 'n');
    await expect(session).toHaveText(String(3 + i));
  }
  await expect(total).toHaveText(String(labels0 + 3 + more));
  await expect(page.getByTestId('summary-labels')).toHaveText(String(labels0 + 3 + more));
  expect(((await api(server, 'align.summary')) as { labels: number }).labels).toBe(labels0 + 3 + more);

  // Retrain: the matcher learns from the labels and the metrics move.
  const retrain = page.getByTestId('retrain-card');
  await retrain.getByRole('button', { name: 'Retrain' }).click();
  const result = page.getByTestId('retrain-result');
  await expect(result).toBeVisible({ timeout: 180_000 });
  const trainingRow = result.getByRole('row', { name: /Training pairs/ });
  const [before, after] = await Promise.all([
    figure(trainingRow.getByRole('cell').nth(0)),
    figure(trainingRow.getByRole('cell').nth(1)),
  ]);
  expect(before).toBe(aligned.model.trainingPairs);
  const retrained = (await api(server, 'align.summary')) as {
    model: { trainingPairs: number };
    clusters: number;
  };
  expect(after).toBe(retrained.model.trainingPairs);
  await expect(page.getByTestId('summary-training')).toHaveText(
    retrained.model.trainingPairs.toLocaleString('en-US'),
  );
  await expect(page.getByTestId('pair-card')).toBeVisible();
  await dismissToasts(page);
  await screenshot(page, 'matches-queue');

  // Threshold: the curve, the slider, and re-clustering at the new value.
  await page.getByRole('tab', { name: 'Threshold' }).click();
  // The validation pairs' precision and recall, and the labels' own (dashed).
  await expect(page.getByTestId('pr-chart').locator('.recharts-line-curve')).toHaveCount(4);
  const slider = page.getByTestId('threshold-slider');
  await slider.focus();
  for (let i = 0; i < 15; i++) await page.keyboard.press('ArrowRight');
  const chosen = await page.getByTestId('threshold-value').innerText();
  expect(Number(chosen)).toBeGreaterThan(0);
  await page.getByRole('button', { name: 'Apply threshold' }).click();
  await expect(page.getByTestId('recluster-outcome')).toContainText(`Re-clustered at ${chosen}`);
  await expect(page.getByTestId('summary-threshold')).toHaveText(chosen);
  expect(((await api(server, 'align.summary')) as { threshold: number }).threshold).toBeCloseTo(
    Number(chosen),
    5,
  );
  await dismissToasts(page);
  await screenshot(page, 'matches-threshold');

  // Clusters: the first multi-record cluster; split one record off and the cluster shrinks.
  await page.getByRole('tab', { name: 'Clusters' }).click();
  const list = page.getByTestId('cluster-list');
  await expect(list.getByRole('listitem').first()).toBeVisible();
  const detail = page.getByTestId('cluster-detail');
  await expect(detail.getByText('Golden record', { exact: true })).toBeVisible();
  const size = page.getByTestId('cluster-size');
  const sizeBefore = await figure(size);
  expect(sizeBefore).toBeGreaterThanOrEqual(2);
  await detail.getByRole('checkbox').first().check();
  await detail.getByRole('button', { name: 'Split off' }).click();
  await expect(size).toHaveText(`${sizeBefore - 1} record${sizeBefore - 1 === 1 ? '' : 's'}`);
  // Re-clustering may renumber the cluster: ask for the one on screen.
  const clusterId = await detail.getByTestId('cluster-id').innerText();
  const afterSplit = (await api(server, 'clusters.get', { clusterId })) as { records: unknown[] };
  expect(afterSplit.records).toHaveLength(sizeBefore - 1);
  await dismissToasts(page);
  await screenshot(page, 'matches-clusters');

  // Merge two clusters: the merged one holds the records of both.
  const rows = list.getByRole('listitem');
  const sizes = await Promise.all([0, 1].map((i) => figure(rows.nth(i).locator('.cluster-size'))));
  await rows.nth(0).getByRole('checkbox').check();
  await rows.nth(1).getByRole('checkbox').check();
  const pickedIds = await Promise.all(
    [0, 1].map((i) => rows.nth(i).locator('.cluster-row').getAttribute('data-cluster-id')),
  );
  const preview = (await api(server, 'clusters.mergePreview', { clusterIds: pickedIds })) as {
    conflicts: unknown[];
  };
  await page.getByRole('button', { name: 'Merge 2 clusters' }).click();
  // Two different products: what the merge breaks is asked about first (e2e/edits.spec.ts checks the words).
  if (preview.conflicts.length > 0)
    await page
      .getByRole('dialog', { name: 'Merge 2 clusters?' })
      .getByRole('button', { name: 'Merge anyway' })
      .click();
  await expect(size).toHaveText(`${sizes[0] + sizes[1]} records`);
});

test('the review queue is usable without a mouse', async ({ app: page, server }) => {
  test.setTimeout(300_000);
  await importDemoStore(server);
  await runJob(server, 'align.start');

  await page.goto(`${server.origin}/#/matches/review`);
  await expect(page.getByTestId('pair-card')).toBeVisible();
  // Tab order reaches the views' tabs and the decision buttons, each with a visible focus ring.
  const reviewTab = page.getByRole('tab', { name: 'Review queue' });
  await reviewTab.focus();
  await expect(reviewTab).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: 'Threshold' })).toBeFocused();
  await expect(page).toHaveURL(/#\/matches\/threshold$/);
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  const focused = page.locator(':focus-visible');
  await expect(focused).toHaveCount(1);
  await expect(focused).not.toHaveCSS('outline-style', 'none');
  // Enter on the focused Match button labels like y does.
  const session = page.getByTestId('count-session');
  await page.getByRole('button', { name: /^Match/ }).focus();
  await page.keyboard.press('Enter');
  await expect(session).toHaveText('1');
  // Under a dialog the decision keys do nothing.
  await page.keyboard.press('?');
  const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(dialog).toBeVisible();
  await page.keyboard.press('y');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(session).toHaveText('1');
  // u takes the label back.
  await page.keyboard.press('u');
  await expect(session).toHaveText('0');
});
