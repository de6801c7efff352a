/**
 * Electron smoke test: the desktop app starts and shows the shell with the Import page. Runs only where
 * Electron's binary is installed; otherwise it is reported as not run, with the reason.
 */
import { _electron as electron, expect, test } from '@playwright/test';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const MAIN = join(ROOT, 'dist', 'electron', 'main.js');

/**
 * The binary the electron package downloaded at install, found without loading the package (its index would try
 * to download the binary when missing).
 */
function electronBinary(): { path: string } | { missing: string } {
  const pkg = join(ROOT, 'node_modules', 'electron');
  const pathTxt = join(pkg, 'path.txt');
  if (!existsSync(pathTxt)) {
    return {
      missing:
        'Electron binary not installed (node_modules/electron/path.txt is absent: its download did not run or had no network)',
    };
  }
  const binary = join(pkg, 'dist', readFileSync(pathTxt, 'utf8').trim());
  if (!existsSync(binary)) return { missing: `Electron binary not installed (${binary} is absent)` };
  return { path: binary };
}

test('the desktop app opens on the Import page', async () => {
  const bin = electronBinary();
  test.skip('missing' in bin, 'missing' in bin ? bin.missing : '');
  if (!('path' in bin)) return;
  test.skip(
    process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY,
    'Electron needs a display on Linux (no DISPLAY or WAYLAND_DISPLAY; run under xvfb-run)',
  );
  expect(existsSync(MAIN), `${MAIN} is built by npm run build`).toBe(true);

  const app = await electron.launch({ executablePath: bin.path, args: [MAIN, '--no-sandbox'], cwd: ROOT });
  try {
    const window = await app.firstWindow();
    await expect(window.getByRole('navigation', { name: 'Pages' })).toBeVisible();
    await expect(window.getByRole('heading', { level: 1, name: 'Import' })).toBeVisible();
    await expect(window.getByRole('link', { name: 'Import' })).toHaveAttribute('aria-current', 'page');
    // The renderer chose the Electron transport: the preload bridge is there and Node is not.
    expect(await window.evaluate(() => typeof (globalThis as { concord?: unknown }).concord)).toBe('object');
    expect(await window.evaluate(() => typeof (globalThis as unknown as { require?: unknown }).require)).toBe(
      'undefined',
    );
  } finally {
    await app.close();
  }
});
