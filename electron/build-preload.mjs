#!/usr/bin/env node
// `npm run build:electron`: bundles the sandboxed preload (electron/preload.ts + zod + core/api/contract.ts) into
// ONE CommonJS file, dist/electron/preload.cjs. A sandboxed preload cannot load other files: its `require` knows only
// 'electron' (and a few polyfilled built-ins), so the bundle is checked to require nothing else.
//
//   node electron/build-preload.mjs [--outfile PATH]
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_OUTFILE = join(root, 'dist', 'electron', 'preload.cjs');

/** Module names a bundle loads with require()/import(); a sandboxed preload may only have 'electron'. */
export function requiredModules(code) {
  const found = new Set();
  for (const m of code.matchAll(/\brequire\(\s*(["'`])([^"'`]+)\1\s*\)/g)) found.add(m[2]);
  for (const m of code.matchAll(/\bimport\(\s*(["'`])([^"'`]+)\1\s*\)/g)) found.add(m[2]);
  for (const m of code.matchAll(/^\s*import\s[^;]*?from\s*(["'])([^"']+)\1/gm)) found.add(m[2]);
  return [...found].sort();
}

export async function buildPreload(outfile = DEFAULT_OUTFILE) {
  const result = await build({
    absWorkingDir: root,
    entryPoints: [join(root, 'electron', 'preload.ts')],
    outfile,
    bundle: true,
    format: 'cjs',
    platform: 'browser', // a sandboxed renderer: no Node built-ins
    target: 'chrome140', // Electron 45's Chromium
    external: ['electron'],
    sourcemap: true,
    legalComments: 'inline',
    logLevel: 'warning',
    metafile: true,
  });
  const code = readFileSync(outfile, 'utf8');
  const modules = requiredModules(code);
  const foreign = modules.filter((m) => m !== 'electron');
  if (foreign.length > 0) {
    throw new Error(
      `the preload bundle requires ${foreign.join(', ')}; a sandboxed preload may only require 'electron'`,
    );
  }
  const inputs = Object.keys(result.metafile.inputs);
  return { outfile, bytes: Buffer.byteLength(code), inputs, modules };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--outfile');
  const outfile = i > 0 && process.argv[i + 1] ? resolve(process.argv[i + 1]) : DEFAULT_OUTFILE;
  try {
    const r = await buildPreload(outfile);
    process.stdout.write(
      `preload: ${relative(process.cwd(), r.outfile)} (${Math.round(r.bytes / 1024)} KiB, ${r.inputs.length} modules bundled)\n`,
    );
  } catch (err) {
    process.stderr.write(`build-preload: ${err.message}\n`);
    process.exit(1);
  }
}
