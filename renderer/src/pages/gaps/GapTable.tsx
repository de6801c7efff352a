/**
 * The gap table: every gap the filter selects, virtualized (only the rows in view are in the DOM, their pages
 * fetched lazily from gaps.list), sorted by clicking a header, rows picked by click, Ctrl/Cmd-click, Shift-click
 * and Ctrl/Cmd+A (every gap the filter selects). Keyboard: arrows / Page Up / Page Down / Home / End move, Shift
 * extends, Space picks, Enter opens the product.
 */
import {
  memo,
  useCallback,
  useEffect,
  useRef,
  useSyncExternalStore,
  type KeyboardEvent,
  type MouseEvent,
  type RefObject,
} from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { GapRow } from '../../../../core/api/contract';
import { ErrorBlock } from '../../components/ErrorBlock';
import { formatCount } from '../../lib/format';
import { useStore } from '../../lib/store';
import { DiffText } from '../../components/DiffText';
import type { Segment } from '../../lib/tokenDiff';
import { fieldLabel } from '../matches/fields';
import {
  dataVersion,
  selectAllMatching,
  setActive,
  setSelection,
  showProduct,
  sortBy,
  table,
  type Selection,
  type SortColumn,
} from './gapsState';
import { KIND_HINT, kindLabel, SEVERITY_LABEL, STATUS_HINT, STATUS_LABEL } from './labels';
import type { GapPages } from './pageCache';
import { pagesFor } from './tableData';
import { valueCells } from './tableModel';

export const ROW_HEIGHT = 30;
/** More than this many rows in a Shift range are not picked one by one (use Ctrl/Cmd+A). */
const MAX_RANGE = 100_000;

interface Column {
  id: string;
  label: string;
  sort?: SortColumn;
  className?: string;
}

const COLUMNS: readonly Column[] = [
  { id: 'severity', label: 'Severity', sort: 'severity' },
  { id: 'kind', label: 'Kind', sort: 'kind' },
  { id: 'channel', label: 'Channel', sort: 'channel' },
  { id: 'recordId', label: 'Record id', sort: 'recordId' },
  { id: 'title', label: 'Product', sort: 'title' },
  { id: 'field', label: 'Field' },
  { id: 'expected', label: 'Expected' },
  { id: 'actual', label: 'Actual' },
  { id: 'status', label: 'Status', sort: 'status' },
];

export function isSelected(selection: Selection, id: number): boolean {
  return selection.mode === 'all' || selection.ids.has(id);
}

const STATUS_TONE: Record<string, string> = {
  open: 'pill-warning',
  accepted: 'pill-success',
  ignored: 'pill-muted',
  fixed: 'pill-accent',
  excluded: 'pill-muted',
};

function Text({ value, className }: { value: string | null; className?: string }) {
  if (value === null || value === '') return <span className="value-missing">—</span>;
  return (
    <span className={className} title={value}>
      {value}
    </span>
  );
}

/** An Expected / Actual cell: the words that differ from the other side marked; the whole value on hover. */
function ValueCell({ value, segments }: { value: string | null; segments: Segment[] | undefined }) {
  if (!segments || value === null) return <Text value={value} />;
  return (
    <span title={value}>
      <DiffText segments={segments} />
    </span>
  );
}

/** An absence's record cell: the record the product is listed as where it is present (its reference). */
function AbsentRecord({ row }: { row: GapRow }) {
  const reference = row.presentIn[0];
  const where = row.presentIn.map((p) => `${p.channel}:${p.recordId}`).join(', ');
  return (
    <span className="gap-absent" title={`Not on ${row.channel}; listed as ${where}`}>
      <span className="gap-absent-tag">absent</span>
      {reference && (
        <span className="gap-absent-ref">
          {reference.channel}:{reference.recordId}
        </span>
      )}
    </span>
  );
}

interface RowProps {
  index: number;
  start: number;
  row: GapRow | undefined;
  selected: boolean;
  active: boolean;
  onRowClick: (index: number, row: GapRow, e: MouseEvent) => void;
  onCheck: (index: number, row: GapRow, e: MouseEvent) => void;
  onOpen: (row: GapRow) => void;
}

