// The preload's invoke logic: contract check before posting, responses by id, events, port replacement.
import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it, vi } from 'vitest';
import type { RequestMessage } from '../core/api/contract.js';
import { IPC } from './ipc.js';
import { acceptNotice, checkInvocation, ConcordClient, createBridge, type Transport } from './preloadApi.js';

function fakeTransport() {
  const sent: RequestMessage[] = [];
  const transport: Transport & { closed: boolean } = {
    closed: false,
    post: (m) => void sent.push(m),
    close() {
      this.closed = true;
    },
  };
  return { transport, sent };
}

describe('checkInvocation', () => {
  it('rejects an unknown method', () => {
    const r = checkInvocation('fs.readFile', { path: '/etc/passwd' });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('BAD_INPUT');
      expect(r.error.message).toMatch(/Unknown API method/);
    }
    expect(checkInvocation('__proto__', {}).ok).toBe(false);
    expect(checkInvocation('constructor', {}).ok).toBe(false);
    expect(checkInvocation(42, {}).ok).toBe(false);
  });

  it('rejects params the method schema refuses, with the issues', () => {
    const r = checkInvocation('workspace.open', { path: '' });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('BAD_INPUT');
      expect(r.error.details.issues).toEqual([expect.objectContaining({ path: 'path' })]);
    }
    expect(checkInvocation('workspace.open', { path: '/a.concord', extra: 1 }).ok).toBe(false); // strict
    expect(checkInvocation('sources.warnings', { sourceId: 1.5 }).ok).toBe(false);
    expect(checkInvocation('import.start', { file: { path: '/a.csv' } }).ok).toBe(false); // channel missing
    expect(checkInvocation('app.info', { x: 1 }).ok).toBe(false);
  });

  it('accepts valid params, and no params for methods without any', () => {
    expect(checkInvocation('workspace.open', { path: '/a.concord' })).toEqual({
      ok: true,
      method: 'workspace.open',
      params: { path: '/a.concord' },
    });
    expect(checkInvocation('app.info', undefined)).toEqual({ ok: true, method: 'app.info', params: {} });
    expect(
      checkInvocation('import.start', { file: { uploadId: 'a'.repeat(32) }, channel: 'shopify' }).ok,
    ).toBe(true);
  });
});

describe('ConcordClient', () => {
  it('never posts an invalid request', async () => {
    const client = new ConcordClient();
    const { transport, sent } = fakeTransport();
    client.attach(transport);
    await expect(client.invoke('nope', {})).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(client.invoke('workspace.open', {})).rejects.toMatchObject({ code: 'BAD_INPUT' });
    expect(sent).toEqual([]);
  });

  it('resolves and rejects responses by id, in any order', async () => {
    const client = new ConcordClient();
    const { transport, sent } = fakeTransport();
    client.attach(transport);
    const a = client.invoke('jobs.list', {});
    const b = client.invoke('workspace.open', { path: '/x.concord' });
    expect(sent.map((m) => m.method)).toEqual(['jobs.list', 'workspace.open']);
    const [ida, idb] = sent.map((m) => m.id);
    expect(ida).not.toBe(idb);
    client.receive({
      type: 'response',
      id: idb,
      ok: false,
      error: { code: 'NOT_FOUND', message: 'no such file', details: {} },
    });
    client.receive({ type: 'response', id: ida, ok: true, result: [] });
    await expect(a).resolves.toEqual([]);
    await expect(b).rejects.toEqual({ code: 'NOT_FOUND', message: 'no such file', details: {} });
    expect(client.pendingCount).toBe(0);
  });

  it('ignores malformed and unknown-id messages', async () => {
    const onProtocolError = vi.fn();
    const client = new ConcordClient({ onProtocolError });
    const { transport, sent } = fakeTransport();
    client.attach(transport);
    const p = client.invoke('jobs.list', {});
    client.receive('garbage');
    client.receive({ type: 'response', id: 9999, ok: true, result: 1 });
    client.receive({ type: 'response', id: sent[0].id, ok: false, error: { code: 'WAT', message: 'x' } });
    expect(client.pendingCount).toBe(1);
    client.receive({ type: 'response', id: sent[0].id, ok: true, result: ['done'] });
    await expect(p).resolves.toEqual(['done']);
    expect(onProtocolError).toHaveBeenCalled();
  });

  it('queues requests until the port arrives', async () => {
    const client = new ConcordClient();
    const p = client.invoke('app.info', {});
    const { transport, sent } = fakeTransport();
    expect(client.connected).toBe(false);
    client.attach(transport);
    expect(sent).toHaveLength(1);
    client.receive({ type: 'response', id: sent[0].id, ok: true, result: { ok: 1 } });
    await expect(p).resolves.toEqual({ ok: 1 });
  });

  it('rejects requests in flight when the port is replaced (worker restarted) and uses the new port', async () => {
    const client = new ConcordClient();
    const first = fakeTransport();
    client.attach(first.transport);
    const lost = client.invoke('jobs.list', {});
    const second = fakeTransport();
    client.attach(second.transport);
    await expect(lost).rejects.toMatchObject({
      code: 'INTERNAL',
      message: expect.stringMatching(/restarted/),
    });
    expect(first.transport.closed).toBe(true);
    const next = client.invoke('jobs.list', {});
    expect(second.sent).toHaveLength(1);
    client.receive({ type: 'response', id: second.sent[0].id, ok: true, result: [] });
    await expect(next).resolves.toEqual([]);
  });

  it('fails a call whose params cannot be posted, not the others', async () => {
    const client = new ConcordClient();
    client.attach({
      post: () => {
        throw new Error('could not be cloned');
      },
      close: () => {},
    });
    await expect(client.invoke('jobs.list', {})).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringMatching(/cloned/),
    });
    expect(client.pendingCount).toBe(0);
  });

  it('times out when asked to', async () => {
    vi.useFakeTimers();
    try {
      const client = new ConcordClient({ timeoutMs: 1000 });
      client.attach(fakeTransport().transport);
      const p = client.invoke('jobs.list', {});
      vi.advanceTimersByTime(1001);
      await expect(p).rejects.toMatchObject({
        code: 'INTERNAL',
        message: expect.stringMatching(/did not answer/),
      });
    } finally {
      vi.useRealTimers();
    }
  });

  it('delivers events to subscribers, replays early ones to the first, and unsubscribes', async () => {
    const client = new ConcordClient();
    client.attach(fakeTransport().transport);
    client.receive({ type: 'event', event: 'notice', level: 'info', message: 'early' });
    const seen: unknown[] = [];
    const off = client.onEvent((e) => seen.push(e));
    await Promise.resolve();
    client.receive({ type: 'event', event: 'job', job: { id: 'j1' } });
    expect(seen).toEqual([
      { type: 'event', event: 'notice', level: 'info', message: 'early' },
      { type: 'event', event: 'job', job: { id: 'j1' } },
    ]);
    off();
    client.onEvent(() => {
      throw new Error('a broken listener');
    });
    client.receive({ type: 'event', event: 'job', job: { id: 'j2' } });
    expect(seen).toHaveLength(2);
  });

  it('works over a real MessageChannel', async () => {
    const { port1, port2 } = new MessageChannel();
    // port2 plays the worker: answers every request with its method name.
    port2.on('message', (m: RequestMessage) => {
      port2.postMessage({ type: 'response', id: m.id, ok: true, result: { method: m.method } });
      port2.postMessage({ type: 'event', event: 'notice', level: 'info', message: `did ${m.method}` });
    });
    const client = new ConcordClient();
    port1.on('message', (data: unknown) => client.receive(data));
    client.attach({ post: (m) => port1.postMessage(m), close: () => port1.close() });
    const events: unknown[] = [];
    client.onEvent((e) => events.push(e));
    await expect(client.invoke('sources.list', {})).resolves.toEqual({ method: 'sources.list' });
    await new Promise((r) => setTimeout(r, 20));
    expect(events).toEqual([{ type: 'event', event: 'notice', level: 'info', message: 'did sources.list' }]);
    port1.close();
    port2.close();
  });
});

