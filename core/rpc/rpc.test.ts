// The channel client and server over real transports: an in-memory MessageChannel (node:worker_threads) and Node
// child-process IPC to the real worker (dist/core/worker/main.js, built by vitest's global setup).
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventMessage, RequestMessage } from '../api/contract.js';
import { ChannelClient, RpcError, type ChannelClientOptions } from './client.js';
import { ChannelServer, type RequestHandler } from './server.js';
import { messagePortTransport, processTransport } from './transport.js';

const WORKER = fileURLToPath(new URL('../../dist/core/worker/main.js', import.meta.url));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const JOB: EventMessage = {
  type: 'event',
  event: 'job',
  job: {
    id: 'j1',
    kind: 'import',
    title: 'Import a.csv',
    status: 'running',
    progress: { done: 1, total: 2, phase: 'import', message: '' },
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: null,
  },
};

/** A server on one end of a real MessageChannel, a client on the other. */
function overMessageChannel(handler: RequestHandler, options: ChannelClientOptions<EventMessage> = {}) {
  const ports: MessagePort[] = [];
  const server = new ChannelServer(handler);
  const client = new ChannelClient(options);
  const link = () => {
    const { port1, port2 } = new MessageChannel();
    ports.push(port1, port2);
    server.connect(messagePortTransport(port2));
    return port1;
  };
  client.connect(messagePortTransport(link()));
  return {
    server,
    client,
    /** Another client of the same server. */
    other() {
      const c = new ChannelClient(options);
      c.connect(messagePortTransport(link()));
      return c;
    },
    ports,
    close: () => ports.forEach((p) => p.close()),
  };
}

