/**
 * The Gaps page's state, kept outside the page so a running detection, the table's filter and selection and the
 * last status change survive a visit to another page: the summary, the detect job, the table query (filter, sort),
 * the selection, the product shown in the drawer, and status changes with their undo.
 */
import { NO_JOB, startTracked, type JobTrack } from '../../state/jobs';
import { once } from '../../lib/once';
import type { GapFilter, GapsStaleness, GapsSummary, JobState } from '../../../../core/api/contract';
import { invoke, onReconnected, subscribe } from '../../api/client';
import { loadable, loadInto, type Loadable } from '../../lib/loadable';
import { serial } from '../../lib/serial';
import { createStore } from '../../lib/store';
import { finishedOnce } from '../../state/jobMerge';
import { showError, showToast } from '../../state/toasts';
import { plural, STATUS_LABEL } from './labels';
import {
  cleanFilter,
  EMPTY_SELECTION,
  keepIds,
  nextSort,
  statusChangedMessage,
  type GapSort,
  type Selection,
  type SortColumn,
  type UserStatus,
} from './tableModel';

export type { GapSort, Selection, SortColumn, UserStatus } from './tableModel';
export { cleanFilter, EMPTY_SELECTION } from './tableModel';

// ---------------------------------------------------------------------------------------------------------
// Summary, and a version the table and the drawer watch to reload after gaps changed.

export const summary = createStore<Loadable<GapsSummary | null>>(loadable(null, true));

/** Bumped whenever gap rows changed (detection, status change, undo, rules). */
export const dataVersion = createStore(0);

export function refreshSummary(): Promise<GapsSummary | null> {
  void refreshStaleness();
  return loadInto(summary, () => invoke('gaps.summary', {}));
}

/** Whether the gaps shown are older than the alignment or the imports (asked again with every summary). */
export const staleness = createStore<Loadable<GapsStaleness | null>>(loadable(null));

export function refreshStaleness(): Promise<GapsStaleness | null> {
  return loadInto(staleness, () => invoke('gaps.staleness', {}));
}

let summaryTimer: ReturnType<typeof setTimeout> | undefined;

/** Gap rows changed: the table reloads now, the summary once changes pause. */
export function gapsChanged(): void {
  dataVersion.set((v) => v + 1);
  clearTimeout(summaryTimer);
  summaryTimer = setTimeout(() => void refreshSummary(), 300);
}

// ---------------------------------------------------------------------------------------------------------
// Detection job (gaps.detect).

export const detectJob = createStore<JobTrack>(NO_JOB);

export function isGapsJob(job: JobState): boolean {
  return job.kind === 'gaps' || /^gaps/i.test(job.kind);
}

/** Whether the workspace's records are aligned: gap detection reads the products alignment stored. */
export const aligned = createStore<Loadable<boolean | null>>(loadable(null, true));

export function refreshAligned(): Promise<boolean | null> {
  return loadInto(aligned, async () => (await invoke('align.summary', {})) !== null);
}

/** Detects gaps; with `align`, alignment runs first as a job of its own (records not aligned yet). */
export function startDetect(align = false): Promise<void> {
  return startTracked(detectJob, () => invoke('gaps.detect', align ? { align: true } : {}));
}

async function jobFinished(job: JobState): Promise<void> {
  if (job.status !== 'done') return;
  const ours = job.id === detectJob.get().jobId;
  if (isGapsJob(job)) {
    const after = await refreshSummary();
    dataVersion.set((v) => v + 1);
    if (ours && after) {
      const open = after.byStatus.open ?? 0;
      showToast(
        'success',
        'Gaps detected',
        `${plural(open, 'open gap')} across ${plural(after.completeness.length, 'channel')}`,
      );
    }
  } else if (/align|match|retrain|cluster|import/i.test(job.kind)) {
    // The gaps themselves change only with the next detection, but the summary says what it saw.
    void refreshSummary();
    void refreshAligned();
  }
}

// ---------------------------------------------------------------------------------------------------------
// The table: filter, sort, selection, active row.

export interface TableState {
  filter: GapFilter;
  sort: GapSort;
  selection: Selection;
  /** The row the keyboard is on (index in the current order). */
  active: number;
}

