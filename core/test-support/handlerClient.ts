import type { MethodName, Params, Result } from '../api/contract.js';
import type { HandlerContext } from '../app/context.js';
import { dispatch } from '../app/dispatch.js';

/** Calls handlers through dispatch (as every host does) and unwraps the result or throws the error object. */
export function handlerClient(ctx: HandlerContext) {
  let id = 0;
  return async function call<M extends MethodName>(method: M, params: Params<M>): Promise<Result<M>> {
    const response = await dispatch({ type: 'request', id: ++id, method, params }, ctx);
    if (!response.ok) throw response.error;
    return response.result as Result<M>;
  };
}
