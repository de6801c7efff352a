/**
 * The logic of the preload's `window.concord`, free of Electron so it is unit-tested in Node (preloadApi.test.ts).
 *
 * `ConcordClient` is the shared channel client (core/rpc/client.ts) set up for the preload: every request is
 * checked against the contract BEFORE it is posted (unknown method or params its zod schema refuses → rejected with
 * `{code:'BAD_INPUT', …}` and never sent), errors reject as plain `{code, message, details}` objects (contextBridge
 * would strip an Error's own properties), and events are passed on by their envelope (the page checks them against
 * the contract's schemas where they arrive). Requests made before the first port arrives wait for it; requests in
 * flight when the port is replaced (the worker restarted) are rejected.
 */
import { z } from 'zod';
import { JobEventMessageSchema, type RequestMessage } from '../core/api/contract.js';
import { apiError, ChannelClient } from '../core/rpc/client.js';
import { IPC, IPC_RESULTS, NoticeEventSchema, WorkspaceDialogModeSchema } from './ipc.js';

export { apiError, checkInvocation, type InvocationCheck } from '../core/rpc/client.js';
/** One connection to the worker: post a message, close it. */
export interface Transport {
  post(message: RequestMessage): void;
  close(): void;
}

const EventEnvelopeSchema = z.looseObject({ type: z.literal('event'), event: z.string() });

export type EventListener = (event: Record<string, unknown>) => void;

export class ConcordClient extends ChannelClient<Record<string, unknown>> {
  constructor(options: { timeoutMs?: number; onProtocolError?: (message: string) => void } = {}) {
    super({
      ...options,
      checkRequests: true,
      toError: (error) => error,
      acceptEvent: (message) => {
        const parsed = EventEnvelopeSchema.safeParse(message);
        return parsed.success ? (message as Record<string, unknown>) : null;
      },
    });
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

/** What main may send on `concord:notice`: a notice, or a job a worker crash ended (marked failed). */
export function acceptMainEvent(payload: unknown): Record<string, unknown> | null {
  const notice = acceptNotice(payload);
  if (notice) return notice;
  const job = JobEventMessageSchema.safeParse(payload);
  return job.success ? job.data : null;
}
