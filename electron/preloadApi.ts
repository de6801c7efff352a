/**
 * The logic of the preload's `window.concord`, free of Electron so it is unit-tested in Node (preloadApi.test.ts)
 * and reused by main's own control connection to the worker (workerHost.ts).
 *
 * `ConcordClient` speaks the contract's wire protocol over any port-like transport: every request is checked
 * against the contract BEFORE it is posted (unknown method or params its zod schema refuses → rejected with
 * `{code:'BAD_INPUT', …}` and never sent), responses are matched to requests by id, events go to subscribers.
 * Requests made before the first port arrives wait for it; requests in flight when the port is replaced (the
 * worker restarted) are rejected, because the process that would have answered them is gone.
 */
import { z } from 'zod';
import {
  API,
  ApiErrorSchema,
  isMethod,
  type ApiError,
  type MethodName,
  type RequestMessage,
} from '../core/api/contract.js';
import { IPC, IPC_RESULTS, NoticeEventSchema, WorkspaceDialogModeSchema } from './ipc.js';

export function apiError(
  code: ApiError['code'],
  message: string,
  details: Record<string, unknown> = {},
): ApiError {
  return { code, message, details };
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

const ResponseMessageSchema = z.discriminatedUnion('ok', [
  z.object({ type: z.literal('response'), id: z.number().int(), ok: z.literal(true), result: z.unknown() }),
  z.object({
    type: z.literal('response'),
    id: z.number().int(),
    ok: z.literal(false),
    error: ApiErrorSchema,
  }),
]);
const EventEnvelopeSchema = z.looseObject({ type: z.literal('event'), event: z.string() });

/** One connection to the worker: post a message, close it. */
export interface Transport {
  post(message: RequestMessage): void;
  close(): void;
}

interface Pending {
  method: MethodName;
  message: RequestMessage;
  sent: boolean;
  resolve(result: unknown): void;
  reject(error: ApiError): void;
  timer: ReturnType<typeof setTimeout> | null;
}

export type EventListener = (event: Record<string, unknown>) => void;

export class ConcordClient {
  private transport: Transport | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<EventListener>();
  /** Events that arrived before anyone subscribed (e.g. a notice before the page's scripts ran). */
  private readonly early: Record<string, unknown>[] = [];

  constructor(
    private readonly options: { timeoutMs?: number; onProtocolError?: (message: string) => void } = {},
  ) {}

  get connected(): boolean {
    return this.transport !== null;
  }

  /** Uses a (new) port. Requests in flight on the previous one are rejected; queued ones are sent now. */
  attach(transport: Transport): void {
    this.detach('The worker process restarted before answering; please try again.');
    this.transport = transport;
    for (const p of this.pending.values()) this.send(p);
  }

  /** Drops the current port; requests in flight on it are rejected with `reason`, queued ones keep waiting. */
  detach(reason: string): void {
    const old = this.transport;
    this.transport = null;
    if (old) {
      for (const [id, p] of this.pending) {
        if (!p.sent) continue;
        this.pending.delete(id);
        if (p.timer) clearTimeout(p.timer);
        p.reject(apiError('INTERNAL', reason, { method: p.method }));
      }
      try {
        old.close();
      } catch {
        // already closed
      }
    }
  }

  /** Rejects everything, sent or queued (the connection is gone for good). */
  close(reason: string): void {
    this.detach(reason);
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      if (p.timer) clearTimeout(p.timer);
      p.reject(apiError('INTERNAL', reason, { method: p.method }));
    }
  }

  invoke(method: unknown, params: unknown): Promise<unknown> {
    const check = checkInvocation(method, params);
    if (!check.ok) return Promise.reject(check.error);
    const id = this.nextId++;
    const message: RequestMessage = { type: 'request', id, method: check.method, params: check.params };
    return new Promise<unknown>((resolve, reject) => {
      const p: Pending = { method: check.method, message, sent: false, resolve, reject, timer: null };
      if (this.options.timeoutMs !== undefined) {
        p.timer = setTimeout(() => {
          if (!this.pending.delete(id)) return;
          reject(
            apiError(
              'INTERNAL',
              `The worker did not answer ${check.method} within ${this.options.timeoutMs} ms.`,
              { method: check.method },
            ),
          );
        }, this.options.timeoutMs);
      }
      this.pending.set(id, p);
      if (this.transport) this.send(p);
    });
  }

  private send(p: Pending): void {
    if (!this.transport || p.sent) return;
    try {
      this.transport.post(p.message);
      p.sent = true;
    } catch (err) {
      // Not cloneable (a function, a DOM node…) or the port is closed: fail this call only.
      this.pending.delete(p.message.id);
      if (p.timer) clearTimeout(p.timer);
      p.reject(
        apiError('BAD_INPUT', `Could not send ${p.method}: ${(err as Error).message}`, { method: p.method }),
      );
    }
  }

  /** Handles one message from the worker. Anything that is not a well-formed response or event is ignored. */
  receive(data: unknown): void {
    const response = ResponseMessageSchema.safeParse(data);
    if (response.success) {
      const r = response.data;
      const p = this.pending.get(r.id);
      if (!p) return; // answered after a timeout, or for a port we no longer use
      this.pending.delete(r.id);
      if (p.timer) clearTimeout(p.timer);
      if (r.ok) p.resolve(r.result);
      else p.reject(r.error);
      return;
    }
    const event = EventEnvelopeSchema.safeParse(data);
    if (event.success) {
      this.emit(data as Record<string, unknown>);
      return;
    }
    this.options.onProtocolError?.(
      'ignored a message from the worker that is neither a response nor an event',
    );
  }

  /**
   * Delivers an event to every subscriber; one failing subscriber does not stop the others. Until the first
   * subscriber comes, the last 50 events are kept and then replayed to it.
   */
  emit(event: Record<string, unknown>): void {
    if (this.listeners.size === 0) {
      this.early.push(event);
      if (this.early.length > 50) this.early.shift();
      return;
    }
    this.deliver(event);
  }

  private deliver(event: Record<string, unknown>): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (err) {
        this.options.onProtocolError?.(`an event listener threw: ${(err as Error).message}`);
      }
    }
  }

  onEvent(listener: EventListener): () => void {
    this.listeners.add(listener);
    if (this.early.length > 0) {
      const replay = this.early.splice(0);
      queueMicrotask(() => replay.forEach((e) => this.deliver(e)));
    }
    return () => {
      this.listeners.delete(listener);
    };
  }

  get pendingCount(): number {
    return this.pending.size;
  }
}

