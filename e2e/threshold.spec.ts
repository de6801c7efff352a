/**
 * The threshold tool, the jobs panel and the Matches summary, as a merchandiser meets them (issue 14, points 2, 11
 * and 15): the curve from the matcher's validation pairs with no labels and beside a few labels, the score
 * histogram, the preview before Apply; a finished align job that reads done, a failed one cleared, the header's
 * duration that is the job's; and a plain-language hint on every summary figure.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import {
  api,
  dismissToasts,
  expect,
  importDemoExports,
  ROOT,
  runJob,
  shopifyHeader,
  shopifyProduct,
  shopifyRow,
  test,
  uploadFile,
  type ConcordServer,
} from './support.js';

interface Preview {
  merging: number;
  mergedInto: number;
  splitting: number;
  clusters: { before: number; after: number };
}

async function alignDemo(server: ConcordServer): Promise<string> {
  await importDemoExports(server);
  return runJob(server, 'align.start');
}

/** Opens the threshold view afresh (a reload: labels stored through the API are news to the page). */
async function openThreshold(page: Page, server: ConcordServer): Promise<void> {
  await page.goto(`${server.origin}/#/matches/threshold`);
  await page.reload();
  await expect(page.getByTestId('pr-chart').locator('.recharts-line-curve').first()).toBeVisible();
}

/** A screenshot into test-results/screenshots, with the times that change between runs masked. */
async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({
    path: join(ROOT, 'test-results', 'screenshots', `${name}.png`),
    mask: [page.locator('.aligned-at'), page.locator('.job-time')],
  });
}

test('the threshold tool draws the validation curve, keeps labels apart, and previews before applying', async ({
  app: page,
  server,
}) => {
  test.setTimeout(300_000);
  await alignDemo(server);
  const summary = (await api(server, 'align.summary')) as {
    threshold: number;
    clusters: number;
    model: { validF1: number };
  };

  // No labels: the curve of the validation pairs, never an empty box, agreeing with the Valid F1 tile.
  await openThreshold(page, server);
  const chart = page.getByTestId('pr-chart');
  await expect(chart.locator('.recharts-line-curve')).toHaveCount(2);
  await expect(page.getByTestId('curve-source')).toContainText(
    'validation pairs the matcher did not learn from',
  );
  await expect(page.getByText('No labelled pairs yet')).toHaveCount(0);
  const tile = (await page.getByTestId('summary-f1').innerText()).trim();
  expect(tile).toBe(summary.model.validF1.toFixed(2));
  await expect(page.getByTestId('matcher-threshold')).toContainText(
    `F1 ${tile} there, the Valid F1 of the summary`,
  );
  await expect(page.getByTestId('readout-precision')).toHaveText(/^\d+%$/);
  await expect(page.getByTestId('readout-f1')).toHaveText(/^\d\.\d\d$/);
  await expect(page.getByTestId('labels-readout')).toHaveCount(0);
  // The scores by outcome: bars for both.
  const histogram = page.getByTestId('score-histogram');
  await expect(histogram.locator('.bar-matches .recharts-rectangle').first()).toBeVisible();
  await expect(histogram.locator('.bar-nonmatches .recharts-rectangle').first()).toBeVisible();
  await dismissToasts(page);
  await shot(page, 'threshold-0-labels');
  const validationPrecision = await page.getByTestId('readout-precision').innerText();

  // Three labels from the review queue, two of them against the model: their own source, told in counts.
  const queue = (await api(server, 'matches.queue', { limit: 3 })) as {
    a: { id: number };
    b: { id: number };
  }[];
  for (const [k, pair] of queue.entries())
    await api(server, 'matches.label', { a: pair.a.id, b: pair.b.id, label: k === 0 ? 'match' : 'no_match' });
  await openThreshold(page, server);
  await expect(chart.locator('.recharts-line-curve')).toHaveCount(4);
  const labels = page.getByTestId('labels-readout');
  await expect(labels).toContainText('Your 3 labelled pairs: ');
  await expect(labels).toContainText(/\d of 1 matches kept, \d of 2 non-matches let through/);
  await expect(labels).not.toContainText('%');
  await expect(page.getByTestId('curve-source')).toContainText('your 3 labels');
  await expect(page.getByTestId('readout-precision')).toHaveText(validationPrecision);
  await dismissToasts(page);
  await shot(page, 'threshold-3-labels');

  // Moving the threshold previews what it would merge and split; Apply then does that.
  const slider = page.getByTestId('threshold-slider');
  await slider.focus();
  const steps = Math.round((0.99 - summary.threshold) * 100);
  for (let i = 0; i < steps; i++) await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('threshold-value')).toHaveText('0.99');
  const expected = (await api(server, 'align.previewThreshold', { threshold: 0.99 })) as Preview;
  expect(expected.splitting).toBeGreaterThan(0);
  const preview = page.getByTestId('threshold-preview');
  await expect(preview).toContainText(
    `At 0.99: ${expected.splitting} product${expected.splitting === 1 ? '' : 's'} would split`,
  );
  const clustersRow = preview.locator('.threshold-outcome-row', { hasText: 'Clusters' });
  await expect(clustersRow.locator('strong')).toHaveText(expected.clusters.after.toLocaleString('en-US'));
  await shot(page, 'threshold-preview');
  // Nothing changed yet.
  expect(((await api(server, 'align.summary')) as { clusters: number }).clusters).toBe(
    expected.clusters.before,
  );
  await page.getByRole('button', { name: 'Apply threshold' }).click();
  await expect(page.getByTestId('recluster-outcome')).toContainText('Re-clustered at 0.99');
  await expect(page.getByTestId('summary-clusters')).toHaveText(
    expected.clusters.after.toLocaleString('en-US'),
  );
  await expect(preview).toHaveCount(0);

  // At 1024 px in the dark theme the threshold card goes under the charts.
  await page.setViewportSize({ width: 1024, height: 900 });
  await page.getByRole('button', { name: /Switch to dark theme/ }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await dismissToasts(page);
  await shot(page, 'threshold-1024-dark');
});

