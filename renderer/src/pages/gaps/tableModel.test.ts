import { describe, expect, it } from 'vitest';
import {
  cleanFilter,
  EMPTY_SELECTION,
  keepIds,
  nextSort,
  statusChangedMessage,
  statusTarget,
  type Selection,
} from './tableModel';

describe('cleanFilter', () => {
  it('drops empty lists and blank text, trims the query, keeps the rest', () => {
    expect(
      cleanFilter({
        channels: [],
        kinds: ['missing_in_channel'],
        severities: [],
        statuses: ['open'],
        query: '  lamp ',
        clusterId: 'c12',
      }),
    ).toEqual({ kinds: ['missing_in_channel'], statuses: ['open'], query: 'lamp', clusterId: 'c12' });
    expect(cleanFilter({ query: '   ', channels: [] })).toEqual({});
  });
});

describe('nextSort', () => {
  it('starts severity from the highest and every other column ascending', () => {
    const bySeverity = { column: 'severity', direction: 'desc' } as const;
    expect(nextSort(bySeverity, 'channel')).toEqual({ column: 'channel', direction: 'asc' });
    expect(nextSort({ column: 'channel', direction: 'asc' }, 'severity')).toEqual(bySeverity);
  });

  it('flips the direction when the column already sorts', () => {
    expect(nextSort({ column: 'channel', direction: 'asc' }, 'channel')).toEqual({
      column: 'channel',
      direction: 'desc',
    });
    expect(nextSort({ column: 'severity', direction: 'desc' }, 'severity')).toEqual({
      column: 'severity',
      direction: 'asc',
    });
  });
});

describe('keepIds', () => {
  it('keeps the picked rows but not the range anchor, whose index moved', () => {
    const picked: Selection = { mode: 'ids', ids: new Map([[7, 'google']]), anchor: 3 };
    expect(keepIds(picked)).toEqual({ mode: 'ids', ids: new Map([[7, 'google']]), anchor: null });
    expect(keepIds({ mode: 'all' })).toEqual({ mode: 'all' });
    expect(keepIds(EMPTY_SELECTION)).toEqual(EMPTY_SELECTION);
  });
});

describe('statusChangedMessage', () => {
  it('counts the gaps changed, or says none was', () => {
    expect(statusChangedMessage(1, 'accepted')).toBe('1 gap accepted');
    expect(statusChangedMessage(3, 'open')).toBe('3 gaps reopened');
    expect(statusChangedMessage(0, 'ignored')).toBe('No gap changed: they were already ignored');
  });
});

describe('statusTarget', () => {
  it('is the picked rows, or every gap the filter selects; nothing when nothing is picked', () => {
    const filter = { statuses: ['open' as const] };
    expect(statusTarget({ mode: 'ids', ids: new Map([[7, 'google']]), anchor: 0 }, filter)).toEqual({
      ids: [7],
    });
    expect(statusTarget({ mode: 'all' }, filter)).toEqual({ filter });
    expect(statusTarget(EMPTY_SELECTION, filter)).toBeNull();
  });
});
