/**
 * Gap detection as a job (gaps.detect), optionally after an alignment job it waits for (write jobs run in order, so
 * it starts once that one has finished), and the detection that follows every alignment job when the workspace's
 * "re-detect automatically after alignment" setting is on.
 */
import type Database from 'better-sqlite3';
import type { JobRunner } from '../jobs/jobRunner.js';
import { ConcordError } from '../model/errors.js';
import { detectWorkspaceGaps } from './runGaps.js';
import { getDetectSettings } from './settings.js';

/**
 * Starts detection; after `alignJob` when given. `followUp`: started by the setting, not by the user: when the
 * alignment does not finish, detection does not run (cancelled) rather than fail.
 */
export function startDetection(
  jobs: JobRunner,
  workspace: string,
  alignJob: string | null,
  followUp = false,
): string {
  const job = jobs.start({
    kind: 'gaps',
    title: followUp ? 'Find gaps between channels (after alignment)' : 'Find gaps between channels',
    writes: true,
    workspace,
    run: async ({ signal, progress }) => {
      if (alignJob !== null) {
        const aligned = await jobs.wait(alignJob);
        if (aligned.status !== 'done') {
          if (followUp)
            throw new ConcordError('CANCELLED', 'not run: the alignment before it did not finish');
          const error = aligned.error ?? { code: 'CANCELLED', message: 'cancelled', details: {} };
          throw new ConcordError(error.code, `alignment failed: ${error.message}`, error.details);
        }
      }
      return detectWorkspaceGaps(workspace, { signal, onProgress: progress });
    },
  });
  return job.id;
}

/** After an alignment job: the detection that follows it when the workspace asks for one, else null. */
export function followWithDetection(
  jobs: JobRunner,
  db: Database.Database,
  workspace: string,
  alignJob: string,
): string | null {
  if (!getDetectSettings(db).autoDetectAfterAlign) return null;
  return startDetection(jobs, workspace, alignJob, true);
}
