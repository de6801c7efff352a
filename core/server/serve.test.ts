import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useSuiteTempDir } from '../test-support/tmp.js';
import type { JobEventMessage, JobState, NoticeEventMessage } from '../api/contract.js';
import { uploadsDir } from '../app/uploads.js';
import { httpRequest } from '../test-support/http.js';
import { shopifyCsv, writeShopifyCsv } from '../test-support/shopifyCsv.js';
import { ApiSocket } from './wsClient.js';

const BIN = fileURLToPath(new URL('../../bin/concord.js', import.meta.url));
const UPLOAD_LIMIT = 64 * 1024 * 1024;

/** `concord serve` as a user starts it (vitest's global setup compiled dist/ first). */
class ServeProcess {
  stdout = '';
  stderr = '';
  private constructor(readonly child: ChildProcess) {
    child.stdout!.on('data', (d: Buffer) => (this.stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
  }

  static async start(workspace: string, ...args: string[]): Promise<ServeProcess & { url: URL }> {
    const child = spawn(process.execPath, [BIN, 'serve', workspace, '--port', '0', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const serve = new ServeProcess(child);
    await serve.until(() => serve.stdout.includes('\n'), 30_000);
    return Object.assign(serve, { url: new URL(serve.stdout.trim().replace(/^Concord listening on /, '')) });
  }

  /** Pids of the worker processes the server started, in order (from its stderr log). */
  workerPids(): number[] {
    return [...this.stderr.matchAll(/worker process (\d+) started/g)].map((m) => Number(m[1]));
  }

  async until(test: () => boolean, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!test()) {
      if (this.child.exitCode !== null)
        throw new Error(`concord serve exited (${this.child.exitCode}): ${this.stderr}`);
      if (Date.now() > deadline) throw new Error(`timed out; stderr so far:\n${this.stderr}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const isJob = (jobId: string, status?: JobState['status']) => (e: { event: string }) =>
  e.event === 'job' &&
  (e as JobEventMessage).job.id === jobId &&
  (status === undefined || (e as JobEventMessage).job.status === status);

describe('concord serve (real server, worker process, WebSocket and uploads)', () => {
  const dir = useSuiteTempDir('concord-serve-');
  let ws: string;
  let serve: Awaited<ReturnType<typeof ServeProcess.start>>;
  let port: number;
  let token: string;
  let api: ApiSocket;

  beforeAll(async () => {
    ws = join(dir(), 'shop.concord');
    serve = await ServeProcess.start(ws, '--max-upload-bytes', String(UPLOAD_LIMIT));
    port = Number(serve.url.port);
    token = serve.url.searchParams.get('token')!;
    api = await ApiSocket.connect(`ws://127.0.0.1:${port}/api/ws?token=${token}`);
  });

  afterAll(async () => {
    api?.close();
    if (serve && serve.child.exitCode === null) {
      serve.child.kill('SIGKILL');
      await once(serve.child, 'exit');
    }
  });

  const uploadFile = async (name: string, body: Buffer | Readable) => {
    const r = await httpRequest(port, `/api/upload?name=${encodeURIComponent(name)}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}` },
      body,
    });
    return { status: r.status, body: JSON.parse(r.body) as { uploadId: string; name: string; size: number } };
  };

  /** The files an upload left in the uploads folder (its data and its name). */
  const uploadFiles = (uploadId: string) => readdirSync(uploadsDir(ws)).filter((f) => f.startsWith(uploadId));

  it('creates the workspace and prints exactly one line: the URL with a fresh token', () => {
    expect(serve.stdout).toMatch(/^Concord listening on http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{64}\n$/);
    expect(serve.stderr).toContain(`created workspace ${ws}`);
    expect(existsSync(ws)).toBe(true);
  });

  it('guards every request: token (401), Host and Origin (403), strict CSP', async () => {
    expect((await httpRequest(port, '/')).status).toBe(401);
    expect((await httpRequest(port, '/?token=nope')).status).toBe(401);
    expect(
      (await httpRequest(port, `/?token=${token}`, { headers: { Host: 'attacker.example' } })).status,
    ).toBe(403);
    expect(
      (await httpRequest(port, `/?token=${token}`, { headers: { Origin: 'http://attacker.example' } }))
        .status,
    ).toBe(403);
    const page = await httpRequest(port, `/?token=${token}`);
    expect([200, 503]).toContain(page.status); // 503 when the renderer is not built
    expect(page.headers['content-security-policy']).toMatch(
      new RegExp(`^default-src 'self'; script-src 'self';.*connect-src 'self' ws://127\\.0\\.0\\.1:${port};`),
    );
    expect(page.headers['set-cookie']?.[0]).toMatch(
      new RegExp(`^concord_token_${port}=[0-9a-f]{64}; HttpOnly; SameSite=Strict; Path=/$`),
    );
  });

  it('answers app.info and sources.list over the WebSocket', async () => {
    expect(await api.call('app.info', {})).toMatchObject({ mode: 'web', version: expect.any(String) });
    expect(await api.call('sources.list', {})).toEqual([]);
    expect(await api.call('workspace.current', {})).toMatchObject({ path: ws, name: 'shop' });
  });

  it('imports an uploaded Shopify CSV as a job that every socket hears about, under its original name', async () => {
    const other = await ApiSocket.connect(`ws://127.0.0.1:${port}/api/ws`, {
      Authorization: `Bearer ${token}`,
    });
    const up = await uploadFile('shopify-products.csv', Buffer.from(shopifyCsv(25)));
    expect(up).toMatchObject({
      status: 200,
      body: { name: 'shopify-products.csv', size: Buffer.byteLength(shopifyCsv(25)) },
    });

    const preview = await api.call('import.preview', { file: { uploadId: up.body.uploadId }, rows: 2 });
    expect(preview).toMatchObject({
      file: 'shopify-products.csv',
      format: 'shopify',
      rows: [{ line: 2 }, { line: 3 }],
    });

    const { jobId } = await api.call('import.start', {
      file: { uploadId: up.body.uploadId },
      channel: 'shopify',
    });
    const done = (await api.waitForEvent(isJob(jobId, 'done'))) as JobEventMessage;
    expect(done.job).toMatchObject({
      kind: 'import',
      status: 'done',
      result: { rows: 25, records: 25, file: 'shopify-products.csv' },
    });
    await other.waitForEvent(isJob(jobId, 'done'));
    other.close();

    expect(await api.call('sources.list', {})).toMatchObject([
      { channel: 'shopify', format: 'shopify', file: 'shopify-products.csv', rows: 25, records: 25 },
    ]);
    expect(uploadFiles(up.body.uploadId)).toEqual([]);
  });

  it('deletes an upload whose import failed too', async () => {
    const up = await uploadFile('same-again.csv', Buffer.from(shopifyCsv(25)));
    expect(uploadFiles(up.body.uploadId)).toHaveLength(2);
    const { jobId } = await api.call('import.start', {
      file: { uploadId: up.body.uploadId },
      channel: 'shopify',
    });
    const failed = (await api.waitForEvent(isJob(jobId, 'failed'))) as JobEventMessage;
    expect(failed.job.error).toMatchObject({ code: 'CONFLICT' });
    expect(uploadFiles(up.body.uploadId)).toEqual([]);
  });

  it('refuses an upload over the limit with 413 and keeps no partial file', async () => {
    const before = readdirSync(uploadsDir(ws)).sort();
    const chunk = Buffer.alloc(1024 * 1024, 0x61);
    const tooBig = Readable.from(
      (function* () {
        for (let i = 0; i < UPLOAD_LIMIT / chunk.length + 1; i++) yield chunk;
      })(),
    );
    const r = await httpRequest(port, '/api/upload?name=huge.csv', {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}` },
      body: tooBig,
    });
    expect(r.status).toBe(413);
    expect(JSON.parse(r.body)).toMatchObject({
      error: { message: 'the file is larger than the upload limit of 64 MiB' },
    });
    expect(readdirSync(uploadsDir(ws)).sort()).toEqual(before);
  });

  it('survives the worker being killed mid-import: the job fails clearly, clients are told, nothing half-imported remains', async () => {
    const big = join(dir(), 'big-export.csv');
    await writeShopifyCsv(big, 300_000);
    const up = await uploadFile('big-export.csv', createReadStream(big));
    expect(up.status).toBe(200);
    const [firstWorker] = serve.workerPids();
    expect(alive(firstWorker)).toBe(true);

    const { jobId } = await api.call('import.start', {
      file: { uploadId: up.body.uploadId },
      channel: 'big',
    });
    await api.waitForEvent(
      (e) =>
        isJob(jobId, 'running')(e) &&
        (e as JobEventMessage).job.progress.phase === 'import' &&
        (e as JobEventMessage).job.progress.done > 0,
    );
    process.kill(firstWorker, 'SIGKILL');

    const failed = (await api.waitForEvent(isJob(jobId, 'failed'))) as JobEventMessage;
    expect(failed.job.error).toMatchObject({
      code: 'INTERNAL',
      message: 'the worker process stopped unexpectedly (signal SIGKILL); the import was rolled back',
    });
    expect(failed.job.finishedAt).not.toBeNull();
    const notice = (await api.waitForEvent(
      (e) => e.event === 'notice' && (e as NoticeEventMessage).level === 'error',
    )) as NoticeEventMessage;
    expect(notice.message).toMatch(
      /^The worker process stopped unexpectedly \(signal SIGKILL\) and is being restarted\. 1 running job was marked failed/,
    );

    // The server keeps serving on a new worker, on the same workspace, without the half-done import.
    const sources = await api.call('sources.list', {});
    expect(sources.map((s) => s.file)).toEqual(['shopify-products.csv']);
    expect(serve.workerPids()).toHaveLength(2);
    expect(serve.workerPids()[1]).not.toBe(firstWorker);
    expect(await api.call('jobs.list', {})).toContainEqual(
      expect.objectContaining({ id: jobId, status: 'failed' }),
    );
    await api.waitForEvent((e) => e.event === 'notice' && (e as NoticeEventMessage).level === 'info');

    const again = await uploadFile(
      'again.csv',
      Buffer.from(shopifyCsv(3).replaceAll('tee-', 'mug-').replaceAll('TEE-', 'MUG-')),
    );
    const retry = await api.call('import.start', { file: { uploadId: again.body.uploadId }, channel: 'big' });
    expect(
      ((await api.waitForEvent(isJob(retry.jobId, 'done'))) as JobEventMessage).job.result,
    ).toMatchObject({ rows: 3 });
  });

  it('shuts down cleanly on SIGTERM, stopping its worker, and leaves an intact workspace and no uploads', async () => {
    const worker = serve.workerPids().at(-1)!;
    const unused = await uploadFile('never-imported.csv', Buffer.from(shopifyCsv(2)));
    expect(uploadFiles(unused.body.uploadId)).toHaveLength(2);
    // The export the killed worker was importing is still there: its job never got to delete it.
    expect(readdirSync(uploadsDir(ws)).length).toBeGreaterThan(2);
    serve.child.kill('SIGTERM');
    const [code] = (await once(serve.child, 'exit')) as [number | null];
    expect(code).toBe(0);
    expect(alive(worker)).toBe(false);

    const db = new Database(ws, { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.prepare('SELECT file_name FROM sources ORDER BY id').pluck().all()).toEqual([
        'shopify-products.csv',
        'again.csv',
      ]);
      expect(db.prepare('SELECT count(*) FROM records').pluck().get()).toBe(28);
    } finally {
      db.close();
    }
    expect(readdirSync(uploadsDir(ws))).toEqual([]);
  });
});
