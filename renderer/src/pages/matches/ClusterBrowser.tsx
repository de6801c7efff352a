/**
 * The cluster browser: a searchable, paged list of clusters (products) beside the selected one's records and
 * golden record. Tick clusters to merge them (what the merge would break is said first, and asked about); tick
 * records in the detail to split them off. Both are offered for undo.
 */
import { useAction } from '../../lib/useAction';
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { ApiError, Result } from '../../../../core/api/contract';
import { invoke } from '../../api/client';
import { toApiError } from '../../api/transport';
import { ErrorBlock } from '../../components/ErrorBlock';
import { formatCount, formatPercent } from '../../lib/format';
import { createStore, useStore } from '../../lib/store';
import { ClusterDetail } from './ClusterDetail';
import { Dialog } from '../../components/Dialog';
import { Icon, SearchField } from '../../components/Icon';
import { confirmWithUndo } from './clusterUndo';
import { clustersEdited, dataVersion } from './matchesState';

type ClusterPage = Result<'clusters.list'>;
type ClusterSummary = ClusterPage['items'][number];
type MergePreview = Result<'clusters.mergePreview'>;

const PAGE_SIZE = 50;
const SEARCH_DELAY_MS = 200;

interface BrowserState {
  query: string;
  multiOnly: boolean;
  offset: number;
  selected: string | null;
  /** Clusters ticked for a merge. */
  checked: readonly string[];
}

/** Kept across visits to the other views. */
const browser = createStore<BrowserState>({
  query: '',
  multiOnly: true,
  offset: 0,
  selected: null,
  checked: [],
});

function patch(p: Partial<BrowserState>): void {
  browser.set((s) => ({ ...s, ...p }));
}

function useClusterPage(query: string, multiOnly: boolean, offset: number) {
  const version = useStore(dataVersion);
  const key = `${version}|${multiOnly}|${offset}|${query}`;
  const [state, setState] = useState<{ key: string; page: ClusterPage | null; error: ApiError | null }>({
    key: '',
    page: null,
    error: null,
  });
  useEffect(() => {
    let live = true;
    invoke('clusters.list', { query: query || undefined, offset, limit: PAGE_SIZE, multiOnly }).then(
      (page) => live && setState({ key, page, error: null }),
      (err: unknown) => live && setState((s) => ({ key, page: s.page, error: toApiError(err) })),
    );
    return () => {
      live = false;
    };
  }, [key, query, multiOnly, offset]);
  return { page: state.page, error: state.error, loading: state.key !== key };
}

function ClusterRow({
  c,
  selected,
  checked,
  onSelect,
  onCheck,
}: {
  c: ClusterSummary;
  selected: boolean;
  checked: boolean;
  onSelect: () => void;
  onCheck: (on: boolean) => void;
}) {
  const title = c.title ?? 'Untitled product';
  return (
    <li className={`cluster-item${selected ? ' is-selected' : ''}${checked ? ' is-checked' : ''}`}>
      <input
        type="checkbox"
        checked={checked}
        onChange={(e) => onCheck(e.target.checked)}
        aria-label={`Select ${title} for merging`}
      />
      <button
        type="button"
        className="cluster-row"
        onClick={onSelect}
        aria-current={selected ? 'true' : undefined}
        data-cluster-id={c.clusterId}
      >
        <span className="cluster-title" title={title}>
          {title}
        </span>
        {c.options && (
          <span className="cluster-options" title={c.options}>
            {c.options}
          </span>
        )}
        <span className="cluster-meta">
          <span className="cluster-size num" title={`${c.size} records`}>
            {c.size}
          </span>
          <span className="cluster-channels">{c.channels.join(' · ')}</span>
          <span
            className={`cluster-conf num${c.confidence < 0.8 ? ' cluster-conf-low' : ''}`}
            title="Lowest match probability inside the cluster"
          >
            {formatPercent(c.confidence)}
          </span>
        </span>
      </button>
    </li>
  );
}

