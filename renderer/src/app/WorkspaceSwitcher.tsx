import { electronBridge } from '../api/client';
import { Icon } from '../components/Icon';
import { formatCount } from '../lib/format';
import { useStore } from '../lib/store';
import { chooseWorkspace, workspace } from '../state/workspace';

/** The open workspace: name, path and counts; in Electron also open / create another one. */
export function WorkspaceSwitcher() {
  const ws = useStore(workspace);
  const bridge = electronBridge();
  const info = ws.data;
  return (
    <section className="workspace" aria-label="Workspace">
      <div className="workspace-current" title={info ? `${info.name}: ${info.path}` : undefined}>
        <Icon name="database" className="workspace-icon" />
        <div className="workspace-text">
          <div className="workspace-name" data-testid="workspace-name">
            {info ? info.name : ws.loaded ? 'No workspace open' : 'Loading…'}
          </div>
          {info && (
            <div className="workspace-meta">
              {formatCount(info.counts.sources)} {info.counts.sources === 1 ? 'source' : 'sources'} ·{' '}
              {formatCount(info.counts.records)} records
            </div>
          )}
          {ws.error && <div className="workspace-meta text-danger">{ws.error.message}</div>}
        </div>
      </div>
      {bridge?.pickWorkspace && (
        <div className="workspace-actions">
          <button type="button" className="btn btn-sm" onClick={() => void chooseWorkspace('open')}>
            <Icon name="folder" />
            <span className="btn-label">Open…</span>
          </button>
          <button type="button" className="btn btn-sm" onClick={() => void chooseWorkspace('create')}>
            <Icon name="plus" />
            <span className="btn-label">New…</span>
          </button>
        </div>
      )}
    </section>
  );
}
