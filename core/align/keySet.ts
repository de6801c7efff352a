/**
 * A set of pair keys (whole numbers 0 ≤ k < 2^53, like `i * n + j`) in one open-addressing table of doubles: a
 * `Set<number>` stores keys beyond 2^31 as heap numbers, one allocation each, and alignment tests millions.
 */
export class KeySet {
  private table: Float64Array;
  private mask: number;
  size = 0;

  constructor(expected = 1024) {
    let cap = 1024;
    while (cap < expected * 2) cap *= 2;
    this.table = new Float64Array(cap).fill(-1);
    this.mask = cap - 1;
  }

  has(key: number): boolean {
    const t = this.table;
    for (let s = slot(key) & this.mask; ; s = (s + 1) & this.mask) {
      const v = t[s];
      if (v === key) return true;
      if (v === -1) return false;
    }
  }

  /** Adds the key; false when it was there already. */
  add(key: number): boolean {
    if (!(key >= 0 && key <= Number.MAX_SAFE_INTEGER && Math.floor(key) === key))
      throw new RangeError(`KeySet: ${key} is not a whole number in 0..2^53`);
    const t = this.table;
    let s = slot(key) & this.mask;
    for (; ; s = (s + 1) & this.mask) {
      const v = t[s];
      if (v === key) return false;
      if (v === -1) break;
    }
    t[s] = key;
    if (++this.size * 2 > t.length) this.grow();
    return true;
  }

  private grow(): void {
    const old = this.table;
    this.table = new Float64Array(old.length * 2).fill(-1);
    this.mask = this.table.length - 1;
    for (let x = 0; x < old.length; x++) {
      const key = old[x];
      if (key === -1) continue;
      let s = slot(key) & this.mask;
      while (this.table[s] !== -1) s = (s + 1) & this.mask;
      this.table[s] = key;
    }
  }
}

/** A 32-bit hash of a key's low and high words. */
function slot(key: number): number {
  const lo = key >>> 0;
  const hi = (key / 4294967296) >>> 0;
  let h = Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
