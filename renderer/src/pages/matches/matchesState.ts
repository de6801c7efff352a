/**
 * The Matches page's state, kept outside the page so a running alignment, the review queue and the session's
 * counters survive a visit to another page: the alignment summary, the align / retrain jobs, the review queue
 * (prefetched, labels sent in order) and the precision/recall curve.
 */
import type { AlignSummary, ApiError, JobState, PairView, Result } from '../../../../core/api/contract';
import { invoke, onReconnected, subscribe } from '../../api/client';
import { toApiError } from '../../api/transport';
import { createStore } from '../../lib/store';
import { showError, showToast } from '../../state/toasts';
import type { Loadable } from '../../state/workspace';

export type Decision = 'match' | 'no_match' | 'skip';

/** Pairs asked for at a time, and how few may be left before the next batch is fetched. */
const QUEUE_BATCH = 100;
const PREFETCH_BELOW = 25;

function loadable<T>(data: T): Loadable<T> {
  return { data, loading: false, loaded: false, error: null };
}

// ---------------------------------------------------------------------------------------------------------
// Summary, and a version every view that shows clusters or pairs watches to reload after the data changed.

export const summary = createStore<Loadable<AlignSummary | null>>({ ...loadable(null), loading: true });

/** Bumped whenever clusters or probabilities changed (align, retrain, recluster, split, merge). */
export const dataVersion = createStore(0);

function dataChanged(): void {
  dataVersion.set((v) => v + 1);
}

