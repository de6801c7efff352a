/**
 * The one channel client (after VS Code's ChannelClient, kept small): request ids, the pending map, responses
 * matched by id, optional timeouts, cancellation, errors as `{code, message, details}`, events checked against the
 * contract's schemas. It runs over any transport (transport.ts) and in every environment: the renderer, the
 * sandboxed preload, Electron main, the web server and tests. It imports only the contract.
 *
 * Requests made while no transport is attached wait for one; requests in flight when the transport goes away are
 * rejected (the process that would have answered may or may not have run them).
 */
import type { z } from 'zod';
import {
  API,
  ApiErrorSchema,
  EventMessageSchema,
  isMethod,
  ResponseMessageSchema,
  type ApiError,
  type EventMessage,
  type MethodName,
  type Params,
  type RequestMessage,
  type Result,
} from '../api/contract.js';
import type { Sender, Transport } from './transport.js';

/** An API error as an Error, so it can be thrown and still carry the contract's code and details. */
export class RpcError extends Error {
  readonly code: ApiError['code'];
  readonly details: Record<string, unknown>;
  constructor(error: ApiError) {
    super(error.message);
    this.name = 'ApiCallError';
    this.code = error.code;
    this.details = error.details;
  }
  toJSON(): ApiError {
    return { code: this.code, message: this.message, details: this.details };
  }
}

export function apiError(
  code: ApiError['code'],
  message: string,
  details: Record<string, unknown> = {},
): ApiError {
  return { code, message, details };
}

/** Any rejection value as `{code, message, details}`. */
export function toApiError(value: unknown): ApiError {
  if (value instanceof RpcError) return value.toJSON();
  const direct = ApiErrorSchema.safeParse(value);
  if (direct.success) return direct.data;
  if (value instanceof Error) {
    // Electron's ipcRenderer.invoke flattens a rejection into "Error invoking remote method '…': Error: {json}".
    const json = /\{.*\}/s.exec(value.message)?.[0];
    if (json) {
      try {
        const parsed = ApiErrorSchema.safeParse(JSON.parse(json));
        if (parsed.success) return parsed.data;
      } catch {
        // not JSON: fall through
      }
    }
    return { code: 'INTERNAL', message: value.message, details: {} };
  }
  return { code: 'INTERNAL', message: String(value), details: {} };
}

/** Checks a pushed event against the contract's event schemas; null when it is not one. */
export function parseEvent(value: unknown): EventMessage | null {
  const parsed = EventMessageSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

export type InvocationCheck =
  { ok: true; method: MethodName; params: unknown } | { ok: false; error: ApiError };

/**
 * Checks one call against the contract: the method must exist and its params must pass the method's schema.
 * `undefined` params stand for `{}` (methods without params). The params are posted as given (the worker parses
 * them again and applies defaults); this check is the gate, not a transformation.
 */
export function checkInvocation(method: unknown, params: unknown): InvocationCheck {
  if (typeof method !== 'string' || !isMethod(method)) {
    return {
      ok: false,
      error: apiError('BAD_INPUT', `Unknown API method ${JSON.stringify(String(method))}`, {
        method: String(method),
      }),
    };
  }
  const value = params === undefined ? {} : params;
  const schema: z.ZodType = API[method].params;
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({
      path: i.path.map(String).join('.'),
      message: i.message,
    }));
    const first = issues[0];
    const where = first && first.path ? ` at ${first.path}` : '';
    return {
      ok: false,
      error: apiError('BAD_INPUT', `Invalid params for ${method}${where}: ${first?.message ?? 'rejected'}`, {
        method,
        issues,
      }),
    };
  }
  return { ok: true, method, params: value };
}

