/** The value at quantile `q` (0–1) of `sorted` (ascending), by nearest rank; 0 when there is none. */
export function quantile(sorted: readonly number[], q: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : 0;
}
