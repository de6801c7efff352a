/** The Chromium the browser benchmarks run in: the one the end-to-end tests use (scripts/chromium.mjs), headless. */
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from '@playwright/test';
import type * as ChromiumScript from '../scripts/chromium.mjs';

const ROOT = resolve(import.meta.dirname, '..', '..');

/** Launches it; `source` says which Chromium was found (CHROME_PATH, Debian's, Playwright's). */
export async function launchChromium(): Promise<{ browser: Browser; source: string }> {
  // Not a static import: the benchmarks run compiled from dist/bench, and scripts/ is plain JavaScript in the tree.
  const { findChromium } = (await import(
    pathToFileURL(join(ROOT, 'scripts', 'chromium.mjs')).href
  )) as typeof ChromiumScript;
  const found = findChromium();
  if ('error' in found) throw new Error(found.error);
  const browser = await chromium.launch({
    executablePath: found.path,
    headless: true,
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
    ],
  });
  return { browser, source: found.source };
}
