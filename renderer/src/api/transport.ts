/** What every transport provides; the error and event checks are the shared RPC client's (core/rpc/client.ts). */
import type { EventMessage } from '../../../core/api/contract';

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
export { RpcError as ApiCallError, parseEvent, toApiError } from '../../../core/rpc/client';
