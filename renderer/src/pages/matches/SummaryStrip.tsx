import type { AlignSummary } from '../../../../core/api/contract';
import { Stat } from '../../components/Stat';
import { formatCount, formatDateTime, formatPercent, formatSeconds } from '../../lib/format';
import { useJobs } from '../../state/jobs';
import { alignDurationSeconds } from './alignDuration';
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
        hint="Product records imported from every channel: each variant of each channel's export counts once."
      />
      <Stat
        label="Clusters"
        value={formatCount(s.clusters)}
        sub={s.clusters > 0 ? `${(s.records / s.clusters).toFixed(2)} records each` : undefined}
        testId="summary-clusters"
        hint="Products found: records of different channels that the matcher took for the same product are grouped into one cluster. A record with no match is a product of its own."
      />
      <Stat
        label="Matched records"
        value={formatCount(s.matchedRecords)}
        sub={s.records > 0 ? `${formatPercent(s.matchedRecords / s.records)} of records` : undefined}
        testId="summary-matched"
        hint="Records grouped with at least one record of another channel. The rest were found on one channel only."
      />
      <Stat
        label="Threshold"
        value={formatScore(s.threshold)}
        sub="match probability"
        testId="summary-threshold"
        hint="How sure the matcher must be (0 to 1) before two records count as the same product. Higher means fewer wrong merges but more missed matches. Change it in the Threshold view."
      />
      <Stat
        label="Labels"
        value={formatCount(s.labels)}
        sub="reviewed pairs"
        testId="summary-labels"
        hint="Pairs a person decided: same product or not (the review queue, splits, merges, label files). They override the matcher, and it learns from them when it retrains."
      />
      <Stat
        label="Blocking recall"
        value={s.blocking.recall === null ? '—' : formatPercent(s.blocking.recall)}
        sub={`${formatCount(s.blocking.candidatePairs)} pairs · ${keptLabel(s.blocking.keptFraction)} kept`}
        testId="summary-blocking"
        hint="Comparing every record with every other would take too long, so only likely pairs are compared (sharing a barcode, a model code or similar words). Blocking recall is the share of true matches that made it into those pairs: a match left out can never be found. It needs a ground-truth file; — without one."
      />
      <Stat
        label="Training pairs"
        value={formatCount(s.model.trainingPairs)}
        sub={`${formatCount(s.model.positives)} positive`}
        testId="summary-training"
        hint="Pairs the matcher learned from: pairs whose answer is known for sure (the same or a different barcode, a shared SKU) and your labels. Positive: the same product."
      />
      <Stat
        label="Valid F1"
        value={formatScore(s.model.validF1)}
        sub={s.model.validF1 === null ? 'no validation split' : 'matcher'}
        testId="summary-f1"
        hint="How well the matcher decides pairs it did not learn from (validation pairs held out from training), from 0 to 1. It combines precision (of the pairs it calls the same product, the share that are) and recall (of the true matches, the share it finds); 1 is perfect. The Threshold view shows both by threshold."
      />
    </dl>
  );
}

/** When the alignment ran and how long it took (alignDuration.ts), for the page header. */
export function AlignedAt({ summary }: { summary: AlignSummary }) {
  const total = alignDurationSeconds(summary, useJobs());
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
