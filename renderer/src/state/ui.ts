/** Shell state: which panels and dialogs are open. */
import { createStore } from '../lib/store';

const JOBS_KEY = 'concord.jobs-panel';

function storedPanel(): boolean {
  try {
    return localStorage.getItem(JOBS_KEY) === 'open';
  } catch {
    return false;
  }
}

export const jobsPanelOpen = createStore<boolean>(storedPanel());
jobsPanelOpen.subscribe(() => {
  try {
    localStorage.setItem(JOBS_KEY, jobsPanelOpen.get() ? 'open' : 'closed');
  } catch {
    // not remembered
  }
});

export const shortcutsOpen = createStore<boolean>(false);

export function toggleJobsPanel(): void {
  jobsPanelOpen.set((v) => !v);
}
