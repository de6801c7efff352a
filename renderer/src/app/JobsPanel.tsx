import { describeError } from '../api/errorText';
import { useEffect, useState } from 'react';
import { CloseButton } from '../components/CloseButton';
import type { JobState } from '../../../core/api/contract';
import { Icon, type IconName } from '../components/Icon';
import { JobProgress } from '../components/JobProgress';
import { elapsedSeconds, formatSeconds, formatTime } from '../lib/format';
import { cancelJob, dismissJobs, useJobs } from '../state/jobs';
import { jobsPanelOpen } from '../state/ui';

const STATUS: Record<JobState['status'], { label: string; icon: IconName }> = {
  running: { label: 'Running', icon: 'activity' },
  done: { label: 'Done', icon: 'check' },
  failed: { label: 'Failed', icon: 'alert' },
  cancelled: { label: 'Cancelled', icon: 'stop' },
};

/** Re-renders every second while something runs, for elapsed times. */
function useTicker(active: boolean): void {
  const [, setTick] = useState(0);
  useEffect(() => {
    if (!active) return;
    const t = setInterval(() => setTick((n) => n + 1), 1000);
    return () => clearInterval(t);
  }, [active]);
}

function JobRow({ job }: { job: JobState }) {
  const s = STATUS[job.status];
  return (
    <li className={`job job-${job.status}`} aria-label={`${job.title}: ${s.label}`}>
      <span className="job-status" title={s.label}>
        <Icon name={s.icon} />
      </span>
      <div className="job-main">
        <div className="job-head">
          <span className="job-title">{job.title}</span>
          <span className="job-kind">{job.kind}</span>
          <span className="job-time num" title={`Started ${job.startedAt}`}>
            {formatTime(job.startedAt)} · {formatSeconds(elapsedSeconds(job.startedAt, job.finishedAt))}
          </span>
        </div>
        {job.status === 'running' && <JobProgress job={job} />}
        {job.status === 'done' && <div className="job-note">{job.progress.message || 'Finished'}</div>}
        {job.status === 'cancelled' && <div className="job-note">Cancelled — nothing was changed.</div>}
        {job.status === 'failed' && (
          <div className="job-note text-danger">
            {job.error ? describeError(job.error).sentence : 'Failed'}
          </div>
        )}
      </div>
      {job.status === 'running' ? (
        <button type="button" className="btn btn-sm" onClick={() => void cancelJob(job.id)}>
          Cancel
        </button>
      ) : (
        <CloseButton label={`Dismiss ${job.title}`} onClick={() => void dismissJobs([job.id])} />
      )}
    </li>
  );
}

export function JobsPanel() {
  const jobs = useJobs();
  const running = jobs.filter((j) => j.status === 'running').length;
  const finished = jobs.filter((j) => j.status !== 'running').map((j) => j.id);
  useTicker(running > 0);
  return (
    <section className="jobs-panel" aria-labelledby="jobs-title">
      <header className="panel-header">
        <h2 id="jobs-title">
          Jobs
          {running > 0 && <span className="badge badge-accent num">{running} running</span>}
        </h2>
        <span className="spacer" />
        {finished.length > 0 && (
          <button type="button" className="btn btn-sm btn-ghost" onClick={() => void dismissJobs(finished)}>
            Clear finished
          </button>
        )}
        <CloseButton label="Close jobs panel" onClick={() => jobsPanelOpen.set(false)} />
      </header>
      {jobs.length === 0 ? (
        <p className="empty-inline">No jobs yet. Imports and other long tasks show their progress here.</p>
      ) : (
        <ul className="job-list">
          {jobs.map((j) => (
            <JobRow key={j.id} job={j} />
          ))}
        </ul>
      )}
    </section>
  );
}
