import type { AlignSummary } from '../../../../core/api/contract';
import { Stat } from '../../components/Stat';
import { formatCount, formatDateTime, formatPercent, formatSeconds } from '../../lib/format';
import { formatScore } from './parts';

/** The alignment at a glance: records, clusters, matched records, threshold, labels, blocking, model. */
export function SummaryStrip({ summary, channels }: { summary: AlignSummary; channels: number | null }) {
  const s = summary;
  return (
    <dl className="summary-strip" aria-label="Alignment summary" data-testid="align-summary">
      <Stat
        label="Records"
        value={formatCount(s.records)}
        sub={channels === null ? undefined : `from ${channels} channel${channels === 1 ? '' : 's'}`}
        testId="summary-records"
      />
      <Stat
        label="Clusters"
        value={formatCount(s.clusters)}
        sub={s.clusters > 0 ? `${(s.records / s.clusters).toFixed(2)} records each` : undefined}
        testId="summary-clusters"
      />
      <Stat
        label="Matched records"
        value={formatCount(s.matchedRecords)}
        sub={s.records > 0 ? `${formatPercent(s.matchedRecords / s.records)} of records` : undefined}
        testId="summary-matched"
      />
      <Stat
        label="Threshold"
        value={formatScore(s.threshold)}
        sub="match probability"
        testId="summary-threshold"
      />
      <Stat label="Labels" value={formatCount(s.labels)} sub="reviewed pairs" testId="summary-labels" />
      <Stat
        label="Blocking recall"
        value={s.blocking.recall === null ? '—' : formatPercent(s.blocking.recall)}
        sub={`${formatCount(s.blocking.candidatePairs)} pairs · ${keptLabel(s.blocking.keptFraction)} kept`}
      />
      <Stat
        label="Training pairs"
        value={formatCount(s.model.trainingPairs)}
        sub={`${formatCount(s.model.positives)} positive`}
        testId="summary-training"
      />
      <Stat
        label="Valid F1"
        value={formatScore(s.model.validF1)}
        sub={s.model.validF1 === null ? 'no validation split' : 'matcher'}
        testId="summary-f1"
      />
    </dl>
  );
}

/** When the alignment ran and how long it took, for the page header. */
export function AlignedAt({ summary }: { summary: AlignSummary }) {
  const total = Object.values(summary.seconds).reduce((a, b) => a + b, 0);
  const phases = Object.entries(summary.seconds)
    .map(([phase, sec]) => `${phase} ${formatSeconds(sec)}`)
    .join(', ');
  return (
    <span className="aligned-at num" title={phases}>
      Aligned {formatDateTime(summary.alignedAt)}
      {total >= 0.1 ? ` · ${formatSeconds(total)}` : ''}
    </span>
  );
}

/** The kept fraction of cross-channel pairs is tiny: show it with enough digits to mean something. */
function keptLabel(fraction: number): string {
  if (fraction <= 0) return '0%';
  const pct = fraction * 100;
  if (pct >= 10) return `${Math.round(pct)}%`;
  if (pct >= 0.1) return `${pct.toFixed(1)}%`;
  return `${pct.toPrecision(1)}%`;
}
