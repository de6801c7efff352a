/**
 * The clustering threshold: precision and recall by threshold (estimated from the labelled pairs) as a line
 * chart with a marker at the chosen threshold, a slider, and Apply, which re-clusters (align.recluster).
 */
import { ChartFrame } from '../../components/ChartFrame';
import { useEffect, useMemo, useState } from 'react';
import {
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
import type { AlignSummary, Result } from '../../../../core/api/contract';
import { ErrorBlock } from '../../components/ErrorBlock';
import { formatCount, formatPercent } from '../../lib/format';
import { useStore } from '../../lib/store';
import { applyThreshold, curve, dataVersion, type ReclusterOutcome, refreshCurve } from './matchesState';
import { formatScore } from './parts';

type CurvePoint = Result<'matches.curve'>['points'][number];

/** Fewer labelled pairs than this make a coarse curve: say so. */
const ROUGH_BELOW = 30;

const TICKS = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];

/** Precision and recall at `t`, interpolated between the curve's points. */
function at(points: CurvePoint[], t: number): { precision: number; recall: number } | null {
  if (points.length === 0) return null;
  const sorted = [...points].sort((a, b) => a.threshold - b.threshold);
  if (t <= sorted[0].threshold) return sorted[0];
  const last = sorted[sorted.length - 1];
  if (t >= last.threshold) return last;
  const i = sorted.findIndex((p) => p.threshold >= t);
  const lo = sorted[i - 1];
  const hi = sorted[i];
  const f = hi.threshold === lo.threshold ? 0 : (t - lo.threshold) / (hi.threshold - lo.threshold);
  return {
    precision: lo.precision + f * (hi.precision - lo.precision),
    recall: lo.recall + f * (hi.recall - lo.recall),
  };
}

function f1(p: number, r: number): number {
  return p + r === 0 ? 0 : (2 * p * r) / (p + r);
}

function CurveTooltip({ active, payload, label }: TooltipContentProps) {
  if (!active || !payload || payload.length === 0) return null;
  const point = payload[0]?.payload as CurvePoint | undefined;
  if (!point) return null;
  return (
    <div className="chart-tooltip">
      <div className="chart-tooltip-title num">Threshold {formatScore(Number(label))}</div>
      <div className="chart-tooltip-row">
        <span className="legend-swatch legend-precision" />
        Precision <span className="num">{formatPercent(point.precision)}</span>
      </div>
      <div className="chart-tooltip-row">
        <span className="legend-swatch legend-recall" />
        Recall <span className="num">{formatPercent(point.recall)}</span>
      </div>
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
        <div key={label} className="threshold-outcome-row num">
          <span>{label}</span>
          <span className="spacer" />
          {b !== null && b !== a && (
            <>
              <span className="text-muted">{formatCount(b)}</span>
              <span className="text-muted" aria-hidden="true">
                →
              </span>
            </>
          )}
          <strong>{formatCount(a)}</strong>
        </div>
      ))}
    </div>
  );
}

/** The two curves over the threshold. */
const CURVES = [
  { key: 'precision', name: 'Precision' },
  { key: 'recall', name: 'Recall' },
] as const;

