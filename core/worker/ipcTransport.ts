import type { Transport } from './transport.js';

/** Node child-process IPC (`child_process.fork`): one client, the parent (the web server, tests). */
export function ipcTransport(proc: NodeJS.Process = process): Transport {
  const send = (message: unknown) => {
    if (proc.connected) proc.send?.(message);
  };
  return {
    onMessage(listener) {
      proc.on('message', (message) => listener(message, send));
    },
    send,
  };
}
