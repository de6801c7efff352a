import type { Transport } from './transport.js';

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
 * Electron utility process: main sends `{type: 'connect'}` with a MessagePort for each renderer (and may keep one
 * for itself); requests arrive on that port and are answered on it, events go to every connected port and to main.
 * Other messages from main on the parent port are requests too, answered to main.
 */
export function electronTransport(parentPort: ParentPortLike): Transport {
  const ports = new Set<PortLike>();
  let listener: Parameters<Transport['onMessage']>[0] = () => {};
  const toMain = (message: unknown) => parentPort.postMessage(message);

  parentPort.on('message', (event) => {
    const port = event.ports?.[0];
    if ((event.data as { type?: unknown } | null)?.type === 'connect' && port) {
      ports.add(port);
      const reply = (message: unknown) => port.postMessage(message);
      port.on('message', (e) => listener(e.data, reply));
      port.on('close', () => ports.delete(port));
      port.start();
      return;
    }
    listener(event.data, toMain);
  });

  return {
    onMessage(l) {
      listener = l;
    },
    send(message) {
      toMain(message);
      // The ready signal is for the host; renderer ports get API traffic only.
      if (message.type === 'worker-ready') return;
      for (const port of ports) port.postMessage(message);
    },
  };
}
