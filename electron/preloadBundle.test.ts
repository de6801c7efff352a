// The built preload bundle (electron/build-preload.mjs → preload.cjs): one CommonJS file that requires nothing but
// 'electron', and that — run in a fresh V8 context with eval disabled (like the page's CSP) and a fake 'electron'
// module — exposes only `concord`, validates before posting on the port it was handed, and answers by id.
// This exercises the real bundle's logic; it is not Electron (no sandbox, no contextBridge cloning).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createContext, runInContext } from 'node:vm';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestMessage } from '../core/api/contract.js';
import { IPC } from './ipc.js';
import type { ConcordBridge } from './preloadApi.js';

let dir: string;
let code: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'concord-preload-'));
  const out = join(dir, 'preload.cjs');
  const r = spawnSync(process.execPath, ['electron/build-preload.mjs', '--outfile', out], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`build-preload failed: ${r.stderr}`);
  code = readFileSync(out, 'utf8');
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Listener = (event: { ports?: MessagePort[] }, ...args: unknown[]) => void;

function loadPreload() {
  const listeners = new Map<string, Listener>();
  const sent: unknown[][] = [];
  const invoked: unknown[][] = [];
  const exposed: Record<string, unknown> = {};
  const required: string[] = [];
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => void (exposed[key] = api) },
    ipcRenderer: {
      on: (channel: string, l: Listener) => void listeners.set(channel, l),
      send: (...args: unknown[]) => void sent.push(args),
      invoke: async (...args: unknown[]) => {
        invoked.push(args);
        return args[0] === IPC.pickFiles ? ['/exports/shop.csv'] : '/w/new.concord';
      },
    },
    webUtils: { getPathForFile: (f: { name: string }) => `/dropped/${f.name}` },
  };
  const module = { exports: {} };
  const context = createContext(
    {
      require: (name: string) => {
        required.push(name);
        if (name === 'electron') return electron;
        throw new Error(`a sandboxed preload cannot require ${name}`);
      },
      module,
      exports: module.exports,
      console,
      setTimeout,
      clearTimeout,
      queueMicrotask,
    },
    { codeGeneration: { strings: false, wasm: false } }, // no eval, like the CSP
  );
  runInContext(code, context, { filename: 'preload.cjs' });
  return { listeners, sent, invoked, exposed, required };
}

describe('preload bundle', () => {
  it('is one CommonJS file whose only require is electron', () => {
    const requires = [...code.matchAll(/\brequire\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((m) => m[1]);
    expect(new Set(requires)).toEqual(new Set(['electron']));
    expect(code).not.toMatch(/^\s*import\s/m);
    expect(code).not.toMatch(/\bimport\(\s*["'`]/);
    expect(code).toContain('// core/api/contract.ts'); // the contract is bundled in, not loaded
  });

  it('exposes only window.concord, asks main for a port, and posts nothing invalid', async () => {
    const p = loadPreload();
    expect(p.required).toEqual(['electron']);
    expect(Object.keys(p.exposed)).toEqual(['concord']);
    expect(p.sent).toEqual([[IPC.connect]]);
    expect([...p.listeners.keys()].sort()).toEqual([IPC.notice, IPC.port].sort());
    const concord = p.exposed.concord as ConcordBridge;
    expect(Object.keys(concord).sort()).toEqual([
      'getPathForFile',
      'invoke',
      'onEvent',
      'pickFiles',
      'pickWorkspace',
    ]);

    // A worker on the other end of a real MessageChannel.
    const { port1, port2 } = new MessageChannel();
    const received: RequestMessage[] = [];
    port2.on('message', (m: RequestMessage) => {
      received.push(m);
      port2.postMessage({ type: 'response', id: m.id, ok: true, result: { echo: m.method } });
    });
    const events: unknown[] = [];
    concord.onEvent((e) => events.push(e));

    const early = concord.invoke('jobs.list', {}); // before the port: queued
    p.listeners.get(IPC.port)!({ ports: [port1] });
    await expect(early).resolves.toMatchObject({ echo: 'jobs.list' });

    await expect(concord.invoke('shell.exec', { cmd: 'rm -rf /' })).rejects.toMatchObject({
      code: 'BAD_INPUT',
    });
    await expect(concord.invoke('workspace.open', { path: 1 })).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(concord.invoke('workspace.open', { path: '/w/a.concord' })).resolves.toMatchObject({
      echo: 'workspace.open',
    });
    expect(received.map((m) => m.method)).toEqual(['jobs.list', 'workspace.open']);

    // Notices from main: only well-formed ones reach the page.
    p.listeners.get(IPC.notice)!(
      {},
      { type: 'event', event: 'notice', level: 'error', message: 'restarted' },
    );
    p.listeners.get(IPC.notice)!(
      {},
      { type: 'event', event: 'notice', level: 'error', message: 'x', extra: '<img onerror>' },
    );
    expect(events).toEqual([{ type: 'event', event: 'notice', level: 'error', message: 'restarted' }]);

    await expect(concord.pickFiles()).resolves.toEqual(['/exports/shop.csv']);
    await expect(concord.pickWorkspace('create')).resolves.toBe('/w/new.concord');
    expect(p.invoked).toEqual([[IPC.pickFiles], [IPC.pickWorkspace, 'create']]);
    expect(concord.getPathForFile({ name: 'feed.xml' })).toBe('/dropped/feed.xml');

    port1.close();
    port2.close();
  });
});