test('jobs panel: a finished align job reads done, a failed one can be cleared, the header gives the job duration', async ({
  app: page,
  server,
}) => {
  test.setTimeout(300_000);
  const alignId = await alignDemo(server);
  await page.goto(`${server.origin}/#/matches/review`);
  await expect(page.getByTestId('align-summary')).toBeVisible();

  await page.keyboard.press('Control+j');
  const panel = page.getByRole('region', { name: 'Jobs' });
  const alignRow = panel.getByRole('listitem', { name: 'Align products across channels: Done' });
  await expect(alignRow.locator('.job-note')).toHaveText('Finished');
  await expect(panel).not.toContainText('saving');
  const job = ((await api(server, 'jobs.list')) as { id: string; progress: { phase: string } }[]).find(
    (j) => j.id === alignId,
  )!;
  expect(job.progress.phase).toBe('done');
  // The header's duration is the job's, as the jobs panel shows it.
  const jobTime = (await alignRow.locator('.job-time').innerText()).split('·')[1].trim();
  await expect(page.locator('.aligned-at')).toContainText(`· ${jobTime}`);

  // A failed job: the status bar counts it until it is dismissed, and it stays dismissed after a reload.
  const header = shopifyHeader();
  const ragged = join(server.dir, 'ragged.csv');
  writeFileSync(
    ragged,
    [header.join(','), `${shopifyRow(header, shopifyProduct(1))},an extra cell`, ''].join('\n'),
  );
  const { jobId: failedId } = (await api(server, 'import.start', {
    file: { uploadId: await uploadFile(server, ragged) },
    channel: 'shop',
  })) as { jobId: string };
  await expect
    .poll(
      async () =>
        ((await api(server, 'jobs.list')) as { id: string; status: string }[]).find((j) => j.id === failedId)
          ?.status,
    )
    .toBe('failed');
  const badge = page.locator('.statusbar .status-failed');
  await expect(badge).toHaveText('1 failed');
  await dismissToasts(page);
  await shot(page, 'jobs-failed');
  await panel
    .getByRole('listitem', { name: /: Failed$/ })
    .getByRole('button', { name: /^Dismiss/ })
    .click();
  await expect(panel.getByRole('listitem', { name: /Failed/ })).toHaveCount(0);
  await expect(badge).toHaveCount(0);
  await page.reload();
  await expect(page.locator('.statusbar')).toBeVisible();
  await expect(page.locator('.statusbar .status-failed')).toHaveCount(0);
  expect(((await api(server, 'jobs.list')) as { id: string }[]).map((j) => j.id)).not.toContain(failedId);
});

test('every figure of the Matches summary has a plain-language hint on hover and on focus', async ({
  app: page,
  server,
}) => {
  test.setTimeout(300_000);
  await alignDemo(server);
  await page.goto(`${server.origin}/#/matches/review`);
  const strip = page.getByTestId('align-summary');
  await expect(strip).toBeVisible();
  const terms = strip.locator('.stat-term');
  await expect(terms).toHaveCount(8);

  const cases: [string, RegExp][] = [
    ['Blocking recall', /only likely pairs are compared/],
    ['Valid F1', /pairs it did not learn from/],
    ['Training pairs', /Pairs the matcher learned from/],
    ['Threshold', /How sure the matcher must be/],
  ];
  for (const [label, words] of cases) {
    const term = strip.locator('.stat-term', { hasText: label });
    await expect(term).toHaveAccessibleDescription(words);
    // The technical figure stays.
    await expect(
      term.locator('xpath=ancestor::div[contains(@class,"summary-stat")]').locator('.summary-value'),
    ).not.toBeEmpty();
  }

  const tooltip = page.getByRole('tooltip');
  await expect(tooltip).toHaveCount(0);
  await strip.locator('.summary-stat', { hasText: 'Valid F1' }).hover();
  await expect(tooltip).toBeVisible();
  await expect(tooltip).toContainText('pairs it did not learn from');
  await shot(page, 'matches-summary-hint');
  await page.mouse.move(5, 5);
  await expect(tooltip).toHaveCount(0);

  // Keyboard: Tab reaches each hint, Escape hides it.
  await strip.locator('.stat-term', { hasText: 'Blocking recall' }).focus();
  await expect(tooltip).toBeVisible();
  await expect(tooltip).toContainText('only likely pairs are compared');
  await page.keyboard.press('Tab');
  await expect(tooltip).toContainText('Pairs the matcher learned from');
  await page.keyboard.press('Escape');
  await expect(tooltip).toHaveCount(0);

  await page.getByRole('button', { name: /Switch to dark theme/ }).click();
  await strip.locator('.stat-term', { hasText: 'Valid F1' }).focus();
  await expect(page.getByRole('tooltip')).toBeVisible();
  await shot(page, 'matches-summary-hint-dark');
});
