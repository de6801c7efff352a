/**
 * The dashboard's charts (recharts, loaded only with the dashboard): open gaps per channel stacked by family of
 * gap (four colours of a palette made for categories, named beside the bars), and open gaps across detections
 * (summary.trend) once there are two.
 */
import { ChartFrame } from '../../components/ChartFrame';
import { Card } from '../../components/Card';
import { useMemo } from 'react';
import {
  Bar,
  BarChart,
  CartesianGrid,
  LabelList,
  Line,
  LineChart,
  Tooltip,
  XAxis,
  YAxis,
  type TooltipContentProps,
} from 'recharts';
import type { GapKind, GapsSummary } from '../../../../core/api/contract';
import { formatCount, formatDateTime } from '../../lib/format';
import { KIND_LABEL, KINDS, plural } from './labels';
import { FAMILIES, FAMILY_KINDS, FAMILY_LABEL, familyTotals, type Family } from './chartScales';

/** The kind's colour (`--kind-N`, N its place in KINDS), for tooltip swatches. */
function kindColor(kind: string): string {
  return `var(--kind-${Math.max(0, KINDS.indexOf(kind as GapKind))})`;
}

/** A family's colour: Okabe–Ito's colour-blind-safe categorical palette (gaps.css `--family-*`). */
function familyColor(f: Family): string {
  return `var(--family-${f})`;
}

type FamilyRow = ReturnType<typeof familyTotals>[number];

function StackTooltip({
  active,
  payload,
  label,
  byKind,
}: TooltipContentProps & { byKind: Map<string, number> }) {
  if (!active || !payload || payload.length === 0) return null;
  const row = payload[0]?.payload as FamilyRow;
  return (
    <div className="chart-tooltip">
      <div className="chart-tooltip-title">
        {String(label)} · <span className="num">{formatCount(row.total)}</span> open
      </div>
      {[...FAMILIES]
        .reverse()
        .filter((f) => row[f] > 0)
        .map((f) => (
          <div key={f}>
            <div className="chart-tooltip-row">
              <span className="legend-swatch" style={{ background: familyColor(f) }} />
              <strong>{FAMILY_LABEL[f]}</strong>
              <span className="num">{formatCount(row[f])}</span>
            </div>
            {FAMILY_KINDS[f]
              .filter((k) => (byKind.get(`${row.channel}|${k}`) ?? 0) > 0)
              .map((k) => (
                <div key={k} className="chart-tooltip-row chart-tooltip-sub">
                  {KIND_LABEL[k]}
                  <span className="num">{formatCount(byKind.get(`${row.channel}|${k}`) ?? 0)}</span>
                </div>
              ))}
          </div>
        ))}
    </div>
  );
}

interface SegmentProps {
  x?: number | string;
  y?: number | string;
  width?: number | string;
  height?: number | string;
  value?: unknown;
}

function box(p: SegmentProps): [number, number, number, number] {
  return [p.x, p.y, p.width, p.height].map(Number) as [number, number, number, number];
}

/** A segment's count inside it, when it fits. */
function CountLabel(props: SegmentProps) {
  const [x, y, width, height] = box(props);
  const n = Number(props.value ?? 0);
  if (!n || !(height >= 14)) return null;
  return (
    <text x={x + width / 2} y={y + height / 2} dy="0.35em" textAnchor="middle" className="bar-count">
      {formatCount(n)}
    </text>
  );
}

/** The family's name beside its segment of the last bar (direct labels): the row carries it only there. */
function FamilyLabel(props: SegmentProps) {
  const [x, y, width, height] = box(props);
  if (typeof props.value !== 'string' || props.value === '' || !(height >= 10)) return null;
  return (
    <text x={x + width + 6} y={y + height / 2} dy="0.35em" className="bar-family">
      {props.value}
    </text>
  );
}

function TrendTooltip({ active, payload }: TooltipContentProps) {
  if (!active || !payload || payload.length === 0) return null;
  const d = payload[0]?.payload as {
    detectedAt: string;
    open: number;
    sources: number;
    byKind: Record<string, number>;
  };
  const kinds = Object.entries(d.byKind)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1]);
  return (
    <div className="chart-tooltip">
      <div className="chart-tooltip-title num">{formatDateTime(d.detectedAt)}</div>
      <div className="chart-tooltip-row">
        Open gaps <span className="num">{formatCount(d.open)}</span>
      </div>
      <div className="chart-tooltip-row">
        Sources <span className="num">{formatCount(d.sources)}</span>
      </div>
      {kinds.map(([k, n]) => (
        <div key={k} className="chart-tooltip-row">
          <span className="legend-swatch" style={{ background: kindColor(k) }} />
          {KIND_LABEL[k as GapKind] ?? k}
          <span className="num">{formatCount(n)}</span>
        </div>
      ))}
    </div>
  );
}

/** The y axis of every count chart: whole numbers, grouped thousands, no line or ticks. */
const COUNT_AXIS = {
  allowDecimals: false,
  tickLine: false,
  axisLine: false,
  width: 52,
  tickFormatter: (v: number) => formatCount(v),
} as const;

