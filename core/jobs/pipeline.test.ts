import { describe, expect, it } from 'vitest';
import type { Progress } from './progress.js';
import { Pipeline, stage } from './pipeline.js';

const double = stage('double', 'doubling', ({ x }: { x: number }) => ({ y: 2 * x }));
const add = stage('add', 'adding', ({ x, y }: { x: number; y: number }, ctx) => {
  ctx.progress('half way', 1, 2);
  return { sum: x + y };
});
const later = stage('later', 'waiting', async ({ sum }: { sum: number }) => {
  await new Promise((r) => setTimeout(r, 1));
  return { text: String(sum) };
});

describe('pipeline', () => {
  it('runs its stages in order over one state, reporting each stage and timing it', async () => {
    const p = Pipeline.from<{ x: number }>().then(double).then(add).then(later);
    expect(p.names).toEqual(['double', 'add', 'later']);
    const seen: Progress[] = [];
    const { state, seconds } = await p.run({ x: 3 }, { onProgress: (e) => seen.push(e) });
    expect(state).toEqual({ x: 3, y: 6, sum: 9, text: '9' });
    expect(seen).toEqual([
      { phase: 'double', message: 'doubling', done: 0, total: 0 },
      { phase: 'add', message: 'adding', done: 0, total: 0 },
      { phase: 'add', message: 'half way', done: 1, total: 2 },
      { phase: 'later', message: 'waiting', done: 0, total: 0 },
    ]);
    expect(Object.keys(seconds)).toEqual(['double', 'add', 'later', 'total', 'cpu']);
  });

  it('stops between stages once cancelled', async () => {
    const controller = new AbortController();
    const stop = stage('stop', 'stopping', () => {
      controller.abort();
      return {};
    });
    const ran: string[] = [];
    const mark = stage('mark', 'marking', () => {
      ran.push('mark');
      return {};
    });
    const p = Pipeline.from<{ x: number }>().then(stop).then(mark);
    await expect(p.run({ x: 1 }, { signal: controller.signal })).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(ran).toEqual([]);
  });

  it('runs synchronously, refusing an asynchronous stage', () => {
    expect(Pipeline.from<{ x: number }>().then(double).runSync({ x: 2 }).state.y).toBe(4);
    const p = Pipeline.from<{ x: number }>().then(double).then(add).then(later);
    expect(() => p.runSync({ x: 1 })).toThrow('stage later is asynchronous: use run()');
  });
});
