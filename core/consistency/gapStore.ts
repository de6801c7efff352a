// Being written: the gaps table (list, status, summary, product detail).
import type Database from 'better-sqlite3';
import type { GapFilter, GapRow, GapsSummary, Params, ProductDetail } from '../api/contract.js';
type ListParams = Required<Pick<Params<'gaps.list'>, 'offset' | 'limit'>> & {
  filter: GapFilter;
  sort: { column: string; direction: 'asc' | 'desc' };
};
export function listGaps(_db: Database.Database, _p: ListParams): { total: number; rows: GapRow[] } {
  throw new Error('not implemented');
}
export function setGapStatus(
  _db: Database.Database,
  _p: { ids?: number[]; filter?: GapFilter; status: 'open' | 'accepted' | 'ignored' },
): { updated: number } {
  throw new Error('not implemented');
}
export function undoGapStatus(_db: Database.Database): { restored: number } {
  throw new Error('not implemented');
}
export function gapsSummary(_db: Database.Database): GapsSummary | null {
  throw new Error('not implemented');
}
export function productDetail(_db: Database.Database, _clusterId: string): ProductDetail {
  throw new Error('not implemented');
}
