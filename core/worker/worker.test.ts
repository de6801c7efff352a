import { fork, type ChildProcess } from 'node:child_process';
import { EventEmitter, once } from 'node:events';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { JobEventMessage, ServerMessage } from '../api/contract.js';
import { openWorkspace } from '../store/workspace.js';
import { shopifyCsv } from '../test-support/shopifyCsv.js';
import { useTempDir, writeTemp } from '../test-support/tmp.js';
import { electronLink, type ParentPortLike, type PortLike } from './links.js';
import { startWorkerService } from './service.js';
import { isWorkerReady, type WorkerReadyMessage } from './transport.js';

/** The compiled worker (vitest's global setup builds dist/). */
const WORKER = fileURLToPath(new URL('../../dist/core/worker/main.js', import.meta.url));

/** A stand-in for Electron's MessagePortMain: what the worker posts is recorded, `deliver` is the renderer sending. */
class FakePort extends EventEmitter implements PortLike {
  readonly received: ServerMessage[] = [];
  started = false;
  postMessage(message: unknown): void {
    this.received.push(message as ServerMessage);
  }
  start(): void {
    this.started = true;
  }
  deliver(data: unknown): void {
    this.emit('message', { data });
  }
}

/** A stand-in for `process.parentPort` in an Electron utility process. */
class FakeParentPort extends EventEmitter implements ParentPortLike {
  readonly received: unknown[] = [];
  postMessage(message: unknown): void {
    this.received.push(message);
  }
  connect(port: FakePort): void {
    this.emit('message', { data: { type: 'connect' }, ports: [port] });
  }
  deliver(data: unknown): void {
    this.emit('message', { data, ports: [] });
  }
}

/** A client's request as the worker reads it. */
function request(id: number, method: string, params: unknown = {}) {
  return { type: 'request', id, method, params };
}

/** The request importing a Shopify CSV. */
function importShopify(id: number, path: string) {
  return request(id, 'import.start', { file: { path }, channel: 'shopify' });
}

/** The first message a child sends; rejects if it exits first (so a broken build fails fast instead of hanging). */
function firstMessage(child: ChildProcess): Promise<unknown> {
  return new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code, signal) =>
      reject(new Error(`the worker exited (${signal ?? `code ${code}`}) before sending anything`)),
    );
  });
}

async function until<T>(get: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = get();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('worker over child-process IPC', () => {
  const tmp = useTempDir();
  let child: ChildProcess | null = null;
  afterEach(() => {
    child?.kill('SIGKILL');
    child = null;
  });

  it('announces itself, answers requests by id and pushes job events', async () => {
    const ws = join(tmp(), 'w.concord');
    openWorkspace(ws, { create: true }).close();
    const messages: unknown[] = [];
    child = fork(WORKER, ['--workspace', ws, '--mode', 'test'], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      execArgv: [],
    });
    child.on('message', (m) => messages.push(m));
    const ready = await until(() => messages.find(isWorkerReady) as WorkerReadyMessage | undefined);
    expect(ready).toMatchObject({ type: 'worker-ready', pid: child.pid, workspace: ws });

    const responseTo = (id: number) =>
      until(
        () =>
          messages.find(
            (m) => (m as ServerMessage).type === 'response' && (m as { id: number }).id === id,
          ) as ServerMessage | undefined,
      );
    child.send(request(1, 'app.info'));
    child.send(request(2, 'no.such.method'));
    expect(await responseTo(1)).toMatchObject({ ok: true, result: { mode: 'test' } });
    expect(await responseTo(2)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });

    const csv = writeTemp(tmp(), 'shop.csv', shopifyCsv(10));
    child.send(importShopify(3, csv));
    const { result } = (await responseTo(3)) as { result: { jobId: string } };
    const done = await until(
      () =>
        messages.find(
          (m) =>
            (m as JobEventMessage).event === 'job' &&
            (m as JobEventMessage).job.id === result.jobId &&
            (m as JobEventMessage).job.status === 'done',
        ) as JobEventMessage | undefined,
    );
    expect(done.job.result).toMatchObject({ rows: 10, file: 'shop.csv' });
    child.send(request(4, 'sources.list'));
    expect(await responseTo(4)).toMatchObject({ ok: true, result: [{ file: 'shop.csv', rows: 10 }] });
  });

  it('exits when its parent goes away', async () => {
    child = fork(WORKER, ['--mode', 'test'], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      execArgv: [],
    });
    const ready = await firstMessage(child);
    expect(ready).toMatchObject({ type: 'worker-ready', workspace: null });
    const exited = once(child, 'exit');
    child.disconnect();
    expect(await exited).toEqual([0, null]);
  });
});

describe('worker over Electron MessagePorts', () => {
  const tmp = useTempDir();

  it('answers each renderer on its own port, sends events to every port and to main', async () => {
    const ws = join(tmp(), 'w.concord');
    openWorkspace(ws, { create: true }).close();
    const main = new FakeParentPort();
    const ctx = startWorkerService(electronLink(main), { mode: 'electron', workspace: ws });
    expect(main.received).toContainEqual(expect.objectContaining({ type: 'worker-ready', workspace: ws }));
    const a = new FakePort();
    const b = new FakePort();
    main.connect(a);
    main.connect(b);
    expect(a.started && b.started).toBe(true);

    a.deliver(request(1, 'workspace.current'));
    await until(() => a.received.find((m) => m.type === 'response'));
    expect(a.received).toEqual([
      { type: 'response', id: 1, ok: true, result: expect.objectContaining({ path: ws }) },
    ]);
    expect(b.received).toEqual([]);

    const csv = writeTemp(tmp(), 'shop.csv', shopifyCsv(5));
    b.deliver(importShopify(1, csv));
    const started = await until(() => b.received.find((m) => m.type === 'response'));
    const jobId = (started as { result: { jobId: string } }).result.jobId;
    await ctx.jobs.wait(jobId);
    const isDone = (m: unknown) =>
      (m as JobEventMessage).event === 'job' && (m as JobEventMessage).job.status === 'done';
    expect(a.received.some(isDone) && b.received.some(isDone) && main.received.some(isDone)).toBe(true);
    expect(a.received.filter((m) => m.type === 'response')).toHaveLength(1); // b's answer went to b only

    b.emit('close');
    main.deliver(request(9, 'sources.list'));
    const fromMain = await until(() => main.received.find((m) => (m as ServerMessage).type === 'response'));
    expect(fromMain).toMatchObject({ id: 9, ok: true, result: [{ file: 'shop.csv' }] });
    ctx.session.close();
  });
});
