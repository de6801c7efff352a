import Database from 'better-sqlite3';
import { existsSync, mkdirSync } from 'node:fs';
import { ConcordError } from '../model/errors.js';
import { migrate } from './migrate.js';
import { MIGRATIONS } from './migrations/index.js';

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
  readonly?: boolean;
}

export function openWorkspace(file: string, options: OpenOptions = {}): Workspace {
  const exists = existsSync(file);
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
  let db: Database.Database;
  let appId: number;
  try {
    db = new Database(file, { readonly: options.readonly ?? false, nativeBinding: sqliteNativeBinding() });
    appId = db.pragma('application_id', { simple: true }) as number;
    const userVersion = db.pragma('user_version', { simple: true }) as number;
    if (exists && appId !== APPLICATION_ID && !(appId === 0 && userVersion === 0 && isEmpty(db))) {
      db.close();
      throw new ConcordError('BAD_INPUT', `${file} is not a Concord workspace`, { file });
    }
  } catch (err) {
    if (err instanceof ConcordError) throw err;
    throw new ConcordError('BAD_INPUT', `${file} is not a Concord workspace (${(err as Error).message})`, {
      file,
    });
  }
  if (!options.readonly) {
    // Larger pages suit a workspace of long text rows and bulk imports; only settable before the first write.
    if (!exists) db.pragma('page_size = 16384');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    // Setting it commits even when unchanged: every open would write to the workspace (handlers open per write).
    if (appId !== APPLICATION_ID) db.pragma(`application_id = ${APPLICATION_ID}`);
  }
  db.pragma('foreign_keys = ON');
  db.pragma('cache_size = -65536'); // 64 MiB page cache per connection
  db.pragma('temp_store = MEMORY');
  try {
    if (!options.readonly) migrate(db, MIGRATIONS, file);
  } catch (err) {
    db.close();
    throw err;
  }
  const blobDir = `${file}.d`;
  if (!options.readonly) mkdirSync(blobDir, { recursive: true });
  return {
    file,
    db,
    blobDir,
    close: () => {
      if (db.open) db.close();
    },
  };
}

/**
 * Under Electron the worker runs Electron's Node, whose ABI differs from the one node_modules' better-sqlite3 was
 * built for; `npm start` builds a second copy for Electron and passes its path here (scripts/electron-native.mjs).
 */
function sqliteNativeBinding(): string | undefined {
  return process.env.CONCORD_SQLITE_BINDING || undefined;
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