const GapRowView = memo(function GapRowView({
  index,
  start,
  row,
  selected,
  active,
  onRowClick,
  onCheck,
  onOpen,
}: RowProps) {
  const style = { transform: `translateY(${start}px)` };
  if (!row) {
    return (
      <div
        role="row"
        aria-rowindex={index + 2}
        id={`gap-row-${index}`}
        className={`gap-row gap-row-loading${active ? ' is-active' : ''}`}
        style={style}
        aria-busy="true"
      >
        <div role="gridcell" className="gap-cell gap-cell-check" />
        {COLUMNS.map((c) => (
          <div key={c.id} role="gridcell" className={`gap-cell gap-col-${c.id}`}>
            <span className="skeleton" />
          </div>
        ))}
      </div>
    );
  }
  const title = row.title ?? row.productId;
  const cells = valueCells(row);
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      id={`gap-row-${index}`}
      data-gap-id={row.id}
      className={`gap-row${selected ? ' is-selected' : ''}${active ? ' is-active' : ''}`}
      style={style}
      // Shift+click picks a range of rows: it must not also select the page's text between the clicks.
      onMouseDown={(e) => {
        if (e.shiftKey) e.preventDefault();
      }}
      onClick={(e) => onRowClick(index, row, e)}
      onDoubleClick={() => onOpen(row)}
    >
      <div role="gridcell" className="gap-cell gap-cell-check">
        <input
          type="checkbox"
          tabIndex={-1}
          checked={selected}
          onClick={(e) => {
            e.stopPropagation();
            onCheck(index, row, e);
          }}
          onChange={() => undefined}
          aria-label={`Select gap ${row.id}`}
        />
      </div>
      <div role="gridcell" className="gap-cell gap-col-severity">
        <span className={`sev sev-${row.severity}`}>{SEVERITY_LABEL[row.severity]}</span>
      </div>
      <div role="gridcell" className="gap-cell gap-col-kind" title={KIND_HINT[row.kind]}>
        {kindLabel(row.kind)}
      </div>
      <div role="gridcell" className="gap-cell gap-col-channel">
        <span className="channel-chip" title={row.channel}>
          {row.channel}
        </span>
      </div>
      <div role="gridcell" className="gap-cell gap-cell-mono gap-col-recordId">
        {row.recordId === null ? <AbsentRecord row={row} /> : <Text value={row.recordId} />}
      </div>
      <div role="gridcell" className="gap-cell gap-col-title">
        <button
          type="button"
          className="link-button"
          tabIndex={-1}
          title={`${title} (${row.productId}): open the product`}
          onClick={(e) => {
            e.stopPropagation();
            onOpen(row);
          }}
        >
          {title}
        </button>
      </div>
      <div role="gridcell" className="gap-cell gap-col-field">
        {row.field === null ? <span className="value-missing">—</span> : fieldLabel(row.field)}
      </div>
      <div role="gridcell" className="gap-cell gap-cell-value gap-col-expected">
        <ValueCell value={row.expected} segments={cells?.[0]} />
      </div>
      <div role="gridcell" className="gap-cell gap-cell-value gap-cell-actual gap-col-actual">
        {row.recordId === null ? (
          <span className="value-missing">not listed</span>
        ) : (
          <ValueCell value={row.actual} segments={cells?.[1]} />
        )}
      </div>
      <div role="gridcell" className="gap-cell gap-col-status">
        <span
          className={`pill ${STATUS_TONE[row.status] ?? 'pill-muted'}`}
          title={row.rule ? `${STATUS_HINT[row.status]}: ${row.rule}` : STATUS_HINT[row.status]}
        >
          {STATUS_LABEL[row.status]}
        </span>
      </div>
    </div>
  );
});

