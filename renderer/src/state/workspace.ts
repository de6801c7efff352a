/** The open workspace (`workspace.current`), app info, and the sources it holds (`sources.list`). */
import type { ApiError, Result, SourceSummary, WorkspaceInfo } from '../../../core/api/contract';
import { electronBridge, invoke, onReconnected, subscribe } from '../api/client';
import { toApiError } from '../api/transport';
import { createStore } from '../lib/store';
import { showError, showToast } from './toasts';

export interface Loadable<T> {
  data: T;
  loading: boolean;
  loaded: boolean;
  error: ApiError | null;
}

export const workspace = createStore<Loadable<WorkspaceInfo | null>>({
  data: null,
  loading: true,
  loaded: false,
  error: null,
});
export const sources = createStore<Loadable<SourceSummary[]>>({
  data: [],
  loading: true,
  loaded: false,
  error: null,
});
export const appInfo = createStore<Result<'app.info'> | null>(null);

export async function refreshWorkspace(): Promise<void> {
  workspace.set((s) => ({ ...s, loading: true }));
  try {
    const data = await invoke('workspace.current', {});
    workspace.set({ data, loading: false, loaded: true, error: null });
  } catch (err) {
    workspace.set((s) => ({ ...s, loading: false, loaded: true, error: toApiError(err) }));
  }
}

export async function refreshSources(): Promise<void> {
  sources.set((s) => ({ ...s, loading: true }));
  try {
    const data = await invoke('sources.list', {});
    sources.set({ data, loading: false, loaded: true, error: null });
  } catch (err) {
    sources.set((s) => ({ ...s, loading: false, loaded: true, error: toApiError(err) }));
  }
}

function refreshAll(): void {
  void refreshWorkspace();
  void refreshSources();
}

let started = false;

/** Loads the workspace and its sources, and reloads them when a job finishes or the connection comes back. */
export function startWorkspaceSync(): void {
  if (started) return;
  started = true;
  invoke('app.info', {}).then(appInfo.set, () => appInfo.set(null));
  const finished = new Set<string>();
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
    if (e.job.status !== 'running' && !finished.has(e.job.id)) {
      finished.add(e.job.id);
      if (e.job.status === 'done') refreshAll();
    }
  });
  onReconnected(refreshAll);
  refreshAll();
}

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
