import { describe, expect, it } from 'vitest';
import { ApiCallError } from '../api/transport';
import { loadable, loadInto } from './loadable';
import { createStore } from './store';

describe('loadInto', () => {
  it('marks the store loading, then stores the data', async () => {
    const store = createStore(loadable<string[]>([]));
    const seen: boolean[] = [];
    store.subscribe(() => seen.push(store.get().loading));
    await expect(loadInto(store, async () => ['a'])).resolves.toEqual(['a']);
    expect(store.get()).toEqual({ data: ['a'], loading: false, loaded: true, error: null });
    expect(seen).toEqual([true, false]);
  });

  it('keeps the old data with the error, and resolves null', async () => {
    const store = createStore({ ...loadable(['old']), loaded: true });
    const refused = new ApiCallError({ code: 'NOT_FOUND', message: 'no workspace', details: {} });
    await expect(loadInto(store, () => Promise.reject(refused))).resolves.toBeNull();
    expect(store.get()).toEqual({
      data: ['old'],
      loading: false,
      loaded: true,
      error: { code: 'NOT_FOUND', message: 'no workspace', details: {} },
    });
  });

  it('stores only the latest of overlapping loads', async () => {
    const store = createStore(loadable(0, true));
    let finishFirst: (v: number) => void = () => {};
    const first = loadInto(store, () => new Promise<number>((r) => (finishFirst = r)));
    const second = loadInto(store, async () => 2);
    await second;
    finishFirst(1);
    await expect(first).resolves.toBe(1);
    expect(store.get().data).toBe(2);
  });
});
