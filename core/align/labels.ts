/**
 * Match labels (DESIGN.md "Alignment", step 5): stored in the workspace by (channel, record id) so that they
 * survive re-imports; the latest label of a pair wins; labels come in batches (one review decision, one cluster
 * split or merge, one label file) and undo takes back the last batch. A label file is CSV (or TSV) with a header
 * `channelA,recordIdA,channelB,recordIdB,label`, label `match` / `no_match` (also 1 / 0, yes / no, true / false).
 */
import type Database from 'better-sqlite3';
import { parse } from 'csv-parse/sync';
import { readFileSync } from 'node:fs';
import { badInput, ConcordError } from '../model/errors.js';
import { refKey } from './truth.js';

export type LabelValue = 'match' | 'no_match' | 'skip';
export type LabelSource = 'user' | 'split' | 'merge' | 'file';

export interface RecordRef {
  channel: string;
  recordId: string;
  /** records.id when known (a lookup hint). */
  id?: number | null;
}

export interface PairLabel {
  a: RecordRef;
  b: RecordRef;
  label: LabelValue;
}

export interface StoredLabel extends PairLabel {
  seq: number;
  batch: number;
  source: LabelSource;
  createdAt: string;
}

/** The pair in canonical order (by channel, then record id), so (a, b) and (b, a) are one pair. */
export function canonicalPair<T extends RecordRef>(a: T, b: T): [T, T] {
  const before = a.channel < b.channel || (a.channel === b.channel && a.recordId <= b.recordId);
  return before ? [a, b] : [b, a];
}

