/** Where the app's files are, from the compiled main's own URL (dist/electron/main.js). */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface AppPaths {
  /** The repository / app folder (holds package.json). */
  root: string;
  /** dist/electron/preload.cjs — the bundled sandboxed preload. */
  preload: string;
  /** renderer/dist — the only folder the app protocol serves. */
  rendererDist: string;
  /** dist/core/worker/main.js — the worker, referenced by its compiled path (never imported by electron/). */
  worker: string;
}

export function appPaths(mainModuleUrl: string): AppPaths {
  const here = dirname(fileURLToPath(mainModuleUrl)); // <root>/dist/electron
  const root = resolve(here, '..', '..');
  return {
    root,
    preload: join(here, 'preload.cjs'),
    rendererDist: join(root, 'renderer', 'dist'),
    worker: join(root, 'dist', 'core', 'worker', 'main.js'),
  };
}
