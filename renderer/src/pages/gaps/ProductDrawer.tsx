/**
 * One product (a cluster) beside its gaps: every channel's record next to the golden record, fields that differ
 * from the golden record highlighted, each value's provenance (file and line of the raw row), the product's grade
 * and completeness, and its gaps with status buttons.
 */
import { useEffect, useMemo, useRef } from 'react';
import { CloseButton } from '../../components/CloseButton';
import type { GapRow, ProductDetail } from '../../../../core/api/contract';
import { useQuery } from '../../api/useQuery';
import { DetailHeader } from '../../components/DetailHeader';
import { ErrorBlock } from '../../components/ErrorBlock';
import { GoldenHeading, Provenance, RecordHeading } from '../../components/RecordHeading';
import { formatCount } from '../../lib/format';
import { useStore } from '../../lib/store';
import { fieldLabel, isLongText, orderedFields } from '../matches/fields';
import { DiffText } from '../../components/DiffText';
import { diffAgainst, diffPair, type Segment } from '../../lib/tokenDiff';
import { fixHint } from './fixHints';
import { changeStatus, closeProduct, dataVersion, openProduct, summary, type UserStatus } from './gapsState';
import { GRADE_VAR, KIND_HINT, kindLabel, SEVERITY_LABEL, STATUS_HINT, STATUS_LABEL } from './labels';
import { graphHref, productNodeKey } from '../graph/graphLink';

const RULES: Record<string, string> = {
  priority: 'channel priority',
  completeness: 'most complete',
  majority: 'majority',
};

/** The product's detail, only once it is this product's (not the previous one's while the next loads). */
function useProduct(clusterId: string) {
  const version = useStore(dataVersion);
  const { data, error, loading } = useQuery('gaps.product', { clusterId }, `${version}|${clusterId}`);
  return { data: data?.clusterId === clusterId ? data : null, error, loading };
}

function Value({
  value,
  clamp,
  segments,
}: {
  value: string | null | undefined;
  clamp?: boolean;
  segments?: Segment[] | null;
}) {
  if (value === null || value === undefined || value.trim() === '')
    return (
      <span className="value-missing" title="Not given">
        —
      </span>
    );
  return (
    <span className={clamp ? 'pd-value pd-value-clamp' : 'pd-value'} title={clamp ? value : undefined}>
      {segments ? <DiffText segments={segments} /> : value}
    </span>
  );
}

/** The channel -> export format map of the last detection (for the how-to-fix line). */
function useChannelFormats(): ReadonlyMap<string, string> {
  const s = useStore(summary);
  return useMemo(() => new Map((s.data?.completeness ?? []).map((c) => [c.channel, c.format])), [s.data]);
}

const STATUS_ACTIONS: { status: UserStatus; label: string }[] = [
  { status: 'accepted', label: 'Accept' },
  { status: 'ignored', label: 'Ignore' },
  { status: 'open', label: 'Reopen' },
];

