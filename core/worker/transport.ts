import type { ChannelServer } from '../rpc/server.js';

/**
 * How the worker reaches its host and its clients. Everything else (dispatch, jobs, state) is shared by every
 * host; a link only connects the channel server to each client connection and tells the host it is ready.
 */
export interface WorkerLink {
  /** Connects `server` to every client connection, now and as they come. */
  serve(server: ChannelServer): void;
  /** Tells the host (only) that the worker serves requests. */
  ready(message: WorkerReadyMessage): void;
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
