/**
 * Whether the stored gaps are older than what they were detected from. A detection records the alignment it read
 * (the latest align_runs row and match_labels seq: every alignment, re-clustering, label, split and merge adds one)
 * and the product sources it saw (gap_runs.sources); the gaps are stale when alignment has moved on since, or the
 * product sources are no longer the same set (an import, a replaced or removed export).
 */
import type Database from 'better-sqlite3';
import type { GapsStaleness } from '../api/contract.js';

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The alignment a detection read: stored with it (gap_runs.summary.basis). */
export interface DetectionBasis {
  alignRun: number | null;
  alignedAt: string | null;
  labelSeq: number;
}

export function detectionBasis(db: Database.Database): DetectionBasis {
  const run = db.prepare('SELECT id, created_at FROM align_runs ORDER BY id DESC LIMIT 1').get() as
    { id: number; created_at: string } | undefined;
  const labelSeq = db.prepare('SELECT coalesce(max(seq), 0) FROM match_labels').pluck().get() as number;
  return { alignRun: run?.id ?? null, alignedAt: run?.created_at ?? null, labelSeq };
}

/** align_runs.kind in words. */
const RUN_WORDS: Record<string, string> = {
  align: 'a new alignment',
  retrain: 'a retrained matcher',
  recluster: 'a new match threshold',
};

/** match_labels.source in words. */
const LABEL_WORDS: Record<string, string> = {
  user: 'match label',
  split: 'split',
  merge: 'merge',
  file: 'label file',
};

function alignmentChange(
  db: Database.Database,
  detectedAt: string,
  basis: DetectionBasis | undefined,
): GapsStaleness['reasons'][number] | null {
  // Detections stored before the basis was: compare times.
  const runs = (
    basis
      ? db
          .prepare('SELECT kind, created_at FROM align_runs WHERE id > ? ORDER BY id')
          .all(basis.alignRun ?? 0)
      : db.prepare('SELECT kind, created_at FROM align_runs WHERE created_at > ? ORDER BY id').all(detectedAt)
  ) as { kind: string; created_at: string }[];
  const labels = (
    basis
      ? db.prepare('SELECT source, batch FROM match_labels WHERE seq > ?').all(basis.labelSeq)
      : db.prepare('SELECT source, batch FROM match_labels WHERE created_at > ?').all(detectedAt)
  ) as { source: string; batch: number }[];
  // A run the detection read that is gone (taken back) changed the alignment too.
  const readRunGone =
    basis !== undefined &&
    basis.alignRun !== null &&
    db
      .prepare('SELECT 1 FROM align_runs WHERE id = ? AND created_at = ?')
      .get(basis.alignRun, basis.alignedAt) === undefined;
  if (runs.length === 0 && !readRunGone) return null;

  const parts: string[] = [];
  for (const kind of Object.keys(RUN_WORDS))
    if (runs.some((r) => r.kind === kind)) parts.push(RUN_WORDS[kind]);
  // Labels, splits and merges count by batch (one split writes a label per record pair).
  const batches = new Map<string, Set<number>>();
  for (const l of labels) {
    let set = batches.get(l.source);
    if (!set) batches.set(l.source, (set = new Set()));
    set.add(l.batch);
  }
  for (const [source, word] of Object.entries(LABEL_WORDS)) {
    const n = batches.get(source)?.size ?? 0;
    if (n > 0) parts.push(plural(n, word));
  }
  const what = parts.length > 0 ? parts.join(', ') : 'an alignment change was taken back';
  return {
    kind: 'alignment',
    message: `Products changed after this detection (${what})`,
    at: runs.length > 0 ? runs[runs.length - 1].created_at : null,
  };
}

function importChange(
  db: Database.Database,
  seen: readonly number[],
): GapsStaleness['reasons'][number] | null {
  const current = db
    .prepare(`SELECT id, file_name, imported_at FROM sources WHERE kind = 'products' ORDER BY id`)
    .all() as { id: number; file_name: string; imported_at: string }[];
  const before = new Set(seen);
  const added = current.filter((s) => !before.has(s.id));
  const now = new Set(current.map((s) => s.id));
  const removed = seen.filter((id) => !now.has(id)).length;
  if (added.length === 0 && removed === 0) return null;
  const parts: string[] = [];
  if (added.length > 0)
    parts.push(
      `${added
        .slice(0, 3)
        .map((s) => s.file_name)
        .join(', ')}${added.length > 3 ? ` and ${added.length - 3} more` : ''} imported`,
    );
  if (removed > 0) parts.push(`${plural(removed, 'export')} removed`);
  return {
    kind: 'imports',
    message: `Exports changed after this detection (${parts.join('; ')})`,
    at: added.length > 0 ? added[added.length - 1].imported_at : null,
  };
}

/** Null before the first detection. */
export function gapsStaleness(db: Database.Database): GapsStaleness | null {
  const last = db
    .prepare('SELECT detected_at, sources, summary FROM gap_runs ORDER BY id DESC LIMIT 1')
    .get() as { detected_at: string; sources: string; summary: string } | undefined;
  if (last === undefined) return null;
  const basis = (JSON.parse(last.summary) as { basis?: DetectionBasis }).basis;
  const reasons = [
    alignmentChange(db, last.detected_at, basis),
    importChange(db, JSON.parse(last.sources) as number[]),
  ].filter((r) => r !== null);
  return { stale: reasons.length > 0, detectedAt: last.detected_at, reasons };
}
