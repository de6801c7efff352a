/**
 * Stale gaps: when alignment (a merge, split, label, threshold or re-alignment) or the imports changed after the
 * last detection (gaps.staleness), a banner says what changed and offers to detect again. Beside it, the
 * workspace setting that has detection follow every alignment job on its own.
 */
import { useEffect, useState } from 'react';
import { useQuery } from '../../api/useQuery';
import { invoke } from '../../api/client';
import { JobButton } from '../../components/JobProgress';
import { Icon } from '../../components/Icon';
import { useAction } from '../../lib/useAction';
import { useStore } from '../../lib/store';
import { useRunningJob } from '../../state/jobs';
import { workspace } from '../../state/workspace';
import { detectJob, isGapsJob, refreshStaleness, staleness, startDetect } from './gapsState';

export function StaleBanner() {
  const { data } = useStore(staleness);
  const track = useStore(detectJob);
  const running = useRunningJob(track.jobId, isGapsJob);
  // Merges and splits on the Matches page are not jobs: ask again whenever the page shows.
  useEffect(() => void refreshStaleness(), []);
  if (!data?.stale) return null;
  return (
    <div className="stale-banner" role="status" data-testid="stale-banner">
      <Icon name="alert" className="stale-icon" />
      <div className="stale-text">
        <strong>These gaps may be out of date.</strong>
        {data.reasons.map((r) => (
          <span key={r.kind}>{r.message}.</span>
        ))}
      </div>
      <JobButton
        primary
        small
        busy={track.starting || !!running}
        // Detection aligns first when an import left records unaligned.
        onClick={() => void startDetect(true)}
        title="Detect gaps again from the current products and exports"
        label="Re-detect gaps"
        busyLabel="Detecting…"
        testId="stale-redetect"
      />
    </div>
  );
}

/** The workspace setting "re-detect automatically after alignment". */
export function AutoDetectToggle() {
  const path = useStore(workspace).data?.path ?? '';
  const { data } = useQuery('gaps.detectSettings', {}, path);
  // The value saved since, for the workspace it was saved in.
  const [saved, setSaved] = useState<{ path: string; on: boolean } | null>(null);
  const [saving, run] = useAction('Could not change the detection setting');
  const on = saved?.path === path ? saved.on : (data?.autoDetectAfterAlign ?? false);
  return (
    <label
      className="auto-detect"
      title="When on, every alignment (Align, Retrain) is followed by gap detection, so the gaps are never older than the products"
    >
      <input
        type="checkbox"
        checked={on}
        disabled={data === null || saving}
        onChange={(e) => {
          const autoDetectAfterAlign = e.target.checked;
          // Shown at once; put back when the workspace refuses it.
          setSaved({ path, on: autoDetectAfterAlign });
          void run(async () => {
            try {
              await invoke('gaps.setDetectSettings', { autoDetectAfterAlign });
            } catch (err) {
              setSaved({ path, on: !autoDetectAfterAlign });
              throw err;
            }
          });
        }}
        data-testid="auto-detect"
      />
      Re-detect after alignment
    </label>
  );
}
