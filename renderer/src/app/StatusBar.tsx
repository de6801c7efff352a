import { clientMode } from '../api/client';
import { Icon } from '../components/Icon';
import { Kbd } from '../components/Kbd';
import { useStore } from '../lib/store';
import { useJobs } from '../state/jobs';
import { jobsPanelOpen, toggleJobsPanel } from '../state/ui';
import { appInfo } from '../state/workspace';
import { useConnection } from './useConnection';

export function StatusBar() {
  const conn = useConnection();
  const jobs = useJobs();
  const info = useStore(appInfo);
  const open = useStore(jobsPanelOpen);
  const running = jobs.filter((j) => j.status === 'running').length;
  const failed = jobs.filter((j) => j.status === 'failed').length;
  const connLabel = {
    open: 'Connected',
    connecting: 'Connecting…',
    reconnecting: 'Reconnecting…',
    ended: 'Session ended',
  }[conn.status];
  return (
    <footer className="statusbar">
      <button
        type="button"
        className="status-item status-button"
        onClick={toggleJobsPanel}
        aria-pressed={open}
        aria-label={`Jobs: ${running} running. Toggle jobs panel`}
      >
        <Icon name="panel" />
        <span>{running > 0 ? `${running} job${running === 1 ? '' : 's'} running` : 'Jobs'}</span>
        {running > 0 && <span className="spinner" aria-hidden="true" />}
        {failed > 0 && running === 0 && <span className="status-failed num">{failed} failed</span>}
        <Kbd keys="Mod+J" />
      </button>
      <span className="status-spacer" />
      <span className={`status-item conn conn-${conn.status}`} role="status">
        <span className="conn-dot" aria-hidden="true" />
        {clientMode() === 'web' ? connLabel : 'Desktop'}
      </span>
      {info && <InferenceProvider providers={info.executionProviders} />}
      {info && (
        <span className="status-item status-muted">
          {info.mode === 'web' ? 'Web mode' : info.mode === 'electron' ? 'Electron' : info.mode} · v
          {info.version}
        </span>
      )}
    </footer>
  );
}

const PROVIDER_LABEL: Record<string, string> = {
  cuda: 'CUDA',
  dml: 'DirectML',
  coreml: 'CoreML',
  cpu: 'CPU',
};

/** Which ONNX Runtime execution provider inference runs on; the tooltip lists every provider and why it is (not) used. */
function InferenceProvider({
  providers,
}: {
  providers: { name: string; available: boolean; note: string }[];
}) {
  const inUse =
    providers.find((p) => p.available && /in use/.test(p.note)) ?? providers.find((p) => p.available);
  if (!inUse) return null;
  const details = providers.map(
    (p) => `${PROVIDER_LABEL[p.name] ?? p.name}: ${p.available ? 'available' : 'not available'} — ${p.note}`,
  );
  return (
    <span className="status-item status-muted" title={details.join('\n')} data-testid="inference-provider">
      Inference: {PROVIDER_LABEL[inUse.name] ?? inUse.name}
    </span>
  );
}
