/** The value at quantile `q` (0–1) of `sorted` (ascending), by nearest rank; 0 when there is none. */
export function quantile(sorted: readonly number[], q: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : 0;
}

/** Frame times (ms between animation frames): count, p50, p95, max, and how many took over 50 ms. */
export function frameStats(frames: readonly number[]) {
  const sorted = [...frames].sort((a, b) => a - b);
  const at = (q: number) => quantile(sorted, q);
  const round = (v: number) => Math.round(v * 10) / 10;
  return {
    frames: frames.length,
    p50Ms: round(at(0.5)),
    p95Ms: round(at(0.95)),
    maxMs: round(sorted[sorted.length - 1] ?? 0),
    over50Ms: frames.filter((f) => f > 50).length,
  };
}
