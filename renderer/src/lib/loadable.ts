/** A value loaded from the API with its loading state, and the one way every store of one is refreshed. */
import type { ApiError } from '../../../core/api/contract';
import { toApiError } from '../api/transport';
import type { Store } from './store';

export interface Loadable<T> {
  data: T;
  loading: boolean;
  loaded: boolean;
  error: ApiError | null;
}

/** Not loaded yet; `loading` when the first load starts at once. */
export function loadable<T>(data: T, loading = false): Loadable<T> {
  return { data, loading, loaded: false, error: null };
}

/**
 * Loads `store` anew with `load()`: marks it loading, then stores the data, or keeps the old data with the error.
 * Only the latest of overlapping loads of one store is stored. Resolves with the data, or null on error.
 */
export function loadInto<T>(store: Store<Loadable<T>>, load: () => Promise<T>): Promise<T | null> {
  const seq = (latest.get(store) ?? 0) + 1;
  latest.set(store, seq);
  store.set((s) => ({ ...s, loading: true }));
  return load().then(
    (data) => {
      if (latest.get(store) === seq) store.set({ data, loading: false, loaded: true, error: null });
      return data;
    },
    (err: unknown) => {
      if (latest.get(store) === seq)
        store.set((s) => ({ ...s, loading: false, loaded: true, error: toApiError(err) }));
      return null;
    },
  );
}

const latest = new WeakMap<object, number>();
