/**
 * The dashboard's charts (recharts, loaded only with the dashboard): open gaps per channel stacked by kind, and
 * open gaps across detections (summary.trend).
 */
import { ChartFrame } from '../../components/ChartFrame';
import { Card } from '../../components/Card';
import { useMemo } from 'react';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Line,
  LineChart,
  Tooltip,
  XAxis,
  YAxis,
  type TooltipContentProps,
} from 'recharts';
import type { GapKind, GapsSummary } from '../../../../core/api/contract';
import { formatCount, formatDateTime } from '../../lib/format';
import { KIND_LABEL, KINDS } from './labels';

type Datum = Record<string, number | string>;

/** The kind's colour (`--kind-N`, N its place in KINDS), for bar fills and legend swatches. */
function kindColor(kind: string): string {
  return `var(--kind-${Math.max(0, KINDS.indexOf(kind as GapKind))})`;
}

function StackTooltip({ active, payload, label }: TooltipContentProps) {
  if (!active || !payload || payload.length === 0) return null;
  const rows = payload.filter((p) => Number(p.value) > 0).reverse();
  const total = rows.reduce((n, p) => n + Number(p.value), 0);
  return (
    <div className="chart-tooltip">
      <div className="chart-tooltip-title">
        {String(label)} · <span className="num">{formatCount(total)}</span> open
      </div>
      {rows.map((p) => (
        <div key={String(p.dataKey)} className="chart-tooltip-row">
          <span className="legend-swatch" style={{ background: kindColor(String(p.dataKey)) }} />
          {KIND_LABEL[p.dataKey as GapKind] ?? String(p.dataKey)}
          <span className="num">{formatCount(Number(p.value))}</span>
        </div>
      ))}
    </div>
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

export default function Charts({ s }: { s: GapsSummary }) {
  const { data, kinds } = useMemo(() => {
    const byChannel = new Map<string, Datum>();
    const used = new Set<string>();
    for (const c of s.completeness) byChannel.set(c.channel, { channel: c.channel });
    for (const m of s.matrix) {
      const d = byChannel.get(m.channel) ?? { channel: m.channel };
      d[m.kind] = m.count;
      byChannel.set(m.channel, d);
      if (m.count > 0) used.add(m.kind);
    }
    return { data: [...byChannel.values()], kinds: KINDS.filter((k) => used.has(k)) };
  }, [s]);

  const trend = s.trend.map((t) => ({ ...t, label: formatDateTime(t.detectedAt) }));

  return (
    <>
      <Card id="bychannel-title" title="Open gaps per channel" className="card chart-card">
        <ChartFrame
          className="gaps-chart"
          label={`Open gaps per channel: ${data
            .map((d) => `${String(d.channel)} ${kinds.reduce((n, k) => n + Number(d[k] ?? 0), 0)}`)
            .join(', ')}`}
          testId="chart-by-channel"
        >
          <BarChart data={data} margin={{ top: 8, right: 12, bottom: 4, left: 0 }} accessibilityLayer={false}>
            <CartesianGrid vertical={false} />
            <XAxis dataKey="channel" tickLine={false} />
            <YAxis {...COUNT_AXIS} />
            <Tooltip
              content={StackTooltip}
              isAnimationActive={false}
              cursor={{ className: 'chart-cursor-bar' }}
            />
            {kinds.map((k) => (
              <Bar
                key={k}
                dataKey={k}
                stackId="kinds"
                fill={kindColor(k)}
                isAnimationActive={false}
                maxBarSize={56}
              />
            ))}
          </BarChart>
        </ChartFrame>
        <ul className="kind-legend" aria-label="Kinds">
          {kinds.map((k) => (
            <li key={k}>
              <span className="legend-swatch" style={{ background: kindColor(k) }} />
              {KIND_LABEL[k]}
            </li>
          ))}
        </ul>
      </Card>
      <Card
        id="trend-title"
        title="Trend across detections"
        className="card chart-card"
        metaClassName="section-meta num"
        meta={
          trend.length === 1
            ? 'one detection so far: detect again after re-importing'
            : `${trend.length} detections`
        }
      >
        <ChartFrame
          className="gaps-chart"
          label={`Open gaps after each detection: ${trend.map((t) => `${t.label} ${t.open}`).join(', ')}`}
          testId="chart-trend"
        >
          <LineChart
            data={trend}
            margin={{ top: 8, right: 20, bottom: 4, left: 0 }}
            accessibilityLayer={false}
          >
            <CartesianGrid vertical={false} />
            <XAxis dataKey="runId" tickLine={false} tickFormatter={(v: number) => `#${v}`} />
            <YAxis {...COUNT_AXIS} />
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
      </Card>
    </>
  );
}
