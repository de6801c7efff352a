/**
 * The clustering threshold: precision and recall by threshold from the matcher's validation pairs (the held-out
 * pairs of the summary's valid F1), with the hand labels' own curve on top when there are any; the validation
 * pairs' scores by outcome (as Splink's threshold-selection tool); a slider with a preview of what applying it
 * would merge and split (align.previewThreshold); and Apply, which re-clusters (align.recluster). The figures at a
 * threshold come from thresholdModel.ts.
 */
import { ChartFrame } from '../../components/ChartFrame';
import { useEffect, useMemo, useState } from 'react';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Line,
  LineChart,
  ReferenceDot,
  ReferenceLine,
  Tooltip,
  XAxis,
  YAxis,
  type TooltipContentProps,
} from 'recharts';
import type { AlignSummary } from '../../../../core/api/contract';
import { ErrorBlock } from '../../components/ErrorBlock';
import { formatCount, formatPercent } from '../../lib/format';
import { useStore } from '../../lib/store';
import {
  applyThreshold,
  curve,
  dataVersion,
  preview,
  type ReclusterOutcome,
  refreshCurve,
  requestPreview,
} from './matchesState';
import { formatScore } from './parts';
import {
  chartRows,
  f1Of,
  labelsReadout,
  LABELS_FOR_PERCENT,
  pointAt,
  previewSentence,
  type ChartRow,
  type Curves,
} from './thresholdModel';

const TICKS = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];

const AXIS_LABEL = { className: 'chart-axis-title' };

/** The 0..1 axis of match scores both charts share, with its title. */
function scoreAxis(dataKey: string, title: string) {
  return (
    <XAxis
      dataKey={dataKey}
      type="number"
      domain={[0, 1]}
      ticks={TICKS}
      tickFormatter={(v: number) => v.toFixed(1)}
      className="chart-axis"
      tickLine={false}
      label={{ ...AXIS_LABEL, value: title, position: 'bottom', offset: 2 }}
    />
  );
}

function CurveTooltip({ active, payload, label }: TooltipContentProps) {
  if (!active || !payload || payload.length === 0) return null;
  const row = payload[0]?.payload as ChartRow | undefined;
  if (!row) return null;
  const line = (swatch: string, name: string, value: number | null) =>
    value === null ? null : (
      <div className="chart-tooltip-row" key={name}>
        <span className={`legend-swatch ${swatch}`} />
        {name} <span className="num">{formatPercent(value)}</span>
      </div>
    );
  return (
    <div className="chart-tooltip">
      <div className="chart-tooltip-title num">Threshold {formatScore(Number(label))}</div>
      {line('legend-precision', 'Precision', row.precision)}
      {line('legend-recall', 'Recall', row.recall)}
      {line('legend-precision legend-labels', 'Your labels: precision', row.labelPrecision)}
      {line('legend-recall legend-labels', 'Your labels: recall', row.labelRecall)}
    </div>
  );
}

function Outcome({ outcome }: { outcome: ReclusterOutcome }) {
  const { before, after } = outcome;
  const rows: [string, number | null, number][] = [
    ['Clusters', before?.clusters ?? null, after.clusters],
    ['Matched records', before?.matchedRecords ?? null, after.matchedRecords],
  ];
  return (
    <div className="threshold-outcome" role="status" data-testid="recluster-outcome">
      <div className="threshold-outcome-title">Re-clustered at {formatScore(after.threshold)}</div>
      {rows.map(([label, b, a]) => (
        <BeforeAfter key={label} label={label} before={b} after={a} />
      ))}
    </div>
  );
}

function BeforeAfter({ label, before, after }: { label: string; before: number | null; after: number }) {
  return (
    <div className="threshold-outcome-row num">
      <span>{label}</span>
      <span className="spacer" />
      {before !== null && before !== after && (
        <>
          <span className="text-muted">{formatCount(before)}</span>
          <span className="text-muted" aria-hidden="true">
            →
          </span>
        </>
      )}
      <strong>{formatCount(after)}</strong>
    </div>
  );
}

/** The curves: the validation pairs' (solid) and the hand labels' (dashed, when they have a match). */
const LINES = [
  { key: 'precision', name: 'Precision', className: 'line-precision', labels: false },
  { key: 'recall', name: 'Recall', className: 'line-recall', labels: false },
  {
    key: 'labelPrecision',
    name: 'Your labels: precision',
    className: 'line-precision line-labels',
    labels: true,
  },
  { key: 'labelRecall', name: 'Your labels: recall', className: 'line-recall line-labels', labels: true },
] as const;

