import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../bin/concord.js', import.meta.url));

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** Added to the environment. */
  env?: Record<string, string>;
  /** Run as this user and group (root only: tests run as root, for whom file modes do not stop writes). */
  user?: { uid: number; gid: number };
}

/** Runs the compiled CLI as a user would (vitest's global setup compiles dist/ first). */
export function concord(...args: string[]): CliRun {
  return concordWith({}, ...args);
}

export function concordWith(options: CliOptions, ...args: string[]): CliRun {
  const r = spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, ...options.env },
    ...options.user,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Runs the compiled CLI as another user (tests run as root, which may read any file: as `nobody` it may not). */
export function concordAs(user: { uid: number; gid: number }, ...args: string[]): CliRun {
  return concordWith({ user }, ...args);
}

/** A CLI process running in the background. */
export interface RunningCli {
  child: ChildProcess;
  /** What it wrote to stderr so far. */
  stderr(): string;
  /** Resolves once stderr matches `pattern` (rejects when the process exits first). */
  stderrMatches(pattern: RegExp): Promise<string>;
  /** Resolves with the whole run once the process exits. */
  exited: Promise<CliRun>;
}

export function startConcord(args: string[], options: CliOptions = {}): RunningCli {
  const child = spawn(process.execPath, [bin, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...options.env },
    ...options.user,
  });
  let stdout = '';
  let stderr = '';
  const watchers: { pattern: RegExp; resolve(text: string): void }[] = [];
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
    for (const w of [...watchers])
      if (w.pattern.test(stderr)) {
        watchers.splice(watchers.indexOf(w), 1);
        w.resolve(stderr);
      }
  });
  const exited = new Promise<CliRun>((resolve) =>
    child.once('close', (code) => resolve({ code: code ?? -1, stdout, stderr })),
  );
  return {
    child,
    stderr: () => stderr,
    exited,
    stderrMatches: (pattern) =>
      pattern.test(stderr)
        ? Promise.resolve(stderr)
        : new Promise<string>((resolve, reject) => {
            watchers.push({ pattern, resolve });
            void exited.then((run) =>
              reject(new Error(`exited with ${run.code} before stderr matched ${pattern}:\n${run.stderr}`)),
            );
          }),
  };
}
