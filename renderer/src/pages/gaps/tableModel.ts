/**
 * The Gaps table's query and selection, and how they change (pure; gapsState.ts keeps the store and makes the
 * calls).
 */
import type { GapFilter, GapRow, Params } from '../../../../core/api/contract';
import { diffPair, type Segment } from '../../lib/tokenDiff';
import { plural, STATUS_LABEL } from './labels';

export type GapSort = NonNullable<Params<'gaps.list'>['sort']>;
export type SortColumn = GapSort['column'];
export type UserStatus = 'open' | 'accepted' | 'ignored';

export type Selection =
  /**
   * Rows picked one by one or by range: gap id -> its channel (fix lists are per channel); anchor: the row index
   * a shift-click extends from.
   */
  | { mode: 'ids'; ids: ReadonlyMap<number, string>; anchor: number | null }
  /** Every gap the filter selects (Ctrl/Cmd+A): status changes use the filter form. */
  | { mode: 'all' };

export const EMPTY_SELECTION: Selection = { mode: 'ids', ids: new Map(), anchor: null };

/** A filter without empty lists and blank text: what is sent to the API and compared. */
export function cleanFilter(f: GapFilter): GapFilter {
  const out: GapFilter = {};
  if (f.channels?.length) out.channels = f.channels;
  if (f.kinds?.length) out.kinds = f.kinds;
  if (f.severities?.length) out.severities = f.severities;
  if (f.statuses?.length) out.statuses = f.statuses;
  const q = f.query?.trim();
  if (q) out.query = q;
  if (f.clusterId) out.clusterId = f.clusterId;
  if (f.grades?.length) out.grades = f.grades;
  return out;
}

/** Clicking a header: sort by it (severity from the highest, the rest ascending), or flip the direction. */
export function nextSort(sort: GapSort, column: SortColumn): GapSort {
  if (sort.column === column) return { column, direction: sort.direction === 'asc' ? 'desc' : 'asc' };
  return { column, direction: column === 'severity' ? 'desc' : 'asc' };
}

/** The selection to keep when the order changes: the same rows, but no range anchor (its index moved). */
export function keepIds(s: Selection): Selection {
  return s.mode === 'ids' ? { ...s, anchor: null } : s;
}

const VERB: Record<UserStatus, string> = { open: 'reopened', accepted: 'accepted', ignored: 'ignored' };

/** What the undo notice says after a status change that updated `updated` gaps. */
export function statusChangedMessage(updated: number, status: UserStatus): string {
  return updated === 0
    ? `No gap changed: they were already ${STATUS_LABEL[status].toLowerCase()}`
    : `${plural(updated, 'gap')} ${VERB[status]}`;
}

/** A value longer than this is cut in a table cell so that its first changed word shows. */
const CELL_CHARS = 26;
/** Characters kept before the first changed word of a cut value. */
const CONTEXT_CHARS = 10;

/**
 * The segments of a long value from shortly before its first changed word, "…" in front: a narrow cell then shows
 * the change ("… 256 GB Black") instead of the start every value shares.
 */
export function focusOnChange(segments: readonly Segment[]): Segment[] {
  const text = segments.map((s) => s.text).join('');
  let offset = 0;
  const first = segments.findIndex((s) => {
    if (s.changed) return true;
    offset += s.text.length;
    return false;
  });
  if (first === -1 || text.length <= CELL_CHARS || offset <= CONTEXT_CHARS) return [...segments];
  // Cut at the start of a word of the context (at most CONTEXT_CHARS before the change).
  const from = offset - CONTEXT_CHARS;
  const space = text.indexOf(' ', from);
  const cut = space >= 0 && space < offset ? space + 1 : from;
  const out: Segment[] = [{ text: '…', changed: false }];
  let at = 0;
  for (const s of segments) {
    const end = at + s.text.length;
    if (end > cut) out.push({ text: at >= cut ? s.text : s.text.slice(cut - at), changed: s.changed });
    at = end;
  }
  return out;
}

/** The Expected and Actual cells of a gap row: the words that differ marked, long values cut to show them. */
export function valueCells(row: Pick<GapRow, 'expected' | 'actual'>): [Segment[], Segment[]] | null {
  if (!row.expected || !row.actual) return null;
  const [expected, actual] = diffPair(row.expected, row.actual);
  if (!expected.some((s) => s.changed) && !actual.some((s) => s.changed)) return null;
  return [focusOnChange(expected), focusOnChange(actual)];
}
/**
 * What a status change applies to: the selection (picked rows, or every gap the filter selects), never the row the
 * cursor happens to be on — after a filter change that is the first row, which nobody chose. Null: nothing picked.
 */
export function statusTarget(
  selection: Selection,
  filter: GapFilter,
): { ids: number[] } | { filter: GapFilter } | null {
  if (selection.mode === 'all') return { filter };
  return selection.ids.size > 0 ? { ids: [...selection.ids.keys()] } : null;
}

/** Why the status buttons are off with nothing picked, and how to pick. */
export const PICK_FIRST =
  'Select gaps first: click a row, Space, Shift+click for a range, Ctrl/Cmd+A for every match';