/** What the preload exposes as `window.concord` (renderer/src/api/bridge.ts reads the same shape). */
export interface ConcordBridge {
  invoke(method: string, params: unknown): Promise<unknown>;
  onEvent(cb: (e: unknown) => void): () => void;
  pickFiles(): Promise<string[]>;
  pickWorkspace(mode: 'open' | 'create'): Promise<string | null>;
  getPathForFile(file: unknown): string;
}

export interface BridgeDeps {
  client: ConcordClient;
  /** ipcRenderer.invoke */
  invokeMain(channel: string, ...args: unknown[]): Promise<unknown>;
  /** webUtils.getPathForFile */
  pathForFile(file: unknown): string;
}

/**
 * Builds the object handed to contextBridge: plain functions only, nothing that reaches ipcRenderer or the port
 * beyond these calls. Dialog arguments and answers are checked against the IPC schemas on both sides.
 */
export function createBridge({ client, invokeMain, pathForFile }: BridgeDeps): ConcordBridge {
  return Object.freeze({
    invoke: (method: string, params: unknown) => client.invoke(method, params),
    onEvent: (cb: (e: unknown) => void) => {
      if (typeof cb !== 'function') throw new TypeError('onEvent needs a function');
      return client.onEvent((e) => cb(e));
    },
    pickFiles: async () => IPC_RESULTS[IPC.pickFiles].parse(await invokeMain(IPC.pickFiles)),
    pickWorkspace: async (mode: 'open' | 'create') => {
      const checked = WorkspaceDialogModeSchema.safeParse(mode);
      if (!checked.success)
        throw apiError('BAD_INPUT', `pickWorkspace mode must be "open" or "create"`, { mode: String(mode) });
      return IPC_RESULTS[IPC.pickWorkspace].parse(await invokeMain(IPC.pickWorkspace, checked.data));
    },
    getPathForFile: (file: unknown) => pathForFile(file),
  });
}

/** Main's notices arrive on `concord:notice`; only well-formed notice events are passed on. */
export function acceptNotice(payload: unknown): Record<string, unknown> | null {
  const parsed = NoticeEventSchema.safeParse(payload);
  return parsed.success ? parsed.data : null;
}
