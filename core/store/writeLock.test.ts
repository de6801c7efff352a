import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConcordError } from '../model/errors.js';
import { useTempDir } from '../test-support/tmp.js';
import {
  acquireWriteLock,
  describeHolder,
  lockTimeoutMs,
  readHolder,
  takeWriteLock,
  tryWriteLock,
  waitingMessage,
  type LockHolder,
} from './writeLock.js';

const compiled = new URL('../../dist/core/store/writeLock.js', import.meta.url).href;

/** Another process that takes the workspace's write lock and holds it until its stdin closes. */
async function holdInAnotherProcess(ws: string): Promise<ChildProcess> {
  const script = `
    import { setLockProgram, takeWriteLock } from ${JSON.stringify(compiled)};
    setLockProgram('concord import');
    const lock = takeWriteLock(${JSON.stringify(ws)}, 'import');
    process.stdout.write('held\\n');
    process.stdin.on('end', () => { lock.release(); process.exit(0); }).resume();`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const [line] = (await once(child.stdout!, 'data')) as [Buffer];
  expect(line.toString()).toBe('held\n');
  return child;
}

describe('the workspace write lock', () => {
  const tmp = useTempDir();
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const c of children.splice(0)) c.kill('SIGKILL');
    delete process.env.CONCORD_LOCK_TIMEOUT;
  });

  it('is re-entrant within a process and records its holder while held', () => {
    const ws = join(tmp(), 'a.concord');
    const first = takeWriteLock(ws, 'import');
    const holder = readHolder(ws)!;
    expect(holder).toMatchObject({ purpose: 'import', pid: process.pid });
    const again = takeWriteLock(ws, 'edit');
    again.release();
    again.release(); // a second release of the same lease does nothing
    expect(readHolder(ws)).toEqual(holder);
    first.release();
    expect(readHolder(ws)).toBeNull();
    expect(existsSync(join(`${ws}.d`, 'writer.json'))).toBe(false);
  });

  it('another process holding it: refused at once, or waited for (bounded, cancellable), then taken', async () => {
    const ws = join(tmp(), 'b.concord');
    const child = await holdInAnotherProcess(ws);
    children.push(child);
    const busy = tryWriteLock(ws, 'align');
    expect(busy).toEqual({ holder: expect.objectContaining({ pid: child.pid, program: 'concord import' }) });

    const refusal = (() => {
      try {
        takeWriteLock(ws, 'align');
      } catch (err) {
        return err as ConcordError;
      }
      throw new Error('the lock was taken while another process held it');
    })();
    expect(refusal.code).toBe('CONFLICT');
    expect(refusal.message).toMatch(
      new RegExp(
        `an import \\(concord import, pid ${child.pid}, started \\d\\d:\\d\\d:\\d\\d\\) holds this workspace`,
      ),
    );

    await expect(acquireWriteLock(ws, 'align', { timeoutMs: 150, pollMs: 20 })).rejects.toThrow(
      /still holds this workspace after 150 ms of waiting/,
    );
    const controller = new AbortController();
    const cancelled = acquireWriteLock(ws, 'align', {
      timeoutMs: 60_000,
      signal: controller.signal,
      onWait: () => controller.abort(),
    });
    await expect(cancelled).rejects.toMatchObject({ code: 'CANCELLED' });

    const waits: (LockHolder | null)[] = [];
    const taken = acquireWriteLock(ws, 'align', {
      timeoutMs: 60_000,
      pollMs: 20,
      onWait: (holder) => {
        waits.push(holder);
        child.stdin!.end(); // the holder finishes once we are waiting
      },
    });
    const lock = await taken;
    expect(waits).toHaveLength(1);
    expect(waits[0]?.pid).toBe(child.pid);
    expect(readHolder(ws)).toMatchObject({ purpose: 'align', pid: process.pid });
    lock.release();
  });

  it('is dropped by the operating system when its holder is killed', async () => {
    const ws = join(tmp(), 'c.concord');
    const child = await holdInAnotherProcess(ws);
    child.kill('SIGKILL');
    await once(child, 'exit');
    expect(readHolder(ws)?.pid).toBe(child.pid); // its record is left behind, and means nothing
    const lock = takeWriteLock(ws, 'import');
    expect(readHolder(ws)?.pid).toBe(process.pid);
    lock.release();
  });

  it('names its holder for people, and reads its timeout from CONCORD_LOCK_TIMEOUT', () => {
    const holder: LockHolder = {
      purpose: 'gaps',
      program: 'the Concord app',
      pid: 42,
      host: 'elsewhere',
      startedAt: '2020-01-02T03:04:05.000Z',
    };
    expect(describeHolder(holder)).toMatch(
      /^gap detection \(the Concord app, pid 42 on elsewhere, started 2020-01-0\d \d\d:\d\d:05\)$/,
    );
    expect(waitingMessage(holder, 300_000)).toMatch(
      /^waiting for gap detection in progress \(the Concord app, .*\) to finish \(at most 5 min\)…$/,
    );
    expect(describeHolder(null)).toBe('another program');
    expect(lockTimeoutMs()).toBe(300_000);
    process.env.CONCORD_LOCK_TIMEOUT = '2.5';
    expect(lockTimeoutMs()).toBe(2500);
    process.env.CONCORD_LOCK_TIMEOUT = 'soon';
    expect(() => lockTimeoutMs()).toThrow(/CONCORD_LOCK_TIMEOUT must be a number of seconds/);
  });
});