export function ClusterBrowser() {
  const s = useStore(browser);
  const [typed, setTyped] = useState(s.query);
  const [merging, runMerge] = useAction('Could not merge the clusters');
  const listRef = useRef<HTMLUListElement>(null);
  const { page, error, loading } = useClusterPage(s.query, s.multiOnly, s.offset);

  // The search runs once typing pauses.
  useEffect(() => {
    if (typed === browser.get().query) return;
    const t = setTimeout(() => patch({ query: typed.trim(), offset: 0 }), SEARCH_DELAY_MS);
    return () => clearTimeout(t);
  }, [typed]);

  // With nothing selected, the first cluster of the page shows.
  const items = page?.items ?? [];
  const selected = s.selected ?? items[0]?.clusterId ?? null;

  const onListKey = (e: KeyboardEvent<HTMLUListElement>) => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    const rows = [...(listRef.current?.querySelectorAll<HTMLButtonElement>('.cluster-row') ?? [])];
    const i = rows.findIndex((r) => r === document.activeElement);
    const next = rows[Math.max(0, Math.min(rows.length - 1, i + (e.key === 'ArrowDown' ? 1 : -1)))];
    if (!next) return;
    e.preventDefault();
    next.focus();
    patch({ selected: next.dataset.clusterId ?? null });
  };

  const toggle = (id: string, on: boolean) =>
    patch({ checked: on ? [...s.checked.filter((x) => x !== id), id] : s.checked.filter((x) => x !== id) });

  const [preview, setPreview] = useState<{ ids: readonly string[]; result: MergePreview } | null>(null);

  const merge = async (ids: readonly string[]) => {
    setPreview(null);
    await runMerge(async () => {
      const r = await invoke('clusters.merge', { clusterIds: [...ids] });
      confirmWithUndo(
        'Clusters merged',
        `${ids.length} clusters are now one product (stored as labels).`,
        r.editId,
        (id) => patch({ selected: id }),
      );
      patch({ checked: [], selected: r.clusterId });
      clustersEdited();
    });
  };

  // What the merge would break is asked about first; a merge that breaks nothing goes ahead (and can be undone).
  const askMerge = async () => {
    const ids = [...s.checked];
    await runMerge(async () => {
      const result = await invoke('clusters.mergePreview', { clusterIds: ids });
      if (result.conflicts.length > 0) setPreview({ ids, result });
      else await merge(ids);
    });
  };

  const total = page?.total ?? 0;
  const from = total === 0 ? 0 : s.offset + 1;
  const to = Math.min(total, s.offset + items.length);

  return (
    <div className="clusters-layout">
      <section className="card cluster-list-card" aria-labelledby="clusters-title">
        <header className="cluster-list-head">
          <h2 id="clusters-title" className="sr-only">
            Clusters
          </h2>
          <SearchField
            value={typed}
            onChange={setTyped}
            placeholder="Search title, brand, GTIN, record id…"
            label="Search clusters"
            maxLength={200}
            testId="cluster-search"
          />
          <label className="check">
            <input
              type="checkbox"
              checked={s.multiOnly}
              onChange={(e) => patch({ multiOnly: e.target.checked, offset: 0 })}
            />
            Matched only
          </label>
        </header>
        {s.checked.length > 0 && (
          <div className="merge-bar" role="region" aria-label="Merge">
            <span className="num">{s.checked.length} selected</span>
            <span className="spacer" />
            <button type="button" className="btn btn-sm btn-ghost" onClick={() => patch({ checked: [] })}>
              Clear
            </button>
            <button
              type="button"
              className="btn btn-sm btn-primary"
              disabled={s.checked.length < 2 || merging}
              onClick={() => void askMerge()}
            >
              <Icon name="merge" />
              {merging
                ? 'Merging…'
                : s.checked.length >= 2
                  ? `Merge ${s.checked.length} clusters`
                  : 'Merge clusters'}
            </button>
          </div>
        )}
        {error && <ErrorBlock title="Could not load the clusters" error={error} />}
        <div className={`cluster-list-scroll${loading ? ' is-loading' : ''}`} aria-busy={loading}>
          {page && items.length === 0 ? (
            <p className="empty-inline">
              {s.query ? `No cluster matches “${s.query}”.` : 'No clusters with more than one record yet.'}
            </p>
          ) : (
            <ul
              className="cluster-list"
              ref={listRef}
              onKeyDown={onListKey}
              aria-label="Clusters"
              data-testid="cluster-list"
            >
              {items.map((c) => (
                <ClusterRow
                  key={c.clusterId}
                  c={c}
                  selected={c.clusterId === selected}
                  checked={s.checked.includes(c.clusterId)}
                  onSelect={() => patch({ selected: c.clusterId })}
                  onCheck={(on) => toggle(c.clusterId, on)}
                />
              ))}
            </ul>
          )}
        </div>
        <footer className="cluster-pager">
          <span className="text-muted num" data-testid="cluster-range">
            {page ? `${formatCount(from)}–${formatCount(to)} of ${formatCount(total)}` : ''}
          </span>
          <span className="spacer" />
          <button
            type="button"
            className="btn btn-sm btn-icon"
            aria-label="Previous page"
            disabled={s.offset === 0}
            onClick={() => patch({ offset: Math.max(0, s.offset - PAGE_SIZE) })}
          >
            <Icon name="chevronRight" className="flip" />
          </button>
          <button
            type="button"
            className="btn btn-sm btn-icon"
            aria-label="Next page"
            disabled={s.offset + PAGE_SIZE >= total}
            onClick={() => patch({ offset: s.offset + PAGE_SIZE })}
          >
            <Icon name="chevronRight" />
          </button>
        </footer>
      </section>
      {preview && (
        <MergeDialog
          preview={preview.result}
          onCancel={() => setPreview(null)}
          onMerge={() => void merge(preview.ids)}
        />
      )}
      {selected ? (
        <ClusterDetail clusterId={selected} onSplit={(id) => patch({ selected: id })} />
      ) : (
        <div className="empty-state empty-state-compact">Select a cluster to see its records.</div>
      )}
    </div>
  );
}

/** Asks before a merge that breaks something, saying what in words. */
function MergeDialog({
  preview,
  onCancel,
  onMerge,
}: {
  preview: MergePreview;
  onCancel: () => void;
  onMerge: () => void;
}) {
  return (
    <Dialog open title={`Merge ${preview.clusters} clusters?`} onClose={onCancel}>
      <div className="merge-confirm" data-testid="merge-confirm">
        <p>
          One product should have one record per channel and one GTIN. Merging these {preview.clusters}{' '}
          clusters ({preview.records} records) into one product gives it:
        </p>
        <ul className="merge-conflicts">
          {preview.conflicts.map((c) => (
            <li key={c.message}>{c.message}</li>
          ))}
        </ul>
        <p className="text-muted">They look like different products or variants. The merge can be undone.</p>
        <div className="merge-actions">
          <button type="button" className="btn" onClick={onCancel} autoFocus>
            Cancel
          </button>
          <button type="button" className="btn btn-primary" onClick={onMerge}>
            Merge anyway
          </button>
        </div>
      </div>
    </Dialog>
  );
}