/** Where the curve comes from, in the chart's header. */
function sourceNote(c: Curves): string {
  const v = c.validation;
  const parts: string[] = [];
  if (v)
    parts.push(
      v.split === 'valid'
        ? `${formatCount(v.pairs)} validation pairs the matcher did not learn from`
        : `${formatCount(v.pairs)} training pairs (too few for a validation split)`,
    );
  if (c.labels) parts.push(`your ${formatCount(c.labels.pairs)} labels (dashed)`);
  return parts.length > 0 ? `from ${parts.join(' · ')}` : '';
}

function CurveChart({
  c,
  selected,
  applied,
  onChoose,
}: {
  c: Curves;
  selected: number;
  applied: number;
  onChoose: (t: number) => void;
}) {
  const rows = useMemo(() => chartRows(c), [c]);
  const here = pointAt(c.validation, selected);
  const changed = Math.abs(selected - applied) > 1e-9;
  const labelled = !!c.labels && c.labels.matches > 0;
  return (
    <ChartFrame
      className="pr-chart"
      testId="pr-chart"
      label={
        here && here.precision !== null
          ? `Precision and recall on validation pairs; at threshold ${formatScore(selected)} precision ${formatPercent(here.precision)}, recall ${formatPercent(here.recall)}`
          : 'Precision and recall by threshold'
      }
    >
      <LineChart
        data={rows}
        margin={{ top: 22, right: 20, bottom: 18, left: 8 }}
        onClick={(state) => {
          if (typeof state.activeLabel === 'number') onChoose(state.activeLabel);
        }}
        accessibilityLayer={false}
      >
        <CartesianGrid className="chart-grid" vertical={false} />
        {scoreAxis('threshold', 'Threshold (match probability)')}
        <YAxis
          domain={[0, 1]}
          ticks={[0, 0.25, 0.5, 0.75, 1]}
          tickFormatter={(v: number) => formatPercent(v)}
          className="chart-axis"
          tickLine={false}
          axisLine={false}
          width={52}
          label={{ ...AXIS_LABEL, value: 'Precision, recall', angle: -90, position: 'insideLeft', offset: 0 }}
        />
        <Tooltip content={CurveTooltip} isAnimationActive={false} cursor={{ className: 'chart-cursor' }} />
        {changed && <ReferenceLine x={applied} className="chart-applied" strokeDasharray="3 3" />}
        {c.validation && (
          <ReferenceLine x={c.validation.best.threshold} className="chart-best" strokeDasharray="1 3" />
        )}
        <ReferenceLine
          x={selected}
          className="chart-marker"
          label={{ value: formatScore(selected), position: 'top', className: 'chart-marker-label' }}
        />
        {LINES.filter((l) => labelled || !l.labels).map((l) => (
          <Line
            key={l.key}
            type={l.labels ? 'stepAfter' : 'linear'}
            dataKey={l.key}
            name={l.name}
            className={l.className}
            dot={false}
            strokeWidth={l.labels ? 1.5 : 2}
            strokeDasharray={l.labels ? '5 4' : undefined}
            isAnimationActive={false}
          />
        ))}
        {here && here.precision !== null && (
          <ReferenceDot x={selected} y={here.precision} r={4} className="dot-precision" />
        )}
        {here && <ReferenceDot x={selected} y={here.recall} r={4} className="dot-recall" />}
      </LineChart>
    </ChartFrame>
  );
}

