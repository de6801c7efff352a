import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { ConcordError } from '../model/errors.js';
import type { Progress } from '../jobs/progress.js';

/** Exit codes (DESIGN.md CLI): 0 ok, 1 findings or failure, 2 bad usage or bad input. */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_BAD_INPUT = 2;

export class UsageError extends Error {}

export function exitCodeFor(err: unknown): number {
  if (err instanceof UsageError) return EXIT_BAD_INPUT;
  if (err instanceof ConcordError) {
    return err.code === 'BAD_INPUT' || err.code === 'NOT_FOUND' || err.code === 'CONFLICT'
      ? EXIT_BAD_INPUT
      : EXIT_FINDINGS;
  }
  return EXIT_FINDINGS;
}

export function writeJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** A single self-overwriting progress line on a TTY; nothing when stderr is piped. */
export function progressLine(label: string): { update(p: Progress): void; done(): void } {
  const tty = process.stderr.isTTY === true;
  let shown = false;
  return {
    update(p) {
      if (!tty) return;
      const pct = p.total > 0 ? Math.min(100, (100 * p.done) / p.total) : 0;
      const width = 24;
      const filled = Math.round((pct / 100) * width);
      const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
      process.stderr.write(`\r${label} ${bar} ${pct.toFixed(0).padStart(3)}%  ${p.message}\u001b[K`);
      shown = true;
    },
    done() {
      if (tty && shown) process.stderr.write('\r\u001b[K');
    },
  };
}

/** Plain-text table for terminals (right-aligns numbers). */
export function formatTable(headers: string[], rows: (string | number)[][]): string {
  const cells = rows.map((r) => r.map((c) => (typeof c === 'number' ? c.toLocaleString('en-US') : c)));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => String(r[i]).length)));
  const numeric = headers.map((_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === 'number'));
  const fmt = (r: string[]) =>
    r
      .map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [fmt(headers), fmt(widths.map((w) => '─'.repeat(w))), ...cells.map(fmt)].join('\n');
}

/** Text written in chunks: to stdout, or to a file that appears whole or not at all (a temporary file renamed). */
export interface OutputSink {
  write(text: string): void;
  /** Flushes; a file is renamed into place. */
  close(): void;
  /** A file's temporary copy is removed; nothing appears. */
  abort(): void;
}

const CHUNK = 1 << 20;

export function openOutput(path: string | undefined): OutputSink {
  let buffer = '';
  if (path === undefined) {
    return {
      write(text) {
        buffer += text;
        if (buffer.length > CHUNK) {
          process.stdout.write(buffer);
          buffer = '';
        }
      },
      close() {
        process.stdout.write(buffer);
        buffer = '';
      },
      abort() {
        buffer = '';
      },
    };
  }
  const tmp = `${path}.${process.pid}.tmp`;
  let fd: number;
  try {
    fd = openSync(tmp, 'w');
  } catch (err) {
    throw new ConcordError('BAD_INPUT', `${path}: cannot write (${(err as Error).message})`, { file: path });
  }
  let open = true;
  const release = (): void => {
    if (open) closeSync(fd);
    open = false;
  };
  return {
    write(text) {
      buffer += text;
      if (buffer.length > CHUNK) {
        writeSync(fd, buffer);
        buffer = '';
      }
    },
    close() {
      try {
        writeSync(fd, buffer);
        release();
        renameSync(tmp, path);
      } catch (err) {
        release();
        rmSync(tmp, { force: true });
        throw new ConcordError('BAD_INPUT', `${path}: cannot write (${(err as Error).message})`, {
          file: path,
        });
      }
    },
    abort() {
      release();
      rmSync(tmp, { force: true });
    },
  };
}
