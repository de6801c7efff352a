/**
 * The dashboard: where the channels disagree and how badly. Open gaps by channel × kind (cells filter the table),
 * the same as a chart, completeness per channel, the quality grades, the trend across detections and the
 * tolerances the comparisons use.
 */
import { TableHead } from '../../components/TableHead';
import { Card } from '../../components/Card';
import { Stat } from '../../components/Stat';
import { useAction } from '../../lib/useAction';
import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import type { ChannelCompleteness, GapKind, GapsSummary, Tolerances } from '../../../../core/api/contract';
import { invoke } from '../../api/client';
import { formatCount, formatDateTime, formatSeconds } from '../../lib/format';
import { showToast } from '../../state/toasts';
import { replaceFilter } from './gapsState';
import { GRADE_LIST, GRADE_VAR, KIND_HINT, KIND_LABEL, KINDS, plural } from './labels';
import { HEAT_STEPS, heatStep, heatThresholds } from './chartScales';

/** Attributes whose absence is a gap kind: the completeness detail lists those records as gaps. */
const ATTRIBUTE_KINDS: Record<string, GapKind[]> = {
  image: ['missing_image'],
  gtin: ['missing_gtin', 'invalid_gtin'],
};

const Charts = lazy(() => import('./Charts'));

/** Shows the table tab filtered. */
function showTable(filter: Parameters<typeof replaceFilter>[0]): void {
  replaceFilter(filter);
  window.location.hash = '#/gaps/table';
}

/** A total of the gap matrix: the count, as a button that shows those gaps in the table. */
function MatrixTotal({
  count,
  what,
  filter,
}: {
  count: number;
  what: string;
  filter: Parameters<typeof replaceFilter>[0];
}) {
  return (
    <td className="matrix-total">
      <button
        type="button"
        className="matrix-cell num"
        onClick={() => showTable(filter)}
        aria-label={`${formatCount(count)} ${what}: show them`}
      >
        {formatCount(count)}
      </button>
    </td>
  );
}

export function SummaryStrip({ s }: { s: GapsSummary }) {
  const open = s.byStatus.open ?? 0;
  return (
    <dl className="summary-strip" aria-label="Gaps summary" data-testid="gaps-summary">
      <Stat label="Open gaps" value={formatCount(open)} sub="to fix" testId="summary-open" />
      <Stat
        label="High severity"
        value={formatCount(s.bySeverity.high ?? 0)}
        sub={`${formatCount(s.bySeverity.medium ?? 0)} medium · ${formatCount(s.bySeverity.low ?? 0)} low`}
      />
      <Stat label="Products" value={formatCount(s.products)} sub={`${formatCount(s.records)} records`} />
      <Stat label="Accepted" value={formatCount(s.byStatus.accepted ?? 0)} sub="intended differences" />
      <Stat label="Ignored" value={formatCount(s.byStatus.ignored ?? 0)} sub="not worth fixing" />
      <Stat label="Fixed" value={formatCount(s.byStatus.fixed ?? 0)} sub="since an earlier detection" />
      <Stat label="Excluded" value={formatCount(s.byStatus.excluded ?? 0)} sub="by assortment rules" />
    </dl>
  );
}

export function DetectedAt({ s }: { s: GapsSummary }) {
  return (
    <span className="aligned-at num" title={`Detection #${s.runId}`}>
      Detected {formatDateTime(s.detectedAt)}
      {s.seconds >= 0.1 ? ` · ${formatSeconds(s.seconds)}` : ''}
    </span>
  );
}

/** The heat scale's key: a swatch per step, labelled with the lowest count it holds. */
function HeatLegend({ min, max }: { min: number; max: number }) {
  const thresholds = heatThresholds(min, max);
  return (
    <div className="heat-legend" data-testid="heat-legend" aria-label="Heat scale: open gaps per cell">
      <span className="text-muted">Open gaps per cell</span>
      <ol>
        {thresholds.map((from, i) => {
          const to = i + 1 < thresholds.length ? thresholds[i + 1] - 1 : max;
          const step = heatStep(from, min, max);
          return (
            <li key={from} className={`heat-${step}`} title={`Step ${step} of ${HEAT_STEPS}`}>
              <span className="num">
                {from === to ? formatCount(from) : `${formatCount(from)}–${formatCount(to)}`}
              </span>
            </li>
          );
        })}
      </ol>
    </div>
  );
}

