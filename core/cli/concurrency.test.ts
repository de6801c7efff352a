import Database from 'better-sqlite3';
import { copyFileSync, createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { generateStore } from '../../fixtures/generator/index.js';
import type { JobEventMessage } from '../api/contract.js';
import { alignWorkspace } from '../align/alignWorkspace.js';
import { importFile } from '../ingest/importFile.js';
import { startServer, type RunningServer } from '../server/server.js';
import { ApiSocket } from '../server/wsClient.js';
import { openWorkspace } from '../store/workspace.js';
import { concordWith, startConcord, type CliRun, type RunningCli } from '../test-support/cli.js';
import { httpRequest } from '../test-support/http.js';
import { shopifyCsv, writeShopifyCsv } from '../test-support/shopifyCsv.js';
import { writeTemp } from '../test-support/tmp.js';

/**
 * Two programs on one workspace, as real processes: a `concord import` (or the server's worker) is caught while its
 * write transaction is open and stopped there (SIGSTOP), so the second program meets a writer for certain; then it is
 * let go (SIGCONT). No timing guesses: the test waits for SQLite's write lock to be held, not for some seconds to pass.
 */

/** True while some connection holds the workspace's SQLite write lock (a write transaction is open). */
function sqliteWriteLockHeld(ws: string): boolean {
  const db = new Database(ws, { timeout: 0 });
  try {
    db.exec('BEGIN IMMEDIATE');
    db.exec('ROLLBACK');
    return false;
  } catch (err) {
    if ((err as { code?: string }).code === 'SQLITE_BUSY') return true;
    throw err;
  } finally {
    db.close();
  }
}

/** Stops process `pid` at a moment its write transaction on `ws` is open. */
async function stopWhileWriting(ws: string, pid: number, stillRunning: () => boolean): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (!stillRunning()) throw new Error(`process ${pid} finished before it was caught writing`);
    if (Date.now() > deadline) throw new Error(`process ${pid} never took the write lock`);
    if (sqliteWriteLockHeld(ws)) {
      process.kill(pid, 'SIGSTOP');
      if (sqliteWriteLockHeld(ws)) return;
      process.kill(pid, 'SIGCONT');
    }
    await delay(5);
  }
}

const NOT_INTERNAL = /internal error|SqliteError|\n\s+at /;
const CLOCK = '\\d\\d:\\d\\d:\\d\\d';
const importHolds = (program: string, pid: number) =>
  new RegExp(`an import \\(${program}, pid ${pid}, started ${CLOCK}\\)( still)? holds this workspace`);

