import { describe, expect, it } from 'vitest';
import { describeFilter, exportFilter, noFixReason } from './exportModel';

describe('exportFilter', () => {
  it('keeps what narrows a channel’s open gaps and drops channels and statuses', () => {
    expect(exportFilter({ channels: ['google'], statuses: ['open', 'accepted'] })).toBeUndefined();
    expect(exportFilter({ query: '  ' })).toBeUndefined();
    expect(
      exportFilter({
        channels: ['google'],
        kinds: ['price_mismatch'],
        severities: ['high'],
        query: ' poco ',
      }),
    ).toEqual({ kinds: ['price_mismatch'], severities: ['high'], query: 'poco' });
  });

  it('says the filter in words', () => {
    expect(describeFilter({ kinds: ['price_mismatch', 'title_mismatch'], query: 'poco' })).toBe(
      'Price, Title · “poco”',
    );
  });
});

describe('noFixReason', () => {
  const count = { channel: 'shopify', format: 'shopify', rows: 0, fixable: 0 };

  it('is null while some gap is fixable', () => {
    expect(noFixReason({ ...count, selected: 3, fixable: 1, rows: 1, skipped: [] })).toBeNull();
  });

  it('gives the most frequent reason when none is', () => {
    expect(
      noFixReason({
        ...count,
        selected: 398,
        skipped: [
          { reason: 'the product is not listed on shopify', gaps: 390 },
          { reason: 'already fixed', gaps: 8 },
        ],
      }),
    ).toBe('None of the 398 open gaps can go in a fix list: the product is not listed on shopify.');
    expect(noFixReason({ ...count, selected: 0, skipped: [] })).toBe(
      'No open gap on shopify: nothing to fix.',
    );
  });
});