function HeaderRow() {
  const { sort } = useStore(table);
  return (
    <div role="row" aria-rowindex={1} className="gap-row gap-head">
      <div role="columnheader" className="gap-cell gap-cell-check">
        <span className="sr-only">Selected</span>
      </div>
      {COLUMNS.map((c) => {
        const sorted = c.sort && sort.column === c.sort;
        const ariaSort = sorted ? (sort.direction === 'asc' ? 'ascending' : 'descending') : undefined;
        return (
          <div key={c.id} role="columnheader" className={`gap-cell gap-col-${c.id}`} aria-sort={ariaSort}>
            {c.sort ? (
              <button
                type="button"
                className={`sort-button${sorted ? ' is-sorted' : ''}`}
                onClick={() => sortBy(c.sort!)}
                title={`Sort by ${c.label.toLowerCase()}`}
                data-testid={`sort-${c.id}`}
              >
                {c.label}
                <span className="sort-arrow" aria-hidden="true">
                  {sorted ? (sort.direction === 'asc' ? '▲' : '▼') : '↕'}
                </span>
              </button>
            ) : (
              c.label
            )}
          </div>
        );
      })}
    </div>
  );
}

function useTablePages(): GapPages {
  const { filter, sort } = useStore(table);
  const version = useStore(dataVersion);
  const pages = pagesFor(filter, sort, version);
  useSyncExternalStore(pages.subscribe, pages.getVersion);
  return pages;
}

/** Picks the rows from..to (either order), fetching the pages not loaded. */
async function pickRange(pages: GapPages, anchor: number, to: number, add: boolean): Promise<void> {
  const lo = Math.min(anchor, to);
  const hi = Math.min(Math.max(anchor, to), lo + MAX_RANGE - 1);
  const rows = await pages.rows(lo, hi);
  const t = table.get();
  const ids = new Map<number, string>(add && t.selection.mode === 'ids' ? t.selection.ids : []);
  for (const r of rows) ids.set(r.id, r.channel);
  setSelection({ mode: 'ids', ids, anchor });
}

function toggleRow(index: number, row: GapRow): void {
  const s = table.get().selection;
  const ids = new Map<number, string>(s.mode === 'ids' ? s.ids : []);
  if (s.mode === 'all') {
    // Unpicking one row of "all": fall back to picking it alone.
    ids.set(row.id, row.channel);
  } else if (ids.has(row.id)) ids.delete(row.id);
  else ids.set(row.id, row.channel);
  setSelection({ mode: 'ids', ids, anchor: index });
}

