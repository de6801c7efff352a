import { describe, expect, it } from 'vitest';
import { identifierKeys, ID_SEPARATOR } from '../recordPairs.js';
import { sameCode } from './score.js';

const ids = (...records: { sku?: string; mpn?: string; recordId: string }[]): string[] =>
  records.map((r) =>
    identifierKeys({ sku: r.sku ?? null, mpn: r.mpn ?? null, recordId: r.recordId }).join(ID_SEPARATOR),
  );

describe('sameCode', () => {
  it('takes an equal SKU, or a feed id that is the shop SKU, as one article', () => {
    const k = ids({ sku: 'RK-CRANE-BLK', recordId: 'RK-CRANE-BLK' }, { recordId: 'rk-crane-blk' });
    expect(sameCode(k, 0, 1)).toBe(true);
  });

  it('does not take short or all-digit numbers (a WooCommerce ID beside a feed id) as one article', () => {
    expect(sameCode(ids({ recordId: '4579' }, { recordId: '4579' }), 0, 1)).toBe(false);
    expect(sameCode(ids({ recordId: '1234567' }, { recordId: '1234567' }), 0, 1)).toBe(false);
    expect(
      sameCode(ids({ sku: 'TW-GARM-BLK-S', recordId: 'x1' }, { sku: 'TW-GARM-BLK-L', recordId: 'x2' }), 0, 1),
    ).toBe(false);
  });
});
