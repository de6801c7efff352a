// Being written: the category mapping between channels' taxonomies.
import type Database from 'better-sqlite3';
import type { CategoryMapping } from '../api/contract.js';
export function listCategoryMap(_db: Database.Database, _channel?: string): CategoryMapping[] {
  throw new Error('not implemented');
}
export function setCategoryMapping(
  _db: Database.Database,
  _m: { channel: string; category: string; mapsTo: string | null },
): CategoryMapping {
  throw new Error('not implemented');
}
/** The channel's own category for a reference-taxonomy path (for fix lists), or null when none is known. */
export function channelCategoryFor(_db: Database.Database, _channel: string, _reference: string): string | null {
  throw new Error('not implemented');
}
