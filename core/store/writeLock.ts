/**
 * The workspace's write lock, across processes: one writer at a time (an import, an alignment, gap detection, an
 * edit), whichever program it runs in (the CLI, the app's worker); readers never wait for it (WAL).
 *
 * The lock is SQLite's own reserved lock on a small empty database beside the workspace (`<ws>.d/writer.lock`),
 * taken with `BEGIN IMMEDIATE` and held until released. The operating system drops it when its process ends, however
 * it ends (kill -9 included), so there are no stale locks to guess about. Beside it `writer.json` says who holds it
 * (what, which program, pid, since when), so that a second writer can say what it waits for.
 *
 * Within a process the lock is re-entrant (a job holds it, and the connection the job opens takes it again); a
 * process orders its own writers itself (JobRunner's write queue).
 */
import Database from 'better-sqlite3';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { ConcordError } from '../model/errors.js';
import { sqliteNativeBinding } from './sqliteAddon.js';

/** Who holds a workspace's write lock. */
export interface LockHolder {
  /** What it does: a job kind (import, align, gaps, embed) or edit, create, upgrade. */
  purpose: string;
  /** The program, as the user knows it: `concord import`, `concord serve`, `the Concord app`. */
  program: string;
  pid: number;
  host: string;
  /** ISO time the lock was taken. */
  startedAt: string;
}

export interface WriteLock {
  /** Gives the lock up (once; later calls do nothing). */
  release(): void;
}

export interface WaitOptions {
  /** How long to wait for another process's lock; 0 refuses at once. Default `lockTimeoutMs()`. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Called when the wait starts, and again whenever a different holder has the lock. */
  onWait?(holder: LockHolder | null, timeoutMs: number): void;
  /** How often to try again (default 100 ms). */
  pollMs?: number;
}

/** Default wait for another program's write lock. */
const DEFAULT_LOCK_TIMEOUT_SECONDS = 300;

const WHAT: Record<string, string> = {
  import: 'an import',
  align: 'an alignment',
  gaps: 'gap detection',
  embed: 'an embedding run',
  edit: 'an edit',
  create: 'creating the workspace',
  upgrade: 'a schema upgrade',
};

interface Held {
  count: number;
  db: Database.Database;
  infoFile: string;
}

const held = new Map<string, Held>();
let program = `node ${basename(process.argv[1] ?? 'concord')}`;

/** Names this process in the lock's holder record (the CLI: `concord import`; the worker: the app). */
export function setLockProgram(label: string): void {
  program = label;
}

function lockFiles(workspace: string): { dir: string; lock: string; info: string } {
  const dir = `${workspace}.d`;
  return { dir, lock: join(dir, 'writer.lock'), info: join(dir, 'writer.json') };
}

