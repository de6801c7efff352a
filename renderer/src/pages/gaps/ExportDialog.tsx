/**
 * Fix lists: the corrections for one channel in that channel's own import format (fixlist.export), saved as a
 * download with the file name Concord gives. Either the selected gaps (one file per channel among them) or a
 * channel's open gaps (those the table's filter selects, when one is on), each channel's row saying beforehand how
 * many of them the file corrects (fixlist.count), its Download disabled with the reason when none.
 */
import { useMemo, useState, type ReactNode } from 'react';
import type { FixList, GapFilter } from '../../../../core/api/contract';
import { invoke } from '../../api/client';
import { useQuery } from '../../api/useQuery';
import { Dialog } from '../../components/Dialog';
import { formatCount } from '../../lib/format';
import { useStore } from '../../lib/store';
import { showError, showToast } from '../../state/toasts';
import { workspace } from '../../state/workspace';
import { saveTextFile } from './download';
import { formulaNoticeFor, formulaNoticeText, type FormulaNotice } from './formulaNotice';
import { dataVersion, summary, table } from './gapsState';
import { describeFilter, exportFilter, noFixReason } from './exportModel';
import { plural } from './labels';
import type { GapPages } from './pageCache';

/** A selection of "every matching gap" is resolved to ids for an export up to this many. */
const MAX_EXPORT_ALL = 50_000;

function reportSaved(list: FixList): void {
  const skipped = list.skipped.length;
  const reasons = [...new Set(list.skipped.map((s) => s.reason))].slice(0, 3).join('; ');
  showToast(
    skipped > 0 ? 'info' : 'success',
    `Saved ${list.fileName}`,
    `${plural(list.rows, 'row')} in ${list.format} format, correcting ${plural(list.gaps, 'gap')}` +
      (skipped > 0 ? `. ${plural(skipped, 'gap')} could not go in a fix list: ${reasons}` : '.'),
  );
}

/** Exports and saves one fix list: exact values for upload, or (`spreadsheetSafe`) the copy for spreadsheets. */
export async function exportFixList(
  channel: string,
  ids?: number[],
  spreadsheetSafe = false,
  filter?: GapFilter,
): Promise<FixList | null> {
  try {
    const list = await invoke('fixlist.export', {
      channel,
      ...(ids ? { ids } : {}),
      ...(filter ? { filter } : {}),
      ...(spreadsheetSafe ? { spreadsheetSafe } : {}),
    });
    saveTextFile(list.fileName, list.mimeType, list.content);
    reportSaved(list);
    return list;
  } catch (err) {
    showError(`Could not export the fix list for ${channel}`, err);
    return null;
  }
}

/** Beside a saved fix list with cells a spreadsheet would run: the warning and the spreadsheet-safe copy. */
function FormulaWarning({
  notice,
  busy,
  onCopy,
}: {
  notice: FormulaNotice;
  busy: boolean;
  onCopy: () => void;
}) {
  return (
    <div className="export-formula-notice" role="status" data-testid={`formula-notice-${notice.channel}`}>
      <span>{formulaNoticeText(notice)}</span>
      <button
        type="button"
        className="btn btn-sm"
        disabled={busy}
        onClick={onCopy}
        data-testid={`export-safe-copy-${notice.channel}`}
      >
        {busy ? 'Exporting…' : 'Spreadsheet-safe copy'}
      </button>
    </div>
  );
}

/** One channel's open gaps (those the filter selects, when one is on) and how many a fix list corrects. */
function ChannelExport({
  channel,
  filter,
  busy,
  onExport,
  children,
}: {
  channel: string;
  filter: GapFilter | undefined;
  busy: string | null;
  onExport: () => void;
  children: ReactNode;
}) {
  const version = useStore(dataVersion);
  const params = { channel, ...(filter ? { filter } : {}) };
  const { data, error } = useQuery('fixlist.count', params, `${version}|${JSON.stringify(params)}`);
  const none = data !== null && data.fixable === 0;
  const why = data ? noFixReason(data) : null;
  return (
    <li className="export-row" data-testid={`export-row-${channel}`}>
      <span className="channel-chip">{channel}</span>
      <span className="text-muted num">
        {data === null ? (error ? 'could not count' : 'counting…') : plural(data.selected, 'open gap')}
      </span>
      {data !== null && (
        <span
          className={`export-fixable num${none ? ' is-none' : ''}`}
          data-testid={`export-fixable-${channel}`}
          title={why ?? undefined}
        >
          {none
            ? 'none fixable by file'
            : `${formatCount(data.fixable)} fixable · ${plural(data.rows, 'row')}`}
        </span>
      )}
      <span className="spacer" />
      <button
        type="button"
        className="btn btn-sm"
        disabled={busy !== null || data === null || none}
        title={why ?? undefined}
        onClick={onExport}
        data-testid={`export-channel-${channel}`}
      >
        {busy === channel ? 'Exporting…' : 'Download'}
      </button>
      {none && why && (
        <p className="export-why text-muted" data-testid={`export-why-${channel}`}>
          {why}
        </p>
      )}
      {children}
    </li>
  );
}

