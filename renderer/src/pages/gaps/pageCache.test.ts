import { describe, expect, it } from 'vitest';
import type { GapRow } from '../../../../core/api/contract';
import { GapPages, PAGE_SIZE, type PageFetcher } from './pageCache';

function gapRow(id: number, tag = ''): GapRow {
  return {
    id,
    kind: 'missing_in_channel',
    channel: 'google',
    recordId: null,
    productId: `p_${id}`,
    field: null,
    expected: null,
    actual: null,
    severity: 'high',
    presentIn: [{ channel: 'shopify', recordId: `r${id}` }],
    status: 'open',
    clusterId: `c${id}`,
    title: `Product ${id}${tag}`,
  };
}

/** An in-memory gaps table of `total` rows answering like gaps.list; records the offsets asked and the peak in flight. */
function table(total: number, tag = '') {
  const asked: number[] = [];
  let inFlight = 0;
  let peak = 0;
  let failing = false;
  const fetcher: PageFetcher = async (offset, limit) => {
    asked.push(offset);
    inFlight++;
    peak = Math.max(peak, inFlight);
    await new Promise((r) => setTimeout(r, 1));
    inFlight--;
    if (failing) throw new Error('the server went away');
    const rows: GapRow[] = [];
    for (let i = offset; i < Math.min(total, offset + limit); i++) rows.push(gapRow(i, tag));
    return { total, rows };
  };
  return {
    fetcher,
    asked,
    peak: () => peak,
    fail: (on: boolean) => (failing = on),
    /** Resolves once nothing is in flight for a few ticks. */
    async idle(): Promise<void> {
      for (let quiet = 0; quiet < 3;) {
        await new Promise((r) => setTimeout(r, 2));
        quiet = inFlight === 0 ? quiet + 1 : 0;
      }
    },
  };
}

describe('GapPages', () => {
  it('fetches only the pages a view shows and tells subscribers when rows arrive', async () => {
    const t = table(10_000);
    const pages = new GapPages(t.fetcher);
    let calls = 0;
    pages.subscribe(() => calls++);
    expect(pages.total).toBeNull();
    pages.want(0, 50);
    await t.idle();
    expect(t.asked).toEqual([0]);
    expect(pages.total).toBe(10_000);
    expect(pages.row(50)?.id).toBe(50);
    expect(pages.row(PAGE_SIZE)).toBeUndefined();
    expect(calls).toBe(1);
    expect(pages.getVersion()).toBe(1);
  });

  it('asks for the middle page first and keeps at most two calls in flight', async () => {
    const t = table(10_000);
    const pages = new GapPages(t.fetcher);
    pages.want(0, 6 * PAGE_SIZE - 1);
    await t.idle();
    expect(t.asked.slice(0, 2)).toEqual([2 * PAGE_SIZE, 1 * PAGE_SIZE]);
    expect([...t.asked].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5].map((p) => p * PAGE_SIZE));
    expect(t.peak()).toBe(2);
  });

  it('does not ask past the end once the total is known', async () => {
    const t = table(250);
    const pages = new GapPages(t.fetcher);
    pages.want(0, 10);
    await t.idle();
    pages.want(0, 5 * PAGE_SIZE);
    await t.idle();
    expect(t.asked).toEqual([0, PAGE_SIZE]);
  });

  it('shows the previous cache’s rows until its own arrive', async () => {
    const before = table(1000, ' (before)');
    const old = new GapPages(before.fetcher);
    old.want(0, 10);
    await before.idle();

    const after = table(900, ' (after)');
    const pages = new GapPages(after.fetcher, old);
    expect(pages.total).toBe(1000);
    expect(pages.row(3)?.title).toBe('Product 3 (before)');
    expect(pages.fresh(3)).toBe(false);
    pages.want(0, 10);
    await after.idle();
    expect(pages.row(3)?.title).toBe('Product 3 (after)');
    expect(pages.fresh(3)).toBe(true);
    expect(pages.total).toBe(900);
  });

  it('returns every row of a range across pages, fetching the missing ones', async () => {
    const t = table(1000);
    const pages = new GapPages(t.fetcher);
    const rows = await pages.rows(PAGE_SIZE - 2, 2 * PAGE_SIZE + 1);
    expect(rows.map((r) => r.id)).toEqual(Array.from({ length: PAGE_SIZE + 4 }, (_, i) => PAGE_SIZE - 2 + i));
    expect(pages.row(2 * PAGE_SIZE)?.id).toBe(2 * PAGE_SIZE);
  });

  it('drops the pages farthest from the view past its bound', async () => {
    const t = table(160 * PAGE_SIZE);
    const pages = new GapPages(t.fetcher);
    // Scrolled down page by page, as a viewport moves.
    for (let p = 0; p < 160; p++) {
      pages.want(p * PAGE_SIZE, p * PAGE_SIZE + 30);
      await t.idle();
    }
    expect(t.asked.length).toBe(160);
    const kept = Array.from({ length: 160 }, (_, p) => p).filter((p) => pages.fresh(p * PAGE_SIZE));
    expect(kept).toEqual(Array.from({ length: 150 }, (_, i) => i + 10));
    expect(pages.row(0)).toBeUndefined();
    expect(pages.row(159 * PAGE_SIZE)?.id).toBe(159 * PAGE_SIZE);
  });

  it('waits for a far jump to stay put before fetching it', async () => {
    const t = table(100_000);
    const pages = new GapPages(t.fetcher);
    pages.want(0, 10);
    await t.idle();
    pages.want(50_000, 50_010);
    pages.want(60_000, 60_010);
    await new Promise((r) => setTimeout(r, 20));
    expect(t.asked).toEqual([0]);
    await new Promise((r) => setTimeout(r, 200));
    await t.idle();
    expect(t.asked).toEqual([0, 60_000]);
  });

  it('keeps an error until retry, without retrying in a loop', async () => {
    const t = table(1000);
    const pages = new GapPages(t.fetcher);
    t.fail(true);
    pages.want(0, 10);
    await t.idle();
    expect(pages.error).toMatchObject({ code: 'INTERNAL', message: 'the server went away' });
    expect(t.asked).toEqual([0]);
    t.fail(false);
    pages.retry();
    await t.idle();
    expect(pages.error).toBeNull();
    expect(pages.row(0)?.id).toBe(0);
  });

  it('ignores answers that arrive after it was disposed', async () => {
    const t = table(1000);
    const pages = new GapPages(t.fetcher);
    let calls = 0;
    pages.subscribe(() => calls++);
    pages.want(0, 10);
    pages.dispose();
    await t.idle();
    expect(pages.row(0)).toBeUndefined();
    expect(calls).toBe(0);
  });
});
