/** Every job the worker knows (`jobs.list`), kept current by job events and refreshed after a reconnect. */
import type { JobState } from '../../../core/api/contract';
import { invoke, onReconnected, subscribe } from '../api/client';
import { createStore, useStore } from '../lib/store';
import { showError } from './toasts';

const jobsById = createStore<ReadonlyMap<string, JobState>>(new Map());

const FINISHED = new Set<JobState['status']>(['done', 'failed', 'cancelled']);

function merge(current: JobState | undefined, incoming: JobState): JobState {
  if (!current) return incoming;
  // A finished state never goes back to running, and progress never goes backwards within a phase.
  if (FINISHED.has(current.status) && !FINISHED.has(incoming.status)) return current;
  if (
    current.status === 'running' &&
    incoming.status === 'running' &&
    current.progress.phase === incoming.progress.phase &&
    incoming.progress.done < current.progress.done
  )
    return current;
  return incoming;
}

function upsert(list: JobState[]): void {
  jobsById.set((prev) => {
    const next = new Map(prev);
    for (const job of list) next.set(job.id, merge(prev.get(job.id), job));
    return next;
  });
}

/**
 * A job shown as running that the worker no longer lists was lost with a worker that stopped (web mode's server
 * reports those itself; Electron's restarted worker knows nothing of them): show it failed, not running forever.
 */
function failLostJobs(listed: JobState[]): void {
  const known = new Set(listed.map((j) => j.id));
  const lost = [...jobsById.get().values()].filter((j) => j.status === 'running' && !known.has(j.id));
  if (lost.length === 0) return;
  const finishedAt = new Date().toISOString();
  upsert(
    lost.map((j) => ({
      ...j,
      status: 'failed' as const,
      finishedAt,
      error: {
        code: 'INTERNAL' as const,
        message: 'The worker process stopped before this job finished; its changes were rolled back.',
        details: {},
      },
    })),
  );
}

async function load(): Promise<void> {
  try {
    const listed = await invoke('jobs.list', {});
    upsert(listed);
    failLostJobs(listed);
  } catch (err) {
    showError('Could not load jobs', err);
  }
}

let started = false;

/** Starts following jobs; call once at start-up. */
export function startJobSync(): void {
  if (started) return;
  started = true;
  subscribe((e) => {
    if (e.event === 'job') upsert([e.job]);
    // A notice may mean the worker restarted (Electron): reconcile with what the new worker knows.
    else if (e.event === 'notice') void load();
  });
  // Events sent while the socket was down are lost: ask for the whole list again.
  onReconnected(() => void load());
  void load();
}

export function useJobs(): JobState[] {
  const map = useStore(jobsById);
  return sortJobs(map);
}

const sorted = new WeakMap<ReadonlyMap<string, JobState>, JobState[]>();
function sortJobs(map: ReadonlyMap<string, JobState>): JobState[] {
  let list = sorted.get(map);
  if (!list) {
    list = [...map.values()].sort((a, b) => b.startedAt.localeCompare(a.startedAt));
    sorted.set(map, list);
  }
  return list;
}

export function useJob(id: string | null): JobState | undefined {
  const map = useStore(jobsById);
  return id ? map.get(id) : undefined;
}

export async function cancelJob(jobId: string): Promise<void> {
  try {
    await invoke('jobs.cancel', { jobId });
  } catch (err) {
    showError('Could not cancel the job', err);
  }
}
