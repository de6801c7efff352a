/**
 * End-to-end tests (DESIGN.md "Folders": e2e/). Web mode in the Chromium scripts/chromium.mjs finds: CHROME_PATH,
 * Debian's `/usr/bin/chromium` (or `chromium` on PATH), else Playwright's own download (`npm test` fetches one when
 * there is none and passes it as CHROME_PATH). Electron when its binary is present. Each test starts its own
 * `concord serve` on a fresh temp workspace (e2e/support.ts), so they run in parallel.
 * Run `npm run build && npm run build:renderer` first (`npm test` does).
 */
import { defineConfig } from '@playwright/test';
import { findChromium } from './scripts/chromium.mjs';

const chromium = findChromium();

export default defineConfig({
  testDir: 'e2e',
  // Not test-results/ itself: `npm test` keeps its reports and the screenshots there.
  outputDir: 'test-results/e2e-artifacts',
  timeout: 90_000,
  expect: { timeout: 15_000 },
  fullyParallel: true,
  workers: process.env.CI ? 2 : undefined,
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
  use: {
    locale: 'en-US',
    timezoneId: 'UTC',
    viewport: { width: 1440, height: 900 },
    trace: 'retain-on-failure',
  },
  projects: [
    {
      name: 'web',
      testIgnore: /electron\.spec\.ts/,
      use: {
        browserName: 'chromium',
        headless: true,
        launchOptions: {
          // undefined: Playwright's own error, which names `npx playwright install chromium`.
          executablePath: 'path' in chromium ? chromium.path : undefined,
          args: [
            '--headless=new',
            '--no-sandbox',
            '--disable-gpu',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--no-first-run',
          ],
        },
      },
    },
    { name: 'electron', testMatch: /electron\.spec\.ts/ },
  ],
});