/** The validation pairs' scores in buckets, matches and non-matches side by side. */
function ScoreHistogram({ c, selected }: { c: Curves; selected: number }) {
  const v = c.validation;
  const rows = useMemo(() => (v ? v.histogram.map((b) => ({ ...b, mid: (b.from + b.to) / 2 })) : []), [v]);
  if (!v) return null;
  return (
    <section className="card chart-card" aria-labelledby="histogram-title">
      <header className="section-header">
        <h2 id="histogram-title">Match scores by outcome</h2>
        <span className="section-meta num">{formatCount(v.pairs)} validation pairs · square-root scale</span>
        <span className="spacer" />
        <span className="chart-legend" aria-hidden="true">
          <span className="legend-item">
            <span className="legend-block legend-matches" />
            Same product
          </span>
          <span className="legend-item">
            <span className="legend-block legend-nonmatches" />
            Different products
          </span>
        </span>
      </header>
      <ChartFrame
        className="score-histogram"
        testId="score-histogram"
        label={`Match scores of ${formatCount(v.pairs)} validation pairs: ${formatCount(v.matches)} the same product, ${formatCount(v.pairs - v.matches)} different products`}
      >
        <BarChart
          data={rows}
          margin={{ top: 8, right: 20, bottom: 18, left: 8 }}
          barGap={0}
          barCategoryGap={1}
          accessibilityLayer={false}
        >
          <CartesianGrid className="chart-grid" vertical={false} />
          {scoreAxis('mid', 'Match score')}
          <YAxis
            scale="sqrt"
            domain={[0, 'auto']}
            className="chart-axis"
            tickLine={false}
            axisLine={false}
            width={52}
            tickFormatter={(n: number) => formatCount(n)}
            label={{ ...AXIS_LABEL, value: 'Pairs', angle: -90, position: 'insideLeft', offset: 0 }}
          />
          <Tooltip
            isAnimationActive={false}
            cursor={{ className: 'chart-cursor-band' }}
            labelFormatter={(mid) => {
              const m = Number(mid);
              return `Score ${formatScore(m - 0.025)}–${formatScore(m + 0.025)}`;
            }}
            formatter={(value, name) => [formatCount(Number(value)), name]}
          />
          <ReferenceLine x={selected} className="chart-marker" />
          <Bar dataKey="matches" name="Same product" className="bar-matches" isAnimationActive={false} />
          <Bar
            dataKey="nonMatches"
            name="Different products"
            className="bar-nonmatches"
            isAnimationActive={false}
          />
        </BarChart>
      </ChartFrame>
    </section>
  );
}

function Readout({ c, selected }: { c: Curves; selected: number }) {
  const here = pointAt(c.validation, selected);
  const f1 = here ? f1Of(here) : null;
  const v = c.validation;
  return (
    <>
      <div className="threshold-source">
        {v
          ? `On ${formatCount(v.pairs)} ${v.split === 'valid' ? 'validation' : 'training'} pairs`
          : 'No validation pairs'}
      </div>
      <dl className="threshold-readout" data-testid="validation-readout">
        <div>
          <dt>Precision</dt>
          <dd className="num" data-testid="readout-precision">
            {here && here.precision !== null ? formatPercent(here.precision) : '—'}
          </dd>
        </div>
        <div>
          <dt>Recall</dt>
          <dd className="num" data-testid="readout-recall">
            {here && v && v.matches > 0 ? formatPercent(here.recall) : '—'}
          </dd>
        </div>
        <div>
          <dt>F1</dt>
          <dd className="num" data-testid="readout-f1">
            {f1 === null ? '—' : formatScore(f1)}
          </dd>
        </div>
      </dl>
      {v && (
        <p className="side-note num" data-testid="matcher-threshold">
          The matcher&apos;s own threshold on these pairs is {formatScore(v.best.threshold)}: F1{' '}
          {formatScore(v.best.f1)} there, the Valid F1 of the summary.
        </p>
      )}
      {c.labels && (
        <p className="side-note num threshold-labels" data-testid="labels-readout">
          Your {labelsReadout(c.labels, selected)}.
          {c.labels.pairs < LABELS_FOR_PERCENT &&
            ` The review queue shows the hardest pairs, near the threshold: ${LABELS_FOR_PERCENT} labels or more give a rough estimate.`}
        </p>
      )}
    </>
  );
}

function Preview({ threshold }: { threshold: number }) {
  const p = useStore(preview);
  if (p.error) return <ErrorBlock title="Could not preview this threshold" error={p.error} />;
  const data = p.data && Math.abs(p.data.threshold - threshold) < 1e-9 ? p.data : null;
  return (
    <div className="threshold-preview" role="status" aria-busy={!data} data-testid="threshold-preview">
      {data ? (
        <>
          <div className="threshold-outcome-title">
            At {formatScore(threshold)}: {previewSentence(data)}
          </div>
          <BeforeAfter label="Clusters" before={data.clusters.before} after={data.clusters.after} />
          <BeforeAfter
            label="Matched records"
            before={data.matchedRecords.before}
            after={data.matchedRecords.after}
          />
        </>
      ) : (
        <span className="text-muted">Working out what {formatScore(threshold)} would change…</span>
      )}
    </div>
  );
}

