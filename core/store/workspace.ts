import Database from 'better-sqlite3';
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConcordError } from '../model/errors.js';
import { migrate, writtenByNewer } from './migrate.js';
import { MIGRATIONS } from './migrations/index.js';
import { sqliteNativeBinding } from './sqliteAddon.js';
import { describeHolder, readHolder, takeWriteLock, type WriteLock } from './writeLock.js';

export const WORKSPACE_EXTENSION = '.concord';
const APPLICATION_ID = 0x436f6e63; // "Conc": marks a SQLite file as a Concord workspace

export interface Workspace {
  file: string;
  db: Database.Database;
  /** Folder beside the workspace for large blobs (embedding matrices, indexes), by hash. */
  blobDir: string;
  close(): void;
}

export interface OpenOptions {
  /** Create the file when missing (concord init). Otherwise a missing file is NOT_FOUND. */
  create?: boolean;
  /**
   * Open for reading only: nothing is written, not a header byte, and the file may be read-only. One exception: a
   * workspace from an older Concord is upgraded first, through a short write (refused clearly where that cannot be).
   */
  readonly?: boolean;
  /**
   * What a write connection is for, as a second writer is told while this one holds the workspace's write lock
   * (writeLock.ts): a job kind (import, align, gaps, embed), edit (default), create.
   */
  purpose?: string;
}

/**
 * Opens a workspace. A write connection holds the workspace's write lock (writeLock.ts) until it is closed: a
 * second writer, in this process or another, is refused with CONFLICT naming the holder (jobs wait for the lock
 * first, in JobRunner). A read connection takes no lock and never waits for a writer (WAL).
 */
export function openWorkspace(file: string, options: OpenOptions = {}): Workspace {
  const path = resolve(file);
  const exists = existsSync(path);
  if (!exists && !options.create) {
    throw new ConcordError(
      'NOT_FOUND',
      `${file}: no such workspace (create one with \`concord init ${file}\`)`,
      {
        file,
      },
    );
  }
  if (exists && options.create) {
    throw new ConcordError('CONFLICT', `${file} already exists`, { file });
  }
  if (options.readonly && !options.create) return openForReading(file, path);
  return openForWriting(file, path, exists, options.purpose ?? (options.create ? 'create' : 'edit'));
}

function openForWriting(file: string, path: string, exists: boolean, purpose: string): Workspace {
  if (exists) {
    try {
      accessSync(path, constants.W_OK);
    } catch {
      throw new ConcordError('BAD_INPUT', `${file}: cannot write here (the file is read-only)`, { file });
    }
  }
  const { db, appId } = connect(file, path, false);
  let lock: WriteLock;
  try {
    lock = takeWriteLock(path, purpose);
  } catch (err) {
    db.close();
    throw err;
  }
  try {
    // Each setting is written only when it differs: a write would wait for (and fail behind) another writer.
    // Larger pages suit a workspace of long text rows and bulk imports; only settable before the first write.
    if (!exists) db.pragma('page_size = 16384');
    if (db.pragma('journal_mode', { simple: true }) !== 'wal') db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    if (appId !== APPLICATION_ID) db.pragma(`application_id = ${APPLICATION_ID}`);
    connectionSettings(db);
    migrate(db, MIGRATIONS, file);
  } catch (err) {
    db.close();
    lock.release();
    throw sqliteFailure(file, err) ?? err;
  }
  return workspaceOf(file, db, lock);
}

function openForReading(file: string, path: string): Workspace {
  let { db } = connect(file, path, true);
  const version = schemaVersion(db);
  if (version > SCHEMA_VERSION) {
    db.close();
    throw writtenByNewer(file, version, SCHEMA_VERSION);
  }
  if (version < SCHEMA_VERSION) {
    db.close();
    upgrade(file, path, version);
    db = connect(file, path, true).db;
  }
  connectionSettings(db);
  return workspaceOf(file, db, null);
}

/** Brings an older workspace to the current schema: the one write a read-only open may make. */
function upgrade(file: string, path: string, version: number): void {
  try {
    openForWriting(file, path, true, 'upgrade').close();
  } catch (err) {
    if (err instanceof ConcordError && err.code !== 'BAD_INPUT') throw err;
    throw new ConcordError(
      'BAD_INPUT',
      `${file} has schema version ${version} and needs an upgrade to version ${SCHEMA_VERSION} before it can be read, but ${(err as Error).message}; open it once where it can be written`,
      { file, schemaVersion: version, supported: SCHEMA_VERSION },
    );
  }
}

/**
 * A connection to a file that must be a Concord workspace (or an empty file, which becomes one). Read connections
 * fall back to SQLite's immutable mode when the shared-memory file a WAL reader needs is missing and the folder
 * cannot take it: safe then, since every connection to a WAL database keeps that file while it is open, so no
 * program is writing this one.
 */