export async function refreshSummary(): Promise<AlignSummary | null> {
  summary.set((s) => ({ ...s, loading: true }));
  try {
    const data = await invoke('align.summary', {});
    summary.set({ data, loading: false, loaded: true, error: null });
    return data;
  } catch (err) {
    summary.set((s) => ({ ...s, loading: false, loaded: true, error: toApiError(err) }));
    return null;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Jobs: align (align.start) and retrain (matches.retrain). Their progress is read from the shared jobs store.

export interface JobTrack {
  jobId: string | null;
  /** The call that starts the job was refused (the job's own failure is on the job). */
  startError: ApiError | null;
  starting: boolean;
}

export const alignJob = createStore<JobTrack>({ jobId: null, startError: null, starting: false });

export interface RetrainTrack extends JobTrack {
  /** The summary when the retrain started, and after it finished: the metrics that moved. */
  before: AlignSummary | null;
  after: AlignSummary | null;
  /** This session's label count when it started: labels after it are new to the model. */
  labelledAtStart: number;
}

export const retrainJob = createStore<RetrainTrack>({
  jobId: null,
  startError: null,
  starting: false,
  before: null,
  after: null,
  labelledAtStart: 0,
});

/** Job kinds that change what this page shows, when started elsewhere (another window, the CLI). */
function isAlignmentJob(job: JobState): boolean {
  return /align|match|retrain|cluster/i.test(job.kind);
}

export async function startAlign(): Promise<void> {
  alignJob.set({ jobId: null, startError: null, starting: true });
  try {
    const { jobId } = await invoke('align.start', {});
    alignJob.set({ jobId, startError: null, starting: false });
  } catch (err) {
    alignJob.set({ jobId: null, startError: toApiError(err), starting: false });
  }
}

export async function startRetrain(): Promise<void> {
  const before = summary.get().data;
  retrainJob.set({
    jobId: null,
    startError: null,
    starting: true,
    before,
    after: null,
    labelledAtStart: queue.get().labelled,
  });
  try {
    // Labels still on their way must be stored before the model learns from them.
    await settled();
    const { jobId } = await invoke('matches.retrain', {});
    retrainJob.set((r) => ({ ...r, jobId, starting: false }));
  } catch (err) {
    retrainJob.set((r) => ({ ...r, startError: toApiError(err), starting: false }));
  }
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

export interface QueueState {
  /** Pairs still to review; the first is on screen. */
  pairs: PairView[];
  loading: boolean;
  loaded: boolean;
  error: ApiError | null;
  /** The last batch was full: more pairs wait beyond those loaded. */
  more: boolean;
  /** This session's decisions. */
  labelled: number;
  skipped: number;
  /** Labels stored in the workspace (from the last label or undo answer), null until one was sent. */
  totalLabels: number | null;
  /** This session's decisions, newest last, to bring a pair back on undo. */
  history: { pair: PairView; decision: Decision }[];
}

export const queue = createStore<QueueState>({
  pairs: [],
  loading: false,
  loaded: false,
  error: null,
  more: false,
  labelled: 0,
  skipped: 0,
  totalLabels: null,
  history: [],
});

export function pairKey(p: { a: { id: number }; b: { id: number } }): string {
  return p.a.id < p.b.id ? `${p.a.id}-${p.b.id}` : `${p.b.id}-${p.a.id}`;
}

/** Pairs decided in this session (or on their way): a batch fetched meanwhile may still list them. */
const decided = new Set<string>();
let fetchSeq = 0;

async function fetchBatch(replace: boolean): Promise<void> {
  const seq = ++fetchSeq;
  queue.set((q) => ({ ...q, loading: true }));
  try {
    const batch = await invoke('matches.queue', { limit: QUEUE_BATCH });
    if (seq !== fetchSeq) return;
    queue.set((q) => {
      const keep = replace ? [] : q.pairs;
      const seen = new Set(keep.map(pairKey));
      const fresh = batch.filter((p) => !decided.has(pairKey(p)) && !seen.has(pairKey(p)));
      return {
        ...q,
        pairs: [...keep, ...fresh],
        loading: false,
        loaded: true,
        error: null,
        more: batch.length >= QUEUE_BATCH,
      };
    });
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

let chain: Promise<void> = Promise.resolve();

/** Label and undo calls go one after the other, in the order the keys were pressed. */
function serially(task: () => Promise<void>): Promise<void> {
  const next = chain.then(task);
  chain = next.catch(() => undefined);
  return next;
}

/** Resolves once every label sent so far is stored. */
function settled(): Promise<void> {
  return chain;
}

/** Labels the pair on screen; the next one shows at once, the call goes out behind it. */
export function decide(decision: Decision): void {
  const q = queue.get();
  const pair = q.pairs[0];
  if (!pair) return;
  const key = pairKey(pair);
  decided.add(key);
  queue.set({
    ...q,
    pairs: q.pairs.slice(1),
    labelled: q.labelled + (decision === 'skip' ? 0 : 1),
    skipped: q.skipped + (decision === 'skip' ? 1 : 0),
    history: [...q.history, { pair, decision }],
  });
  prefetch();
  void serially(async () => {
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

/** The state with the pair `key` out of the history and back on top of the queue; null if not in the history. */
function takeBack(q: QueueState, key: string): QueueState | null {
  let i = q.history.length - 1;
  while (i >= 0 && pairKey(q.history[i].pair) !== key) i--;
  if (i < 0) return null;
  const { pair, decision } = q.history[i];
  return {
    ...q,
    pairs: [pair, ...q.pairs.filter((p) => pairKey(p) !== key)],
    labelled: q.labelled - (decision === 'skip' ? 0 : 1),
    skipped: q.skipped - (decision === 'skip' ? 1 : 0),
    history: [...q.history.slice(0, i), ...q.history.slice(i + 1)],
  };
}

/** Takes back the last stored label; its pair comes back on top. */
export function undo(): void {
  void serially(async () => {
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
  curve.set((c) => ({ ...c, loading: true }));
  try {
    await settled();
    const data = await invoke('matches.curve', {});
    curve.set({ data, loading: false, loaded: true, error: null });
  } catch (err) {
    curve.set((c) => ({ ...c, loading: false, loaded: true, error: toApiError(err) }));
  }
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

/** A split or merge changed clusters and stored labels. */
export function clustersEdited(): void {
  dataChanged();
  void refreshSummary();
  void reloadQueue();
}

// ---------------------------------------------------------------------------------------------------------

let started = false;

/** Loads the summary and follows the jobs that change it; call when the page first shows. */
export function startMatchesSync(): void {
  if (started) return;
  started = true;
  const finished = new Set<string>();
  subscribe((e) => {
    if (e.event === 'notice') {
      // The worker restarted or the workspace changed: what was shown may be gone.
      void refreshSummary().then(() => {
        dataChanged();
        void reloadQueue();
      });
      return;
    }
    if (e.job.status === 'running' || finished.has(e.job.id)) return;
    finished.add(e.job.id);
    void jobFinished(e.job);
  });
  onReconnected(() => void refreshSummary());
  void refreshSummary();
}
