import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { dismissToast, holdToast, showActionToast, showError, showToast, toasts } from './toasts';

const titles = () => toasts.get().map((t) => t.title);

describe('toasts', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => {
    for (const t of toasts.get()) dismissToast(t.id);
    vi.useRealTimers();
  });

  it('dismisses info and success by themselves, errors never', () => {
    showToast('info', 'info', '');
    showToast('success', 'success', '');
    showToast('error', 'error', '');
    vi.advanceTimersByTime(4000);
    expect(titles()).toEqual(['info', 'error']);
    vi.advanceTimersByTime(2000);
    expect(titles()).toEqual(['error']);
    vi.advanceTimersByTime(60_000);
    expect(titles()).toEqual(['error']);
  });

  it('keeps a held toast until it is let go', () => {
    const id = showToast('info', 'held', '');
    holdToast(id, true);
    vi.advanceTimersByTime(60_000);
    expect(titles()).toEqual(['held']);
    holdToast(id, false);
    vi.advanceTimersByTime(6000);
    expect(titles()).toEqual([]);
  });

  it('keeps a toast with an action (Undo) long enough to reach its button', () => {
    let undone = 0;
    showActionToast('success', 'merged', '', { label: 'Undo', run: () => undone++ });
    vi.advanceTimersByTime(10_000);
    expect(titles()).toEqual(['merged']);
    toasts.get()[0].action!.run();
    expect(undone).toBe(1);
    vi.advanceTimersByTime(2000);
    expect(titles()).toEqual([]);
  });

  it('shows the five newest', () => {
    for (let i = 1; i <= 7; i++) showToast('error', `t${i}`, '');
    expect(titles()).toEqual(['t3', 't4', 't5', 't6', 't7']);
  });

  it('shows a failed call with its message and error', () => {
    showError('Could not load jobs', {
      code: 'CONFLICT',
      message: 'a job is writing',
      details: { jobId: 'j1' },
    });
    expect(toasts.get()).toEqual([
      expect.objectContaining({
        level: 'error',
        title: 'Could not load jobs',
        message: 'a job is writing',
        error: { code: 'CONFLICT', message: 'a job is writing', details: { jobId: 'j1' } },
      }),
    ]);
  });
});
