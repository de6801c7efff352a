import { Fragment, useEffect, useState } from 'react';
import { TableHead } from '../../components/TableHead';
import { EmptyState } from '../../components/EmptyState';
import type { ApiError, Result, SourceSummary } from '../../../../core/api/contract';
import { invoke } from '../../api/client';
import { toApiError } from '../../api/transport';
import { ErrorBlock } from '../../components/ErrorBlock';
import { Icon } from '../../components/Icon';
import { formatCount, formatDateTime } from '../../lib/format';
import { useStore } from '../../lib/store';
import { FORMAT_LABELS, imports, pickFilesForImport } from '../../state/imports';
import { showError, showToast } from '../../state/toasts';
import { refreshSources, sources } from '../../state/workspace';
import { Kbd } from '../../components/Kbd';

const WARNING_LIMIT = 200;
const COLUMNS = 9;

function Warnings({ source }: { source: SourceSummary }) {
  const [state, setState] = useState<{ rows: Result<'sources.warnings'> | null; error: ApiError | null }>({
    rows: null,
    error: null,
  });
  useEffect(() => {
    let live = true;
    invoke('sources.warnings', { sourceId: source.id, limit: WARNING_LIMIT }).then(
      (rows) => live && setState({ rows, error: null }),
      (err: unknown) => live && setState({ rows: null, error: toApiError(err) }),
    );
    return () => {
      live = false;
    };
  }, [source.id]);
  if (state.error) return <ErrorBlock title="Could not load the warnings" error={state.error} />;
  if (!state.rows) return <div className="card-note">Loading warnings…</div>;
  if (state.rows.length === 0) return <div className="card-note">No warnings.</div>;
  return (
    <div className="warnings">
      <table className="data-table warnings-table">
        <caption className="sr-only">Warnings of {source.file}</caption>
        <thead>
          <tr>
            <th scope="col" className="num-col">
              Line
            </th>
            <th scope="col">Field</th>
            <th scope="col">Code</th>
            <th scope="col">Message</th>
          </tr>
        </thead>
        <tbody>
          {state.rows.map((w, i) => (
            <tr key={`${w.line}-${w.field}-${i}`}>
              <td className="num num-col">{w.line}</td>
              <td>{w.field}</td>
              <td>
                <code className="code-chip">{w.code}</code>
              </td>
              <td className="cell-wrap">{w.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {source.warnings > state.rows.length && (
        <div className="card-note">
          Showing the first {formatCount(state.rows.length)} of {formatCount(source.warnings)} warnings.
        </div>
      )}
    </div>
  );
}

async function copy(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    showToast('success', 'Copied', `SHA-256 ${text}`);
  } catch (err) {
    showError('Could not copy', err);
  }
}

function SourceRow({ s, expanded, onToggle }: { s: SourceSummary; expanded: boolean; onToggle: () => void }) {
  return (
    <Fragment>
      <tr className={expanded ? 'row-expanded' : undefined}>
        <td>
          <span className="channel-chip">{s.channel}</span>
        </td>
        <td>{FORMAT_LABELS[s.format] ?? s.format}</td>
        <td className="text-muted">{s.encoding}</td>
        <td className="cell-file" title={s.file}>
          {s.file}
        </td>
        <td className="num num-col">{formatCount(s.rows)}</td>
        <td className="num num-col">{formatCount(s.records)}</td>
        <td className="num-col">
          {s.warnings > 0 ? (
            <button
              type="button"
              className="btn btn-ghost btn-sm warnings-toggle"
              aria-expanded={expanded}
              aria-controls={`warnings-${s.id}`}
              aria-label={`${formatCount(s.warnings)} warnings: ${expanded ? 'hide' : 'show'}`}
              onClick={onToggle}
            >
              <span className="num">{formatCount(s.warnings)}</span>
              <Icon name={expanded ? 'chevronDown' : 'chevronRight'} size={14} />
            </button>
          ) : (
            <span className="num text-muted">0</span>
          )}
        </td>
        <td>
          <button
            type="button"
            className="btn btn-ghost btn-sm sha"
            title={`${s.sha256}\nClick to copy`}
            aria-label={`Copy SHA-256 ${s.sha256}`}
            onClick={() => void copy(s.sha256)}
          >
            <code>{s.sha256.slice(0, 12)}</code>
            <Icon name="copy" />
          </button>
        </td>
        <td className="num text-muted" title={s.importedAt}>
          {formatDateTime(s.importedAt)}
        </td>
      </tr>
      {expanded && (
        <tr className="row-detail" id={`warnings-${s.id}`}>
          <td colSpan={COLUMNS}>
            <Warnings source={s} />
          </td>
        </tr>
      )}
    </Fragment>
  );
}

const SOURCE_COLUMNS = [
  { label: 'Channel' },
  { label: 'Format' },
  { label: 'Encoding' },
  { label: 'File' },
  { label: 'Rows', num: true },
  { label: 'Records', num: true },
  { label: 'Warnings', num: true },
  { label: 'SHA-256' },
  { label: 'Imported' },
];

export function SourcesTable() {
  const state = useStore(sources);
  // While files are listed above, the drop bar is there: the empty state only needs to say so.
  const filesListed = useStore(imports).length > 0;
  const [open, setOpen] = useState<ReadonlySet<number>>(new Set());
  const toggle = (id: number) =>
    setOpen((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const list = state.data;
  const totals = list.reduce((t, s) => ({ rows: t.rows + s.rows, records: t.records + s.records }), {
    rows: 0,
    records: 0,
  });
  return (
    <section className="section" aria-labelledby="sources-title">
      <header className="section-header">
        <h2 id="sources-title">
          Sources
          {list.length > 0 && <span className="count num">{list.length}</span>}
        </h2>
        {list.length > 0 && (
          <span className="section-meta num">
            {formatCount(totals.rows)} rows · {formatCount(totals.records)} records
          </span>
        )}
        <span className="spacer" />
        <button
          type="button"
          className="btn btn-ghost btn-sm"
          onClick={() => void refreshSources()}
          disabled={state.loading}
          aria-label="Refresh sources"
        >
          <Icon name="refresh" className={state.loading ? 'spin' : undefined} />
          Refresh
        </button>
      </header>
      {state.error && <ErrorBlock title="Could not load the sources" error={state.error} />}
      {state.loaded && list.length === 0 && !state.error && filesListed ? (
        <div className="empty-state empty-state-compact">No sources yet — drop exports here</div>
      ) : state.loaded && list.length === 0 && !state.error ? (
        <EmptyState
          icon="upload"
          title="No sources yet — drop exports here"
          testId="dropzone"
          action={
            <button type="button" className="btn btn-primary" onClick={() => void pickFilesForImport()}>
              Choose files… <Kbd keys="Mod+O" />
            </button>
          }
        >
          Shopify and WooCommerce product CSV, Google Merchant Center TSV or XML, Amazon All Listings reports.
          Format and encoding are detected, and you check both before anything is imported.
        </EmptyState>
      ) : (
        list.length > 0 && (
          <div className="table-scroll">
            <table
              className="data-table sources-table"
              aria-labelledby="sources-title"
              data-testid="sources-table"
            >
              <TableHead columns={SOURCE_COLUMNS} />
              <tbody>
                {list.map((s) => (
                  <SourceRow key={s.id} s={s} expanded={open.has(s.id)} onToggle={() => toggle(s.id)} />
                ))}
              </tbody>
            </table>
          </div>
        )
      )}
    </section>
  );
}
