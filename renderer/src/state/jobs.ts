/** Every job the worker knows (`jobs.list`), kept current by job events and refreshed after a reconnect. */
import { toApiError } from '../api/transport';
import { once } from '../lib/once';
import type { ApiError, JobState } from '../../../core/api/contract';
import { invoke, onReconnected, subscribe } from '../api/client';
import { createStore, useStore, type Store } from '../lib/store';
import { jobsNewestFirst, lostJobs, upsertJobs, withoutFinished, type JobMap } from './jobMerge';
import { showError } from './toasts';

const jobsById = createStore<JobMap>(new Map());

function upsert(list: JobState[]): void {
  jobsById.set((prev) => upsertJobs(prev, list));
}

async function load(): Promise<void> {
  try {
    const listed = await invoke('jobs.list', {});
    upsert(listed);
    const lost = lostJobs(jobsById.get(), listed, new Date().toISOString());
    if (lost.length > 0) upsert(lost);
  } catch (err) {
    showError('Could not load jobs', err);
  }
}

/** Starts following jobs; call once at start-up. */
export const startJobSync = once(() => {
  subscribe((e) => {
    if (e.event === 'job') upsert([e.job]);
    // A notice may mean the worker restarted (Electron): reconcile with what the new worker knows.
    else if (e.event === 'notice') void load();
  });
  // Events sent while the socket was down are lost: ask for the whole list again.
  onReconnected(() => void load());
  void load();
});

export function useJobs(): JobState[] {
  const map = useStore(jobsById);
  return sortJobs(map);
}

const sorted = new WeakMap<JobMap, JobState[]>();
function sortJobs(map: JobMap): JobState[] {
  let list = sorted.get(map);
  if (!list) {
    list = jobsNewestFirst(map);
    sorted.set(map, list);
  }
  return list;
}

export function useJob(id: string | null): JobState | undefined {
  const map = useStore(jobsById);
  return id ? map.get(id) : undefined;
}

/** The page's own job while it runs, else any running job `isKind` accepts (started elsewhere), else null. */
export function useRunningJob(ownId: string | null, isKind: (job: JobState) => boolean): JobState | null {
  const own = useJob(ownId);
  const jobs = useJobs();
  if (own?.status === 'running') return own;
  return jobs.find((j) => j.status === 'running' && isKind(j)) ?? null;
}

/** A job a page starts and follows: its id once started, or why the call that starts it was refused. */
export interface JobTrack {
  jobId: string | null;
  /** The call that starts the job was refused (the job's own failure is on the job). */
  startError: ApiError | null;
  starting: boolean;
}

export const NO_JOB: JobTrack = { jobId: null, startError: null, starting: false };

/** Starts a job with `start` and records it in `store` (its other fields kept). */
export async function startTracked<T extends JobTrack>(
  store: Store<T>,
  start: () => Promise<{ jobId: string }>,
): Promise<void> {
  store.set((t) => ({ ...t, jobId: null, startError: null, starting: true }));
  try {
    const { jobId } = await start();
    store.set((t) => ({ ...t, jobId, starting: false }));
  } catch (err) {
    store.set((t) => ({ ...t, startError: toApiError(err), starting: false }));
  }
}

export async function cancelJob(jobId: string): Promise<void> {
  try {
    await invoke('jobs.cancel', { jobId });
  } catch (err) {
    showError('Could not cancel the job', err);
  }
}

/** Clears finished jobs from the list (and the failed count): the worker forgets them too, so they stay gone. */
export async function dismissJobs(jobIds: string[]): Promise<void> {
  if (jobIds.length === 0) return;
  try {
    const { dismissed } = await invoke('jobs.dismiss', { jobIds });
    jobsById.set((prev) => withoutFinished(prev, dismissed));
  } catch (err) {
    showError('Could not clear the jobs', err);
  }
}