describe('createBridge', () => {
  it('exposes exactly the typed API, frozen', () => {
    const bridge = createBridge({
      client: new ConcordClient(),
      invokeMain: async () => [],
      pathForFile: () => '/x',
    });
    expect(Object.keys(bridge).sort()).toEqual([
      'getPathForFile',
      'invoke',
      'onEvent',
      'pickFiles',
      'pickWorkspace',
    ]);
    expect(Object.isFrozen(bridge)).toBe(true);
    for (const v of Object.values(bridge)) expect(typeof v).toBe('function');
  });

  it('asks main for dialogs on the fixed channels and checks both directions', async () => {
    const invokeMain = vi.fn(async (channel: string, ...args: unknown[]) =>
      channel === IPC.pickFiles ? ['/a.csv'] : args[0] === 'open' ? '/w.concord' : 42,
    );
    const bridge = createBridge({ client: new ConcordClient(), invokeMain, pathForFile: () => '/x' });
    await expect(bridge.pickFiles()).resolves.toEqual(['/a.csv']);
    await expect(bridge.pickWorkspace('open')).resolves.toBe('/w.concord');
    await expect(bridge.pickWorkspace('create')).rejects.toThrow(); // main answered 42: refused
    await expect(bridge.pickWorkspace('rm -rf' as 'open')).rejects.toMatchObject({ code: 'BAD_INPUT' });
    expect(invokeMain.mock.calls).toEqual([
      [IPC.pickFiles],
      [IPC.pickWorkspace, 'open'],
      [IPC.pickWorkspace, 'create'],
    ]);
  });

  it('invoke validates before anything is posted', async () => {
    const client = new ConcordClient();
    const { transport, sent } = fakeTransport();
    client.attach(transport);
    const bridge = createBridge({ client, invokeMain: async () => null, pathForFile: () => '' });
    await expect(bridge.invoke('workspace.open', { path: 7 })).rejects.toMatchObject({ code: 'BAD_INPUT' });
    expect(sent).toEqual([]);
    expect(() => bridge.onEvent('not a function' as unknown as () => void)).toThrow(TypeError);
  });
});

describe('acceptNotice', () => {
  it('passes well-formed notices only', () => {
    expect(acceptNotice({ type: 'event', event: 'notice', level: 'error', message: 'x' })).toEqual({
      type: 'event',
      event: 'notice',
      level: 'error',
      message: 'x',
    });
    expect(acceptNotice({ type: 'event', event: 'notice', level: 'fatal', message: 'x' })).toBeNull();
    expect(
      acceptNotice({ type: 'event', event: 'notice', level: 'info', message: 'x', html: '<b>' }),
    ).toBeNull();
    expect(acceptNotice('x')).toBeNull();
  });
});
