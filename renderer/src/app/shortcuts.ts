/** Global keyboard shortcuts; the list is also what the `?` dialog shows. */
import { useEffect } from 'react';
import { pickFilesForImport } from '../state/imports';
import { toggleTheme } from '../state/theme';
import { shortcutsOpen, toggleJobsPanel } from '../state/ui';
import { navigate } from './router';

export interface Shortcut {
  keys: string;
  description: string;
}

export const SHORTCUTS: readonly Shortcut[] = [
  { keys: 'Mod+O', description: 'Import files' },
  { keys: 'Mod+J', description: 'Show or hide the jobs panel' },
  { keys: 'Mod+Shift+L', description: 'Switch between light and dark theme' },
  { keys: '?', description: 'Show keyboard shortcuts' },
  { keys: 'Esc', description: 'Close a dialog' },
  { keys: 'Tab', description: 'Move between controls' },
];

function typingIn(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

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
      } else if (e.key === '?' && !mod && !e.altKey && !typingIn(e.target)) {
        e.preventDefault();
        shortcutsOpen.set(true);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
