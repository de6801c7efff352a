import {
  processTransport,
  messagePortTransport,
  type IpcProcessLike,
  type Transport,
} from '../rpc/transport.js';
import type { WorkerLink } from './transport.js';

/** The parts of Electron's `MessagePortMain` the worker uses (core/ imports no Electron). */
export interface PortLike {
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  postMessage(message: unknown): void;
  start(): void;
}

/** The parts of `process.parentPort` in an Electron utility process. */
export interface ParentPortLike {
  on(event: 'message', listener: (event: { data: unknown; ports: PortLike[] }) => void): unknown;
  postMessage(message: unknown): void;
}

/**
 * Electron utility process: main sends `{type: 'connect'}` with a MessagePort for each renderer (and one for its
 * own control connection); each port is a connection of its own. Other messages from main on the parent port are
 * a connection too, answered to main. The ready signal goes to main only.
 */
export function electronLink(parentPort: ParentPortLike): WorkerLink {
  return {
    serve(server) {
      const toMain: ((message: unknown) => void)[] = [];
      const main: Transport = {
        post: (message) => parentPort.postMessage(message),
        close: () => {},
        onMessage: (listener) => void toMain.push(listener),
        onClose: () => {},
      };
      server.connect(main);
      parentPort.on('message', (event) => {
        const port = event.ports?.[0];
        if ((event.data as { type?: unknown } | null)?.type === 'connect' && port) {
          server.connect(messagePortTransport(port));
          return;
        }
        for (const listener of toMain) listener(event.data);
      });
    },
    ready: (message) => parentPort.postMessage(message),
  };
}

/** Node child-process IPC (`child_process.fork`): one client, the parent (the web server, tests). */
export function ipcLink(proc: IpcProcessLike & NodeJS.Process = process): WorkerLink {
  return {
    serve: (server) => server.connect(processTransport(proc)),
    ready(message) {
      if (proc.connected) proc.send?.(message);
    },
  };
}