function Matrix({ s }: { s: GapsSummary }) {
  const { channels, kinds, cell, rowTotal, colTotal, min, max, all } = useMemo(() => {
    const byKey = new Map<string, number>();
    const rowTotal = new Map<string, number>();
    const colTotal = new Map<string, number>();
    for (const m of s.matrix) {
      byKey.set(`${m.channel}|${m.kind}`, m.count);
      rowTotal.set(m.channel, (rowTotal.get(m.channel) ?? 0) + m.count);
      colTotal.set(m.kind, (colTotal.get(m.kind) ?? 0) + m.count);
    }
    const channels = [...new Set([...s.completeness.map((c) => c.channel), ...rowTotal.keys()])];
    const kinds = KINDS.filter((k) => (colTotal.get(k) ?? 0) > 0);
    const counts = [...byKey.values()].filter((n) => n > 0);
    const max = Math.max(0, ...counts);
    const min = Math.min(max, ...counts);
    const all = [...rowTotal.values()].reduce((a, b) => a + b, 0);
    return {
      channels,
      kinds,
      cell: (c: string, k: string) => byKey.get(`${c}|${k}`) ?? 0,
      rowTotal,
      colTotal,
      min,
      max,
      all,
    };
  }, [s]);

  if (all === 0) {
    return (
      <div className="empty-state empty-state-compact" data-testid="gap-matrix-empty">
        No open gap: every channel agrees with the golden records.
      </div>
    );
  }
  return (
    <>
      <div className="matrix-scroll">
        <table className="gap-matrix" data-testid="gap-matrix">
          <caption className="sr-only">Open gaps by channel and kind; each count filters the table</caption>
          <thead>
            <tr>
              <th scope="col">Channel</th>
              {kinds.map((k) => (
                <th scope="col" key={k} title={KIND_HINT[k]}>
                  {KIND_LABEL[k]}
                </th>
              ))}
              <th scope="col" className="matrix-total">
                All kinds
              </th>
            </tr>
          </thead>
          <tbody>
            {channels.map((ch) => (
              <tr key={ch}>
                <th scope="row">
                  <span className="channel-chip">{ch}</span>
                </th>
                {kinds.map((k) => {
                  const n = cell(ch, k);
                  return (
                    <td key={k} className={n > 0 ? `heat-${heatStep(n, min, max)}` : undefined}>
                      {n === 0 ? (
                        <span className="matrix-zero">·</span>
                      ) : (
                        <button
                          type="button"
                          className="matrix-cell num"
                          onClick={() =>
                            showTable({ channels: [ch], kinds: [k as GapKind], statuses: ['open'] })
                          }
                          aria-label={`${formatCount(n)} open ${KIND_LABEL[k]} gaps on ${ch}: show them`}
                          data-testid={`matrix-${ch}-${k}`}
                        >
                          {formatCount(n)}
                        </button>
                      )}
                    </td>
                  );
                })}
                <MatrixTotal
                  count={rowTotal.get(ch) ?? 0}
                  what={`open gaps on ${ch}`}
                  filter={{ channels: [ch], statuses: ['open'] }}
                />
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">All channels</th>
              {kinds.map((k) => (
                <MatrixTotal
                  key={k}
                  count={colTotal.get(k) ?? 0}
                  what={`open ${KIND_LABEL[k]} gaps`}
                  filter={{ kinds: [k as GapKind], statuses: ['open'] }}
                />
              ))}
              <MatrixTotal count={all} what="open gaps" filter={{ statuses: ['open'] }} />
            </tr>
          </tfoot>
        </table>
      </div>
      <HeatLegend min={min} max={max} />
    </>
  );
}

function PctBar({ pct, label, tone }: { pct: number; label: string; tone: 'required' | 'recommended' }) {
  const v = Math.max(0, Math.min(100, pct));
  return (
    <span className="pct" title={`${label}: ${v.toFixed(1)}%`}>
      <span className="pct-track" aria-hidden="true">
        <span className={`pct-fill pct-${tone}${v < 80 ? ' pct-low' : ''}`} style={{ width: `${v}%` }} />
      </span>
      <span className="pct-value num">{Math.round(v)}%</span>
    </span>
  );
}

function CompletenessRow({ c }: { c: ChannelCompleteness }) {
  const [open, setOpen] = useState(false);
  const attrs = [...c.attributes].sort(
    (a, b) =>
      Number(b.required) - Number(a.required) || a.pct - b.pct || a.attribute.localeCompare(b.attribute),
  );
  return (
    <>
      <tr>
        <th scope="row">
          <button
            type="button"
            className="expander"
            aria-expanded={open}
            onClick={() => setOpen((v) => !v)}
            title="Show each attribute"
          >
            <span className={open ? 'chev chev-open' : 'chev'} aria-hidden="true">
              ›
            </span>
            <span className="channel-chip">{c.channel}</span>
          </button>
          {c.notExported.length > 0 && (
            <div
              className="not-exported text-muted"
              title="No record of this export has a value for these: reported once here, not as a gap per record"
            >
              not exported: {c.notExported.join(', ')}
            </div>
          )}
        </th>
        <td className="text-muted">{c.format}</td>
        <td className="num">{formatCount(c.records)}</td>
        <td>
          <PctBar pct={c.requiredPct} label="Required attributes present" tone="required" />
        </td>
        <td>
          <PctBar pct={c.recommendedPct} label="Recommended attributes present" tone="recommended" />
        </td>
        <td className="num" title="Records with every required attribute">
          {formatCount(c.completeRecords)}
        </td>
        <td>
          <button
            type="button"
            className="btn btn-sm btn-ghost"
            onClick={() => showTable({ channels: [c.channel], statuses: ['open'] })}
            aria-label={`Show the open gaps on ${c.channel}`}
            data-testid={`completeness-gaps-${c.channel}`}
          >
            Open gaps ›
          </button>
        </td>
      </tr>
      {open && (
        <tr className="completeness-detail">
          <td colSpan={7}>
            <table className="attr-table">
              <thead>
                <tr>
                  <th scope="col">Attribute</th>
                  <th scope="col">Needed</th>
                  <th scope="col">Present in</th>
                  <th scope="col">Share</th>
                </tr>
              </thead>
              <tbody>
                {attrs.map((a) => (
                  <tr key={a.attribute}>
                    <td>
                      {ATTRIBUTE_KINDS[a.attribute] && a.present < c.records ? (
                        <button
                          type="button"
                          className="link-button"
                          onClick={() =>
                            showTable({
                              channels: [c.channel],
                              kinds: ATTRIBUTE_KINDS[a.attribute],
                              statuses: ['open'],
                            })
                          }
                          title={`Show the ${c.channel} records lacking it, as gaps`}
                        >
                          {a.attribute}
                        </button>
                      ) : (
                        a.attribute
                      )}
                    </td>
                    <td className={a.required ? '' : 'text-muted'}>
                      {a.required ? 'required' : 'recommended'}
                    </td>
                    <td className="num">
                      {a.present === 0 && c.notExported.includes(a.attribute)
                        ? 'not exported'
                        : `${formatCount(a.present)} of ${formatCount(c.records)}`}
                    </td>
                    <td>
                      <PctBar
                        pct={a.pct}
                        label={a.attribute}
                        tone={a.required ? 'required' : 'recommended'}
                      />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </td>
        </tr>
      )}
    </>
  );
}

function Completeness({ s }: { s: GapsSummary }) {
  return (
    <table className="data-table completeness-table" data-testid="completeness">
      <TableHead
        columns={['Channel', 'Format', 'Records', 'Required', 'Recommended', 'Complete records', ''].map(
          (label) => ({
            label,
          }),
        )}
      />
      <tbody>
        {s.completeness.map((c) => (
          <CompletenessRow key={c.channel} c={c} />
        ))}
      </tbody>
    </table>
  );
}

function Grades({ s }: { s: GapsSummary }) {
  const total = GRADE_LIST.reduce((n, g) => n + (s.grades[g] ?? 0), 0);
  const max = Math.max(1, ...GRADE_LIST.map((g) => s.grades[g] ?? 0));
  return (
    <ul className="grades" data-testid="grades" aria-label="Products per quality grade">
      {GRADE_LIST.map((g) => {
        const n = s.grades[g] ?? 0;
        return (
          <li key={g}>
            <button
              type="button"
              className="grade-row"
              disabled={n === 0}
              onClick={() => showTable({ grades: [g] })}
              aria-label={`${plural(n, 'product')} of grade ${g}: show their gaps`}
              data-testid={`grade-${g}`}
            >
              <span className="grade-badge" style={{ background: GRADE_VAR[g] }}>
                {g}
              </span>
              <span className="grade-track" aria-hidden="true">
                <span
                  className="grade-fill"
                  style={{ width: `${(n / max) * 100}%`, background: GRADE_VAR[g] }}
                />
              </span>
              <span className="grade-count num">
                {formatCount(n)}
                <span className="text-muted"> {total > 0 ? `${Math.round((n / total) * 100)}%` : ''}</span>
              </span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}

/** The stored tolerances (they may differ from those the shown detection used), then the form. */
function TolerancesCard({ used }: { used: Tolerances }) {
  const [current, setCurrent] = useState<Tolerances | null>(null);
  useEffect(() => {
    let live = true;
    invoke('gaps.tolerances', {}).then(
      (t) => live && setCurrent(t),
      () => live && setCurrent(used),
    );
    return () => {
      live = false;
    };
  }, [used]);
  if (!current) return <div className="tolerances" aria-busy="true" />;
  return <TolerancesForm key={JSON.stringify(current)} initial={current} used={used} />;
}

function TolerancesForm({ initial, used }: { initial: Tolerances; used: Tolerances }) {
  const [saved, setSaved] = useState<Tolerances>(initial);
  const [draft, setDraft] = useState<Record<keyof Tolerances, string>>({
    pricePct: String(initial.pricePct),
    salePricePct: String(initial.salePricePct),
    weightPct: String(initial.weightPct),
  });
  const [saving, runSave] = useAction('Could not save the tolerances');
  const fields: { key: keyof Tolerances; label: string; hint: string }[] = [
    { key: 'pricePct', label: 'Price', hint: 'Regular prices closer than this are rounding drift' },
    { key: 'salePricePct', label: 'Sale price', hint: 'Sale prices closer than this are rounding drift' },
    { key: 'weightPct', label: 'Weight', hint: 'Weights (after unit conversion) closer than this agree' },
  ];
  const parsed = Object.fromEntries(fields.map((f) => [f.key, Number(draft[f.key])])) as Tolerances;
  const invalid = fields.filter((f) => {
    const v = parsed[f.key];
    return draft[f.key].trim() === '' || !Number.isFinite(v) || v < 0 || v > 100;
  });
  const changed = fields.some((f) => parsed[f.key] !== saved[f.key]);
  const differsFromRun = fields.some((f) => saved[f.key] !== used[f.key]);

  const save = async () => {
    await runSave(async () => {
      const t = await invoke('gaps.setTolerances', parsed);
      setSaved(t);
      showToast('success', 'Tolerances saved', 'They apply at the next detection.');
    });
  };

  return (
    <form
      className="tolerances"
      onSubmit={(e) => {
        e.preventDefault();
        if (invalid.length === 0 && changed) void save();
      }}
      data-testid="tolerances"
    >
      {fields.map((f) => (
        <label key={f.key} className="tolerance" title={f.hint}>
          <span className="filter-label">{f.label}</span>
          <span className="tolerance-input">
            <input
              type="number"
              min={0}
              max={100}
              step={0.1}
              value={draft[f.key]}
              onChange={(e) => setDraft((d) => ({ ...d, [f.key]: e.target.value }))}
              aria-invalid={invalid.includes(f)}
              aria-label={`${f.label} tolerance in percent`}
            />
            <span className="text-muted">%</span>
          </span>
        </label>
      ))}
      <button type="submit" className="btn btn-sm" disabled={!changed || invalid.length > 0 || saving}>
        {saving ? 'Saving…' : 'Save'}
      </button>
      {invalid.length > 0 && (
        <span className="text-danger">Each tolerance is a percentage from 0 to 100.</span>
      )}
      {!changed && differsFromRun && (
        <span className="text-muted">
          Saved; the shown gaps used {used.pricePct}% / {used.salePricePct}% / {used.weightPct}% — detect
          again to apply.
        </span>
      )}
    </form>
  );
}

export function Overview({ s }: { s: GapsSummary }) {
  const open = s.byStatus.open ?? 0;
  return (
    <div className="gaps-overview">
      <SummaryStrip s={s} />
      <Card
        id="matrix-title"
        title="Open gaps by channel and kind"
        meta={`${plural(open, 'open gap')} · click a count to list those gaps`}
      >
        {s.possibleMatches > 0 && (
          <p className="possible-note" data-testid="possible-matches">
            {plural(s.possibleMatches, 'product')} seemed missing from a channel that has a close record: not
            reported as missing. <a href="#/matches/review">Review the possible matches</a> on the Matches
            page.
          </p>
        )}
        <Matrix s={s} />
      </Card>
      <div className="gaps-grid-2">
        <Suspense fallback={<div className="card chart-placeholder" aria-busy="true" />}>
          <Charts s={s} />
        </Suspense>
      </div>
      <Card
        id="completeness-title"
        title="Completeness per channel"
        meta="required / recommended attributes present · expand a channel for each attribute"
      >
        <div className="completeness-scroll">
          <Completeness s={s} />
        </div>
      </Card>
      <div className="gaps-grid-2">
        <Card
          id="grades-title"
          title="Product quality"
          meta="products per grade, A best · click a grade to list its products' gaps"
        >
          <Grades s={s} />
        </Card>
        <Card
          id="tolerances-title"
          title="Tolerances"
          meta="relative differences within these are drift, not gaps"
        >
          <TolerancesCard used={s.tolerances} />
        </Card>
      </div>
    </div>
  );
}
