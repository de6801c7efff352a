import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../bin/concord.js', import.meta.url));

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the compiled CLI as a user would (vitest's global setup compiles dist/ first). */
export function concord(...args: string[]): CliRun {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Runs the compiled CLI as another user (tests run as root, which may read any file: as `nobody` it may not). */
export function concordAs(user: { uid: number; gid: number }, ...args: string[]): CliRun {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', uid: user.uid, gid: user.gid });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