/** Stores labels as one batch; returns the batch number (0 when there was nothing to store). */
export function addLabels(db: Database.Database, labels: readonly PairLabel[], source: LabelSource): number {
  if (labels.length === 0) return 0;
  const now = new Date().toISOString();
  const batch = (
    db.prepare('SELECT coalesce(max(batch), 0) + 1 AS b FROM match_labels').get() as { b: number }
  ).b;
  const insert = db.prepare(
    `INSERT INTO match_labels (batch, channel_a, record_a, channel_b, record_b, a_id, b_id, label, source, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  db.transaction(() => {
    for (const l of labels) {
      const [a, b] = canonicalPair(l.a, l.b);
      insert.run(
        batch,
        a.channel,
        a.recordId,
        b.channel,
        b.recordId,
        a.id ?? null,
        b.id ?? null,
        l.label,
        source,
        now,
      );
    }
  })();
  return batch;
}

/** Takes back the last batch; returns its labels (empty when there were none). */
export function undoLastBatch(db: Database.Database): StoredLabel[] {
  const last = db.prepare('SELECT max(batch) AS b FROM match_labels').get() as { b: number | null };
  if (last.b === null) return [];
  const rows = readRows(db, 'WHERE batch = ? ORDER BY seq', [last.b]);
  db.prepare('DELETE FROM match_labels WHERE batch = ?').run(last.b);
  return rows;
}

/** The effective label of every labelled pair (the latest one), in label order. */
export function currentLabels(db: Database.Database): StoredLabel[] {
  const rows = readRows(db, 'ORDER BY seq', []);
  const latest = new Map<string, StoredLabel>();
  for (const r of rows) {
    const key = pairKey(r.a, r.b);
    latest.delete(key);
    latest.set(key, r);
  }
  return [...latest.values()];
}

/** Number of pairs with an effective match / no-match label (skips not counted). */
export function countLabels(db: Database.Database): number {
  return currentLabels(db).filter((l) => l.label !== 'skip').length;
}

export function pairKey(a: RecordRef, b: RecordRef): string {
  const [x, y] = canonicalPair(a, b);
  return `${x.channel}\u0001${x.recordId}\u0002${y.channel}\u0001${y.recordId}`;
}

function readRows(db: Database.Database, tail: string, params: unknown[]): StoredLabel[] {
  const rows = db
    .prepare(
      `SELECT seq, batch, channel_a, record_a, channel_b, record_b, a_id, b_id, label, source, created_at
       FROM match_labels ${tail}`,
    )
    .all(...params) as {
    seq: number;
    batch: number;
    channel_a: string;
    record_a: string;
    channel_b: string;
    record_b: string;
    a_id: number | null;
    b_id: number | null;
    label: LabelValue;
    source: LabelSource;
    created_at: string;
  }[];
  return rows.map((r) => ({
    seq: r.seq,
    batch: r.batch,
    a: { channel: r.channel_a, recordId: r.record_a, id: r.a_id },
    b: { channel: r.channel_b, recordId: r.record_b, id: r.b_id },
    label: r.label,
    source: r.source,
    createdAt: r.created_at,
  }));
}

const LABEL_WORDS: Record<string, LabelValue> = {
  match: 'match',
  '1': 'match',
  yes: 'match',
  true: 'match',
  no_match: 'no_match',
  nomatch: 'no_match',
  'no-match': 'no_match',
  '0': 'no_match',
  no: 'no_match',
  false: 'no_match',
};
const COLUMNS = ['channela', 'recordida', 'channelb', 'recordidb', 'label'];

/** Reads a label file (see the file comment). Problems -> BAD_INPUT naming file and line. */
export function readLabelsFile(file: string): PairLabel[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ConcordError('NOT_FOUND', `${file}: no such file`, { file });
    throw new ConcordError('BAD_INPUT', `${file}: cannot read (${(err as Error).message})`, { file });
  }
  if (text.startsWith('\ufeff')) text = text.slice(1);
  const firstLine = text.slice(0, text.indexOf('\n') >= 0 ? text.indexOf('\n') : text.length);
  const delimiter = firstLine.includes('\t') ? '\t' : ',';
  let rows: string[][];
  try {
    rows = parse(text, { delimiter, relax_column_count: true, skip_empty_lines: true }) as string[][];
  } catch (err) {
    throw badInput({ file }, (err as Error).message);
  }
  if (rows.length === 0) throw badInput({ file }, 'empty label file');
  const header = rows[0].map((h) =>
    h
      .trim()
      .toLowerCase()
      .replace(/[^a-z]/g, ''),
  );
  const at = COLUMNS.map((c) => header.indexOf(c));
  const missing = COLUMNS.filter((_, i) => at[i] < 0);
  if (missing.length > 0)
    throw badInput(
      { file, line: 1 },
      `header must have channelA,recordIdA,channelB,recordIdB,label (missing ${missing.join(', ')})`,
    );
  const out: PairLabel[] = [];
  for (let r = 1; r < rows.length; r++) {
    const cell = (k: number) => (rows[r][at[k]] ?? '').trim();
    const label = LABEL_WORDS[cell(4).toLowerCase()];
    if (!label)
      throw badInput(
        { file, line: r + 1, field: 'label' },
        `label must be match or no_match, got "${cell(4).slice(0, 20)}"`,
      );
    for (let k = 0; k < 4; k++)
      if (cell(k) === '')
        throw badInput(
          { file, line: r + 1, field: ['channelA', 'recordIdA', 'channelB', 'recordIdB'][k] },
          'empty',
        );
    out.push({
      a: { channel: cell(0), recordId: cell(1) },
      b: { channel: cell(2), recordId: cell(3) },
      label,
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Labels resolved to record positions (alignment and re-clustering)

export interface ResolvedLabels {
  /** Pair key (a * n + b, a < b) -> 1 match / 0 no match. */
  byPair: Map<number, number>;
  match: [number, number][];
  noMatch: [number, number][];
  count: number;
}

/** The labels (skips left out) between record positions; `byRef`: positions by refKey(channel, recordId). */
export function resolveLabels(
  labels: readonly StoredLabel[],
  byRef: Map<string, number[]>,
  n: number,
): ResolvedLabels {
  const byPair = new Map<number, number>();
  for (const l of labels) {
    if (l.label === 'skip') continue;
    const xs = byRef.get(refKey(l.a.channel, l.a.recordId));
    const ys = byRef.get(refKey(l.b.channel, l.b.recordId));
    if (!xs || !ys) continue;
    for (const x of xs)
      for (const y of ys) {
        if (x === y) continue;
        const [a, b] = x < y ? [x, y] : [y, x];
        byPair.set(a * n + b, l.label === 'match' ? 1 : 0);
      }
  }
  const match: [number, number][] = [];
  const noMatch: [number, number][] = [];
  for (const [key, v] of byPair) (v ? match : noMatch).push([Math.floor(key / n), key % n]);
  return { byPair, match, noMatch, count: byPair.size };
}

/** Positions of the records the labels name, from a pass over all records' (channel, recordId). */
export class LabelRefs {
  private readonly wanted = new Set<string>();
  readonly byRef = new Map<string, number[]>();
  constructor(readonly labels: readonly StoredLabel[]) {
    for (const l of labels) {
      this.wanted.add(refKey(l.a.channel, l.a.recordId));
      this.wanted.add(refKey(l.b.channel, l.b.recordId));
    }
  }
  see(channel: string, recordId: string, position: number): void {
    if (this.wanted.size === 0) return;
    const key = refKey(channel, recordId);
    if (!this.wanted.has(key)) return;
    const l = this.byRef.get(key);
    if (l) l.push(position);
    else this.byRef.set(key, [position]);
  }
}
