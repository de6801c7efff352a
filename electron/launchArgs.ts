/**
 * The workspace a launch asks for: `concord-app ws.concord`, `--workspace ws.concord`, a second instance's argv
 * (Chromium adds its own `--switches` there), or macOS `open-file`.
 */
import { resolve } from 'node:path';

/**
 * @param argv process.argv (or a second instance's argv)
 * @param skip how many leading entries are not user arguments: 1 packaged (the executable), 2 in development
 *             (`electron dist/electron/main.js …`)
 */
export function workspaceFromArgv(argv: readonly string[], skip: number, cwd: string): string | null {
  const args = argv.slice(skip);
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--workspace' && args[i + 1]) return resolve(cwd, args[i + 1]);
    if (a.startsWith('--workspace=')) return resolve(cwd, a.slice('--workspace='.length));
  }
  const positional = args.find((a) => !a.startsWith('-') && a.toLowerCase().endsWith('.concord'));
  return positional ? resolve(cwd, positional) : null;
}
