/** What every transport provides, and the error and event checks they share. */
import { ApiErrorSchema, JobStateSchema, type ApiError, type EventMessage } from '../../../core/api/contract';

/** `ended`: the server is up but refuses this session (it restarted with a new token); retrying cannot help. */
export type ConnectionStatus = 'connecting' | 'open' | 'reconnecting' | 'ended';

export interface ConnectionState {
  status: ConnectionStatus;
  /** Failed attempts since the connection was last open. */
  attempt: number;
  /** When the next attempt is due (ms since epoch), while reconnecting. */
  retryAt: number | null;
  /** True once the connection has been open at least once. */
  everOpen: boolean;
}

/** How one transport carries requests and events. */
export interface Transport {
  readonly mode: 'electron' | 'web';
  /** Resolves with the raw result; rejects with an ApiError-shaped value. */
  request(method: string, params: unknown): Promise<unknown>;
  onEvent(listener: (e: EventMessage) => void): () => void;
  connection(): ConnectionState;
  onConnection(listener: (s: ConnectionState) => void): () => void;
  reconnectNow(): void;
}

/** An API error as an Error, so it can be thrown and still carry the contract's code and details. */
export class ApiCallError extends Error {
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

/** Any rejection value as `{code, message, details}`. */
export function toApiError(value: unknown): ApiError {
  if (value instanceof ApiCallError) return value.toJSON();
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

/** Checks a pushed event against the contract; null when it is not one. */
export function parseEvent(value: unknown): EventMessage | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  if (v.type !== 'event') return null;
  if (v.event === 'job') {
    const job = JobStateSchema.safeParse(v.job);
    return job.success ? { type: 'event', event: 'job', job: job.data } : null;
  }
  if (v.event === 'notice' && (v.level === 'info' || v.level === 'error') && typeof v.message === 'string') {
    return { type: 'event', event: 'notice', level: v.level, message: v.message };
  }
  return null;
}