describe('two programs on one workspace', () => {
  let dir = '';
  let base = '';
  let big = '';
  let small = '';
  let rules = '';
  let ws = '';
  let caseNo = 0;
  const stopped: number[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'concord-concurrency-'));
    // An aligned workspace (so align and gaps get as far as wanting to write), copied fresh for every case.
    const store = await generateStore({ outDir: join(dir, 'store'), products: 40, seed: 11 });
    base = join(dir, 'base.concord');
    openWorkspace(base, { create: true }).close();
    for (const c of store.channels) await importFile({ workspace: base, file: c.path, channel: c.name });
    await alignWorkspace(base);
    big = join(dir, 'big.csv');
    await writeShopifyCsv(big, 60_000);
    small = writeTemp(dir, 'small.csv', shopifyCsv(20));
    rules = writeTemp(dir, 'rules.json', '[]');
  }, 120_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  afterEach(() => {
    for (const pid of stopped.splice(0)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });

  /** A fresh copy of the aligned workspace. */
  function workspace(): string {
    ws = join(dir, `case-${++caseNo}.concord`);
    copyFileSync(base, ws);
    return ws;
  }

  const channelsOf = (run: CliRun) => (JSON.parse(run.stdout) as { channel: string }[]).map((s) => s.channel);
  const sources = () => channelsOf(concordWith({}, 'sources', ws, '--json'));

  /** A `concord import` of 60,000 rows, stopped in the middle of its transaction. */
  async function holdingImport(channel = 'big'): Promise<{ cli: RunningCli; pid: number; resume(): void }> {
    const cli = startConcord(['import', ws, big, '--channel', channel]);
    const pid = cli.child.pid!;
    stopped.push(pid);
    await stopWhileWriting(ws, pid, () => cli.child.exitCode === null);
    return { cli, pid, resume: () => process.kill(pid, 'SIGCONT') };
  }

  /** A fresh workspace held by an import, and the sources it had before. */
  async function heldWorkspace() {
    workspace();
    const before = sources();
    return { before, holder: await holdingImport() };
  }

  /** Lets the holding import go on: it ends well and adds its source. */
  async function finished(holder: { cli: RunningCli; resume(): void }, before: string[]): Promise<void> {
    holder.resume();
    expect((await holder.cli.exited).code).toBe(0);
    expect(sources()).toEqual([...before, 'big']);
  }

  it('readers read while an import writes, and see the workspace as it was before it', async () => {
    const { before, holder } = await heldWorkspace();
    const listed = concordWith({}, 'sources', ws, '--json');
    expect(listed.stderr).not.toMatch(NOT_INTERNAL);
    expect(listed.code).toBe(0);
    expect(channelsOf(listed)).toEqual(before);
    const warnings = concordWith({}, 'warnings', ws, '--json');
    expect(warnings.stderr).not.toMatch(NOT_INTERNAL);
    expect(warnings.code).toBe(0);
    await finished(holder, before);
  });

  it('a second writer asked not to wait, and an edit, refuse at once, naming the import that holds the workspace', async () => {
    const { before, holder } = await heldWorkspace();
    const noWait = { env: { CONCORD_LOCK_TIMEOUT: '0' } };
    for (const args of [
      ['import', ws, small, '--channel', 'second'],
      ['align', ws],
      ['gaps', ws],
      ['rules', ws, '--set', rules],
    ]) {
      const r = concordWith(noWait, ...args);
      expect(r.stderr, args[0]).not.toMatch(NOT_INTERNAL);
      expect(r.stderr, args[0]).toMatch(importHolds('concord import', holder.pid));
      expect(r.code, args[0]).toBe(2);
    }
    await finished(holder, before);
  });

  it('a second import waits, says for what, and runs once the first has finished', async () => {
    const { before, holder } = await heldWorkspace();
    const second = startConcord(['import', ws, small, '--channel', 'second'], {
      env: { CONCORD_LOCK_TIMEOUT: '120' },
    });
    const said = await second.stderrMatches(/waiting for/);
    expect(said).toMatch(
      new RegExp(
        `waiting for an import in progress \\(concord import, pid ${holder.pid}, started ${CLOCK}\\)`,
      ),
    );
    holder.resume();
    expect((await holder.cli.exited).code).toBe(0);
    const run = await second.exited;
    expect(run.stderr).not.toMatch(NOT_INTERNAL);
    expect(run.code).toBe(0);
    expect(sources()).toEqual([...before, 'big', 'second']);
  });

  it('the wait is bounded: after the timeout the second writer gives up with a clear message', async () => {
    workspace();
    const holder = await holdingImport();
    const r = concordWith({ env: { CONCORD_LOCK_TIMEOUT: '1' } }, 'align', ws);
    expect(r.stderr).toMatch(/waiting for an import in progress/);
    expect(r.stderr).toMatch(importHolds('concord import', holder.pid));
    expect(r.stderr).toMatch(/still .*after 1 s/);
    expect(r.stderr).not.toMatch(NOT_INTERNAL);
    expect(r.code).toBe(2);
    holder.resume();
    expect((await holder.cli.exited).code).toBe(0);
  });

  it('an import killed while it writes leaves nothing behind: no rows, no lock', async () => {
    const { before, holder } = await heldWorkspace();
    process.kill(holder.pid, 'SIGKILL');
    await holder.cli.exited;
    const r = concordWith({ env: { CONCORD_LOCK_TIMEOUT: '0' } }, 'import', ws, small, '--channel', 'after');
    expect(r.stderr).not.toMatch(NOT_INTERNAL);
    expect(r.code).toBe(0);
    expect(sources()).toEqual([...before, 'after']);
  });

  describe('the app (server and worker) and the CLI on one workspace', () => {
    let server: RunningServer;
    let api: ApiSocket;

    beforeAll(async () => {
      workspace();
      server = await startServer({ workspace: ws, port: 0, log: () => {} });
      api = await ApiSocket.connect(`ws://127.0.0.1:${server.port}/api/ws?token=${server.token}`);
    }, 60_000);

    afterAll(async () => {
      api?.close();
      await server?.close();
    });

    const upload = async (name: string, body: Buffer | ReturnType<typeof createReadStream>) => {
      const r = await httpRequest(server.port, `/api/upload?name=${encodeURIComponent(name)}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${server.token}` },
        body,
      });
      expect(r.status).toBe(200);
      return (JSON.parse(r.body) as { uploadId: string }).uploadId;
    };
    const jobEvent =
      (jobId: string, test: (job: JobEventMessage['job']) => boolean) => (e: { event: string }) =>
        e.event === 'job' && (e as JobEventMessage).job.id === jobId && test((e as JobEventMessage).job);

    it('while the CLI imports, the app reads, and its own import waits for the CLI’s', async () => {
      const before = (await api.call('sources.list', {})).map((s) => s.channel);
      const holder = await holdingImport('cli');
      expect((await api.call('sources.list', {})).map((s) => s.channel)).toEqual(before);
      const uploadId = await upload('web.csv', Buffer.from(shopifyCsv(15)));
      const { jobId } = await api.call('import.start', { file: { uploadId }, channel: 'web' });
      const waiting = await api.waitForEvent(jobEvent(jobId, (j) => j.progress.phase === 'waiting'));
      expect((waiting as JobEventMessage).job.progress.message).toMatch(
        new RegExp(`waiting for an import in progress \\(concord import, pid ${holder.pid}`),
      );
      holder.resume();
      expect((await holder.cli.exited).code).toBe(0);
      const done = await api.waitForEvent(jobEvent(jobId, (j) => j.status !== 'running'));
      expect((done as JobEventMessage).job.status).toBe('done');
      expect((await api.call('sources.list', {})).map((s) => s.channel)).toEqual([...before, 'cli', 'web']);
    });

    it('while the app imports, the CLI reads, and a CLI import names the app’s import', async () => {
      const before = sources();
      const uploadId = await upload('app-big.csv', createReadStream(big));
      const { jobId } = await api.call('import.start', { file: { uploadId }, channel: 'app' });
      const workerPid = server.worker.pid!;
      await stopWhileWriting(ws, workerPid, () => true);
      try {
        expect(sources()).toEqual(before);
        const r = concordWith(
          { env: { CONCORD_LOCK_TIMEOUT: '0' } },
          'import',
          ws,
          small,
          '--channel',
          'cli2',
        );
        expect(r.stderr).not.toMatch(NOT_INTERNAL);
        expect(r.stderr).toMatch(importHolds('concord serve', workerPid));
        expect(r.code).toBe(2);
      } finally {
        process.kill(workerPid, 'SIGCONT');
      }
      const done = await api.waitForEvent(
        jobEvent(jobId, (j) => j.status !== 'running'),
        60_000,
      );
      expect((done as JobEventMessage).job.status).toBe('done');
      expect(sources()).toEqual([...before, 'app']);
    });
  });
});
