/**
 * The Matches page's state, kept outside the page so a running alignment, the review queue and the session's
 * counters survive a visit to another page: the alignment summary, the align / retrain jobs, the review queue
 * (prefetched, labels sent in order) and the precision/recall curve.
 */
import { NO_JOB, startTracked, type JobTrack } from '../../state/jobs';
import { once } from '../../lib/once';
import type { AlignSummary, JobState, Result } from '../../../../core/api/contract';
import { invoke, onReconnected, subscribe } from '../../api/client';
import { toApiError } from '../../api/transport';
import { loadable, loadInto, type Loadable } from '../../lib/loadable';
import { serial } from '../../lib/serial';
import { createStore } from '../../lib/store';
import { finishedOnce } from '../../state/jobMerge';
import { showError, showToast } from '../../state/toasts';
import {
  afterDecision,
  EMPTY_QUEUE,
  pairKey,
  takeBack,
  withBatch,
  type Decision,
  type QueueState,
} from './queueModel';

export { pairKey, type Decision, type QueueState } from './queueModel';

/** Pairs asked for at a time, and how few may be left before the next batch is fetched. */
const QUEUE_BATCH = 100;
const PREFETCH_BELOW = 25;

// ---------------------------------------------------------------------------------------------------------
// Summary, and a version every view that shows clusters or pairs watches to reload after the data changed.

export const summary = createStore<Loadable<AlignSummary | null>>(loadable(null, true));

/** Bumped whenever clusters or probabilities changed (align, retrain, recluster, split, merge). */
export const dataVersion = createStore(0);

function dataChanged(): void {
  dataVersion.set((v) => v + 1);
  // A preview was of the clusters before.
  requestPreview(null);
}

export function refreshSummary(): Promise<AlignSummary | null> {
  return loadInto(summary, () => invoke('align.summary', {}));
}

// ---------------------------------------------------------------------------------------------------------
// Jobs: align (align.start) and retrain (matches.retrain). Their progress is read from the shared jobs store.

export const alignJob = createStore<JobTrack>(NO_JOB);

export interface RetrainTrack extends JobTrack {
  /** The summary when the retrain started, and after it finished: the metrics that moved. */
  before: AlignSummary | null;
  after: AlignSummary | null;
  /** This session's label count when it started: labels after it are new to the model. */
  labelledAtStart: number;
}

export const retrainJob = createStore<RetrainTrack>({
  ...NO_JOB,
  before: null,
  after: null,
  labelledAtStart: 0,
});

/** Job kinds that change what this page shows, when started elsewhere (another window, the CLI). */
function isAlignmentJob(job: JobState): boolean {
  return /align|match|retrain|cluster/i.test(job.kind);
}

export function startAlign(): Promise<void> {
  return startTracked(alignJob, () => invoke('align.start', {}));
}

export function startRetrain(): Promise<void> {
  retrainJob.set({
    ...NO_JOB,
    before: summary.get().data,
    after: null,
    labelledAtStart: queue.get().labelled,
  });
  return startTracked(retrainJob, async () => {
    // Labels still on their way must be stored before the model learns from them.
    await settled();
    return invoke('matches.retrain', {});
  });
}

async function jobFinished(job: JobState): Promise<void> {
  const ours = job.id === alignJob.get().jobId || job.id === retrainJob.get().jobId;
  if (!ours && !isAlignmentJob(job)) return;
  if (job.status !== 'done') return;
  const after = await refreshSummary();
  if (job.id === retrainJob.get().jobId) retrainJob.set((r) => ({ ...r, after }));
  if (job.id === alignJob.get().jobId && after) {
    showToast(
      'success',
      'Alignment finished',
      `${after.records.toLocaleString()} records in ${after.clusters.toLocaleString()} clusters`,
    );
  }
  dataChanged();
  void reloadQueue();
  void refreshCurve();
}

// ---------------------------------------------------------------------------------------------------------
// Review queue: the most uncertain unlabelled pairs, labelled one after the other.

export const queue = createStore<QueueState>(EMPTY_QUEUE);

/** Pairs decided in this session (or on their way): a batch fetched meanwhile may still list them. */
const decided = new Set<string>();
let fetchSeq = 0;

async function fetchBatch(replace: boolean): Promise<void> {
  const seq = ++fetchSeq;
  queue.set((q) => ({ ...q, loading: true }));
  try {
    const batch = await invoke('matches.queue', { limit: QUEUE_BATCH });
    if (seq !== fetchSeq) return;
    queue.set((q) => withBatch(q, batch, { replace, decided, full: batch.length >= QUEUE_BATCH }));
  } catch (err) {
    if (seq !== fetchSeq) return;
    queue.set((q) => ({ ...q, loading: false, loaded: true, error: toApiError(err) }));
  }
}

/** Loads the queue the first time the review is shown. */
export function ensureQueue(): void {
  const q = queue.get();
  if (!q.loaded && !q.loading) void fetchBatch(true);
}

/** Fetches the queue anew (the model or the clusters changed); the session's counters stay. */
export async function reloadQueue(): Promise<void> {
  await settled();
  await fetchBatch(true);
}

