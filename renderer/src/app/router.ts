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

export function useRoute(): string {
  return useSyncExternalStore(subscribeHash, current);
}

export function navigate(pageId: string): void {
  if (current() !== pageId) window.location.hash = `#/${pageId}`;
}

export function hrefFor(pageId: string): string {
  return `#/${pageId}`;
}
