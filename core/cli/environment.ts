import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

export function packageVersion(name: string): string | null {
  try {
    return (require(`${name}/package.json`) as { version: string }).version;
  } catch {
    return null;
  }
}

/**
 * Electron's npm package fetches its binary on first launch; where that cannot happen (no internet) the
 * binary is absent. Checked without requiring 'electron', which would try the download.
 */
export function findElectronBinary(): { path: string | null; reason: string } {
  let pkgDir: string;
  try {
    pkgDir = dirname(require.resolve('electron/package.json'));
  } catch {
    return { path: null, reason: 'the electron package is not installed' };
  }
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const pathFile = join(pkgDir, 'path.txt');
  const exe = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  if (override) {
    const p = join(override, exe ?? 'electron');
    return existsSync(p)
      ? { path: p, reason: 'ELECTRON_OVERRIDE_DIST_PATH' }
      : { path: null, reason: `ELECTRON_OVERRIDE_DIST_PATH has no ${exe ?? 'electron'}` };
  }
  if (exe && existsSync(join(pkgDir, 'dist', exe)))
    return { path: join(pkgDir, 'dist', exe), reason: 'installed' };
  return {
    path: null,
    reason:
      "Electron's binary is not installed (`npm start` downloads it on a machine with internet; this one cannot reach its download host)",
  };
}

/** A Chromium for end-to-end tests: CHROME_PATH, else Debian's chromium, else common locations. */
export function findChromium(): string | null {
  const candidates = [
    process.env.CHROME_PATH,
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  ];
  return candidates.find((c): c is string => !!c && existsSync(c)) ?? null;
}
