import type { EventMessage, ServerMessage } from '../api/contract.js';

/** Replies to the one client that sent a request. */
export type Reply = (message: ServerMessage) => void;

/**
 * How the worker talks to its clients. Everything else (dispatch, jobs, state) is shared by every host;
 * a transport only delivers requests and carries responses and events.
 */
export interface Transport {
  /** Calls `listener` for every message any client sends, with a function that answers that client. */
  onMessage(listener: (message: unknown, reply: Reply) => void): void;
  /** Sends to every connected client (job and notice events). */
  send(message: EventMessage | WorkerReadyMessage): void;
}

/**
 * Sent once by the worker when it serves requests (host-level, not part of the API): a parent that forked it
 * waits for this before forwarding, since child-process IPC drops messages sent before the child listens.
 */
export interface WorkerReadyMessage {
  type: 'worker-ready';
  pid: number;
  workspace: string | null;
}

export function isWorkerReady(message: unknown): message is WorkerReadyMessage {
  return (message as WorkerReadyMessage | null)?.type === 'worker-ready';
}
