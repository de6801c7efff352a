/**
 * The gap table's rows, fetched lazily from `gaps.list` in pages: only the pages the viewport shows are asked
 * for (the last ask wins, at most two calls in flight, so a fast scroll does not queue up thousands of calls),
 * pages are cached, and the farthest are dropped past a bound. A new cache may keep the previous one (same query,
 * older data) to show its rows until its own arrive, so a status change does not blank the table.
 */
import type { ApiError, GapRow } from '../../../../core/api/contract';
import { toApiError } from '../../api/transport';

export const PAGE_SIZE = 200;
const MAX_IN_FLIGHT = 2;
/** 150 pages × 200 rows: 30,000 rows kept. */
const MAX_PAGES = 150;
/**
 * A view far from every loaded page (the scrollbar dragged, End pressed) is fetched once it stays put this long:
 * the positions a drag passes through are not asked for, so the page it stops at does not queue behind them.
 */
const JUMP_DELAY_MS = 120;

export type PageFetcher = (offset: number, limit: number) => Promise<{ total: number; rows: GapRow[] }>;

export class GapPages {
  private readonly pages = new Map<number, GapRow[]>();
  private readonly inFlight = new Set<number>();
  private wanted: number[] = [];
  private center = 0;
  private readonly listeners = new Set<() => void>();
  private disposed = false;
  private fallback: GapPages | null;
  private version = 0;
  private jumpTimer: ReturnType<typeof setTimeout> | null = null;
  /** Rows matching the query, known after the first answer (or from the previous cache meanwhile). */
  total: number | null;
  error: ApiError | null = null;

  constructor(
    private readonly fetcher: PageFetcher,
    previous: GapPages | null = null,
  ) {
    this.fallback = previous;
    if (previous) previous.fallback = null;
    this.total = previous?.total ?? null;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Changes whenever rows, total or error changed (for useSyncExternalStore). */
  getVersion = (): number => this.version;

  private emit(): void {
    this.version++;
    for (const l of this.listeners) l();
  }

  /** The row at `index`, if loaded (or still shown from the previous cache). */
  row(index: number): GapRow | undefined {
    const page = this.pages.get(Math.floor(index / PAGE_SIZE));
    if (page) return page[index % PAGE_SIZE];
    return this.fallback?.row(index);
  }

  /** True when the row at `index` comes from this cache's own answer. */
  fresh(index: number): boolean {
    return this.pages.has(Math.floor(index / PAGE_SIZE));
  }

  /** Asks for the rows from..to (inclusive): pages not loaded are fetched, the middle one first. */
  want(from: number, to: number): void {
    if (this.disposed) return;
    const first = Math.max(0, Math.floor(from / PAGE_SIZE));
    const last = Math.max(first, Math.floor(Math.max(from, to) / PAGE_SIZE));
    const mid = Math.floor((first + last) / 2);
    this.center = mid;
    const list: number[] = [];
    for (let p = first; p <= last; p++) list.push(p);
    list.sort((a, b) => Math.abs(a - mid) - Math.abs(b - mid));
    this.wanted = list;
    if (this.jumpTimer !== null) clearTimeout(this.jumpTimer);
    this.jumpTimer = null;
    const near = (p: number) =>
      this.pages.has(p) || this.inFlight.has(p) || this.pages.has(p - 1) || this.pages.has(p + 1);
    if (this.pages.size > 0 && !list.some(near)) {
      this.jumpTimer = setTimeout(() => {
        this.jumpTimer = null;
        this.pump();
      }, JUMP_DELAY_MS);
    } else {
      this.pump();
    }
  }

  private pump(): void {
    for (const p of this.wanted) {
      if (this.inFlight.size >= MAX_IN_FLIGHT) return;
      if (this.pages.has(p) || this.inFlight.has(p)) continue;
      if (this.total !== null && this.fallback === null && p * PAGE_SIZE >= this.total && p > 0) continue;
      void this.load(p);
    }
  }

  private async load(p: number): Promise<void> {
    this.inFlight.add(p);
    try {
      const r = await this.fetcher(p * PAGE_SIZE, PAGE_SIZE);
      if (this.disposed) return;
      this.pages.set(p, r.rows);
      this.total = r.total;
      this.error = null;
      if (this.fallback && this.wanted.every((w) => this.pages.has(w))) this.fallback = null;
      this.evict();
    } catch (err) {
      if (this.disposed) return;
      this.error = toApiError(err);
    } finally {
      this.inFlight.delete(p);
    }
    this.emit();
    // After an error, wait for the next ask rather than retrying in a loop.
    if (!this.error) this.pump();
  }

  private evict(): void {
    if (this.pages.size <= MAX_PAGES) return;
    const far = [...this.pages.keys()].sort((a, b) => Math.abs(b - this.center) - Math.abs(a - this.center));
    for (const p of far.slice(0, this.pages.size - MAX_PAGES)) this.pages.delete(p);
  }

  /** Every row from..to (inclusive), fetching what is missing (for range selection and exports). */
  async rows(from: number, to: number): Promise<GapRow[]> {
    const out: GapRow[] = [];
    const first = Math.floor(from / PAGE_SIZE);
    const last = Math.floor(to / PAGE_SIZE);
    for (let p = first; p <= last; p++) {
      let page = this.pages.get(p);
      if (!page) {
        const r = await this.fetcher(p * PAGE_SIZE, PAGE_SIZE);
        page = r.rows;
        if (!this.disposed) {
          this.pages.set(p, page);
          this.total = r.total;
        }
      }
      const start = p === first ? from - p * PAGE_SIZE : 0;
      const end = p === last ? to - p * PAGE_SIZE + 1 : PAGE_SIZE;
      out.push(...page.slice(start, end));
    }
    if (!this.disposed) this.emit();
    return out;
  }

  /** Drops the error so the next ask tries again. */
  retry(): void {
    this.error = null;
    this.emit();
    this.pump();
  }

  dispose(): void {
    this.disposed = true;
    if (this.jumpTimer !== null) clearTimeout(this.jumpTimer);
    this.listeners.clear();
    this.fallback = null;
  }
}
