/**
 * Fix lists: the corrections for one channel in that channel's own import format (fixlist.export), saved as a
 * download with the file name Concord gives. Either the selected gaps (one file per channel among them) or every
 * open gap of a channel.
 */
import { useMemo, useState } from 'react';
import type { FixList } from '../../../../core/api/contract';
import { invoke } from '../../api/client';
import { Dialog } from '../../components/Dialog';
import { formatCount } from '../../lib/format';
import { useStore } from '../../lib/store';
import { showError, showToast } from '../../state/toasts';
import { workspace } from '../../state/workspace';
import { saveTextFile } from './download';
import { formulaNoticeFor, formulaNoticeText, type FormulaNotice } from './formulaNotice';
import { summary, table } from './gapsState';
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
): Promise<FixList | null> {
  try {
    const list = await invoke('fixlist.export', {
      channel,
      ...(ids ? { ids } : {}),
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

export function ExportDialog({
  open,
  onClose,
  pages,
}: {
  open: boolean;
  onClose: () => void;
  pages: GapPages;
}) {
  const { selection } = useStore(table);
  const s = useStore(summary);
  const ws = useStore(workspace);
  const [busy, setBusy] = useState<string | null>(null);
  // Saved fix lists that hold cells a spreadsheet would run: the dialog stays open to say so.
  const [notices, setNotices] = useState<FormulaNotice[]>([]);

  /** Exports one fix list for upload; true when it was saved without anything to warn about. */
  const exportForUpload = async (channel: string, ids?: number[]): Promise<boolean> => {
    const list = await exportFixList(channel, ids);
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

  const openByChannel = useMemo(() => {
    const m = new Map<string, number>();
    for (const c of ws.data?.channels ?? []) m.set(c.name, 0);
    for (const cell of s.data?.matrix ?? []) m.set(cell.channel, (m.get(cell.channel) ?? 0) + cell.count);
    return [...m.entries()];
  }, [s.data, ws.data]);

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
      if (await exportForUpload(channel)) close();
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
          <h3 id="export-channel-title">All open gaps of a channel</h3>
          <ul className="export-channels">
            {openByChannel.map(([channel, count]) => (
              <li key={channel} className="export-row">
                <span className="channel-chip">{channel}</span>
                <span className="text-muted num">{plural(count, 'open gap')}</span>
                <span className="spacer" />
                <button
                  type="button"
                  className="btn btn-sm"
                  disabled={busy !== null || count === 0}
                  onClick={() => void exportChannel(channel)}
                  data-testid={`export-channel-${channel}`}
                >
                  {busy === channel ? 'Exporting…' : 'Download'}
                </button>
                {formulaWarnings((n) => n.channel === channel && n.ids === undefined)}
              </li>
            ))}
          </ul>
        </section>
      </div>
    </Dialog>
  );
}
