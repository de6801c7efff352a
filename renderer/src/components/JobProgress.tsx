import type { JobState } from '../../../core/api/contract';
import { formatPercent } from '../lib/format';
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