/** Checks a raw result against the method's result schema: the parsed value, or the error to reject with. */
export function parseResult<M extends MethodName>(
  method: M,
  raw: unknown,
): { ok: true; value: Result<M> } | { ok: false; error: ApiError } {
  const schema: z.ZodType = API[method].result;
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, value: parsed.data as Result<M> };
  const issue = parsed.error.issues[0];
  const where = issue
    ? `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`
    : 'unknown problem';
  return {
    ok: false,
    error: apiError('INTERNAL', `Concord answered ${method} with an unexpected result (${where})`, {
      method,
    }),
  };
}

export interface ChannelClientOptions<E> {
  /** Reject a call the worker has not answered within this time. */
  timeoutMs?: number;
  /** Check every request against the contract before posting it (refused ones are never sent). */
  checkRequests?: boolean;
  /** Which pushed messages are events, and their checked value; default the contract's event schemas. */
  acceptEvent?: (message: unknown) => E | null;
  /** What a call rejects with; default an RpcError. (The preload rejects with the plain object: contextBridge
   *  does not carry an Error's own properties.) */
  toError?: (error: ApiError) => unknown;
  /** Told about messages that are neither a response nor an event, and about listeners that throw. */
  onProtocolError?: (message: string) => void;
}

export interface CallOptions {
  /** Aborting rejects the call with CANCELLED and tells the server its answer is no longer wanted. */
  signal?: AbortSignal;
}

interface Pending {
  method: string;
  message: RequestMessage;
  sent: boolean;
  resolve(result: unknown): void;
  reject(error: ApiError): void;
  timer: ReturnType<typeof setTimeout> | null;
}

/** Events kept for the first subscriber (e.g. a notice that came before the page's scripts ran). */
const EARLY_EVENTS = 50;

export class ChannelClient<E = EventMessage> {
  private sender: Sender | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<(event: E) => void>();
  private readonly early: E[] = [];
  private readonly acceptEvent: (message: unknown) => E | null;
  private readonly toError: (error: ApiError) => unknown;

  constructor(private readonly options: ChannelClientOptions<E> = {}) {
    this.acceptEvent = options.acceptEvent ?? (parseEvent as (message: unknown) => E | null);
    this.toError = options.toError ?? ((e) => new RpcError(e));
  }

  get connected(): boolean {
    return this.sender !== null;
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  /**
   * Uses a (new) transport: listens on it, and when it closes, rejects the calls in flight with `lost(method)`.
   * Calls in flight on a previous transport are rejected; queued ones are sent now.
   */
  connect(transport: Transport, lost?: (method: string) => string): void {
    transport.onMessage((message) => {
      if (this.sender === transport) this.receive(message);
    });
    transport.onClose(() => {
      if (this.sender === transport)
        this.detach(lost ?? ((m) => `The connection closed before ${m} was answered.`));
    });
    this.attach(transport);
  }

  /** Uses a (new) sender whose messages the caller feeds to `receive`. In-flight calls on the old one fail. */
  attach(sender: Sender): void {
    this.detach('The worker process restarted before answering; please try again.');
    this.sender = sender;
    for (const p of this.pending.values()) this.send(p);
  }

  /** Drops the current transport; calls in flight on it are rejected with `reason`, queued ones keep waiting. */
  detach(reason: string | ((method: string) => string)): void {
    const old = this.sender;
    this.sender = null;
    if (!old) return;
    for (const [id, p] of this.pending) {
      if (!p.sent) continue;
      this.pending.delete(id);
      this.settle(
        p,
        apiError('INTERNAL', typeof reason === 'string' ? reason : reason(p.method), { method: p.method }),
      );
    }
    try {
      old.close();
    } catch {
      // already closed
    }
  }

  /** Rejects everything, sent or queued (the connection is gone for good). */
  close(reason: string): void {
    this.detach(reason);
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      this.settle(p, apiError('INTERNAL', reason, { method: p.method }));
    }
  }