function GapItem({
  gap,
  highlighted,
  format,
}: {
  gap: GapRow;
  highlighted: boolean;
  format: string | undefined;
}) {
  const userSettable = gap.status === 'open' || gap.status === 'accepted' || gap.status === 'ignored';
  const [expected, actual] = gap.expected && gap.actual ? diffPair(gap.expected, gap.actual) : [null, null];
  const absent = gap.recordId === null;
  return (
    <li className={`pd-gap${highlighted ? ' is-highlighted' : ''}`} data-testid="product-gap">
      <div className="pd-gap-main">
        <div className="pd-gap-head">
          <span className={`sev sev-${gap.severity}`}>{SEVERITY_LABEL[gap.severity]}</span>
          <strong title={KIND_HINT[gap.kind]}>{kindLabel(gap.kind)}</strong>
          <span className="channel-chip">{gap.channel}</span>
          {gap.recordId ? <code>{gap.recordId}</code> : <span className="text-muted">not listed</span>}
          <span
            className={`pill pill-${gap.status === 'open' ? 'warning' : gap.status === 'accepted' ? 'success' : 'muted'}`}
          >
            {STATUS_LABEL[gap.status]}
          </span>
        </div>
        {!absent && (gap.expected !== null || gap.actual !== null) && (
          <div className="pd-gap-values">
            {gap.field && <span className="text-muted">{fieldLabel(gap.field)}:</span>}
            <span className="pd-expected" title="Expected (golden record)">
              {expected ? <DiffText segments={expected} /> : (gap.expected ?? '—')}
            </span>
            <span aria-hidden="true">→</span>
            <span className="pd-actual" title={`Actual on ${gap.channel}`}>
              {actual ? <DiffText segments={actual} /> : (gap.actual ?? '—')}
            </span>
          </div>
        )}
        {absent && gap.expected !== null && (
          <div className="pd-gap-values" data-testid="missing-variant">
            <span className="text-muted">Missing variant:</span>
            <span className="pd-expected">{gap.expected}</span>
          </div>
        )}
        {absent && gap.presentIn.length > 0 && (
          <div className="pd-gap-values text-muted">
            Listed as {gap.presentIn.map((p) => `${p.channel}:${p.recordId}`).join(', ')}
          </div>
        )}
        <p className="pd-gap-fix" data-testid="fix-hint">
          <span className="pd-gap-fix-label">How to fix:</span> {fixHint(gap.kind, format)}
        </p>
      </div>
      <div className="pd-gap-actions" role="group" aria-label={`Status of this ${kindLabel(gap.kind)} gap`}>
        {userSettable ? (
          STATUS_ACTIONS.filter((a) => a.status !== gap.status).map((a) => (
            <button
              key={a.status}
              type="button"
              className="btn btn-sm"
              title={STATUS_HINT[a.status]}
              onClick={() => void changeStatus({ ids: [gap.id] }, a.status)}
            >
              {a.label}
            </button>
          ))
        ) : (
          <span className="text-muted" title={STATUS_HINT[gap.status]}>
            {STATUS_HINT[gap.status]}
          </span>
        )}
      </div>
    </li>
  );
}

