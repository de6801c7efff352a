import { ConcordError } from '../model/errors.js';
import {
  API,
  isMethod,
  PATH_PARAMS,
  RequestMessageSchema,
  type ApiError,
  type MethodName,
  type ResponseMessage,
} from '../api/contract.js';
import type { HandlerContext, Handlers } from './context.js';
import { handlers as defaultHandlers } from './handlers.js';
import { describeIssues, toApiError } from '../api/toApiError.js';

export interface DispatchOptions {
  handlers?: Handlers;
  /** Check each result against the contract (tests and development; default unless NODE_ENV=production). */
  validateResults?: boolean;
  /** Where unexpected (INTERNAL) failures are logged with their stack; default stderr. */
  log?: (line: string) => void;
}

/**
 * Serves one request message: the method must exist, params must match its schema (BAD_INPUT naming the field),
 * the handler's result is checked in tests and development, and every failure becomes `{code, message, details}`.
 * Never throws.
 */
export async function dispatch(
  message: unknown,
  ctx: HandlerContext,
  options: DispatchOptions = {},
): Promise<ResponseMessage> {
  const parsed = RequestMessageSchema.safeParse(message);
  if (!parsed.success) {
    return failure(
      peekId(message),
      new ConcordError('BAD_INPUT', `not a request message: ${describeIssues(parsed.error.issues)}`),
    );
  }
  const { id, method, params } = parsed.data;
  try {
    if (!isMethod(method)) {
      throw new ConcordError(
        'NOT_FOUND',
        `unknown method "${method}" (known: ${Object.keys(API).join(', ')})`,
        { method },
      );
    }
    const result = await call(method, params, ctx, options);
    return { type: 'response', id, ok: true, result };
  } catch (err) {
    if (!(err instanceof ConcordError))
      (options.log ?? logToStderr)(`${method} failed: ${(err as Error)?.stack ?? String(err)}`);
    return failure(id, err);
  }
}

async function call<M extends MethodName>(
  method: M,
  rawParams: unknown,
  ctx: HandlerContext,
  options: DispatchOptions,
): Promise<unknown> {
  const spec = API[method];
  const params = spec.params.safeParse(rawParams ?? {});
  if (!params.success) {
    throw new ConcordError('BAD_INPUT', `${method}: bad params: ${describeIssues(params.error.issues)}`, {
      method,
      issues: params.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
    });
  }
  if (ctx.mode === 'web') refusePaths(method, params.data);
  const handler = (options.handlers ?? defaultHandlers)[method] as (
    p: unknown,
    c: HandlerContext,
  ) => Promise<unknown>;
  const result = await handler(params.data, ctx);
  if (!(options.validateResults ?? process.env.NODE_ENV !== 'production')) return result;
  const checked = spec.result.safeParse(result);
  if (!checked.success) {
    throw new ConcordError(
      'INTERNAL',
      `${method} returned a result that breaks the contract: ${describeIssues(checked.error.issues)}`,
      { method },
    );
  }
  return checked.data;
}

/**
 * Web mode reads only uploads: a path in the params (PATH_PARAMS) is refused, whatever it names. The mode is the
 * worker's, set by the host that started it (`--mode web` from the web server), never by a message.
 */
function refusePaths(method: MethodName, params: unknown): void {
  for (const field of PATH_PARAMS[method] ?? []) {
    const value = field
      .split('.')
      .reduce<unknown>((v, key) => (v as Record<string, unknown> | undefined)?.[key], params);
    if (value === undefined) continue;
    throw new ConcordError(
      'FORBIDDEN',
      `${method}: "${field}" names a file on this machine, which web mode may not use: ${webModeInstead(method, field)}`,
      { method, field },
    );
  }
}

function webModeInstead(method: MethodName, field: string): string {
  if (field === 'file.path') return 'upload the file (POST /api/upload) and pass file: {uploadId}';
  if (method === 'workspace.open' || method === 'workspace.create')
    return 'web mode works on the workspace `concord serve` was started with; start it on another to switch';
  return 'use the desktop app or the CLI for this';
}

function logToStderr(line: string): void {
  process.stderr.write(`${line}\n`);
}

function failure(id: number, err: unknown): ResponseMessage {
  const error: ApiError = toApiError(err);
  return { type: 'response', id, ok: false, error };
}

/** The id of a message too broken to be a request, so the sender can still match the error to its call. */
function peekId(message: unknown): number {
  const id = (message as { id?: unknown } | null)?.id;
  return typeof id === 'number' && Number.isInteger(id) ? id : -1;
}