  /** Calls a method by name; resolves with the raw result. */
  invoke(method: unknown, params: unknown, options: CallOptions = {}): Promise<unknown> {
    let name: string;
    let value = params;
    if (this.options.checkRequests) {
      const check = checkInvocation(method, params);
      if (!check.ok) return Promise.reject(this.toError(check.error));
      name = check.method;
      value = check.params;
    } else name = String(method);
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(this.toError(cancelledError(name)));
    const id = this.nextId++;
    const message: RequestMessage = { type: 'request', id, method: name, params: value };
    return new Promise<unknown>((resolve, reject) => {
      const p: Pending = {
        method: name,
        message,
        sent: false,
        resolve,
        reject: (e) => reject(this.toError(e)),
        timer: null,
      };
      if (this.options.timeoutMs !== undefined) {
        const ms = this.options.timeoutMs;
        p.timer = setTimeout(() => {
          if (this.pending.delete(id))
            p.reject(
              apiError('INTERNAL', `The worker did not answer ${name} within ${ms} ms.`, { method: name }),
            );
        }, ms);
      }
      signal?.addEventListener(
        'abort',
        () => {
          if (!this.pending.delete(id)) return;
          if (p.sent) this.post({ type: 'cancel', id });
          this.settle(p, cancelledError(name));
        },
        { once: true },
      );
      this.pending.set(id, p);
      if (this.sender) this.send(p);
    });
  }

  /** Calls a contract method with typed params; resolves with its result, checked against the contract. */
  async call<M extends MethodName>(method: M, params: Params<M>, options?: CallOptions): Promise<Result<M>> {
    const raw = await this.invoke(method, params, options);
    const parsed = parseResult(method, raw);
    if (!parsed.ok) throw this.toError(parsed.error);
    return parsed.value;
  }

  private post(message: unknown): void {
    try {
      this.sender?.post(message);
    } catch {
      // the transport is going away; its close rejects what is in flight
    }
  }

  private send(p: Pending): void {
    if (!this.sender || p.sent) return;
    try {
      this.sender.post(p.message);
      p.sent = true;
    } catch (err) {
      // Not cloneable (a function, a DOM node…) or the port is closed: fail this call only.
      this.pending.delete(p.message.id);
      this.settle(
        p,
        apiError('BAD_INPUT', `Could not send ${p.method}: ${(err as Error).message}`, { method: p.method }),
      );
    }
  }

  private settle(p: Pending, error: ApiError): void {
    if (p.timer) clearTimeout(p.timer);
    p.reject(error);
  }

  /** Handles one message from the server. Anything that is not a well-formed response or event is ignored. */
  receive(data: unknown): void {
    const response = ResponseMessageSchema.safeParse(data);
    if (response.success) {
      const r = response.data;
      const p = this.pending.get(r.id);
      if (!p) return; // answered after a timeout or a cancel, or on a transport we no longer use
      this.pending.delete(r.id);
      if (p.timer) clearTimeout(p.timer);
      if (r.ok) p.resolve(r.result);
      else p.reject(r.error);
      return;
    }
    const event = this.acceptEvent(data);
    if (event !== null) {
      this.emit(event);
      return;
    }
    this.options.onProtocolError?.('ignored a message that is neither a response nor an event');
  }

  /**
   * Delivers an event to every subscriber; one failing subscriber does not stop the others. Until the first
   * subscriber comes, the last events are kept and then replayed to it.
   */
  emit(event: E): void {
    if (this.listeners.size === 0) {
      this.early.push(event);
      if (this.early.length > EARLY_EVENTS) this.early.shift();
      return;
    }
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (err) {
        this.options.onProtocolError?.(`an event listener threw: ${(err as Error).message}`);
      }
    }
  }

  onEvent(listener: (event: E) => void): () => void {
    this.listeners.add(listener);
    if (this.early.length > 0) {
      const replay = this.early.splice(0);
      queueMicrotask(() => replay.forEach((e) => this.emit(e)));
    }
    return () => {
      this.listeners.delete(listener);
    };
  }
}

function cancelledError(method: string): ApiError {
  return apiError('CANCELLED', `${method} was cancelled`, { method });
}