export function ThresholdPanel({ summary }: { summary: AlignSummary }) {
  const c = useStore(curve);
  const version = useStore(dataVersion);
  // The slider starts at the applied threshold and follows it when it changes elsewhere.
  const [chosen, setChosen] = useState({ base: summary.threshold, value: summary.threshold });
  const selected = chosen.base === summary.threshold ? chosen.value : summary.threshold;
  const choose = (value: number) => {
    const rounded = Math.round(value * 100) / 100;
    setChosen({ base: summary.threshold, value: rounded });
    requestPreview(Math.abs(rounded - summary.threshold) > 1e-9 ? rounded : null);
  };
  const [applying, setApplying] = useState(false);
  const [outcome, setOutcome] = useState<ReclusterOutcome | null>(null);

  useEffect(() => {
    void refreshCurve();
  }, [version]);

  const changed = Math.abs(selected - summary.threshold) > 1e-9;
  const data = c.data;
  const nothing = !!data && !data.validation && !data.labels;

  const apply = async () => {
    setApplying(true);
    const r = await applyThreshold(selected);
    setApplying(false);
    if (r) setOutcome(r);
  };

  return (
    <div className="aside-layout threshold-layout">
      <div className="threshold-charts">
        <section className="card chart-card" aria-labelledby="curve-title">
          <header className="section-header">
            <h2 id="curve-title">Precision and recall by threshold</h2>
            <span className="section-meta num" data-testid="curve-source">
              {data ? sourceNote(data) : ''}
            </span>
            <span className="spacer" />
            <span className="chart-legend" aria-hidden="true">
              <span className="legend-item">
                <span className="legend-swatch legend-precision" />
                Precision
              </span>
              <span className="legend-item">
                <span className="legend-swatch legend-recall" />
                Recall
              </span>
              <span className="legend-item">
                <span className="legend-swatch legend-marker" />
                Chosen
              </span>
              {data?.validation && (
                <span className="legend-item">
                  <span className="legend-swatch legend-best" />
                  Matcher&apos;s
                </span>
              )}
              {changed && (
                <span className="legend-item">
                  <span className="legend-swatch legend-applied" />
                  Applied
                </span>
              )}
            </span>
          </header>
          {c.error && <ErrorBlock title="Could not load the curve" error={c.error} />}
          {nothing && (
            <div className="empty-state empty-state-compact chart-empty">
              This alignment has no matcher to measure (too few pairs known for sure to learn from), and no
              pair is labelled yet: label pairs in the review queue, or re-align.
            </div>
          )}
          {data && !nothing && (
            <CurveChart c={data} selected={selected} applied={summary.threshold} onChoose={choose} />
          )}
          {!data && !c.error && <div className="pr-chart" aria-busy="true" />}
        </section>
        {data && <ScoreHistogram c={data} selected={selected} />}
      </div>

      <section className="card threshold-card" aria-labelledby="threshold-title">
        <h2 id="threshold-title">Threshold</h2>
        <p className="side-note">
          Pairs scored at or above it link records into one product. Higher: fewer wrong merges, more missed
          ones.
        </p>
        <div className="threshold-slider">
          <label htmlFor="threshold-input" className="sr-only">
            Threshold
          </label>
          <input
            id="threshold-input"
            type="range"
            min={0}
            max={1}
            step={0.01}
            value={selected}
            onChange={(e) => choose(Number(e.target.value))}
            aria-valuetext={formatScore(selected)}
            data-testid="threshold-slider"
          />
          <output htmlFor="threshold-input" className="threshold-value num" data-testid="threshold-value">
            {formatScore(selected)}
          </output>
        </div>
        {data && <Readout c={data} selected={selected} />}
        <div className="threshold-applied text-muted num">Applied: {formatScore(summary.threshold)}</div>
        {changed && <Preview threshold={selected} />}
        <div className="card-actions">
          <button
            type="button"
            className="btn btn-primary"
            onClick={() => void apply()}
            disabled={!changed || applying}
          >
            {applying ? 'Re-clustering…' : 'Apply threshold'}
          </button>
          <button
            type="button"
            className="btn btn-ghost"
            onClick={() => choose(summary.threshold)}
            disabled={!changed || applying}
          >
            Reset
          </button>
        </div>
        {outcome && <Outcome outcome={outcome} />}
      </section>
    </div>
  );
}
