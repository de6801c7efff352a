import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/** A running `concord serve` and what it printed: the URL with its token, and the parts of it. */
export interface ServeProcess {
  child: ChildProcess;
  /** The URL `concord serve` printed (with the token). */
  url: string;
  /** `http://127.0.0.1:PORT` */
  origin: string;
  port: number;
  token: string;
  /** What the server wrote to stderr so far. */
  stderr(): string;
}

const LISTENING = /Concord listening on (http:\/\/127\.0\.0\.1:(\d+)\/\?token=([A-Za-z0-9_-]+))/;

/**
 * Starts `concord serve WORKSPACE --port 0` from the checkout at `root` (as a user would) and resolves once it
 * prints the URL it listens on; rejects with its output when it exits first or prints nothing within `timeoutMs`.
 */
export function startServe(root: string, workspace: string, timeoutMs: number): Promise<ServeProcess> {
  const child = spawn(
    process.execPath,
    [join(root, 'bin', 'concord.js'), 'serve', workspace, '--port', '0'],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  let err = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  return new Promise<ServeProcess>((resolveStart, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`concord serve printed no URL within ${timeoutMs / 1000} s\n${out}\n${err}`)),
      timeoutMs,
    );
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = LISTENING.exec(out);
      if (m) {
        clearTimeout(timer);
        resolveStart({
          child,
          url: m[1],
          origin: `http://127.0.0.1:${m[2]}`,
          port: Number(m[2]),
          token: m[3],
          stderr: () => err,
        });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`concord serve exited with ${code} before listening\n${out}\n${err}`));
    });
  });
}
