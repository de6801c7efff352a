/** The align_runs table (migration 003): one row per alignment, re-clustering or label change, with its summary. */
import type Database from 'better-sqlite3';
import type { AlignSummary } from '../api/contract.js';
import { ConcordError } from '../model/errors.js';

export interface LatestRun {
  kind: string;
  threshold: number;
  summary: AlignSummary;
}

export function latestRun(db: Database.Database): LatestRun | null {
  const has = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'align_runs'").get();
  if (!has) return null;
  const row = db.prepare('SELECT kind, threshold, summary FROM align_runs ORDER BY id DESC LIMIT 1').get() as
    { kind: string; threshold: number; summary: string } | undefined;
  return row
    ? { kind: row.kind, threshold: row.threshold, summary: JSON.parse(row.summary) as AlignSummary }
    : null;
}

export function requireRun(db: Database.Database): LatestRun {
  const run = latestRun(db);
  if (!run)
    throw new ConcordError('CONFLICT', 'the workspace has not been aligned yet', { remedy: { do: 'align' } });
  return run;
}

/** Records a run; returns its align_runs.id. */
export function insertRun(
  db: Database.Database,
  kind: string,
  threshold: number,
  summary: AlignSummary,
  model: string | null,
): number {
  const info = db
    .prepare('INSERT INTO align_runs (kind, created_at, threshold, summary, model) VALUES (?, ?, ?, ?, ?)')
    .run(kind, summary.alignedAt, threshold, JSON.stringify(summary), model);
  return Number(info.lastInsertRowid);
}

/** Whether a full alignment (align or retrain) was recorded after the run `runId`. */
export function alignedSince(db: Database.Database, runId: number): boolean {
  return (
    db
      .prepare("SELECT 1 FROM align_runs WHERE id > ? AND kind IN ('align', 'retrain') LIMIT 1")
      .get(runId) !== undefined
  );
}
