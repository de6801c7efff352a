/**
 * Gaps (DESIGN.md "Gaps"): where the channels disagree, how badly, and a file each channel accepts that fixes it.
 * Three views — the dashboard, the gap table (virtualized, with the product drawer) and the assortment rules with
 * the category mapping — under the Detect button that runs gaps.detect as a job.
 */
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { ErrorBlock } from '../../components/ErrorBlock';
import { Icon } from '../../components/Icon';
import { JobProgress } from '../../components/JobProgress';
import { Kbd } from '../../components/Kbd';
import { hrefFor, useView } from '../../app/router';
import { Tabs } from '../../components/Tabs';
import { typingIn } from '../../lib/keyboard';
import { useStore } from '../../lib/store';
import { useJob, useJobs } from '../../state/jobs';
import { workspace } from '../../state/workspace';
import {
  changeStatus,
  dataVersion,
  detectJob,
  dismissUndo,
  isGapsJob,
  openProduct,
  startDetect,
  startGapsSync,
  summary,
  table,
  undoNotice,
  undoStatus,
  type UserStatus,
} from './gapsState';
import { GapTable } from './GapTable';
import { DetectedAt, Overview } from './Overview';
import { ExportDialog } from './ExportDialog';
import { ProductDrawer } from './ProductDrawer';
import { RulesPanel } from './RulesPanel';
import { FilterBar, SelectionBar } from './TableToolbar';
import { currentPages, pagesFor, statusTarget } from './tableData';
import '../../styles/gaps.css';

const TABS = [
  { id: 'overview', label: 'Overview' },
  { id: 'table', label: 'Gaps' },
  { id: 'rules', label: 'Rules & categories' },
] as const;
type TabId = (typeof TABS)[number]['id'];

function showTab(id: TabId): void {
  window.location.hash = id === 'overview' ? '#/gaps' : `#/gaps/${id}`;
}

function useRunningDetect() {
  const track = useStore(detectJob);
  const own = useJob(track.jobId);
  const jobs = useJobs();
  if (own?.status === 'running') return own;
  return jobs.find((j) => j.status === 'running' && isGapsJob(j)) ?? null;
}

function DetectButton({ primary }: { primary: boolean }) {
  const track = useStore(detectJob);
  const running = useRunningDetect();
  const busy = track.starting || !!running;
  return (
    <button
      type="button"
      className={primary ? 'btn btn-primary' : 'btn'}
      onClick={() => void startDetect()}
      disabled={busy}
      title="Compare every channel with the golden records (aligns first when needed); progress in the jobs panel"
      data-testid="detect-gaps"
    >
      <Icon name="refresh" className={busy ? 'spin' : undefined} />
      {busy ? 'Detecting…' : 'Detect gaps'}
    </button>
  );
}

function DetectStatus() {
  const track = useStore(detectJob);
  const running = useRunningDetect();
  const own = useJob(track.jobId);
  if (track.startError) return <ErrorBlock title="Could not start gap detection" error={track.startError} />;
  if (own?.status === 'failed' && own.error)
    return <ErrorBlock title="Gap detection failed" error={own.error} />;
  if (!running) return null;
  return (
    <div className="card align-progress" data-testid="detect-progress">
      <JobProgress job={running} />
    </div>
  );
}

function EmptyGaps() {
  const ws = useStore(workspace);
  const records = ws.data?.counts.records ?? 0;
  if (ws.loaded && records === 0) {
    return (
      <div className="empty-state">
        <span className="empty-icon">
          <Icon name="import" size={20} />
        </span>
        <div className="empty-title">Import channel exports first</div>
        <div className="empty-sub">
          Gaps are the places where channels disagree about the same product. Import at least two
          channels&apos; exports, then detect gaps here.
        </div>
        <a className="btn btn-primary" href={hrefFor('import')}>
          Go to Import
        </a>
      </div>
    );
  }
  const channels = ws.data?.channels.length ?? 0;
  return (
    <div className="empty-state" data-testid="gaps-empty">
      <span className="empty-icon">
        <Icon name="gap" size={20} />
      </span>
      <div className="empty-title">No gaps detected yet</div>
      <div className="empty-sub">
        {ws.data
          ? `${records.toLocaleString()} records from ${channels} channel${channels === 1 ? '' : 's'}. `
          : ''}
        Detection compares every channel&apos;s records with the golden record of their product (aligning
        first when needed) and lists the prices, availability, titles, categories and identifiers that
        disagree.
      </div>
      <DetectButton primary />
    </div>
  );
}

function UndoBar() {
  const notice = useStore(undoNotice);
  useEffect(() => {
    if (!notice) return;
    const t = setTimeout(dismissUndo, 10_000);
    return () => clearTimeout(t);
  }, [notice]);
  if (!notice) return null;
  return (
    <div className="undo-bar" role="status" data-testid="undo-bar">
      <Icon name="check" className="toast-icon" />
      <span className="undo-message">{notice.message}</span>
      <button type="button" className="btn btn-sm" onClick={() => void undoStatus()}>
        Undo <Kbd keys="Mod+Z" />
      </button>
      <button type="button" className="btn btn-ghost btn-icon" onClick={dismissUndo} aria-label="Dismiss">
        <Icon name="x" />
      </button>
    </div>
  );
}