describe('channel over a MessageChannel', () => {
  it('matches responses to requests by id, in any order', async () => {
    const { client, close } = overMessageChannel(async (req) => {
      await sleep(req.method === 'jobs.list' ? 30 : 1);
      return { ok: true, result: { method: req.method, params: req.params } };
    });
    const slow = client.invoke('jobs.list', {});
    const fast = client.invoke('sources.list', { x: 1 });
    await expect(fast).resolves.toEqual({ method: 'sources.list', params: { x: 1 } });
    await expect(slow).resolves.toEqual({ method: 'jobs.list', params: {} });
    expect(client.pendingCount).toBe(0);
    close();
  });

  it('rejects with a typed error carrying code, message and details', async () => {
    const { client, close } = overMessageChannel(async () => ({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'no such source', details: { sourceId: 9 } },
    }));
    const err = await client.invoke('sources.warnings', { sourceId: 9 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RpcError);
    expect(err).toMatchObject({ code: 'NOT_FOUND', message: 'no such source', details: { sourceId: 9 } });
    expect((err as RpcError).toJSON()).toEqual({
      code: 'NOT_FOUND',
      message: 'no such source',
      details: { sourceId: 9 },
    });
    close();
  });

  it('checks typed calls: params before posting, results after', async () => {
    const seen: RequestMessage[] = [];
    const { client, close } = overMessageChannel(
      async (req) => {
        seen.push(req);
        return { ok: true, result: req.method === 'workspace.current' ? { not: 'a workspace' } : [] };
      },
      { checkRequests: true },
    );
    await expect(client.invoke('workspace.open', { path: 7 })).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(client.call('jobs.list', {})).resolves.toEqual([]);
    await expect(client.call('workspace.current', {})).rejects.toMatchObject({
      code: 'INTERNAL',
      message: expect.stringMatching(/unexpected result/),
    });
    expect(seen.map((r) => r.method)).toEqual(['jobs.list', 'workspace.current']);
    close();
  });

  it('answers broken messages with BAD_INPUT and keeps serving', async () => {
    const { ports, client, close } = overMessageChannel(async () => ({ ok: true, result: 'fine' }));
    const replies: unknown[] = [];
    ports[0].on('message', (m) => replies.push(m));
    ports[0].postMessage({ type: 'request', id: 4, params: {} });
    await sleep(20);
    expect(replies[0]).toMatchObject({
      type: 'response',
      id: 4,
      ok: false,
      error: { code: 'BAD_INPUT', message: expect.stringMatching(/^not a request message: method/) },
    });
    await expect(client.invoke('app.info', {})).resolves.toBe('fine');
    close();
  });

  it('pushes events to every connection, checked against the contract', async () => {
    const { server, client, other, ports, close } = overMessageChannel(async () => ({ ok: true, result: 1 }));
    const second = other();
    const a: EventMessage[] = [];
    const b: EventMessage[] = [];
    client.onEvent((e) => a.push(e));
    second.onEvent((e) => b.push(e));
    server.broadcast(JOB);
    // A malformed event from the other end never reaches a subscriber.
    ports[1].postMessage({ type: 'event', event: 'job', job: { id: 'j2' } });
    ports[1].postMessage({ type: 'event', event: 'notice', level: 'fatal', message: 'x' });
    server.broadcast({ type: 'event', event: 'notice', level: 'info', message: 'done' });
    await sleep(30);
    expect(a).toEqual([JOB, { type: 'event', event: 'notice', level: 'info', message: 'done' }]);
    expect(b).toEqual(a);
    close();
  });

  it('cancels a call: it rejects with CANCELLED, the handler sees the abort, the late answer is dropped', async () => {
    let aborted = false;
    const { client, ports, close } = overMessageChannel(async (_req, signal) => {
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
      aborted = true;
      return { ok: true, result: 'too late' };
    });
    const replies: unknown[] = [];
    ports[0].on('message', (m) => replies.push(m));
    const controller = new AbortController();
    const call = client.invoke('align.start', {}, { signal: controller.signal });
    await sleep(10);
    controller.abort();
    await expect(call).rejects.toMatchObject({ code: 'CANCELLED' });
    await sleep(20);
    expect(aborted).toBe(true);
    expect(replies).toEqual([]);
    expect(client.pendingCount).toBe(0);
    close();
  });

  it('times out when asked to', async () => {
    const { client, close } = overMessageChannel(() => new Promise(() => {}), { timeoutMs: 30 });
    await expect(client.invoke('jobs.list', {})).rejects.toMatchObject({
      code: 'INTERNAL',
      message: expect.stringMatching(/did not answer jobs.list within 30 ms/),
    });
    close();
  });

  it('fails calls in flight when the connection closes, and sends waiting ones on the next', async () => {
    const server = new ChannelServer(async (req) => {
      if (req.method === 'hang') return new Promise(() => {});
      return { ok: true, result: req.method };
    });
    const client = new ChannelClient();
    const first = new MessageChannel();
    server.connect(messagePortTransport(first.port2));
    client.connect(messagePortTransport(first.port1), (m) => `lost ${m}`);
    const lost = client.invoke('hang', {});
    await sleep(10);
    first.port2.close(); // the other end goes away
    await expect(lost).rejects.toMatchObject({ code: 'INTERNAL', message: 'lost hang' });
    expect(client.connected).toBe(false);
    const waiting = client.invoke('app.info', {});
    const second = new MessageChannel();
    server.connect(messagePortTransport(second.port2));
    client.connect(messagePortTransport(second.port1));
    await expect(waiting).resolves.toBe('app.info');
    second.port1.close();
  });
});

describe('channel over child-process IPC (the real worker)', () => {
  let child: ChildProcess | null = null;
  afterEach(() => {
    child?.kill('SIGKILL');
    child = null;
  });

  it('calls the worker, gets typed errors, and fails calls in flight when it dies', async () => {
    child = fork(WORKER, ['--mode', 'test'], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      execArgv: [],
    });
    await once(child, 'message'); // worker-ready: it listens now
    const client = new ChannelClient();
    client.connect(processTransport(child), (m) => `the worker exited before answering ${m}`);
    await expect(client.call('app.info', {})).resolves.toMatchObject({ mode: 'test' });
    await expect(client.invoke('no.such.method', {})).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringMatching(/^unknown method "no.such.method"/),
    });
    await expect(client.call('workspace.current', {})).resolves.toBeNull();

    const controller = new AbortController();
    const cancelled = client.invoke('jobs.list', {}, { signal: controller.signal });
    controller.abort();
    await expect(cancelled).rejects.toBeInstanceOf(RpcError);
    await expect(client.call('jobs.list', {})).resolves.toEqual([]);

    child.kill('SIGKILL');
    const pending = client.invoke('app.info', {});
    await expect(pending).rejects.toMatchObject({
      code: 'INTERNAL',
      message: 'the worker exited before answering app.info',
    });
  });
});
