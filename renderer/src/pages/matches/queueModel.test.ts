import { describe, expect, it } from 'vitest';
import type { PairView, RecordView } from '../../../../core/api/contract';
import { afterDecision, EMPTY_QUEUE, pairKey, takeBack, withBatch, type QueueState } from './queueModel';

function record(id: number): RecordView {
  return { id, channel: 'shopify', recordId: `r${id}`, sourceId: 1, file: 'f.csv', line: id, fields: {} };
}

function pair(a: number, b: number): PairView {
  return { a: record(a), b: record(b), probability: 0.5, label: null, differing: [] };
}

const EMPTY: QueueState = { ...EMPTY_QUEUE, loading: true };

const keys = (q: QueueState) => q.pairs.map(pairKey);

describe('pairKey', () => {
  it('names a pair the same whichever record comes first', () => {
    expect(pairKey(pair(3, 9))).toBe('3-9');
    expect(pairKey(pair(9, 3))).toBe('3-9');
  });
});

describe('withBatch', () => {
  it('replaces the pairs, leaving out those decided meanwhile', () => {
    const q = { ...EMPTY, pairs: [pair(1, 2)] };
    const next = withBatch(q, [pair(3, 4), pair(6, 5), pair(7, 8)], {
      replace: true,
      decided: new Set(['5-6']),
      full: true,
    });
    expect(keys(next)).toEqual(['3-4', '7-8']);
    expect(next).toMatchObject({ loading: false, loaded: true, error: null, more: true });
  });

  it('appends a prefetched batch without repeating queued pairs', () => {
    const q = {
      ...EMPTY,
      pairs: [pair(1, 2), pair(3, 4)],
      error: { code: 'INTERNAL' as const, message: 'x', details: {} },
    };
    const next = withBatch(q, [pair(4, 3), pair(5, 6)], { replace: false, decided: new Set(), full: false });
    expect(keys(next)).toEqual(['1-2', '3-4', '5-6']);
    expect(next.error).toBeNull();
    expect(next.more).toBe(false);
  });
});

describe('afterDecision and takeBack', () => {
  const start = { ...EMPTY, pairs: [pair(1, 2), pair(3, 4), pair(5, 6)] };

  it('moves the pair on screen into the history and counts labels and skips apart', () => {
    const a = afterDecision(start, 'match');
    const b = afterDecision(a, 'skip');
    expect(keys(b)).toEqual(['5-6']);
    expect(b).toMatchObject({ labelled: 1, skipped: 1 });
    expect(b.history.map((h) => [pairKey(h.pair), h.decision])).toEqual([
      ['1-2', 'match'],
      ['3-4', 'skip'],
    ]);
  });

  it('leaves an empty queue as it is', () => {
    expect(afterDecision(EMPTY, 'match')).toBe(EMPTY);
  });

  it('brings a pair back on top and uncounts its decision', () => {
    const decided = afterDecision(afterDecision(start, 'no_match'), 'match');
    const back = takeBack(decided, '1-2');
    expect(back && keys(back)).toEqual(['1-2', '5-6']);
    expect(back).toMatchObject({ labelled: 1, skipped: 0 });
    expect(back?.history.map((h) => pairKey(h.pair))).toEqual(['3-4']);
  });

  it('does not bring a pair back twice when it is already queued again', () => {
    const decided = afterDecision(start, 'match');
    const requeued = { ...decided, pairs: [...decided.pairs, pair(2, 1)] };
    expect(keys(takeBack(requeued, '1-2')!)).toEqual(['1-2', '3-4', '5-6']);
  });

  it('is null for a pair not decided in this session', () => {
    expect(takeBack(start, '7-8')).toBeNull();
  });
});