export function ExportDialog({
  open,
  onClose,
  pages,
}: {
  open: boolean;
  onClose: () => void;
  pages: GapPages;
}) {
  const { selection, filter } = useStore(table);
  const narrowed = exportFilter(filter);
  const s = useStore(summary);
  const ws = useStore(workspace);
  const [busy, setBusy] = useState<string | null>(null);
  // Saved fix lists that hold cells a spreadsheet would run: the dialog stays open to say so.
  const [notices, setNotices] = useState<FormulaNotice[]>([]);

  /** Exports one fix list for upload; true when it was saved without anything to warn about. */
  const exportForUpload = async (channel: string, ids?: number[], only?: GapFilter): Promise<boolean> => {
    const list = await exportFixList(channel, ids, false, only);
    if (list === null) return false;
    const notice = formulaNoticeFor(list, ids);
    setNotices((all) => [...all.filter((n) => n.channel !== channel), ...(notice ? [notice] : [])]);
    return notice === null;
  };

  const exportSafeCopy = async (notice: FormulaNotice) => {
    setBusy(`safe:${notice.channel}`);
    try {
      await exportFixList(notice.channel, notice.ids, true);
    } finally {
      setBusy(null);
    }
  };

  /** The warnings of the saved fix lists `which` picks (a selection's, or one channel's). */
  const formulaWarnings = (which: (n: FormulaNotice) => boolean) =>
    notices
      .filter(which)
      .map((n) => (
        <FormulaWarning
          key={n.channel}
          notice={n}
          busy={busy !== null}
          onCopy={() => void exportSafeCopy(n)}
        />
      ));

  const close = () => {
    setNotices([]);
    onClose();
  };

  const channels = useMemo(() => {
    const all = new Set<string>();
    for (const c of ws.data?.channels ?? []) all.add(c.name);
    for (const c of s.data?.completeness ?? []) all.add(c.channel);
    return [...all].filter((c) => !filter.channels?.length || filter.channels.includes(c));
  }, [s.data, ws.data, filter.channels]);

  const picked = useMemo(() => {
    if (selection.mode !== 'ids') return null;
    const byChannel = new Map<string, number[]>();
    for (const [id, channel] of selection.ids) {
      const list = byChannel.get(channel) ?? [];
      list.push(id);
      byChannel.set(channel, list);
    }
    return [...byChannel.entries()].sort((a, b) => a[0].localeCompare(b[0]));
  }, [selection]);

  const exportSelected = async () => {
    setBusy('selection');
    try {
      let groups = picked;
      if (selection.mode === 'all') {
        const total = pages.total ?? 0;
        if (total > MAX_EXPORT_ALL) {
          showToast(
            'info',
            'Too many gaps selected for one export',
            `Export a channel's open gaps below, or narrow the filter to at most ${formatCount(MAX_EXPORT_ALL)} gaps.`,
          );
          return;
        }
        const rows = await pages.rows(0, total - 1);
        const m = new Map<string, number[]>();
        for (const r of rows) m.set(r.channel, [...(m.get(r.channel) ?? []), r.id]);
        groups = [...m.entries()];
      }
      let clean = true;
      for (const [channel, ids] of groups ?? []) if (!(await exportForUpload(channel, ids))) clean = false;
      if (clean) close();
    } catch (err) {
      showError('Could not export the selection', err);
    } finally {
      setBusy(null);
    }
  };

  const exportChannel = async (channel: string) => {
    setBusy(channel);
    try {
      if (await exportForUpload(channel, undefined, narrowed)) close();
    } finally {
      setBusy(null);
    }
  };

  const selectedCount = selection.mode === 'all' ? (pages.total ?? 0) : selection.ids.size;

  return (
    <Dialog open={open} title="Export a fix list" onClose={close}>
      <div className="export-dialog" data-testid="export-dialog">
        <p className="side-note">
          A fix list holds the corrections in the channel&apos;s own import format: import it in that channel
          to fix the gaps. Absences and values no record has cannot be fixed by a file and are left out.
        </p>
        <section className="export-section" aria-labelledby="export-selected-title">
          <h3 id="export-selected-title">Selected gaps</h3>
          {selectedCount === 0 ? (
            <p className="text-muted">
              No gap selected. Pick rows in the table, or Ctrl/Cmd+A for every match.
            </p>
          ) : (
            <div className="export-row">
              <span>
                {selection.mode === 'all'
                  ? `Every gap matching the filter (${formatCount(selectedCount)})`
                  : `${plural(selectedCount, 'gap')} in ${(picked ?? []).map(([c, ids]) => `${c} (${ids.length})`).join(', ')}`}
              </span>
              <span className="spacer" />
              <button
                type="button"
                className="btn btn-sm btn-primary"
                disabled={busy !== null}
                onClick={() => void exportSelected()}
                data-testid="export-selected"
              >
                {busy === 'selection'
                  ? 'Exporting…'
                  : picked && picked.length > 1
                    ? `Download ${picked.length} files`
                    : 'Download'}
              </button>
            </div>
          )}
          {formulaWarnings((n) => n.ids !== undefined)}
        </section>
        <section className="export-section" aria-labelledby="export-channel-title">
          <h3 id="export-channel-title">
            {narrowed ? 'Open gaps matching the filter, by channel' : 'All open gaps of a channel'}
          </h3>
          {narrowed && (
            <p className="side-note" data-testid="export-filter-note">
              Only the open gaps the table&apos;s filter selects ({describeFilter(narrowed)}) go in these
              files.
            </p>
          )}
          <ul className="export-channels">
            {channels.map((channel) => (
              <ChannelExport
                key={channel}
                channel={channel}
                filter={narrowed}
                busy={busy}
                onExport={() => void exportChannel(channel)}
              >
                {formulaWarnings((n) => n.channel === channel && n.ids === undefined)}
              </ChannelExport>
            ))}
          </ul>
        </section>
      </div>
    </Dialog>
  );
}
