/** Hash routing (`#/import`): works the same from file:// in Electron and from `concord serve`. */
import { useSyncExternalStore } from 'react';

function current(): string {
  const h = window.location.hash.replace(/^#\/?/, '');
  return h.split(/[/?]/)[0] ?? '';
}

function subscribeHash(cb: () => void): () => void {
  window.addEventListener('hashchange', cb);
  return () => window.removeEventListener('hashchange', cb);
}

function view(): string {
  return window.location.hash.replace(/^#\/?/, '').split(/[/?]/)[1] ?? '';
}

/** The page's view: the second part of the address (`#/gaps/table` -> `table`), '' when there is none. */
export function useView(): string {
  return useSyncExternalStore(subscribeHash, view);
}

export function useRoute(): string {
  return useSyncExternalStore(subscribeHash, current);
}

export function navigate(pageId: string): void {
  if (current() !== pageId) window.location.hash = `#/${pageId}`;
}

export function hrefFor(pageId: string): string {
  return `#/${pageId}`;
}
