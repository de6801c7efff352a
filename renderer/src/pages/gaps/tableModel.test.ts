import { describe, expect, it } from 'vitest';
import {
  cleanFilter,
  EMPTY_SELECTION,
  keepIds,
  nextSort,
  statusChangedMessage,
  valueCells,
  statusTarget,
  type Selection,
} from './tableModel';
import type { Segment } from '../../lib/tokenDiff';

/** A cell as it reads, the marked words in [brackets]. */
const shown = (segments: Segment[]) => segments.map((s) => (s.changed ? `[${s.text}]` : s.text)).join('');

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

describe('valueCells', () => {
  it('marks the changed token and cuts a long title so that the change shows', () => {
    const [expected, actual] = valueCells({
      expected: 'Xiaomi Poco X6 Pro 5G Smartphone 12 GB 256 GB Black',
      actual: 'Xiaomi Poco X6 Pro 5G Smartphone 12 GB 128 GB Black',
    })!;
    expect(shown(expected)).toBe('…12 GB [256] GB Black');
    expect(shown(actual)).toBe('…12 GB [128] GB Black');
  });

  it('keeps a short value whole', () => {
    const [expected, actual] = valueCells({ expected: '19.99 USD', actual: '21.99 USD' })!;
    expect(shown(expected)).toBe('[19.99] USD');
    expect(shown(actual)).toBe('[21.99] USD');
  });

  it('keeps a long value whole when it changes near its start', () => {
    const [, actual] = valueCells({
      expected: 'Home > Kitchen > Kettles & Toasters',
      actual: 'Garden > Kitchen > Kettles & Toasters',
    })!;
    expect(shown(actual)).toBe('[Garden] > Kitchen > Kettles & Toasters');
  });

  it('has nothing to mark when a side is missing or no word differs', () => {
    expect(valueCells({ expected: '5901234123457', actual: null })).toBeNull();
    expect(valueCells({ expected: null, actual: null })).toBeNull();
    expect(valueCells({ expected: 'In stock', actual: 'in stock' })).toBeNull();
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
