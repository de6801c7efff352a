/** Global keyboard shortcuts; the list is also what the `?` dialog shows. */
import { useEffect } from 'react';
import { typingIn } from '../lib/keyboard';
import { pickFilesForImport } from '../state/imports';
import { toggleTheme } from '../state/theme';
import { shortcutsOpen, toggleJobsPanel } from '../state/ui';
import { PAGES } from './pages';
import { navigate } from './router';

export interface Shortcut {
  keys: string;
  description: string;
}

export const SHORTCUTS: readonly Shortcut[] = [
  { keys: 'Mod+O', description: 'Import files' },
  { keys: 'Mod+J', description: 'Show or hide the jobs panel' },
  { keys: 'Mod+Shift+L', description: 'Switch between light and dark theme' },
  ...PAGES.slice(0, 9).map((p, i) => ({ keys: `Alt+${i + 1}`, description: `Go to ${p.title}` })),
  { keys: '?', description: 'Show keyboard shortcuts' },
  { keys: 'Esc', description: 'Close a dialog' },
  { keys: 'Tab', description: 'Move between controls' },
];

export function useGlobalShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      if (mod && !e.altKey && !e.shiftKey && key === 'o') {
        e.preventDefault();
        navigate('import');
        void pickFilesForImport();
      } else if (mod && !e.altKey && !e.shiftKey && key === 'j') {
        e.preventDefault();
        toggleJobsPanel();
      } else if (mod && e.shiftKey && !e.altKey && key === 'l') {
        e.preventDefault();
        toggleTheme();
      } else if (e.altKey && !mod && !e.shiftKey && /^Digit[1-9]$/.test(e.code)) {
        // e.code, not e.key: Alt+digit types a symbol on some layouts (macOS).
        const page = PAGES[Number(e.code.slice(5)) - 1];
        if (page) {
          e.preventDefault();
          navigate(page.id);
        }
      } else if (e.key === '?' && !mod && !e.altKey && !typingIn(e.target)) {
        e.preventDefault();
        shortcutsOpen.set(true);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
