import type Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { ConcordError } from '../model/errors.js';
import { openWorkspace, SCHEMA_VERSION, WORKSPACE_EXTENSION, type Workspace } from '../store/workspace.js';
import type { WorkspaceInfo } from '../api/contract.js';

/**
 * The workspace the worker has open: its path and one connection for reads (`query_only`, so nothing written
 * by accident). Writes (imports) open their own connection inside their transaction.
 */
export class WorkspaceSession {
  private current: Workspace | null = null;

  get path(): string | null {
    return this.current?.file ?? null;
  }

  open(path: string): WorkspaceInfo {
    return this.use(openWorkspace(resolve(path)));
  }

  create(path: string): WorkspaceInfo {
    return this.use(openWorkspace(resolve(path), { create: true }));
  }

  /** Opens `path`, creating it when missing; says whether it did. */
  openOrCreate(path: string): { info: WorkspaceInfo; created: boolean } {
    const created = !existsSync(path);
    return { info: created ? this.create(path) : this.open(path), created };
  }

  /** The open workspace's path, or CONFLICT when none is open. */
  requirePath(): string {
    if (this.current === null) throw noWorkspace();
    return this.current.file;
  }

  requireDb(): Database.Database {
    if (this.current === null) throw noWorkspace();
    return this.current.db;
  }

  info(): WorkspaceInfo | null {
    if (this.current === null) return null;
    const db = this.current.db;
    const channels = db.prepare('SELECT name, priority FROM channels ORDER BY priority, name').all() as {
      name: string;
      priority: number;
    }[];
    const counts = db
      .prepare(
        'SELECT count(*) AS sources, coalesce(sum(records), 0) AS records, coalesce(sum(rows), 0) AS rows FROM sources',
      )
      .get() as WorkspaceInfo['counts'];
    return {
      path: this.current.file,
      name: basename(this.current.file, WORKSPACE_EXTENSION),
      schemaVersion: SCHEMA_VERSION,
      channels,
      counts,
    };
  }

  close(): void {
    this.current?.close();
    this.current = null;
  }

  private use(ws: Workspace): WorkspaceInfo {
    ws.db.pragma('query_only = ON');
    this.close();
    this.current = ws;
    return this.info()!;
  }
}

function noWorkspace(): ConcordError {
  return new ConcordError('CONFLICT', 'no workspace is open: open or create one first');
}
