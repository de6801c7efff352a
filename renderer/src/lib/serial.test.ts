import { describe, expect, it } from 'vitest';
import { serial } from './serial';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('serial', () => {
  it('runs tasks one after the other in the order given, past a failure', async () => {
    const calls = serial();
    const log: string[] = [];
    const slow = calls.run(async () => {
      log.push('a start');
      await tick(20);
      log.push('a end');
    });
    const failing = calls.run(async () => {
      log.push('b');
      throw new Error('refused');
    });
    const last = calls.run(async () => {
      log.push('c');
    });
    await expect(failing).rejects.toThrow('refused');
    await Promise.all([slow, last]);
    expect(log).toEqual(['a start', 'a end', 'b', 'c']);
  });

  it('settles once everything queued so far has, even when a task failed', async () => {
    const calls = serial();
    let done = false;
    void calls.run(async () => {
      await tick(10);
      done = true;
    });
    calls.run(() => Promise.reject(new Error('x'))).catch(() => {});
    await calls.settled();
    expect(done).toBe(true);
  });
});
