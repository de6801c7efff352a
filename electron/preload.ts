/**
 * The sandboxed preload (bundled by electron/build-preload.mjs into ONE CommonJS file, dist/electron/preload.cjs,
 * whose only import is 'electron'). It keeps the MessagePort to the worker and ipcRenderer to itself and exposes
 * to the page only `window.concord` (see preloadApi.ts for the logic and its tests):
 *   invoke(method, params)  checked against the contract, then posted on the port, answered by id
 *   onEvent(cb)             job progress and notices from the worker; notices (and jobs a crash ended) from main
 *   pickFiles()             native dialog (main), absolute paths
 *   pickWorkspace(mode)     native dialog (main), a .concord path or null
 *   getPathForFile(file)    the path of a dropped File (webUtils; the page cannot call it itself)
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { z } from 'zod';
import { messagePortTransport } from '../core/rpc/transport.js';
import { IPC } from './ipc.js';
import { acceptMainEvent, ConcordClient, createBridge } from './preloadApi.js';

// The page's CSP has no 'unsafe-eval': keep zod from probing `new Function` (which would log a CSP violation).
z.config({ jitless: true });

const client = new ConcordClient({
  onProtocolError: (message) => console.warn(`[concord preload] ${message}`),
});

// Main hands us the renderer's end of a MessageChannel whose other end is in the worker: at start-up (after our
// `connect` below) and again whenever the worker was restarted.
ipcRenderer.on(IPC.port, (event) => {
  const port = event.ports[0];
  if (!port) return;
  client.connect(messagePortTransport(port), () => 'The worker process stopped before answering.');
});

ipcRenderer.on(IPC.notice, (_event, payload: unknown) => {
  const accepted = acceptMainEvent(payload);
  if (accepted) client.emit(accepted);
});

contextBridge.exposeInMainWorld(
  'concord',
  createBridge({
    client,
    invokeMain: (channel, ...args) => ipcRenderer.invoke(channel, ...args),
    pathForFile: (file) => webUtils.getPathForFile(file as Parameters<typeof webUtils.getPathForFile>[0]),
  }),
);

ipcRenderer.send(IPC.connect);
