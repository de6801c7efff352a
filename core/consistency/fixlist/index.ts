// Owned by the fix-list helper: replaced by the real module.
import type Database from 'better-sqlite3';
import type { FixList } from '../../api/contract.js';
export function buildFixList(_db: Database.Database, _options: { channel: string; ids?: number[] }): FixList {
  throw new Error('not implemented');
}
