/**
 * The gap table's row cache for the current query: one GapPages per (filter, sort, data version), shared by the
 * table and the page's keyboard actions. A new data version of the same query keeps showing the previous rows
 * until the new ones arrive.
 */
import type { GapFilter } from '../../../../core/api/contract';
import { invoke } from '../../api/client';
import type { GapSort } from './gapsState';
import { GapPages } from './pageCache';

let current: { query: string; version: number; pages: GapPages } | null = null;

/** The cache for this query and data version (the same object while neither changes). */
export function pagesFor(filter: GapFilter, sort: GapSort, version: number): GapPages {
  const query = JSON.stringify([filter, sort]);
  if (current && current.query === query && current.version === version) return current.pages;
  const previous = current && current.query === query ? current.pages : null;
  current?.pages.dispose();
  const pages = new GapPages(
    (offset, limit) => invoke('gaps.list', { filter, sort, offset, limit }),
    previous,
  );
  current = { query, version, pages };
  return pages;
}

export function currentPages(): GapPages | null {
  return current?.pages ?? null;
}
