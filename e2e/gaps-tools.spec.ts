/**
 * The Gaps page's tools and charts (issue 14 points 12 and 13), on a small generated store detected through the API:
 * filters that count (each value under the other filters, as the table then lists), completeness and grades that
 * click through to their gaps, the rules form beside the JSON, the picker over a channel's own categories, a heat
 * scale with a key, bars by family with direct labels and axis titles, and a trend only from two detections on.
 * Screenshots of the overview, the rules editor and the category mapping at 1440 px, light and dark.
 */
import type { Locator, Page } from '@playwright/test';
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

/** The family each kind's bar segment belongs to (what the chart's legend says): absent, price, content, ids. */
const FAMILY_OF: Record<string, string> = Object.fromEntries(
  Object.entries({
    absent: 'missing_in_channel variant_missing',
    price: 'price_mismatch sale_price_mismatch availability_mismatch',
    content: 'title_mismatch category_mismatch weight_mismatch missing_image',
    ids: 'invalid_gtin missing_gtin',
  }).flatMap(([family, kinds]) => kinds.split(' ').map((k) => [k, family])),
);

async function detect(server: ConcordServer): Promise<void> {
  await runJob(server, 'gaps.detect');
}

async function detectedStore(server: ConcordServer): Promise<void> {
  await alignedDemo(server);
  await detect(server);
}

async function total(server: ConcordServer, filter: unknown): Promise<number> {
  return ((await api(server, 'gaps.list', { filter, limit: 1 })) as { total: number }).total;
}

/** Light and dark at the page's size; the detection time masked (it changes between runs). */
async function shoot(page: Page, name: string): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await dismissToasts(page);
    await page.screenshot({
      path: `test-results/screenshots/${name}-${scheme}.png`,
      mask: [page.locator('.aligned-at'), page.getByTestId('trend-single')],
    });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

/** The counts a filter's options show, by value (the "all" option under ''). */
async function optionCounts(select: Locator): Promise<Map<string, number>> {
  const options = await select
    .locator('option')
    .evaluateAll((els) =>
      els.map((o) => [(o as unknown as { value: string }).value, o.textContent ?? ''] as const),
    );
  return new Map(
    options.map(([value, text]) => [
      value,
      Number(/\(([\d,]+)\)$/.exec(text)?.[1]?.replace(/,/g, '') ?? NaN),
    ]),
  );
}

