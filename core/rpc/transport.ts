/**
 * How a channel's messages travel. A transport carries structured messages both ways over one connection and
 * knows nothing of requests, responses or events (core/rpc/client.ts and server.ts do). Platform-free: the
 * renderer and the sandboxed preload use this file, so it reaches no Node module and no DOM type; ports and sockets
 * are described by the few members used.
 */

/** Posts to the other end and closes the connection: all a client needs to send. */
export interface Sender {
  post(message: unknown): void;
  close(): void;
}

/** One connection: post, receive, and hear when it is gone. */
export interface Transport extends Sender {
  onMessage(listener: (message: unknown) => void): void;
  onClose(listener: () => void): void;
}

interface DataEvent {
  data: unknown;
}

/**
 * A MessagePort: the DOM's and Node's (`addEventListener`, worker_threads) or Electron main's `MessagePortMain`
 * (`on`, which also needs `start()`).
 */
export interface PortLike {
  postMessage(message: unknown): void;
  close?(): void;
  start?(): void;
  on?(event: 'message' | 'close', listener: (event: DataEvent) => void): unknown;
  /** The listener gets a MessageEvent (typed loosely so that DOM and Node ports both fit). */
  addEventListener?(event: 'message' | 'close', listener: (event: object) => void): unknown;
}

export function messagePortTransport(port: PortLike): Transport {
  // DOM and Node ports hand listeners a MessageEvent through addEventListener (Node's `on` would hand the bare
  // value); Electron's MessagePortMain has only `on`, with an event.
  const listen = (event: 'message' | 'close', listener: (e: DataEvent) => void) => {
    if (port.addEventListener) port.addEventListener(event, (e) => listener(e as DataEvent));
    else port.on?.(event, listener);
  };
  let started = false;
  return {
    post: (message) => port.postMessage(message),
    close: () => port.close?.(),
    onMessage(listener) {
      listen('message', (e) => listener(e.data));
      if (!started) port.start?.();
      started = true;
    },
    onClose: (listener) => listen('close', () => listener()),
  };
}

/** The browser's WebSocket, or the `ws` package's (its `addEventListener` hands text frames over as strings). */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(event: 'message', listener: (event: DataEvent) => void): unknown;
  addEventListener(event: 'close', listener: () => void): unknown;
}

const OPEN = 1;

/** JSON text frames over an open WebSocket. Frames that are not JSON text are dropped. */
export function webSocketTransport(socket: WebSocketLike): Transport {
  return {
    post(message) {
      if (socket.readyState !== OPEN) throw new Error('the WebSocket is not open');
      socket.send(JSON.stringify(message));
    },
    close: () => socket.close(),
    onMessage(listener) {
      socket.addEventListener('message', (e) => {
        if (typeof e.data !== 'string') return;
        let message: unknown;
        try {
          message = JSON.parse(e.data);
        } catch {
          return;
        }
        listener(message);
      });
    },
    onClose: (listener) => socket.addEventListener('close', () => listener()),
  };
}

/**
 * Node child-process IPC, from either end: the parent's `ChildProcess` or the child's own `process` (whose `send`
 * exists only when it was forked with an IPC channel).
 */
export interface IpcProcessLike {
  readonly connected: boolean;
  send?(message: unknown, callback?: (err: Error | null) => void): boolean;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'disconnect', listener: () => void): unknown;
  disconnect?(): void;
}

export function processTransport(proc: IpcProcessLike): Transport {
  return {
    post(message) {
      if (!proc.connected || !proc.send) throw new Error('the process IPC channel is closed');
      // A send that fails (the other end just went away) is followed by `disconnect`, which fails the call.
      proc.send(message, () => {});
    },
    close: () => {
      if (proc.connected) proc.disconnect?.();
    },
    onMessage: (listener) => proc.on('message', listener),
    onClose: (listener) => proc.on('disconnect', listener),
  };
}
