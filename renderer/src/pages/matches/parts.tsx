/** Small pieces the review queue and the cluster browser share: compared rows, values, probability. */
import type { CSSProperties, ReactNode } from 'react';
import { DiffText } from '../../components/DiffText';
import { formatPercent } from '../../lib/format';
import { fieldLabel } from './fields';
import type { Segment } from '../../lib/tokenDiff';

/**
 * A side-by-side comparison, scrolling sideways: `caption` for screen readers, the columns, then the heads of the
 * compared columns after the field names' and one CompareRow per field.
 */
export function CompareTable({
  className,
  style,
  testId,
  caption,
  columns,
  heads,
  children,
}: {
  className: string;
  style?: CSSProperties;
  testId?: string;
  caption: ReactNode;
  columns: ReactNode;
  heads: ReactNode;
  children: ReactNode;
}) {
  return (
    <div className="compare-scroll">
      <table className={className} style={style} data-testid={testId}>
        <caption className="sr-only">{caption}</caption>
        <colgroup>{columns}</colgroup>
        <thead>
          <tr>
            <th scope="col" className="compare-field-head">
              Field
            </th>
            {heads}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

/**
 * A compared field's row: its heading (a differing field says so to screen readers too), then the value cells.
 * A differing row is highlighted.
 */
export function CompareRow({
  field,
  differs,
  children,
}: {
  field: string;
  differs: boolean;
  children: ReactNode;
}) {
  return (
    <tr className={differs ? 'row-differs' : undefined}>
      <th scope="row" className="compare-field">
        {fieldLabel(field)}
        {differs && <span className="sr-only"> (differs)</span>}
      </th>
      {children}
    </tr>
  );
}

/** A field's value as text; the words that differ from the other side emphasized; "—" when not given. */
export function FieldValue({
  value,
  segments,
  clamp,
}: {
  value: string | null | undefined;
  segments?: Segment[] | null;
  clamp?: boolean;
}) {
  if (value === null || value === undefined || value.trim() === '') {
    return (
      <span className="value-missing" title="Not given">
        —
      </span>
    );
  }
  const body = segments ? <DiffText segments={segments} /> : value;
  return (
    <span className={clamp ? 'value value-clamp' : 'value'} title={clamp ? value : undefined}>
      {body}
    </span>
  );
}

/** The match probability as a bar, with a tick at the clustering threshold. */
export function ProbabilityBar({
  probability,
  threshold,
}: {
  probability: number;
  threshold: number | null;
}) {
  const pct = Math.max(0, Math.min(1, probability));
  const tone = pct >= 0.8 ? 'high' : pct <= 0.2 ? 'low' : 'mid';
  const label =
    `Match probability ${formatPercent(pct)}` +
    (threshold === null ? '' : `, threshold ${formatPercent(threshold)}`);
  return (
    <div className={`prob prob-${tone}`} role="img" aria-label={label} title={label}>
      <span className="prob-label">Match probability</span>
      <span className="prob-track">
        <span className="prob-fill" style={{ width: `${pct * 100}%` }} />
        {threshold !== null && <span className="prob-tick" style={{ left: `${threshold * 100}%` }} />}
      </span>
      <span className="prob-value num">{formatPercent(pct)}</span>
    </div>
  );
}

/** Two decimals, as thresholds and scores are read. */
export function formatScore(v: number | null | undefined): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(2);
}
