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

export async function exportFixList(channel: string, ids?: number[]): Promise<FixList | null> {
  try {
    const list = await invoke('fixlist.export', ids ? { channel, ids } : { channel });
    saveTextFile(list.fileName, list.mimeType, list.content);
    reportSaved(list);
    return list;
  } catch (err) {
    showError(`Could not export the fix list for ${channel}`, err);
    return null;
  }
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
      for (const [channel, ids] of groups ?? []) await exportFixList(channel, ids);
      onClose();
    } catch (err) {
      showError('Could not export the selection', err);
    } finally {
      setBusy(null);
    }
  };

  const exportChannel = async (channel: string) => {
    setBusy(channel);
    try {
      if (await exportFixList(channel)) onClose();
    } finally {
      setBusy(null);
    }
  };

  const selectedCount = selection.mode === 'all' ? (pages.total ?? 0) : selection.ids.size;

  return (
    <Dialog open={open} title="Export a fix list" onClose={onClose}>
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
              </li>
            ))}
          </ul>
        </section>
      </div>
    </Dialog>
  );
}