function prefetch(): void {
  const q = queue.get();
  if (q.pairs.length < PREFETCH_BELOW && q.more && !q.loading) void fetchBatch(false);
}

let summaryTimer: ReturnType<typeof setTimeout> | undefined;

/** A label re-clusters its pair's records: show the new count now, the new summary once the keys pause. */
function labelsStored(labels: number): void {
  queue.set((q) => ({ ...q, totalLabels: labels }));
  summary.set((s) => (s.data ? { ...s, data: { ...s.data, labels } } : s));
  clearTimeout(summaryTimer);
  summaryTimer = setTimeout(() => void refreshSummary(), 800);
}

/** Label and undo calls go one after the other, in the order the keys were pressed. */
const labelCalls = serial();

/** Resolves once every label sent so far is stored. */
function settled(): Promise<void> {
  return labelCalls.settled();
}

/** Labels the pair on screen; the next one shows at once, the call goes out behind it. */
export function decide(decision: Decision): void {
  const q = queue.get();
  const pair = q.pairs[0];
  if (!pair) return;
  const key = pairKey(pair);
  decided.add(key);
  queue.set(afterDecision(q, decision));
  prefetch();
  void labelCalls.run(async () => {
    try {
      const r = await invoke('matches.label', { a: pair.a.id, b: pair.b.id, label: decision });
      labelsStored(r.labels);
    } catch (err) {
      // Not stored: the pair comes back on top.
      decided.delete(key);
      queue.set((cur) => takeBack(cur, key) ?? cur);
      showError('Could not store the label', err);
    }
  });
}

/** Takes back the last stored label; its pair comes back on top. */
export function undo(): void {
  void labelCalls.run(async () => {
    try {
      const r = await invoke('matches.undo', {});
      if (!r.undone) {
        labelsStored(r.labels);
        showToast('info', 'Nothing to undo', 'No label is stored yet.');
        return;
      }
      const key = pairKey({ a: { id: r.undone.a }, b: { id: r.undone.b } });
      decided.delete(key);
      const back = takeBack(queue.get(), key);
      if (back) queue.set(back);
      labelsStored(r.labels);
      // A label from an earlier session: its pair is not at hand, the queue lists it again.
      if (!back) await fetchBatch(true);
    } catch (err) {
      showError('Could not undo', err);
    }
  });
}

// ---------------------------------------------------------------------------------------------------------
// Threshold: precision/recall by threshold, and re-clustering at another one.

export const curve = createStore<Loadable<Result<'matches.curve'> | null>>(loadable(null));

export async function refreshCurve(): Promise<void> {
  await loadInto(curve, async () => {
    await settled();
    return invoke('matches.curve', {});
  });
}

export interface ReclusterOutcome {
  before: AlignSummary | null;
  after: AlignSummary;
}

/** Re-clusters at `threshold`; resolves with the summaries before and after, or null when refused. */
export async function applyThreshold(threshold: number): Promise<ReclusterOutcome | null> {
  const before = summary.get().data;
  try {
    const after = await invoke('align.recluster', { threshold });
    summary.set({ data: after, loading: false, loaded: true, error: null });
    dataChanged();
    void reloadQueue();
    return { before, after };
  } catch (err) {
    showError('Could not re-cluster', err);
    return null;
  }
}

/** What applying the slider's threshold would change (align.previewThreshold), for the threshold it was asked at. */
export const preview = createStore<Loadable<Result<'align.previewThreshold'> | null>>(loadable(null));

/** Waits for the slider to rest this long before asking. */
const PREVIEW_DELAY_MS = 250;
let previewTimer: ReturnType<typeof setTimeout> | undefined;
let previewSeq = 0;

/** Asks what `threshold` would change once the slider rests; null clears the preview (back at the applied one). */
export function requestPreview(threshold: number | null): void {
  clearTimeout(previewTimer);
  const seq = ++previewSeq;
  if (threshold === null) {
    preview.set(loadable(null));
    return;
  }
  preview.set((p) => ({ ...p, data: null, loading: true, error: null }));
  previewTimer = setTimeout(() => {
    void invoke('align.previewThreshold', { threshold }).then(
      (data) => {
        if (seq === previewSeq) preview.set({ data, loading: false, loaded: true, error: null });
      },
      (err: unknown) => {
        if (seq === previewSeq)
          preview.set({ data: null, loading: false, loaded: true, error: toApiError(err) });
      },
    );
  }, PREVIEW_DELAY_MS);
}

/** A split or merge changed clusters and stored labels. */
export function clustersEdited(): void {
  dataChanged();
  void refreshSummary();
  void reloadQueue();
}

// ---------------------------------------------------------------------------------------------------------

/** Loads the summary and follows the jobs that change it; call when the page first shows. */
export const startMatchesSync = once(() => {
  const firstFinish = finishedOnce();
  subscribe((e) => {
    if (e.event === 'notice') {
      // The worker restarted or the workspace changed: what was shown may be gone.
      void refreshSummary().then(() => {
        dataChanged();
        void reloadQueue();
      });
      return;
    }
    if (firstFinish(e.job)) void jobFinished(e.job);
  });
  onReconnected(() => void refreshSummary());
  void refreshSummary();
});