test('filters count, completeness and grades click through, charts read', async ({ app: page, server }) => {
  test.setTimeout(300_000);
  await detectedStore(server);
  const summary = (await api(server, 'gaps.summary')) as {
    matrix: { channel: string; kind: string; count: number }[];
    grades: Record<string, number>;
    completeness: { channel: string }[];
  };
  const base = page.url().replace(/#.*$/, '');
  await page.goto(`${base}#/gaps`);

  // The heat scale spans the real range: the fewest and the most gaps in different colours, a key beside.
  const matrix = page.getByTestId('gap-matrix');
  await expect(matrix).toBeVisible();
  const sorted = [...summary.matrix].filter((m) => m.count > 0).sort((a, b) => a.count - b.count);
  const fewest = sorted[0];
  const most = sorted.at(-1)!;
  const background = (m: { channel: string; kind: string }) =>
    page
      .getByTestId(`matrix-${m.channel}-${m.kind}`)
      .locator('xpath=..')
      .evaluate(
        (td) =>
          (
            globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }
          ).getComputedStyle(td).backgroundColor,
      );
  expect(await background(fewest)).not.toBe(await background(most));
  const steps = await matrix
    .locator('td[class^="heat-"]')
    .evaluateAll((tds) => new Set(tds.map((td) => td.className)).size);
  expect(steps).toBeGreaterThanOrEqual(4);
  const legend = page.getByTestId('heat-legend');
  await expect(legend.locator('li')).toHaveCount(5);
  await expect(legend.locator('li').first()).toContainText(String(fewest.count));
  await expect(legend.locator('li').last()).toContainText(String(most.count));

  // Bars by family (four colours), named beside the bars; both axes titled; one detection is a sentence.
  const bars = page.getByTestId('chart-by-channel');
  await expect(bars.locator('.recharts-bar-rectangle').first()).toBeVisible();
  expect(await page.getByTestId('family-legend').locator('li').count()).toBeLessThanOrEqual(4);
  // The last bar's families are named beside it (direct labels), one name per family it holds.
  const lastChannel = summary.completeness.at(-1)!.channel;
  const familiesOfLast = new Set(
    summary.matrix.filter((m) => m.channel === lastChannel && m.count > 0).map((m) => FAMILY_OF[m.kind]),
  );
  await expect(bars.locator('.bar-family')).toHaveCount(familiesOfLast.size);
  await expect(bars.locator('.bar-family').first()).toBeVisible();
  await expect(bars.locator('.axis-title')).toHaveText(['Channel', 'Open gaps']);
  await expect(page.getByTestId('trend-single')).toContainText('One detection so far');
  await expect(page.getByTestId('chart-trend')).toHaveCount(0);
  await page.setViewportSize({ width: 1440, height: 1900 });
  await shoot(page, 'tools-overview');
  await page.setViewportSize({ width: 1440, height: 900 });

  // A grade lists the gaps of its products.
  const grade = (['E', 'D', 'C', 'B'] as const).find((g) => (summary.grades[g] ?? 0) > 0)!;
  await page.getByTestId(`grade-${grade}`).click();
  await expect(page).toHaveURL(/#\/gaps\/table$/);
  await expect(page.getByTestId('filter-grade')).toHaveValue(grade);
  const gradeTotal = await total(server, { grades: [grade] });
  expect(gradeTotal).toBeGreaterThan(0);
  await expect(page.getByTestId('gap-total')).toContainText(`${gradeTotal.toLocaleString('en-US')} gap`);

  // A channel's completeness lists its open gaps.
  await page.getByRole('tab', { name: 'Overview' }).click();
  const channel = most.channel;
  await page.getByTestId(`completeness-gaps-${channel}`).click();
  await expect(page.getByTestId('filter-channel')).toHaveValue(channel);
  const channelTotal = await total(server, { channels: [channel], statuses: ['open'] });
  await expect(page.getByTestId('gap-total')).toContainText(`${channelTotal.toLocaleString('en-US')} gap`);

  // Facet counts: each kind's count is what the table lists for it on this channel; the channel facet counts
  // every channel under the other filters; choosing a kind shows its count's rows.
  const kindSelect = page.getByTestId('filter-kind');
  await expect(kindSelect.locator('option').first()).toHaveText(
    `All kinds (${channelTotal.toLocaleString('en-US')})`,
  );
  const kinds = await optionCounts(kindSelect);
  for (const [kind, n] of kinds)
    if (kind !== '')
      expect(n, kind).toBe(await total(server, { channels: [channel], kinds: [kind], statuses: ['open'] }));
  const channels = await optionCounts(page.getByTestId('filter-channel'));
  for (const m of new Set(summary.matrix.map((x) => x.channel)))
    expect(channels.get(m), m).toBe(await total(server, { channels: [m], statuses: ['open'] }));
  const severities = await optionCounts(page.getByTestId('filter-severity'));
  for (const s of ['high', 'medium', 'low'])
    expect(severities.get(s), s).toBe(
      await total(server, { channels: [channel], severities: [s], statuses: ['open'] }),
    );
  const [kind, count] = [...kinds].filter(([k, n]) => k !== '' && n > 0).sort((a, b) => a[1] - b[1])[0];
  await kindSelect.selectOption(kind);
  await expect(page.getByTestId('gap-total')).toContainText(`${count.toLocaleString('en-US')} gap`);
  const statuses = await optionCounts(page.getByTestId('filter-status'));
  expect(statuses.get('open')).toBe(count);
  expect(statuses.get('excluded')).toBe(
    await total(server, { channels: [channel], kinds: [kind], statuses: ['excluded'] }),
  );
  await dismissToasts(page);
  await screenshot(page, 'tools-facets');

  // A second detection: now the trend is a chart with a titled axis.
  await detect(server);
  await page.goto(`${base}#/gaps`);
  const trend = page.getByTestId('chart-trend');
  await expect(trend.locator('.recharts-line-dots circle')).toHaveCount(2);
  await expect(trend.locator('.axis-title')).toHaveText(['Detection', 'Open gaps']);
  await expect(page.getByTestId('trend-single')).toHaveCount(0);
});

test('rules as a form beside the JSON, and a channel’s own categories to map', async ({
  app: page,
  server,
}) => {
  test.setTimeout(300_000);
  await detectedStore(server);
  const base = page.url().replace(/#.*$/, '');
  await page.goto(`${base}#/gaps/rules`);
  const form = page.getByTestId('rules-form');
  const json = page.getByTestId('rules-json');
  const rulesIn = async () =>
    JSON.parse(await json.inputValue()) as { name: string; when: Record<string, unknown> }[];

  // Add a rule in the form: it appears in the JSON; its empty value is flagged at the field.
  await form.getByTestId('rule-add').click();
  const rule = form.getByTestId('rule-form-0');
  expect(await rulesIn()).toEqual([
    {
      name: 'new rule',
      when: { channel: 'shopify', field: 'tags', op: 'contains', value: '' },
      notExpectedIn: ['woocommerce'],
    },
  ]);
  const value = rule.getByLabel('Value');
  await expect(value).toHaveAttribute('aria-invalid', 'true');
  await expect(rule.locator('#rule-0-value-error')).toContainText('"when.value" is empty');
  // Fill it in the form: the JSON follows, the error goes.
  await value.fill('no-feed');
  await rule.getByLabel('Name').fill('feed exclusions');
  await rule.getByRole('checkbox', { name: 'google' }).check();
  await expect(value).toHaveAttribute('aria-invalid', 'false');
  expect(await rulesIn()).toEqual([
    {
      name: 'feed exclusions',
      when: { channel: 'shopify', field: 'tags', op: 'contains', value: 'no-feed' },
      notExpectedIn: ['woocommerce', 'google'],
    },
  ]);
  // Edit the JSON: the form follows; a bad regex shows at the value.
  const edited = (await rulesIn()).map((r) => ({ ...r, when: { ...r.when, op: 'matches', value: '(' } }));
  await json.fill(JSON.stringify(edited, null, 2));
  await expect(rule.getByLabel('Test')).toHaveValue('matches');
  await expect(value).toHaveValue('(');
  await expect(rule.locator('#rule-0-value-error')).toContainText('not a valid regular expression');
  await value.fill('^no-feed$');
  await form.getByTestId('rule-add').click();
  await expect(form.getByTestId('rule-form-1').getByLabel('Name')).toHaveValue('new rule');
  await page.setViewportSize({ width: 1440, height: 1300 });
  await shoot(page, 'tools-rules');
  await form.getByRole('button', { name: 'Remove rule 1' }).click();
  await expect(form.getByTestId('rule-form-1')).toHaveCount(0);
  await page.getByTestId('rules-save').click();
  await expect(page.getByTestId('rules-list')).toContainText('feed exclusions');
  expect(((await api(server, 'rules.get')) as { rules: unknown[] }).rules).toEqual([
    {
      name: 'feed exclusions',
      when: { channel: 'shopify', field: 'tags', op: 'matches', value: '^no-feed$' },
      notExpectedIn: ['woocommerce', 'google'],
    },
  ]);

  // A channel's own categories, from its records, searched; one is mapped from the reference list.
  const channel = 'woocommerce';
  await page.getByTestId('category-channel').selectOption(channel);
  const values = (await api(server, 'categories.values', { channel, limit: 1000 })) as {
    total: number;
    values: { category: string; records: number }[];
    references: string[];
  };
  const count = page.getByTestId('category-count');
  await expect(count).toContainText(`of ${values.total} ${channel} categor`);
  const map = page.getByTestId('category-map');
  await expect(map.locator('tbody tr')).toHaveCount(Math.min(200, values.total));
  await expect(map.locator('tbody tr').first().locator('td').nth(1)).toHaveText(values.values[0].category);
  await page.setViewportSize({ width: 1440, height: 1900 });
  await shoot(page, 'tools-categories');
  const word = values.values[0].category.split(' > ').at(-1)!;
  await page.getByRole('textbox', { name: `Search ${channel}'s categories` }).fill(word);
  const matching = values.values.filter((v) => v.category.toLowerCase().includes(word.toLowerCase()));
  await expect(count).toContainText(`${matching.length} of ${matching.length} ${channel} categor`);
  await expect(map.locator('tbody tr')).toHaveCount(matching.length);
  const row = map.locator('tbody tr').first();
  const category = await row.locator('td').nth(1).innerText();
  // A text box with the reference categories offered as one types (a combobox).
  const input = row.getByRole('combobox');
  await expect(input).toHaveAttribute('list', `references-${channel}`);
  await input.fill(values.references[0]);
  await input.press('Enter');
  await expect(map.locator('tbody tr').first().locator('.pill')).toHaveText('edited');
  const mappings = (await api(server, 'categories.map', { channel })) as {
    category: string;
    mapsTo: string | null;
  }[];
  expect(mappings.find((m) => m.category === category)?.mapsTo).toBe(values.references[0]);
});
