import { Suspense, useEffect } from 'react';
import { useGlobalShortcuts } from './shortcuts';
import { pageById } from './pages';
import { useRoute } from './router';
import { Sidebar } from './Sidebar';
import { JobsPanel } from './JobsPanel';
import { StatusBar } from './StatusBar';
import { Toasts } from './Toasts';
import { ShortcutsDialog } from './ShortcutsDialog';
import { DropOverlay } from './DropOverlay';
import { ConnectionBanner } from './ConnectionBanner';
import { useStore } from '../lib/store';
import { jobsPanelOpen } from '../state/ui';

export function App() {
  useGlobalShortcuts();
  const page = pageById(useRoute());
  const panelOpen = useStore(jobsPanelOpen);
  const Page = page.component;

  useEffect(() => {
    document.title = `${page.title} — Concord`;
  }, [page.title]);

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <Sidebar current={page.id} />
      <div className="main-column">
        <ConnectionBanner />
        <main id="main" className="page" tabIndex={-1} aria-labelledby="page-title">
          <Suspense fallback={<div className="page-loading" aria-busy="true" />}>
            <Page />
          </Suspense>
        </main>
        {panelOpen && <JobsPanel />}
        <StatusBar />
      </div>
      <Toasts />
      <ShortcutsDialog />
      <DropOverlay />
    </div>
  );
}
