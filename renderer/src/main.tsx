import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { startClient } from './api/client';
import { App } from './app/App';
import { startJobSync } from './state/jobs';
import { initTheme } from './state/theme';
import { startWorkspaceSync } from './state/workspace';
import './styles/base.css';
import './styles/shell.css';
import './styles/components.css';
import './styles/import.css';

// First: in web mode this takes the session token out of the address bar.
startClient();
initTheme();
startJobSync();
startWorkspaceSync();

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