export function GapTable({ gridRef }: { gridRef: RefObject<HTMLDivElement | null> }) {
  const pages = useTablePages();
  const { selection, active, filter, sort } = useStore(table);
  const scrollRef = useRef<HTMLDivElement>(null);
  const total = pages.total ?? 0;

  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const first = items.length > 0 ? items[0].index : 0;
  const last = items.length > 0 ? items[items.length - 1].index : 60;

  // Fetch the pages in view (the first page before the total is known).
  useEffect(() => {
    pages.want(first, last);
  }, [pages, first, last]);

  // A new query starts at the top.
  const queryKey = JSON.stringify([filter, sort]);
  useEffect(() => {
    if (scrollRef.current) scrollRef.current.scrollTop = 0;
  }, [queryKey]);

  const onRowClick = useCallback(
    (index: number, row: GapRow, e: MouseEvent) => {
      const t = table.get();
      if (e.shiftKey) {
        const anchor =
          t.selection.mode === 'ids' && t.selection.anchor !== null ? t.selection.anchor : t.active;
        void pickRange(pages, anchor, index, e.ctrlKey || e.metaKey);
      } else if (e.ctrlKey || e.metaKey) {
        toggleRow(index, row);
      } else {
        setSelection({ mode: 'ids', ids: new Map([[row.id, row.channel]]), anchor: index });
      }
      setActive(index);
      gridRef.current?.focus({ preventScroll: true });
    },
    [pages, gridRef],
  );

  const onCheck = useCallback(
    (index: number, row: GapRow, e: MouseEvent) => {
      const t = table.get();
      if (e.shiftKey && t.selection.mode === 'ids' && t.selection.anchor !== null) {
        void pickRange(pages, t.selection.anchor, index, true);
      } else {
        toggleRow(index, row);
      }
      setActive(index);
      gridRef.current?.focus({ preventScroll: true });
    },
    [pages, gridRef],
  );

  const onOpen = useCallback((row: GapRow) => showProduct(row.clusterId, row.id), []);

  const moveTo = (index: number, extend: boolean) => {
    if (total === 0) return;
    const next = Math.max(0, Math.min(total - 1, index));
    const t = table.get();
    setActive(next);
    virtualizer.scrollToIndex(next, { align: 'auto' });
    if (extend) {
      const anchor =
        t.selection.mode === 'ids' && t.selection.anchor !== null ? t.selection.anchor : t.active;
      void pickRange(pages, anchor, next, false);
    }
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const mod = e.ctrlKey || e.metaKey;
    const visible = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 300) / ROW_HEIGHT) - 1);
    const t = table.get();
    switch (e.key) {
      case 'ArrowDown':
        moveTo(t.active + 1, e.shiftKey);
        break;
      case 'ArrowUp':
        moveTo(t.active - 1, e.shiftKey);
        break;
      case 'PageDown':
        moveTo(t.active + visible, e.shiftKey);
        break;
      case 'PageUp':
        moveTo(t.active - visible, e.shiftKey);
        break;
      case 'Home':
        moveTo(0, e.shiftKey);
        break;
      case 'End':
        moveTo(total - 1, e.shiftKey);
        break;
      case ' ': {
        const row = pages.row(t.active);
        if (row) toggleRow(t.active, row);
        break;
      }
      case 'Enter': {
        const row = pages.row(t.active);
        if (row) showProduct(row.clusterId, row.id);
        break;
      }
      case 'Escape':
        if (t.selection.mode === 'all' || t.selection.ids.size > 0)
          setSelection({ mode: 'ids', ids: new Map(), anchor: null });
        else return;
        break;
      default:
        if (mod && !e.altKey && e.key.toLowerCase() === 'a') {
          selectAllMatching();
          break;
        }
        return;
    }
    e.preventDefault();
  };

  const activeId = total > 0 ? `gap-row-${Math.min(active, total - 1)}` : undefined;
  const loadingFirst = pages.total === null && !pages.error;

  return (
    <div className="gap-table" data-testid="gap-table">
      {pages.error && (
        <div className="gap-table-error">
          <ErrorBlock title="Could not load the gaps" error={pages.error} />
          <button type="button" className="btn btn-sm" onClick={() => pages.retry()}>
            Try again
          </button>
        </div>
      )}
      <div
        ref={gridRef}
        role="grid"
        aria-label="Gaps"
        aria-rowcount={total + 1}
        aria-colcount={COLUMNS.length + 1}
        aria-multiselectable="true"
        aria-activedescendant={activeId}
        aria-busy={loadingFirst}
        tabIndex={0}
        className="gap-grid"
        onKeyDown={onKeyDown}
      >
        <div className="gap-head-wrap" role="rowgroup">
          <HeaderRow />
        </div>
        <div ref={scrollRef} className="gap-scroll" role="rowgroup" data-testid="gap-scroll">
          {pages.total === 0 ? (
            <div className="gap-empty" role="row">
              <div role="gridcell">No gap matches this filter.</div>
            </div>
          ) : (
            <div className="gap-spacer" style={{ height: virtualizer.getTotalSize() }}>
              {items.map((it) => {
                const row = pages.row(it.index);
                return (
                  <GapRowView
                    key={it.index}
                    index={it.index}
                    start={it.start}
                    row={row}
                    selected={row ? isSelected(selection, row.id) : false}
                    active={it.index === active}
                    onRowClick={onRowClick}
                    onCheck={onCheck}
                    onOpen={onOpen}
                  />
                );
              })}
            </div>
          )}
        </div>
      </div>
      <div className="sr-only" aria-live="polite">
        {pages.total === null ? '' : `${formatCount(pages.total)} gaps`}
      </div>
    </div>
  );
}
