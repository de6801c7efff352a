/**
 * The Electron side of the worker: forks it as a utility process, gives each window a MessageChannelMain port
 * to it, and adapts a window's webContents for the host (electron/workerHost.ts holds the restart logic).
 */
import { MessageChannelMain, utilityProcess, type MessagePortMain, type WebContents } from 'electron';
import { existsSync } from 'node:fs';
import { JobEventMessageSchema } from '../core/api/contract.js';
import { IPC, NoticeEventSchema } from './ipc.js';
import { WorkerHost, type ClientWindow } from './workerHost.js';
import { WORKER_NODE_FLAGS } from '../core/worker/supervisor.js';

export function startWorkerHost(
  workerPath: string,
  log: (message: string) => void,
): WorkerHost<MessagePortMain> {
  return new WorkerHost<MessagePortMain>(workerPath, {
    fork: (modulePath, args) => {
      // env defaults to main's environment: provider settings and CUDA/DirectML library paths reach the worker.
      const child = utilityProcess.fork(modulePath, args, {
        serviceName: 'Concord worker',
        stdio: 'inherit',
        execArgv: [...WORKER_NODE_FLAGS],
      });
      return {
        postMessage: (message, transfer) => child.postMessage(message, transfer),
        kill: () => {
          child.kill();
        },
        onExit: (listener) => {
          child.on('exit', listener);
        },
      };
    },
    newChannel: () => {
      const { port1, port2 } = new MessageChannelMain();
      return { port1, port2 };
    },
    openPort: (port, onMessage) => {
      port.on('message', (event) => onMessage(event.data));
      port.start();
      return { post: (message) => port.postMessage(message), close: () => port.close() };
    },
    exists: existsSync,
    log,
  });
}

/** A page as the worker host sees it: where its port and its notices go. */
export function clientWindow(contents: WebContents): ClientWindow<MessagePortMain> {
  return {
    id: contents.id,
    isDestroyed: () => contents.isDestroyed(),
    postPort: (port) => contents.postMessage(IPC.port, null, [port]),
    sendNotice: (event) => contents.send(IPC.notice, NoticeEventSchema.parse(event)),
    sendJobEvent: (event) => contents.send(IPC.notice, JobEventMessageSchema.parse(event)),
  };
}
