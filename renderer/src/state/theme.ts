/**
 * Light/dark theme: follows the OS until the user picks one; the choice is remembered (localStorage).
 * Applied as `data-theme` on <html>; the CSS also follows `prefers-color-scheme` when no choice is stored.
 */
import { useSyncExternalStore } from 'react';
import { createStore, useStore } from '../lib/store';

export type ThemeChoice = 'system' | 'light' | 'dark';
const KEY = 'concord.theme';

function stored(): ThemeChoice {
  try {
    const v = localStorage.getItem(KEY);
    return v === 'light' || v === 'dark' ? v : 'system';
  } catch {
    return 'system';
  }
}

export const themeChoice = createStore<ThemeChoice>(stored());
const media = window.matchMedia('(prefers-color-scheme: dark)');

function systemTheme(): 'light' | 'dark' {
  return media.matches ? 'dark' : 'light';
}

function apply(): void {
  const choice = themeChoice.get();
  const resolved = choice === 'system' ? systemTheme() : choice;
  document.documentElement.dataset.theme = resolved;
}

export function initTheme(): void {
  apply();
  media.addEventListener('change', apply);
  themeChoice.subscribe(() => {
    const choice = themeChoice.get();
    try {
      if (choice === 'system') localStorage.removeItem(KEY);
      else localStorage.setItem(KEY, choice);
    } catch {
      // not remembered; still applied
    }
    apply();
  });
}

export function useThemeChoice(): ThemeChoice {
  return useStore(themeChoice);
}

export function useResolvedTheme(): 'light' | 'dark' {
  const choice = useStore(themeChoice);
  const system = useSyncExternalStore((cb) => {
    media.addEventListener('change', cb);
    return () => media.removeEventListener('change', cb);
  }, systemTheme);
  return choice === 'system' ? system : choice;
}

/** Toggle: switches to the opposite of what is shown now. */
export function toggleTheme(): void {
  const shown = themeChoice.get() === 'system' ? systemTheme() : themeChoice.get();
  themeChoice.set(shown === 'dark' ? 'light' : 'dark');
}
