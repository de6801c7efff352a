/** The open workspace (`workspace.current`), app info, and the sources it holds (`sources.list`). */
import { once } from '../lib/once';
import type { Result, SourceSummary, WorkspaceInfo } from '../../../core/api/contract';
import { electronBridge, invoke, onReconnected, subscribe } from '../api/client';
import { loadable, loadInto, type Loadable } from '../lib/loadable';
import { createStore } from '../lib/store';
import { finishedOnce } from './jobMerge';
import { showError, showToast } from './toasts';

export const workspace = createStore<Loadable<WorkspaceInfo | null>>(loadable(null, true));
export const sources = createStore<Loadable<SourceSummary[]>>(loadable([], true));
export const appInfo = createStore<Result<'app.info'> | null>(null);

export async function refreshWorkspace(): Promise<void> {
  await loadInto(workspace, () => invoke('workspace.current', {}));
}

export async function refreshSources(): Promise<void> {
  await loadInto(sources, () => invoke('sources.list', {}));
}

function refreshAll(): void {
  void refreshWorkspace();
  void refreshSources();
}

/** Loads the workspace and its sources, and reloads them when a job finishes or the connection comes back. */
export const startWorkspaceSync = once(() => {
  invoke('app.info', {}).then(appInfo.set, () => appInfo.set(null));
  const firstFinish = finishedOnce();
  subscribe((e) => {
    if (e.event === 'notice') {
      showToast(
        e.level === 'error' ? 'error' : 'info',
        e.level === 'error' ? 'Concord' : 'Notice',
        e.message,
      );
      refreshAll();
      return;
    }
    if (firstFinish(e.job) && e.job.status === 'done') refreshAll();
  });
  onReconnected(refreshAll);
  refreshAll();
});

/** Electron only: open or create a workspace file through the native dialog. */
export async function chooseWorkspace(mode: 'open' | 'create'): Promise<void> {
  const bridge = electronBridge();
  if (!bridge?.pickWorkspace) return;
  try {
    const path = await bridge.pickWorkspace(mode);
    if (!path) return;
    const info = await invoke(mode === 'open' ? 'workspace.open' : 'workspace.create', { path });
    workspace.set({ data: info, loading: false, loaded: true, error: null });
    showToast('success', mode === 'open' ? 'Workspace opened' : 'Workspace created', info.path);
    void refreshSources();
  } catch (err) {
    showError(mode === 'open' ? 'Could not open the workspace' : 'Could not create the workspace', err);
  }
}
