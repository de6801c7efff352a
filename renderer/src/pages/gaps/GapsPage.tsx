/**
 * Gaps (DESIGN.md "Gaps"): where the channels disagree, how badly, and a file each channel accepts that fixes it.
 * Three views — the dashboard, the gap table (virtualized, with the product drawer) and the assortment rules with
 * the category mapping — under the Detect button that runs gaps.detect as a job.
 */
import { CloseButton } from '../../components/CloseButton';
import { PageHeader } from '../../components/PageHeader';
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { ErrorBlock } from '../../components/ErrorBlock';
import { Icon } from '../../components/Icon';
import { NoWorkspaceOpen, NothingYet } from '../../components/EmptyState';
import { JobButton, JobStatusCard } from '../../components/JobProgress';
import { Kbd } from '../../components/Kbd';
import { useView } from '../../app/router';
import { Tabs } from '../../components/Tabs';
import { typingIn } from '../../lib/keyboard';
import { useStore } from '../../lib/store';
import { useRunningJob } from '../../state/jobs';
import { showToast } from '../../state/toasts';
import { workspace } from '../../state/workspace';
import {
  aligned,
  changeStatus,
  dataVersion,
  detectJob,
  dismissUndo,
  isGapsJob,
  openProduct,
  refreshAligned,
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
import { AutoDetectToggle, StaleBanner } from './StaleBanner';
import { FilterBar, SelectionBar } from './TableToolbar';
import { pagesFor } from './tableData';
import { PICK_FIRST, statusTarget } from './tableModel';
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

function DetectButton({ primary }: { primary: boolean }) {
  const track = useStore(detectJob);
  const running = useRunningJob(track.jobId, isGapsJob);
  const alignment = useStore(aligned);
  useEffect(() => void refreshAligned(), []);
  const needsAlign = alignment.loaded && alignment.data === false;
  return (
    <JobButton
      primary={primary}
      busy={track.starting || !!running}
      onClick={() => void startDetect(needsAlign)}
      title={
        needsAlign
          ? 'The records are not aligned yet: alignment runs first, then every channel is compared with the golden records'
          : 'Compare every channel with the golden records; progress in the jobs panel'
      }
      label={needsAlign ? 'Align and detect gaps' : 'Detect gaps'}
      busyLabel="Detecting…"
      testId="detect-gaps"
      needs="detectGaps"
    />
  );
}

function DetectStatus() {
  const track = useStore(detectJob);
  return (
    <JobStatusCard
      track={track}
      running={useRunningJob(track.jobId, isGapsJob)}
      startTitle="Could not start gap detection"
      failTitle="Gap detection failed"
      testId="detect-progress"
    />
  );
}

function EmptyGaps() {
  return (
    <NothingYet
      importFirst="Gaps are the places where channels disagree about the same product. Import at least two channels' exports, then detect gaps here."
      icon="gap"
      title="No gaps detected yet"
      action={<DetectButton primary />}
      testId="gaps-empty"
    >
      Detection compares every channel&apos;s records with the golden record of their product (alignment must
      have run first; the button runs it when it has not) and lists the prices, availability, titles,
      categories and identifiers that disagree.
    </NothingYet>
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
      <CloseButton label="Dismiss" onClick={dismissUndo} />
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
        const target = statusTarget(t.selection, t.filter);
        e.preventDefault();
        if (target) void changeStatus(target, status);
        else showToast('info', 'Nothing selected', PICK_FIRST);
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
    body = <NoWorkspaceOpen then="import and detect gaps" />;
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
      <PageHeader
        title="Gaps"
        actions={
          <>
            <div className="detect-meta">
              {detected && <DetectedAt s={detected} />}
              {ws.data && <AutoDetectToggle />}
            </div>
            <DetectButton primary={!detected} />
          </>
        }
      >
        Where the channels disagree, how badly, and a fix list in each channel&apos;s own import format.
      </PageHeader>
      <DetectStatus />
      {detected && <StaleBanner />}
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