function TableView() {
  const gridRef = useRef<HTMLDivElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const [exporting, setExporting] = useState(false);
  const { filter, sort } = useStore(table);
  const version = useStore(dataVersion);
  const pages = pagesFor(filter, sort, version);
  useSyncExternalStore(pages.subscribe, pages.getVersion);

  // Page-wide keys while the table shows: / search, a / i / o status, Mod+Z undo; arrows reach the table.
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (e.defaultPrevented || e.altKey) return;
      if (typingIn(e.target) || document.querySelector('dialog[open]')) return;
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      if (mod && !e.shiftKey && key === 'z') {
        e.preventDefault();
        void undoStatus();
        return;
      }
      if (mod || e.repeat) return;
      if (e.key === '/') {
        e.preventDefault();
        searchRef.current?.focus();
        searchRef.current?.select();
        return;
      }
      const status: UserStatus | null =
        key === 'a' ? 'accepted' : key === 'i' ? 'ignored' : key === 'o' ? 'open' : null;
      if (status) {
        const t = table.get();
        const target = statusTarget(t.selection, t.filter, currentPages()?.row(t.active));
        if (target) {
          e.preventDefault();
          void changeStatus(target, status);
        }
        return;
      }
      // Arrows with nothing focused (or the page itself) move into the table.
      const inGrid = gridRef.current?.contains(e.target as Node);
      const onPage = e.target === document.body || (e.target as HTMLElement | null)?.id === 'main';
      if (
        !inGrid &&
        onPage &&
        ['ArrowDown', 'ArrowUp', 'PageDown', 'PageUp', 'Home', 'End'].includes(e.key)
      ) {
        e.preventDefault();
        gridRef.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <div className="gaps-table-view">
      <FilterBar searchRef={searchRef} />
      <SelectionBar pages={pages} onExport={() => setExporting(true)} />
      <GapTable gridRef={gridRef} />
      <p className="gaps-keys side-note" aria-label="Keyboard">
        <Kbd keys="↑" /> <Kbd keys="↓" /> move · <Kbd keys="Shift" /> extends · <Kbd keys="Space" /> picks ·{' '}
        <Kbd keys="Enter" /> opens the product · <Kbd keys="a" /> accept · <Kbd keys="i" /> ignore ·{' '}
        <Kbd keys="o" /> reopen · <Kbd keys="Mod+A" /> every match · <Kbd keys="Mod+Z" /> undo ·{' '}
        <Kbd keys="/" /> search
      </p>
      {exporting && <ExportDialog open onClose={() => setExporting(false)} pages={pages} />}
    </div>
  );
}

export default function GapsPage() {
  const view = useView();
  const tab = TABS.find((t) => t.id === view)?.id ?? 'overview';
  const { filter, sort } = useStore(table);
  const version = useStore(dataVersion);
  // Opened on the table: its first page is asked for before the summary (which aggregates every gap), so the rows
  // show while the summary is still being computed.
  useEffect(() => {
    if (tab === 'table') pagesFor(filter, sort, version).want(0, 60);
  }, [tab, filter, sort, version]);
  useEffect(() => startGapsSync(), []);
  const s = useStore(summary);
  const ws = useStore(workspace);
  const product = useStore(openProduct);
  const detected = s.data;

  let body;
  if (ws.loaded && !ws.data && !ws.error) {
    body = (
      <div className="empty-state">
        <span className="empty-icon">
          <Icon name="database" size={20} />
        </span>
        <div className="empty-title">No workspace open</div>
        <div className="empty-sub">
          Open or create a workspace on the Import page, then import and detect gaps.
        </div>
        <a className="btn" href={hrefFor('import')}>
          Go to Import
        </a>
      </div>
    );
  } else if (tab === 'rules') {
    body = <RulesPanel />;
  } else if (s.error && !detected) {
    body = <ErrorBlock title="Could not load the gaps" error={s.error} />;
  } else if (tab === 'table' && (detected || !s.loaded)) {
    body = <TableView />;
  } else if (!s.loaded) {
    body = <div className="gaps-loading" aria-busy="true" />;
  } else if (!detected) {
    body = <EmptyGaps />;
  } else {
    body = <Overview s={detected} />;
  }

  return (
    <div
      className={`page-inner gaps-page${tab === 'table' && (detected || !s.loaded) ? ' gaps-page-table' : ''}`}
    >
      <header className="page-header">
        <div>
          <h1 id="page-title">Gaps</h1>
          <p className="page-description">
            Where the channels disagree, how badly, and a fix list in each channel&apos;s own import format.
          </p>
        </div>
        <span className="spacer" />
        {detected && <DetectedAt s={detected} />}
        <DetectButton primary={!detected} />
      </header>
      <DetectStatus />
      <Tabs tabs={TABS} current={tab} onSelect={showTab} label="Gaps views" idPrefix="gaps-" />
      <div
        className="tab-panel gaps-panel"
        role="tabpanel"
        id={`gaps-panel-${tab}`}
        aria-labelledby={`gaps-tab-${tab}`}
        data-testid={`gaps-panel-${tab}`}
      >
        {body}
      </div>
      {product && <ProductDrawer />}
      <UndoBar />
    </div>
  );
}
