/** How job states from events and `jobs.list` answers combine (pure; state/jobs.ts keeps the store). */
import type { JobState } from '../../../core/api/contract';

export type JobMap = ReadonlyMap<string, JobState>;

const FINISHED = new Set<JobState['status']>(['done', 'failed', 'cancelled']);

/** The state to keep when `incoming` arrives for a job shown as `current`. */
export function mergeJob(current: JobState | undefined, incoming: JobState): JobState {
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

/** `jobs` with `list` merged in. */
export function upsertJobs(jobs: JobMap, list: readonly JobState[]): JobMap {
  const next = new Map(jobs);
  for (const job of list) next.set(job.id, mergeJob(jobs.get(job.id), job));
  return next;
}

/** `jobs` without the finished ones among `ids` (dismissed); running ones stay. */
export function withoutFinished(jobs: JobMap, ids: readonly string[]): JobMap {
  const next = new Map(jobs);
  for (const id of ids) if (next.get(id)?.status !== 'running') next.delete(id);
  return next;
}

/**
 * The jobs shown as running that the worker no longer lists, marked failed: they were lost with a worker that
 * stopped (web mode's server reports those itself; Electron's restarted worker knows nothing of them).
 */
export function lostJobs(jobs: JobMap, listed: readonly JobState[], finishedAt: string): JobState[] {
  const known = new Set(listed.map((j) => j.id));
  return [...jobs.values()]
    .filter((j) => j.status === 'running' && !known.has(j.id))
    .map((j) => ({
      ...j,
      status: 'failed' as const,
      finishedAt,
      error: {
        code: 'INTERNAL' as const,
        message: 'The worker process stopped before this job finished; its changes were rolled back.',
        details: {},
      },
    }));
}

/** Newest first. */
export function jobsNewestFirst(jobs: JobMap): JobState[] {
  return [...jobs.values()].sort((a, b) => b.startedAt.localeCompare(a.startedAt));
}

/**
 * For a follower of job events: true the first time an event says a job has ended (done, failed or cancelled),
 * false for running states and for repeats.
 */
export function finishedOnce(): (job: JobState) => boolean {
  const seen = new Set<string>();
  return (job) => {
    if (job.status === 'running' || seen.has(job.id)) return false;
    seen.add(job.id);
    return true;
  };
}
