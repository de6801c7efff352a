/**
 * The app shell (issue 14): actions that need records are disabled with the reason on an empty workspace, errors
 * read in the GUI's own words, the layout at 800 px, and web mode's per-port cookie with two servers in one browser.
 */
import { once } from 'node:events';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServe } from '../core/test-support/serve.js';
import {
  api,
  chooseFiles,
  expect,
  ROOT,
  runJob,
  SAMPLES,
  shopifyHeader,
  shopifyProduct,
  shopifyRow,
  test,
  uploadFile,
  type ConcordServer,
} from './support.js';

/** Writes a Shopify export of `count` products and imports it into `channel` through the API. */
async function importProducts(server: ConcordServer, channel: string, count: number): Promise<void> {
  const header = shopifyHeader();
  const lines = [header.join(',')];
  for (let i = 1; i <= count; i++) lines.push(shopifyRow(header, shopifyProduct(i)));
  const file = join(server.dir, `${channel}.csv`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  await runJob(server, 'import.start', {
    file: { uploadId: await uploadFile(server, file) },
    channel,
  });
}

test('actions that need records are disabled, with the reason shown, until the workspace has them', async ({
  app: page,
  server,
}) => {
  await page.getByRole('link', { name: 'Gaps' }).click();
  // The header's button (the empty state repeats it).
  const detect = page.getByTestId('detect-gaps').first();
  await expect(detect).toBeDisabled();
  const noRecords =
    'There are no product records to compare yet: import the exports of at least two channels first.';
  await expect(detect).toHaveAttribute('title', noRecords);
  await expect(detect).toHaveAccessibleDescription(noRecords);
  await expect(page.getByText(noRecords).first()).toBeVisible();

  await page.getByRole('link', { name: 'Matches' }).click();
  const train = page.getByRole('button', { name: 'Train encoder' });
  await expect(train).toBeDisabled();
  await expect(
    page.getByText(/^Training the encoder needs at least 2 product records with a title/),
  ).toBeVisible();

  // One channel: the encoder can train, alignment and detection still need a second channel.
  await importProducts(server, 'shopify', 3);
  await expect(train).toBeEnabled();
  const align = page.getByRole('button', { name: 'Align', exact: true });
  await expect(align).toBeDisabled();
  await expect(align).toHaveAccessibleDescription(
    'Alignment matches records across channels, and only one channel (shopify) has product records: import another channel’s export first.',
  );
  await page.getByRole('link', { name: 'Gaps' }).click();
  await expect(detect).toBeDisabled();
  await expect(detect).toHaveAccessibleDescription(/^Gap detection compares channels, and only one channel/);

  await importProducts(server, 'app', 2);
  await expect(detect).toBeEnabled();
  await page.getByRole('link', { name: 'Matches' }).click();
  await expect(align).toBeEnabled();
  await expect(page.locator('.blocked-reason')).toHaveCount(0);
});

test('a refused import says what to do in the GUI’s words, with the code on a details line only', async ({
  app: page,
  server,
}) => {
  const file = join(SAMPLES, 'shopify-2024.csv');
  const card = () => page.getByRole('article', { name: 'shopify-2024.csv' }).first();
  await chooseFiles(page, [file]);
  await card().getByRole('button', { name: 'Import', exact: true }).click();
  await expect(card().getByText('Imported', { exact: true })).toBeVisible();

  await chooseFiles(page, [file]);
  const again = page.getByTestId('import-card').first();
  await expect(again.getByLabel('Channel')).toHaveValue('shopify');
  await again.getByRole('button', { name: 'Import', exact: true }).click();
  const failure = again.getByRole('alert').filter({ hasText: 'Import failed' });
  await expect(failure).toBeVisible();
  await expect(failure.locator('.error-message')).toHaveText(
    /^shopify-2024\.csv was already imported into channel "shopify" \(source #1, shopify-2024\.csv, .*\)\.$/,
  );
  await expect(failure.locator('.error-remedy')).toHaveText(
    'To import it again, tick “Replace earlier import” and import it.',
  );
  await expect(failure.locator('.error-details')).toHaveText('Error code CONFLICT');
  await expect(failure).not.toContainText('--replace');
  await expect(failure.locator('.error-block-title')).toHaveText(
    'Import failed — the workspace is unchanged',
  );

  // The failed import's upload is gone; retrying sends the file again.
  await expect.poll(() => readdirSync(join(`${server.workspace}.d`, 'uploads')).length).toBe(0);
  await again.getByRole('button', { name: 'Change options and retry' }).click();
  await again.getByLabel('Replace earlier import').check();
  await again.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(again.getByText('Imported', { exact: true })).toBeVisible();
  await expect(again).toContainText('replaced 1 earlier import');
  expect((await api(server, 'sources.list')) as unknown[]).toHaveLength(1);
});

test('two servers in one browser keep their own session cookie', async ({ app: page, server }) => {
  const other = await startServe(ROOT, join(server.dir, 'second.concord'), 30_000);
  try {
    const second = await page.context().newPage();
    await second.goto(other.url);
    await expect(second.getByRole('heading', { level: 1, name: 'Import' })).toBeVisible();
    // Opened again without the token in the URL, each server is reached on its own cookie.
    for (const origin of [server.origin, other.origin]) {
      const tab = await page.context().newPage();
      const reply = await tab.goto(`${origin}/`);
      expect(reply?.status(), origin).toBe(200);
      await expect(tab.getByRole('heading', { level: 1, name: 'Import' })).toBeVisible();
      await expect(tab.getByText('Connected')).toBeVisible();
      await tab.close();
    }
    const names = (await page.context().cookies()).map((c) => c.name).sort();
    expect(names).toEqual([`concord_token_${server.port}`, `concord_token_${other.port}`].sort());
  } finally {
    other.child.kill('SIGTERM');
    await once(other.child, 'exit');
  }
});
