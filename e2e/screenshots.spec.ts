/**
 * Screenshots of the Matches and Gaps pages in light and dark, at 1440 and 1024 px wide, into
 * test-results/screenshots/ (issue 14, "Done when"). One small demo store, imported, aligned and detected through
 * the API. Times and durations are masked, as they change between runs. Each shot also checks that nothing spills
 * past the window sideways (the page itself never scrolls horizontally; wide tables scroll in their own box).
 * Then at 800 px: the sidebar folded to icons, the gap matrix scrolling in its own box, and toasts beside the
 * product drawer and inside a dialog rather than over them.
 */
import type { Locator, Page } from '@playwright/test';
import { alignedDemo, dismissToasts, expect, runJob, screenshot, test } from './support.js';

const WIDTHS = [1440, 1024] as const;
const THEMES = ['light', 'dark'] as const;

/** True when two boxes on screen share any area. */
async function overlap(a: Locator, b: Locator): Promise<boolean> {
  const [p, q] = [await a.boundingBox(), await b.boundingBox()];
  if (!p || !q) throw new Error('not on screen');
  return p.x < q.x + q.width && q.x < p.x + p.width && p.y < q.y + q.height && q.y < p.y + p.height;
}

/** Sideways overflow of the page area: how far its content reaches past its box (0 when nothing is clipped). */
function pageOverflow(page: Page): Promise<number> {
  return page.locator('main.page').evaluate((main) => main.scrollWidth - main.clientWidth);
}

test('Matches and Gaps in light and dark at 1440 and 1024 px', async ({ app: page, server }) => {
  test.setTimeout(300_000);
  await alignedDemo(server);
  await runJob(server, 'gaps.detect');
  await page.reload();
  const mask = [page.locator('.aligned-at')];
  const nav = page.getByRole('navigation', { name: 'Pages' });

  for (const theme of THEMES) {
    await page.emulateMedia({ colorScheme: theme });
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });

      await nav.getByRole('link', { name: 'Matches' }).click();
      await expect(page.getByTestId('align-summary')).toBeVisible();
      await expect(page.getByTestId('panel-review')).toBeVisible();
      await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
      await dismissToasts(page);
      expect(await pageOverflow(page), `Matches ${theme} ${width}`).toBeLessThanOrEqual(0);
      await screenshot(page, `matches-${theme}-${width}`, { mask });

      await nav.getByRole('link', { name: 'Gaps' }).click();
      await expect(page.getByTestId('gap-matrix')).toBeVisible();
      await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
      await dismissToasts(page);
      expect(await pageOverflow(page), `Gaps ${theme} ${width}`).toBeLessThanOrEqual(0);
      await screenshot(page, `gaps-${theme}-${width}`, { mask });
    }
  }

  // 800 px: the sidebar folds to its icons, the page keeps the rest.
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 800, height: 800 });
  await nav.getByRole('link', { name: 'Gaps' }).click();
  await expect(page.getByTestId('gap-matrix')).toBeVisible();
  expect((await page.locator('.sidebar').boundingBox())!.width).toBeLessThanOrEqual(64);
  await expect(page.locator('.nav-item > span').first()).not.toBeInViewport();
  const scroller = page.locator('.matrix-scroll');
  const matrix = await scroller.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
  expect(matrix.scroll, 'the matrix scrolls in its own box').toBeGreaterThan(matrix.client);
  expect(await pageOverflow(page), 'nothing spills past the page').toBeLessThanOrEqual(0);
  await scroller.evaluate((el) => (el.scrollLeft = el.scrollWidth));
  await expect(page.getByRole('columnheader', { name: 'All kinds' })).toBeInViewport();
  await screenshot(page, 'gaps-light-800', { mask });

  // A toast while the product drawer is open shows beside it.
  await page.setViewportSize({ width: 1024, height: 800 });
  await page.getByRole('tab', { name: 'Gaps' }).click();
  const rows = page.getByRole('grid', { name: 'Gaps' }).locator('.gap-spacer > [role=row][data-gap-id]');
  await rows.first().getByRole('button').click();
  const drawer = page.getByTestId('product-drawer');
  await expect(drawer).toBeVisible();
  await page.keyboard.press('Control+z');
  const toast = page.locator('.toast').filter({ hasText: 'Nothing to undo' });
  await expect(toast).toBeVisible();
  expect(await overlap(toast, drawer), 'toast beside the drawer').toBe(false);
  await screenshot(page, 'gaps-drawer-toast-light-1024', { mask });
  await page.keyboard.press('Escape');
  await expect(drawer).toBeHidden();
  await dismissToasts(page);

  // A toast while a dialog is open shows inside it, beneath its content, and can be dismissed.
  await page.keyboard.press('Control+z');
  await expect(toast).toBeVisible();
  await page.keyboard.press('?');
  const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(dialog).toBeVisible();
  const inDialog = dialog.locator('.toast').filter({ hasText: 'Nothing to undo' });
  await expect(inDialog).toBeVisible();
  expect(await overlap(inDialog, dialog.locator('.dialog-body')), 'toast beneath the dialog content').toBe(
    false,
  );
  await screenshot(page, 'dialog-toast-light-1024', { mask });
  await inDialog.getByRole('button', { name: 'Dismiss' }).click();
  await expect(inDialog).toHaveCount(0);
});
