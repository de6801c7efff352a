import type { JobState } from '../../../core/api/contract';
import { useJob, type JobTrack } from '../state/jobs';
import { formatPercent } from '../lib/format';
import { BlockedReason, useBlockedReason, type WorkspaceAction } from './BlockedReason';
import { ErrorBlock } from './ErrorBlock';
import { Icon } from './Icon';
import { ProgressBar } from './ProgressBar';

/** A running job's bar with its phase and message. */
export function JobProgress({ job }: { job: JobState }) {
  const { done, total, phase, message } = job.progress;
  const known = total > 0;
  return (
    <div className="job-progress">
      <ProgressBar done={done} total={total} label={`${job.title}: ${phase}`} />
      <div className="job-progress-text">
        <span className="job-phase">{phase || 'starting'}</span>
        {message && <span className="job-message">{message}</span>}
        {known && <span className="job-percent num">{formatPercent(done / total)}</span>}
      </div>
    </div>
  );
}

/** A page's own job: why it could not start or why it failed, else its progress while it (or a like job) runs. */
export function JobStatusCard({
  track,
  running,
  startTitle,
  failTitle,
  testId,
}: {
  track: JobTrack;
  running: JobState | null;
  startTitle: string;
  failTitle: string;
  testId: string;
}) {
  const own = useJob(track.jobId);
  if (track.startError) return <ErrorBlock title={startTitle} error={track.startError} />;
  if (own?.status === 'failed' && own.error) return <ErrorBlock title={failTitle} error={own.error} />;
  if (!running) return null;
  return (
    <div className="card align-progress" data-testid={testId}>
      <JobProgress job={running} />
    </div>
  );
}

/** The button that starts a page's job, spinning while it starts or runs; disabled with the reason while the
 * workspace lacks what the job `needs`. */
export function JobButton({
  primary,
  small = false,
  busy,
  onClick,
  title,
  label,
  busyLabel,
  testId,
  needs,
}: {
  primary: boolean;
  small?: boolean;
  busy: boolean;
  onClick: () => void;
  title: string;
  label: string;
  busyLabel: string;
  testId?: string;
  needs?: WorkspaceAction;
}) {
  const blocked = useBlockedReason(needs);
  return (
    <BlockedReason reason={busy ? null : blocked}>
      {(b) => (
        <button
          type="button"
          className={`btn${primary ? ' btn-primary' : ''}${small ? ' btn-sm' : ''}`}
          onClick={onClick}
          disabled={busy || b.disabled}
          title={b.title ?? title}
          aria-describedby={b['aria-describedby']}
          data-testid={testId}
        >
          <Icon name="refresh" className={busy ? 'spin' : undefined} />
          {busy ? busyLabel : label}
        </button>
      )}
    </BlockedReason>
  );
}
