/**
 * How long the alignment shown took, for the Matches header: the duration of the job that produced it when the
 * jobs list still has it, else the run's own wall time (`seconds.total`). The run's `seconds` also holds every
 * stage's time and the CPU seconds: adding them all up counted the time twice and the CPU time on top.
 */
import type { AlignSummary, JobState } from '../../../../core/api/contract';
import { elapsedSeconds } from '../../lib/format';

/** Entries of `seconds` that are not a stage: the run's wall time and its CPU seconds. */
const NOT_WALL_TIME = new Set(['total', 'cpu']);

export function alignDurationSeconds(summary: AlignSummary, jobs: readonly JobState[]): number {
  const job = jobs.find(
    (j) =>
      j.status === 'done' &&
      j.finishedAt !== null &&
      (j.result as { alignedAt?: unknown } | undefined)?.alignedAt === summary.alignedAt,
  );
  if (job) return elapsedSeconds(job.startedAt, job.finishedAt);
  const { seconds } = summary;
  if (seconds.total !== undefined) return seconds.total;
  return Object.entries(seconds)
    .filter(([phase]) => !NOT_WALL_TIME.has(phase))
    .reduce((sum, [, s]) => sum + s, 0);
}