function connect(file: string, path: string, readonly: boolean): { db: Database.Database; appId: number } {
  try {
    return checked(file, new Database(path, { readonly, nativeBinding: sqliteNativeBinding() }));
  } catch (err) {
    if (err instanceof ConcordError) throw err;
    if (!readonly || !needsSharedMemory(err)) throw sqliteFailure(file, err) ?? notWorkspace(file, err);
    if (walHasChanges(path))
      throw new ConcordError(
        'BAD_INPUT',
        `${file}: cannot read it here: its latest changes are in ${file}-wal, and reading them needs write access to its folder`,
        { file },
      );
    try {
      const uri = `${pathToFileURL(path).href}?immutable=1`;
      return checked(file, new Database(uri, { readonly, nativeBinding: sqliteNativeBinding() }));
    } catch (retryErr) {
      if (retryErr instanceof ConcordError) throw retryErr;
      throw sqliteFailure(file, retryErr) ?? notWorkspace(file, retryErr);
    }
  }
}

/** The connection, once its header says it is a Concord workspace; closed and refused otherwise. */
function checked(file: string, db: Database.Database): { db: Database.Database; appId: number } {
  try {
    const appId = db.pragma('application_id', { simple: true }) as number;
    if (appId !== APPLICATION_ID && !(appId === 0 && schemaVersion(db) === 0 && isEmpty(db))) {
      throw new ConcordError('BAD_INPUT', `${file} is not a Concord workspace`, { file });
    }
    return { db, appId };
  } catch (err) {
    db.close();
    throw err;
  }
}

/** SQLite's failures as Concord's: a busy workspace is CONFLICT naming its writer, an unreadable file BAD_INPUT. */
function sqliteFailure(file: string, err: unknown): ConcordError | null {
  const code = (err as { code?: unknown }).code;
  if (typeof code !== 'string') return null;
  const message = (err as Error).message;
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))
    return new ConcordError(
      'CONFLICT',
      `${file}: ${describeHolder(readHolder(file))} is writing this workspace (${message}); try again when it has finished`,
      { file },
    );
  if (
    code.startsWith('SQLITE_CANTOPEN') ||
    code.startsWith('SQLITE_READONLY') ||
    code.startsWith('SQLITE_PERM')
  )
    return new ConcordError('BAD_INPUT', `${file}: cannot open it here (${message})`, { file });
  return null;
}

function notWorkspace(file: string, err: unknown): ConcordError {
  return new ConcordError('BAD_INPUT', `${file} is not a Concord workspace (${(err as Error).message})`, {
    file,
  });
}

function needsSharedMemory(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return (
    typeof code === 'string' && (code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_READONLY'))
  );
}

function walHasChanges(path: string): boolean {
  try {
    return statSync(`${path}-wal`).size > 0;
  } catch {
    return false;
  }
}

/** Per-connection settings: none of them writes to the file. */
function connectionSettings(db: Database.Database): void {
  db.pragma('foreign_keys = ON');
  db.pragma('cache_size = -65536'); // 64 MiB page cache per connection
  db.pragma('temp_store = MEMORY');
}

function workspaceOf(file: string, db: Database.Database, lock: WriteLock | null): Workspace {
  return {
    file,
    db,
    blobDir: `${file}.d`,
    close: () => {
      if (!db.open) return;
      db.close();
      if (lock) lock.release();
      else foldWal(resolve(file));
    },
  };
}

/**
 * After a read connection closed: a read-only connection cannot fold the WAL back into the workspace and remove
 * `-wal` and `-shm` when it is the last one out, as a write connection does. So a write connection opens, reads
 * and closes, and SQLite does that when (and only when) no other connection is left. Best effort, never waiting; it
 * writes nothing to the file unless the WAL holds commits not yet in it.
 */
function foldWal(path: string): void {
  if (!existsSync(`${path}-wal`)) return;
  let db: Database.Database | null = null;
  try {
    accessSync(path, constants.W_OK);
    accessSync(dirname(path), constants.W_OK);
    db = new Database(path, { timeout: 0, fileMustExist: true, nativeBinding: sqliteNativeBinding() });
    db.pragma('user_version', { simple: true });
  } catch {
    // Read-only, or busy: the files stay, as after any reader; the next writer folds them.
  } finally {
    db?.close();
  }
}

function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function isEmpty(db: Database.Database): boolean {
  return (db.prepare('SELECT count(*) AS n FROM sqlite_master').get() as { n: number }).n === 0;
}

export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * For a bulk write on a connection that has the workspace to itself (the CLI): switch to a rollback journal,
 * in which appended pages are written once (WAL writes them twice: log, then checkpoint). Atomicity is the
 * same: a crash leaves a hot journal that SQLite rolls back on the next open. Returns a function that restores
 * WAL; a no-op when other connections are open (the switch then silently stays WAL).
 */
export function bulkWriteMode(db: Database.Database): () => void {
  let switched = false;
  try {
    switched = db.pragma('journal_mode = DELETE', { simple: true }) === 'delete';
  } catch {
    switched = false;
  }
  return () => {
    if (switched) db.pragma('journal_mode = WAL');
  };
}