function DetailBody({ detail, gapId }: { detail: ProductDetail; gapId: number | null }) {
  const formats = useChannelFormats();
  const rows = useMemo(() => {
    const goldenValues: Record<string, string | null> = {};
    for (const [f, g] of Object.entries(detail.golden)) goldenValues[f] = g.value;
    return orderedFields([goldenValues, ...detail.records.map((r) => r.fields)]).map((field) => {
      const differs = detail.records.map((r) => (detail.differing[String(r.id)] ?? []).includes(field));
      const golden = detail.golden[field];
      // The record the golden value came from, shown with its file and line.
      const source =
        golden && detail.records.find((r) => r.channel === golden.channel && r.recordId === golden.recordId);
      // The words that differ from the golden value marked, as the Matches page's cluster view marks them.
      const reference = golden?.value ?? null;
      const segments = detail.records.map((r, i) => {
        const v = r.fields[field];
        return differs[i] && v && reference ? diffAgainst(v, reference) : null;
      });
      return { field, golden, source, differs, segments, any: differs.some(Boolean) };
    });
  }, [detail]);

  return (
    <>
      <section className="pd-section" aria-labelledby="pd-gaps-title">
        <h3 id="pd-gaps-title">
          Gaps <span className="count num">{detail.gaps.length}</span>
        </h3>
        {detail.gaps.length === 0 ? (
          <p className="text-muted">No gap: every channel agrees with the golden record.</p>
        ) : (
          <ul className="boxed-list pd-gaps">
            {detail.gaps.map((g) => (
              <GapItem key={g.id} gap={g} highlighted={g.id === gapId} format={formats.get(g.channel)} />
            ))}
          </ul>
        )}
      </section>
      <section className="pd-section" aria-labelledby="pd-compare-title">
        <h3 id="pd-compare-title">
          Records <span className="count num">{detail.records.length}</span>
          <span className="pd-legend">
            <span className="pd-legend-swatch" /> differs from the golden record
          </span>
        </h3>
        <div className="pd-compare-scroll">
          <table className="pd-compare" data-testid="product-compare">
            <caption className="sr-only">
              The golden record beside every channel&apos;s record; fields that differ from it highlighted
            </caption>
            <thead>
              <tr>
                <th scope="col" className="pd-field-head">
                  Field
                </th>
                <th scope="col" className="pd-golden-head">
                  <GoldenHeading note="each value: where it came from" />
                </th>
                {detail.records.map((r) => (
                  <th scope="col" key={r.id}>
                    <RecordHeading record={r} />
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.field} className={row.any ? 'pd-row-differs' : undefined}>
                  <th scope="row" className="pd-field">
                    {fieldLabel(row.field)}
                  </th>
                  <td className="pd-golden">
                    <Value value={row.golden?.value} clamp={isLongText(row.field)} />
                    {row.golden && row.golden.value !== null && (
                      <span className="pd-golden-source">
                        {row.golden.channel ?? '—'} · {RULES[row.golden.rule] ?? row.golden.rule}
                        {row.source && <Provenance record={row.source} />}
                      </span>
                    )}
                  </td>
                  {detail.records.map((r, i) => (
                    <td
                      key={r.id}
                      className={row.differs[i] ? 'pd-differs' : undefined}
                      data-differs={row.differs[i] ? 'true' : undefined}
                    >
                      <Value
                        value={r.fields[row.field]}
                        clamp={isLongText(row.field)}
                        segments={row.segments[i]}
                      />
                      {row.differs[i] && <span className="sr-only"> (differs from the golden record)</span>}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}

/** Opens the product on the Graph page (its node and neighbourhood); the drawer closes. */
function GraphViewLink({ clusterName }: { clusterName: string | null }) {
  const key = clusterName ? productNodeKey(clusterName) : null;
  if (!key) return null;
  return (
    <a
      className="btn btn-sm"
      href={graphHref(key)}
      onClick={closeProduct}
      title="This product in the knowledge graph: its offers on every channel, brand, categories and conflicts"
      data-testid="graph-view"
    >
      Graph view
    </a>
  );
}

export function ProductDrawer() {
  const target = useStore(openProduct);
  if (!target) return null;
  return <Drawer clusterId={target.clusterId} gapId={target.gapId} />;
}

function Drawer({ clusterId, gapId }: { clusterId: string; gapId: number | null }) {
  const { data, error, loading } = useProduct(clusterId);
  const ref = useRef<HTMLElement>(null);
  const returnTo = useRef<Element | null>(null);

  // Focus moves into the drawer and back where it was when it closes.
  useEffect(() => {
    returnTo.current = document.activeElement;
    ref.current?.focus();
    return () => {
      const el = returnTo.current;
      if (el instanceof HTMLElement && el.isConnected) el.focus({ preventScroll: true });
    };
  }, []);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !document.querySelector('dialog[open]')) {
        e.preventDefault();
        closeProduct();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const title = data?.golden.title?.value ?? data?.records[0]?.fields.title ?? 'Product';
  return (
    <aside
      ref={ref}
      className={`product-drawer${loading ? ' is-loading' : ''}`}
      role="dialog"
      aria-modal="false"
      aria-labelledby="pd-title"
      tabIndex={-1}
      data-testid="product-drawer"
    >
      <DetailHeader
        id="pd-title"
        title={title}
        sub={
          data ? (
            <>
              <code>{data.productId}</code> · cluster {data.clusterId} · {formatCount(data.records.length)}{' '}
              record
              {data.records.length === 1 ? '' : 's'}
            </>
          ) : (
            'Loading…'
          )
        }
      >
        {data && (
          <div className="pd-quality">
            <span
              className="grade-badge"
              style={{ background: GRADE_VAR[data.grade] }}
              title={`Quality grade ${data.grade} (A best, E worst)`}
              data-testid="product-grade"
            >
              {data.grade}
            </span>
            <span className="pd-completeness num" title="Required and recommended attributes present">
              {Math.round(data.completenessPct)}% complete
            </span>
          </div>
        )}
        <GraphViewLink clusterName={data?.clusterId ?? null} />
        <CloseButton label="Close product" onClick={closeProduct} />
      </DetailHeader>
      <div className="pd-body">
        {error && !data && <ErrorBlock title="Could not load the product" error={error} />}
        {!data && !error && <div className="pd-loading" aria-busy="true" />}
        {data && <DetailBody detail={data} gapId={gapId} />}
      </div>
    </aside>
  );
}
