/** One API read as React state, re-run whenever `key` changes (say, a data version plus the params). */
import { useEffect, useState } from 'react';
import type { ApiError, MethodName, Params, Result } from '../../../core/api/contract';
import { invoke } from './client';
import { toApiError } from './transport';

export interface Query<T> {
  /** The latest answer; while the next request runs it is still the previous one (null after an error). */
  data: T | null;
  /** The error of the current request, if it failed. */
  error: ApiError | null;
  /** True until the current request has answered. */
  loading: boolean;
}

export function useQuery<M extends MethodName>(method: M, params: Params<M>, key: string): Query<Result<M>> {
  const request = JSON.stringify(params);
  const [state, setState] = useState<{ key: string; data: Result<M> | null; error: ApiError | null }>({
    key: '',
    data: null,
    error: null,
  });
  useEffect(() => {
    let live = true;
    invoke(method, JSON.parse(request) as Params<M>).then(
      (data) => live && setState({ key, data, error: null }),
      (err: unknown) => live && setState({ key, data: null, error: toApiError(err) }),
    );
    return () => {
      live = false;
    };
  }, [method, request, key]);
  return { data: state.data, error: state.key === key ? state.error : null, loading: state.key !== key };
}
