import type Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { ConcordError } from '../model/errors.js';
import { openWorkspace, SCHEMA_VERSION, WORKSPACE_EXTENSION, type Workspace } from '../store/workspace.js';
import type { WorkspaceInfo } from '../api/contract.js';
import { blockedActions } from './readiness.js';

/**
 * The workspace the worker has open: its path and one read-only connection (nothing written, not even on open, so
 * it never waits for another program's writer and works on a read-only file). Writes open their own connection.
 */
export class WorkspaceSession {
  private current: Workspace | null = null;

  get path(): string | null {
    return this.current?.file ?? null;
  }

  open(path: string): WorkspaceInfo {
    return this.use(openWorkspace(resolve(path), { readonly: true }));
  }

  create(path: string): WorkspaceInfo {
    openWorkspace(resolve(path), { create: true }).close();
    return this.open(path);
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
      blocked: blockedActions(db),
    };
  }

  close(): void {
    this.current?.close();
    this.current = null;
  }

  private use(ws: Workspace): WorkspaceInfo {
    this.close();
    this.current = ws;
    return this.info()!;
  }
}

function noWorkspace(): ConcordError {
  return new ConcordError('CONFLICT', 'no workspace is open: open or create one first');
}