export const table = createStore<TableState>({
  filter: {},
  sort: { column: 'severity', direction: 'desc' },
  selection: EMPTY_SELECTION,
  active: 0,
});

export function setFilter(patch: Partial<GapFilter>): void {
  table.set((t) => ({
    ...t,
    filter: cleanFilter({ ...t.filter, ...patch }),
    selection: EMPTY_SELECTION,
    active: 0,
  }));
}

export function replaceFilter(filter: GapFilter): void {
  table.set((t) => ({ ...t, filter: cleanFilter(filter), selection: EMPTY_SELECTION, active: 0 }));
}

/** Clicking a header: sort by it, or flip the direction when it already sorts. */
export function sortBy(column: SortColumn): void {
  table.set((t) => ({ ...t, sort: nextSort(t.sort, column), active: 0, selection: keepIds(t.selection) }));
}

export function setActive(index: number): void {
  table.set((t) => (t.active === index ? t : { ...t, active: index }));
}

export function setSelection(selection: Selection): void {
  table.set((t) => ({ ...t, selection }));
}

export function selectAllMatching(): void {
  table.set((t) => ({ ...t, selection: { mode: 'all' } }));
}

export function clearSelection(): void {
  table.set((t) => ({ ...t, selection: EMPTY_SELECTION }));
}

/**
 * A selection is of the rows as they were when it was made. When the gap rows change (a status change, its undo, a
 * detection, rules) picked rows may have left the filter, and the table — paged over up to a million rows — cannot
 * tell which remain without reading them all: the selection is dropped, as a filter change drops it, so the count
 * and the bulk actions never reach rows no longer shown.
 */
dataVersion.subscribe(clearSelection);

// ---------------------------------------------------------------------------------------------------------
// Status changes with undo.

export type StatusTarget = { ids: number[] } | { filter: GapFilter };

export interface UndoNotice {
  id: number;
  message: string;
}

/** The last status change, offered for undo until it is undone or another one replaces it. */
export const undoNotice = createStore<UndoNotice | null>(null);
let noticeSeq = 0;

/** Status calls go one after the other, in the order the keys were pressed. */
const statusCalls = serial();

export function changeStatus(target: StatusTarget, status: UserStatus): Promise<void> {
  return statusCalls.run(async () => {
    try {
      const r = await invoke('gaps.setStatus', { ...target, status });
      undoNotice.set({ id: ++noticeSeq, message: statusChangedMessage(r.updated, status) });
      gapsChanged();
    } catch (err) {
      showError(`Could not set the status to ${STATUS_LABEL[status].toLowerCase()}`, err);
    }
  });
}

export function undoStatus(): Promise<void> {
  return statusCalls.run(async () => {
    try {
      const r = await invoke('gaps.undoStatus', {});
      undoNotice.set(null);
      showToast(
        'info',
        r.restored === 0 ? 'Nothing to undo' : 'Status change undone',
        r.restored === 0
          ? 'No status change is stored.'
          : `${plural(r.restored, 'gap')} back to the status they had.`,
      );
      gapsChanged();
    } catch (err) {
      showError('Could not undo the status change', err);
    }
  });
}

export function dismissUndo(): void {
  undoNotice.set(null);
}

// ---------------------------------------------------------------------------------------------------------
// Product drawer.

export const openProduct = createStore<{ clusterId: string; gapId: number | null } | null>(null);

export function showProduct(clusterId: string, gapId: number | null = null): void {
  openProduct.set({ clusterId, gapId });
}

export function closeProduct(): void {
  openProduct.set(null);
}

// ---------------------------------------------------------------------------------------------------------

/** Loads the summary and follows the jobs that change it; call when the page first shows. */
export const startGapsSync = once(() => {
  const firstFinish = finishedOnce();
  subscribe((e) => {
    if (e.event === 'notice') {
      void refreshSummary().then(() => dataVersion.set((v) => v + 1));
      return;
    }
    if (firstFinish(e.job)) void jobFinished(e.job);
  });
  onReconnected(() => void refreshSummary().then(() => dataVersion.set((v) => v + 1)));
  void refreshSummary();
});