/** An axis title (recharts draws it in the chart's margin). */
function axisTitle(value: string, axis: 'x' | 'y') {
  return axis === 'x'
    ? { value, position: 'insideBottom' as const, offset: -2, className: 'axis-title' }
    : {
        value,
        angle: -90,
        position: 'insideLeft' as const,
        style: { textAnchor: 'middle' as const },
        className: 'axis-title',
      };
}

export default function Charts({ s }: { s: GapsSummary }) {
  const { data, families, byKind } = useMemo(() => {
    const rows = familyTotals(
      s.completeness.map((c) => c.channel),
      s.matrix,
    );
    const last = rows.length;
    const data = rows.map((row, i) => ({
      ...row,
      ...Object.fromEntries(
        FAMILIES.map((f) => [`name_${f}`, i === last - 1 && row[f] > 0 ? FAMILY_LABEL[f] : '']),
      ),
    }));
    const families = FAMILIES.filter((f) => data.some((d) => d[f] > 0));
    const byKind = new Map(s.matrix.map((m) => [`${m.channel}|${m.kind}`, m.count]));
    return { data, families, byKind };
  }, [s]);

  const trend = s.trend.map((t) => ({ ...t, label: formatDateTime(t.detectedAt) }));

  return (
    <>
      <Card
        id="bychannel-title"
        title="Open gaps per channel"
        className="card chart-card"
        meta="by family of gap"
      >
        <ChartFrame
          className="gaps-chart"
          label={`Open gaps per channel: ${data
            .map(
              (d) =>
                `${d.channel} ${d.total} (${families.map((f) => `${FAMILY_LABEL[f]} ${d[f]}`).join(', ')})`,
            )
            .join('; ')}`}
          testId="chart-by-channel"
        >
          <BarChart
            data={data}
            margin={{ top: 8, right: 136, bottom: 16, left: 8 }}
            accessibilityLayer={false}
          >
            <CartesianGrid vertical={false} />
            <XAxis dataKey="channel" tickLine={false} label={axisTitle('Channel', 'x')} />
            <YAxis {...COUNT_AXIS} label={axisTitle('Open gaps', 'y')} />
            <Tooltip
              content={(props) => <StackTooltip {...props} byKind={byKind} />}
              isAnimationActive={false}
              cursor={{ className: 'chart-cursor-bar' }}
            />
            {families.map((f) => (
              <Bar
                key={f}
                dataKey={f}
                stackId="families"
                fill={familyColor(f)}
                isAnimationActive={false}
                maxBarSize={56}
              >
                <LabelList dataKey={f} content={CountLabel} />
                <LabelList dataKey={`name_${f}`} content={FamilyLabel} />
              </Bar>
            ))}
          </BarChart>
        </ChartFrame>
        <ul className="kind-legend" aria-label="Families of gaps" data-testid="family-legend">
          {families.map((f) => (
            <li key={f} title={FAMILY_KINDS[f].map((k) => KIND_LABEL[k]).join(', ')}>
              <span className="legend-swatch" style={{ background: familyColor(f) }} />
              {FAMILY_LABEL[f]}
              <span className="text-muted"> ({FAMILY_KINDS[f].map((k) => KIND_LABEL[k]).join(', ')})</span>
            </li>
          ))}
        </ul>
      </Card>
      <Card
        id="trend-title"
        title="Trend across detections"
        className="card chart-card"
        metaClassName="section-meta num"
        meta={trend.length > 1 ? `${trend.length} detections` : undefined}
      >
        {trend.length < 2 ? (
          <p className="trend-single" data-testid="trend-single">
            One detection so far: {plural(trend[0]?.open ?? 0, 'open gap')} on{' '}
            {trend[0] ? trend[0].label : '—'}. Detect again after re-importing the channels to see how the
            gaps change.
          </p>
        ) : (
          <ChartFrame
            className="gaps-chart"
            label={`Open gaps after each detection: ${trend.map((t) => `${t.label} ${t.open}`).join(', ')}`}
            testId="chart-trend"
          >
            <LineChart
              data={trend}
              margin={{ top: 8, right: 20, bottom: 16, left: 8 }}
              accessibilityLayer={false}
            >
              <CartesianGrid vertical={false} />
              <XAxis
                dataKey="runId"
                tickLine={false}
                tickFormatter={(v: number) => `#${v}`}
                label={axisTitle('Detection', 'x')}
              />
              <YAxis {...COUNT_AXIS} label={axisTitle('Open gaps', 'y')} />
              <Tooltip content={TrendTooltip} isAnimationActive={false} />
              <Line
                type="monotone"
                dataKey="open"
                className="trend-line"
                strokeWidth={2}
                dot={{ r: 3 }}
                isAnimationActive={false}
              />
            </LineChart>
          </ChartFrame>
        )}
      </Card>
    </>
  );
}
