/** The matcher beside the queue: what it was trained on, the Retrain button, and what moved after a retrain. */
import { TableHead } from '../../components/TableHead';
import type { AlignSummary } from '../../../../core/api/contract';
import { ErrorBlock } from '../../components/ErrorBlock';
import { JobButton, JobProgress } from '../../components/JobProgress';
import { formatCount } from '../../lib/format';
import { useStore } from '../../lib/store';
import { useJob } from '../../state/jobs';
import { queue, retrainJob, startRetrain } from './matchesState';
import { formatScore } from './parts';

interface Metric {
  label: string;
  value: (s: AlignSummary) => number | null;
  format: (v: number | null) => string;
  /** Which direction is better, for the colour of the change (null: neither). */
  better: 'up' | 'down' | null;
}

const count = (v: number | null) => (v === null ? '—' : formatCount(v));

const METRICS: Metric[] = [
  { label: 'Training pairs', value: (s) => s.model.trainingPairs, format: count, better: 'up' },
  { label: 'Positive pairs', value: (s) => s.model.positives, format: count, better: null },
  { label: 'Valid F1', value: (s) => s.model.validF1, format: formatScore, better: 'up' },
  { label: 'Clusters', value: (s) => s.clusters, format: count, better: null },
  { label: 'Matched records', value: (s) => s.matchedRecords, format: count, better: null },
];

function delta(m: Metric, before: number | null, after: number | null) {
  const score = m.format === formatScore;
  const d = before === null || after === null ? 0 : after - before;
  // Scores show two decimals: a change that rounds away is no change.
  if (score ? Math.abs(d) < 0.005 : d === 0)
    return <span className="delta delta-none">{score ? '±0.00' : '±0'}</span>;
  const text = score
    ? `${d > 0 ? '+' : '−'}${Math.abs(d).toFixed(2)}`
    : `${d > 0 ? '+' : '−'}${formatCount(Math.abs(d))}`;
  const good = m.better === null ? null : d > 0 === (m.better === 'up');
  return (
    <span className={`delta ${good === null ? 'delta-neutral' : good ? 'delta-good' : 'delta-bad'}`}>
      {text}
    </span>
  );
}

export function RetrainCard({ summary }: { summary: AlignSummary }) {
  const track = useStore(retrainJob);
  const job = useJob(track.jobId);
  const q = useStore(queue);
  const running = track.starting || job?.status === 'running';
  const fresh = q.labelled - (track.jobId ? track.labelledAtStart : 0);
  const compare = track.before && track.after ? { before: track.before, after: track.after } : null;
  return (
    <section className="card side-card" aria-labelledby="model-title" data-testid="retrain-card">
      <div className="side-head">
        <h3 id="model-title" className="side-title">
          Matcher
        </h3>
        <JobButton
          primary={false}
          small
          busy={running}
          onClick={() => void startRetrain()}
          title="Retrain the matcher from the stored labels, then re-cluster"
          label="Retrain"
          busyLabel="Retraining…"
        />
      </div>
      {track.startError && <ErrorBlock title="Could not start retraining" error={track.startError} />}
      {job?.status === 'failed' && job.error && <ErrorBlock title="Retraining failed" error={job.error} />}
      {job?.status === 'running' && <JobProgress job={job} />}
      {compare ? (
        <table className="metric-table" data-testid="retrain-result">
          <caption className="metric-caption">Last retrain</caption>
          <TableHead
            columns={[
              { label: 'Metric' },
              { label: 'Before', num: true },
              { label: 'After', num: true },
              { label: 'Change', num: true },
            ]}
          />
          <tbody>
            {METRICS.map((m) => {
              const b = m.value(compare.before);
              const a = m.value(compare.after);
              return (
                <tr key={m.label}>
                  <th scope="row">{m.label}</th>
                  <td className="num num-col">{m.format(b)}</td>
                  <td className="num num-col">{m.format(a)}</td>
                  <td className="num num-col">{delta(m, b, a)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : (
        <dl className="counters">
          {METRICS.slice(0, 3).map((m) => (
            <div className="counter" key={m.label}>
              <dt>{m.label}</dt>
              <dd className="num">{m.format(m.value(summary))}</dd>
            </div>
          ))}
        </dl>
      )}
      <p className="side-note" data-testid="retrain-note">
        {fresh > 0
          ? `${formatCount(fresh)} new label${fresh === 1 ? '' : 's'}${track.jobId ? ' since the last retrain' : ' this session'}: retrain to learn from ${fresh === 1 ? 'it' : 'them'}.`
          : 'Label pairs, then retrain: the queue refills with what the new model is unsure about.'}
      </p>
    </section>
  );
}