export function ThresholdPanel({ summary }: { summary: AlignSummary }) {
  const c = useStore(curve);
  const version = useStore(dataVersion);
  // The slider starts at the applied threshold and follows it when it changes elsewhere.
  const [chosen, setChosen] = useState({ base: summary.threshold, value: summary.threshold });
  const selected = chosen.base === summary.threshold ? chosen.value : summary.threshold;
  const choose = (value: number) =>
    setChosen({ base: summary.threshold, value: Math.round(value * 100) / 100 });
  const [applying, setApplying] = useState(false);
  const [outcome, setOutcome] = useState<ReclusterOutcome | null>(null);

  useEffect(() => {
    void refreshCurve();
  }, [version]);

  const points = useMemo(
    () => [...(c.data?.points ?? [])].sort((a, b) => a.threshold - b.threshold),
    [c.data],
  );
  const here = at(points, selected);
  const applied = at(points, summary.threshold);
  const changed = Math.abs(selected - summary.threshold) > 1e-9;

  const apply = async () => {
    setApplying(true);
    const r = await applyThreshold(selected);
    setApplying(false);
    if (r) setOutcome(r);
  };

  return (
    <div className="aside-layout threshold-layout">
      <section className="card chart-card" aria-labelledby="curve-title">
        <header className="section-header">
          <h2 id="curve-title">Precision and recall by threshold</h2>
          <span className="section-meta num">
            {c.data
              ? `from ${formatCount(c.data.labels)} labelled pair${c.data.labels === 1 ? '' : 's'}` +
                (c.data.labels < ROUGH_BELOW ? ' · rough until more are labelled' : '')
              : ''}
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
            {changed && (
              <span className="legend-item">
                <span className="legend-swatch legend-applied" />
                Applied
              </span>
            )}
          </span>
        </header>
        {c.error && <ErrorBlock title="Could not load the curve" error={c.error} />}
        {!c.error && c.loaded && points.length === 0 ? (
          <div className="empty-state empty-state-compact chart-empty">
            No labelled pairs yet: label pairs in the review queue to estimate precision and recall.
          </div>
        ) : (
          <ChartFrame
            className="pr-chart"
            testId="pr-chart"
            label={
              here
                ? `Precision and recall curve; at threshold ${formatScore(selected)} precision ${formatPercent(here.precision)}, recall ${formatPercent(here.recall)}`
                : 'Precision and recall curve'
            }
          >
            {points.length > 0 && (
              <LineChart
                data={points}
                margin={{ top: 22, right: 20, bottom: 4, left: 0 }}
                onClick={(state) => {
                  if (typeof state.activeLabel === 'number') choose(state.activeLabel);
                }}
                accessibilityLayer={false}
              >
                <CartesianGrid className="chart-grid" vertical={false} />
                <XAxis
                  dataKey="threshold"
                  type="number"
                  domain={[0, 1]}
                  ticks={TICKS}
                  tickFormatter={(v: number) => v.toFixed(1)}
                  className="chart-axis"
                  tickLine={false}
                />
                <YAxis
                  domain={[0, 1]}
                  ticks={[0, 0.25, 0.5, 0.75, 1]}
                  tickFormatter={(v: number) => formatPercent(v)}
                  className="chart-axis"
                  tickLine={false}
                  axisLine={false}
                  width={44}
                />
                <Tooltip
                  content={CurveTooltip}
                  isAnimationActive={false}
                  cursor={{ className: 'chart-cursor' }}
                />
                {changed && (
                  <ReferenceLine x={summary.threshold} className="chart-applied" strokeDasharray="3 3" />
                )}
                <ReferenceLine
                  x={selected}
                  className="chart-marker"
                  label={{ value: formatScore(selected), position: 'top', className: 'chart-marker-label' }}
                />
                {CURVES.map((c) => (
                  <Line
                    key={c.key}
                    type="linear"
                    dataKey={c.key}
                    name={c.name}
                    className={`line-${c.key}`}
                    dot={false}
                    strokeWidth={2}
                    isAnimationActive={false}
                  />
                ))}
                {here && <ReferenceDot x={selected} y={here.precision} r={4} className="dot-precision" />}
                {here && <ReferenceDot x={selected} y={here.recall} r={4} className="dot-recall" />}
              </LineChart>
            )}
          </ChartFrame>
        )}
      </section>

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
        <dl className="threshold-readout">
          <div>
            <dt>Precision</dt>
            <dd className="num">{here ? formatPercent(here.precision) : '—'}</dd>
          </div>
          <div>
            <dt>Recall</dt>
            <dd className="num">{here ? formatPercent(here.recall) : '—'}</dd>
          </div>
          <div>
            <dt>F1</dt>
            <dd className="num">{here ? formatScore(f1(here.precision, here.recall)) : '—'}</dd>
          </div>
        </dl>
        <div className="threshold-applied text-muted num">
          Applied: {formatScore(summary.threshold)}
          {applied &&
            ` · precision ${formatPercent(applied.precision)} · recall ${formatPercent(applied.recall)}`}
        </div>
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