/** Takes the lock now, or says who holds it. */
export function tryWriteLock(workspace: string, purpose: string): WriteLock | { holder: LockHolder | null } {
  const key = resolve(workspace);
  const mine = held.get(key);
  if (mine) {
    mine.count++;
    return lease(key);
  }
  const files = lockFiles(key);
  let db: Database.Database;
  try {
    mkdirSync(files.dir, { recursive: true });
    db = new Database(files.lock, { timeout: 0, nativeBinding: sqliteNativeBinding() });
  } catch (err) {
    throw cannotWrite(workspace, err);
  }
  try {
    // No journal file: nothing is ever written to the lock database, it only carries the lock.
    db.pragma('journal_mode = MEMORY');
    db.exec('BEGIN IMMEDIATE');
  } catch (err) {
    db.close();
    if ((err as { code?: string }).code === 'SQLITE_BUSY') return { holder: readHolder(workspace) };
    throw cannotWrite(workspace, err);
  }
  const holder: LockHolder = {
    purpose,
    program,
    pid: process.pid,
    host: hostname(),
    startedAt: new Date().toISOString(),
  };
  try {
    const tmp = `${files.info}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(holder));
    renameSync(tmp, files.info);
  } catch (err) {
    db.close();
    throw cannotWrite(workspace, err);
  }
  held.set(key, { count: 1, db, infoFile: files.info });
  return lease(key);
}

/** Takes the lock now; CONFLICT naming the holder when another process has it. */
export function takeWriteLock(workspace: string, purpose: string): WriteLock {
  const got = tryWriteLock(workspace, purpose);
  if ('release' in got) return got;
  throw heldBy(workspace, got.holder, 0);
}

/** Takes the lock, waiting (bounded) while another process holds it. */
export async function acquireWriteLock(
  workspace: string,
  purpose: string,
  options: WaitOptions = {},
): Promise<WriteLock> {
  const timeoutMs = options.timeoutMs ?? lockTimeoutMs();
  let got = tryWriteLock(workspace, purpose);
  if ('release' in got) return got;
  if (timeoutMs <= 0) throw heldBy(workspace, got.holder, 0);
  let holder = got.holder;
  options.onWait?.(holder, timeoutMs);
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (options.signal?.aborted) throw new ConcordError('CANCELLED', 'cancelled');
    if (performance.now() >= deadline) throw heldBy(workspace, holder, timeoutMs);
    await delay(options.pollMs ?? 100, undefined, { signal: options.signal }).catch(() => {});
    if (options.signal?.aborted) throw new ConcordError('CANCELLED', 'cancelled');
    got = tryWriteLock(workspace, purpose);
    if ('release' in got) return got;
    if (
      got.holder &&
      (holder === null || got.holder.startedAt !== holder.startedAt || got.holder.pid !== holder.pid)
    ) {
      holder = got.holder;
      options.onWait?.(holder, timeoutMs);
    }
  }
}

/** Who holds the workspace's write lock, as its holder recorded it (null: nobody recorded). */
export function readHolder(workspace: string): LockHolder | null {
  try {
    return JSON.parse(readFileSync(lockFiles(resolve(workspace)).info, 'utf8')) as LockHolder;
  } catch {
    return null;
  }
}

/** `an import (concord import, pid 1234, started 17:02:11)` */
export function describeHolder(holder: LockHolder | null): string {
  if (holder === null) return 'another program';
  const what = WHAT[holder.purpose] ?? `a ${holder.purpose}`;
  const where = holder.host === hostname() ? '' : ` on ${holder.host}`;
  return `${what} (${holder.program}, pid ${holder.pid}${where}, started ${clockTime(holder.startedAt)})`;
}

/** What a waiting writer says: `waiting for an import in progress (concord import, pid 1234, …) to finish…` */
export function waitingMessage(holder: LockHolder | null, timeoutMs: number): string {
  const what = holder === null ? 'another program' : describeHolder(holder).replace(' (', ' in progress (');
  return `waiting for ${what} to finish (at most ${duration(timeoutMs)})…`;
}

/** The wait for another program's write lock: CONCORD_LOCK_TIMEOUT seconds, default 300. */
export function lockTimeoutMs(): number {
  const raw = process.env.CONCORD_LOCK_TIMEOUT;
  if (raw === undefined || raw.trim() === '') return DEFAULT_LOCK_TIMEOUT_SECONDS * 1000;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds < 0)
    throw new ConcordError(
      'BAD_INPUT',
      `CONCORD_LOCK_TIMEOUT must be a number of seconds (0 or more), got "${raw}"`,
      { field: 'CONCORD_LOCK_TIMEOUT' },
    );
  return seconds * 1000;
}

function lease(key: string): WriteLock {
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      const h = held.get(key);
      if (!h || --h.count > 0) return;
      held.delete(key);
      // The record goes first: once the lock is free, the file may already be the next holder's.
      rmSync(h.infoFile, { force: true });
      h.db.close();
    },
  };
}

function heldBy(workspace: string, holder: LockHolder | null, waitedMs: number): ConcordError {
  const who = describeHolder(holder);
  const message =
    waitedMs > 0
      ? `${workspace}: ${who} still holds this workspace after ${duration(waitedMs)} of waiting; try again when it has finished (CONCORD_LOCK_TIMEOUT sets how many seconds to wait)`
      : `${workspace}: ${who} holds this workspace; try again when it has finished`;
  return new ConcordError('CONFLICT', message, { file: workspace, holder });
}

function cannotWrite(workspace: string, err: unknown): ConcordError {
  return new ConcordError('BAD_INPUT', `${workspace}: cannot write here (${(err as Error).message})`, {
    file: workspace,
  });
}

function clockTime(iso: string): string {
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  const time = `${pad(t.getHours())}:${pad(t.getMinutes())}:${pad(t.getSeconds())}`;
  const today = new Date().toDateString() === t.toDateString();
  return today ? time : `${t.getFullYear()}-${pad(t.getMonth() + 1)}-${pad(t.getDate())} ${time}`;
}

function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = Math.round(ms / 1000);
  return s < 120 ? `${s} s` : `${Math.round(s / 60)} min`;
}
