/**
 * The Gaps page in web mode, driven like a merchandiser: a small generated store (`concord demo --products 150`)
 * imported and aligned through the API, then on the page: detect gaps with the button, read the dashboard, filter
 * the table to one kind, open a product, accept a gap (button and keyboard, with undo), export a fix list and
 * check the downloaded file, and get a bad assortment rule refused with its index.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import {
  alignedDemo,
  api,
  dismissToasts,
  expect,
  screenshot,
  startFromEmptyPage,
  test,
  type ConcordServer,
} from './support.js';

interface GapRowView {
  id: number;
  kind: string;
  channel: string;
  recordId: string | null;
  clusterId: string;
  status: string;
}

/** Generates the demo store, imports each channel's export and aligns; returns the export files by channel. */
async function prepareStore(server: ConcordServer): Promise<Map<string, string>> {
  const demo = await alignedDemo(server);
  return new Map(demo.channels.map((ch) => [ch.channel, ch.path]));
}

/** The header row of a delimited export (quotes handled, BOM dropped). */
function headerOf(text: string, delimiter: string): string[] {
  const first = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0];
  return (Papa.parse<string[]>(first, { delimiter }).data[0] ?? []).map((h) => h.trim());
}

test('detect gaps, filter, open a product, accept a gap, export a fix list', async ({
  app: page,
  server,
}) => {
  test.setTimeout(300_000);
  const exportsByChannel = await prepareStore(server);

  // Nothing detected yet: the empty state offers the Detect button.
  await startFromEmptyPage(page, 'Gaps', 'gaps-empty', 'No gaps detected yet', 'Detect gaps');

  // The dashboard once the job is done: the summary, the matrix, the charts, completeness and grades.
  const summaryStrip = page.getByTestId('gaps-summary');
  await expect(summaryStrip).toBeVisible({ timeout: 180_000 });
  const summary = (await api(server, 'gaps.summary')) as {
    byStatus: Record<string, number>;
    matrix: { channel: string; kind: string; count: number }[];
  };
  const open = summary.byStatus.open ?? 0;
  expect(open).toBeGreaterThan(0);
  await expect(page.getByTestId('summary-open')).toHaveText(open.toLocaleString('en-US'));
  await expect(page.getByTestId('gap-matrix')).toBeVisible();
  await expect(page.getByTestId('chart-by-channel').locator('.recharts-bar-rectangle').first()).toBeVisible();
  // One detection: a sentence, not a one-point chart (the trend shows from two detections on).
  await expect(page.getByTestId('trend-single')).toBeVisible();
  await expect(page.getByTestId('completeness').getByRole('row')).toHaveCount(1 + exportsByChannel.size);
  await expect(page.getByTestId('grades').getByRole('listitem')).toHaveCount(5);
  await dismissToasts(page);
  await screenshot(page, 'gaps-overview');
  // Completeness per attribute on expand.
  await page.getByTestId('completeness').getByRole('button').first().click();
  await expect(page.getByTestId('completeness').locator('.attr-table tbody tr').first()).toBeVisible();
  await screenshot(page, 'gaps-completeness');

  // The channel and kind to work on: the non-reference channel with the most open price gaps (a fix list can
  // correct a price), else its most frequent kind.
  const candidates = summary.matrix
    .filter((m) => m.channel !== 'shopify' && m.channel !== 'google')
    .sort(
      (a, b) =>
        Number(b.kind === 'price_mismatch') - Number(a.kind === 'price_mismatch') || b.count - a.count,
    );
  const { channel, kind, count } = candidates[0];

  // A matrix cell shows those gaps in the table.
  await page.getByTestId(`matrix-${channel}-${kind}`).click();
  await expect(page).toHaveURL(/#\/gaps\/table$/);
  const total = page.getByTestId('gap-total');
  await expect(total).toContainText(`${count.toLocaleString('en-US')} gap`);
  await expect(page.getByTestId('filter-kind')).toHaveValue(kind);
  await expect(page.getByTestId('filter-channel')).toHaveValue(channel);

  // Filter to one kind with the Kind filter: from every kind of the channel back to this one.
  await page.getByTestId('filter-kind').selectOption('');
  const channelTotal = summary.matrix.filter((m) => m.channel === channel).reduce((n, m) => n + m.count, 0);
  await expect(total).toContainText(`${channelTotal.toLocaleString('en-US')} gap`);
  await page.getByTestId('filter-kind').selectOption(kind);
  await expect(total).toContainText(`${count.toLocaleString('en-US')} gap`);
  const grid = page.getByRole('grid', { name: 'Gaps' });
  const rows = grid.locator('.gap-spacer > [role=row][data-gap-id]');
  await expect(rows.first()).toBeVisible();
  const kindCells = await rows.locator('[role=gridcell]:nth-child(3)').allInnerTexts();
  expect(new Set(kindCells).size).toBe(1);
  const listed = (await api(server, 'gaps.list', {
    filter: { channels: [channel], kinds: [kind], statuses: ['open'] },
    limit: 1000,
  })) as { total: number; rows: GapRowView[] };
  expect(listed.total).toBe(count);
  // Text search narrows to one record (debounced).
  const probe = listed.rows.find((r) => r.recordId)!;
  await page.getByTestId('gap-search').fill(probe.recordId!);
  await expect(rows.first()).toHaveAttribute('data-gap-id', String(probe.id));
  await page.getByTestId('gap-search').fill('');
  await expect(total).toContainText(`${count.toLocaleString('en-US')} gap`);
  // Sorting by record id orders the rows as the API does.
  await page.getByTestId('sort-recordId').click();
  const sorted = (await api(server, 'gaps.list', {
    filter: { channels: [channel], kinds: [kind], statuses: ['open'] },
    sort: { column: 'recordId', direction: 'asc' },
    limit: 1,
  })) as { rows: GapRowView[] };
  await expect(rows.first()).toHaveAttribute('data-gap-id', String(sorted.rows[0].id));
  await dismissToasts(page);
  await screenshot(page, 'gaps-table');

  // Open a product from its row: records beside the golden record, provenance, differing fields, its gaps.
  const firstId = Number(await rows.first().getAttribute('data-gap-id'));
  const first = listed.rows.find((r) => r.id === firstId)!;
  await rows.first().getByRole('button').click();
  const drawer = page.getByTestId('product-drawer');
  await expect(drawer).toBeVisible();
  const compare = drawer.getByTestId('product-compare');
  await expect(compare.getByText('Golden record', { exact: true })).toBeVisible();
  await expect(compare.locator('thead .provenance').first()).toContainText(/:\d+$/);
  await expect(compare.locator('td[data-differs]').first()).toBeVisible();
  const graph = drawer.getByTestId('graph-view');
  // The product's node on the Graph page (e2e/graph.spec.ts follows the link).
  await expect(graph).toHaveAttribute('href', /^#\/graph\?node=product%3A\d+$/);
  await expect(drawer.getByTestId('product-grade')).toHaveText(/^[A-E]$/);
  const gapItem = drawer.locator('.pd-gap.is-highlighted');
  await expect(gapItem).toContainText(first.recordId ?? '');
  await dismissToasts(page);
  await screenshot(page, 'gaps-product');
  // Accept the gap from the product.
  await gapItem.getByRole('button', { name: 'Accept' }).click();
  await expect(gapItem.locator('.pill')).toHaveText('Accepted');
  await expect(page.getByTestId('undo-bar')).toContainText('1 gap accepted');
  const accepted = (await api(server, 'gaps.list', {
    filter: { statuses: ['accepted'] },
  })) as { rows: GapRowView[] };
  expect(accepted.rows.map((r) => r.id)).toContain(first.id);
  await page.keyboard.press('Escape');
  await expect(drawer).toBeHidden();
  // The table lists open gaps only: the accepted one has left it.
  await expect(total).toContainText(`${(count - 1).toLocaleString('en-US')} gap`);
  await expect(rows.first()).not.toHaveAttribute('data-gap-id', String(first.id));
  // Every status but fixed and excluded: the accepted gap is back, marked.
  await page.getByTestId('filter-status').selectOption('');
  await expect(total).toContainText(`${count.toLocaleString('en-US')} gap`);
  await expect(grid.locator(`[data-gap-id="${first.id}"] .pill`)).toHaveText('Accepted');

  // The keyboard: move down, pick with Space, accept with a, undo with Ctrl+Z.
  await grid.focus();
  await page.keyboard.press('ArrowDown');
  const second = rows.nth(1);
  await expect(second).toHaveClass(/is-active/);
  const secondId = Number(await second.getAttribute('data-gap-id'));
  await page.keyboard.press(' ');
  await page.keyboard.press('a');
  await expect(second.locator('.pill')).toHaveText('Accepted');
  await page.keyboard.press('Control+z');
  await expect(second.locator('.pill')).toHaveText('Open');
  const back = (await api(server, 'gaps.list', {
    filter: { channels: [channel], kinds: [kind], statuses: ['open'] },
    limit: 1000,
  })) as {
    rows: GapRowView[];
  };
  expect(back.rows.map((r) => r.id)).toContain(secondId);

  // Ctrl+A picks every gap the filter selects; i ignores them all at once (the filter form); Ctrl+Z takes it back.
  await page.keyboard.press('Control+a');
  await expect(page.getByTestId('gap-selected')).toHaveText(`All ${count} matching`);
  await page.keyboard.press('i');
  await expect(page.getByTestId('undo-bar')).toContainText(`${count} gaps ignored`);
  await expect(rows.locator('.pill', { hasText: 'Ignored' })).toHaveCount(
    Math.min(count, await rows.count()),
  );
  await page.keyboard.press('Control+z');
  await expect(grid.locator(`[data-gap-id="${first.id}"] .pill`)).toHaveText('Accepted');
  await expect(grid.locator(`[data-gap-id="${secondId}"] .pill`)).toHaveText('Open');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('gap-selected')).toHaveText('Nothing selected');

  // Export a fix list of two picked gaps (click, Ctrl+click) and read the downloaded file.
  // (On the severity cell: the product title in the middle of a row opens the product.)
  await rows.nth(1).locator('[role=gridcell]').nth(1).click();
  await rows
    .nth(2)
    .locator('[role=gridcell]')
    .nth(1)
    .click({ modifiers: ['Control'] });
  await expect(page.getByTestId('gap-selected')).toHaveText('2 selected');
  const pickedIds = [secondId, Number(await rows.nth(2).getAttribute('data-gap-id'))];
  const picked = listed.rows.filter((r) => pickedIds.includes(r.id));
  await dismissToasts(page);
  await page.getByTestId('export-open').click();
  const dialog = page.getByTestId('export-dialog');
  await expect(dialog).toContainText(`2 gaps in ${channel} (2)`);
  await screenshot(page, 'gaps-export');
  const downloading = page.waitForEvent('download');
  await dialog.getByTestId('export-selected').click();
  const download = await downloading;
  const saved = join(server.dir, download.suggestedFilename());
  await download.saveAs(saved);
  const content = readFileSync(saved, 'utf8');
  const exported = readFileSync(exportsByChannel.get(channel)!, 'utf8');
  const delimiter = /\.(tsv|txt)$/.test(download.suggestedFilename()) ? '\t' : ',';
  const fixHeader = headerOf(content, delimiter);
  const channelHeader = headerOf(exported, delimiter);
  expect(fixHeader.length).toBeGreaterThan(1);
  // The first line is the channel's own header: its columns, under the channel's names.
  for (const column of fixHeader) expect(channelHeader).toContain(column);
  for (const g of picked) expect(content).toContain(g.recordId!);
  await expect(page.locator('.toasts')).toContainText(`Saved ${download.suggestedFilename()}`);

  // The category mapping learned at detection, edited by hand.
  await page.getByRole('tab', { name: 'Rules & categories' }).click();
  const map = page.getByTestId('category-map');
  const mapping = map.locator('tbody tr').first();
  await expect(mapping).toBeVisible();
  const category = await mapping.locator('td').nth(1).innerText();
  await mapping.getByRole('textbox').fill('Home > Kitchen > Bottles');
  await mapping.getByRole('textbox').press('Enter');
  await expect(mapping.locator('.pill')).toHaveText('edited');
  const mappings = (await api(server, 'categories.map')) as {
    category: string;
    mapsTo: string | null;
    source: string;
  }[];
  expect(mappings.find((m) => m.category === category)).toMatchObject({
    mapsTo: 'Home > Kitchen > Bottles',
    source: 'user',
  });
  await dismissToasts(page);
  await screenshot(page, 'gaps-rules-categories');
});

test('a bad assortment rule is refused with its index and problem', async ({ app: page }) => {
  await page.goto(page.url().replace(/#.*$/, '') + '#/gaps/rules');
  await expect(page.getByRole('heading', { level: 2, name: 'Assortment rules' })).toBeVisible();
  await expect(page.getByTestId('builtin-rule')).toBeChecked();
  const editor = page.getByTestId('rules-json');
  await editor.fill(
    '[{"name": "ok", "when": {"channel": "shopify", "field": "tags", "op": "contains", "value": "x"}, "notExpectedIn": ["google"]}, {"name": "bad"}]',
  );
  await page.getByTestId('rules-save').click();
  const error = page.getByRole('alert').filter({ hasText: 'Concord refused the rules' });
  await expect(error).toBeVisible();
  await expect(error).toContainText('rule 1 ("bad")');
  // A syntax error is caught before anything is sent.
  await editor.fill('[{"name": ');
  await expect(page.getByText(/Not valid JSON/)).toBeVisible();
  await expect(page.getByTestId('rules-save')).toBeDisabled();
  // A good rule is stored and listed.
  await editor.fill(
    '[{"name": "feed exclusions", "when": {"channel": "shopify", "field": "tags", "op": "contains", "value": "no-feed"}, "notExpectedIn": ["google"]}]',
  );
  await page.getByTestId('rules-save').click();
  await expect(page.getByTestId('rules-list')).toContainText('feed exclusions');
  await screenshot(page, 'gaps-rules');
});
