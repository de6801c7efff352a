import { describe, expect, it } from 'vitest';
import { KeySet } from './keySet.js';

describe('KeySet', () => {
  it('holds the keys added, large ones too, and tells a new key from one it has', () => {
    const s = new KeySet(4);
    const n = 644_593;
    const keys = [0, 1, 5 * n + 7, (n - 2) * n + (n - 1), 2 ** 32, 2 ** 32 + 1, Number.MAX_SAFE_INTEGER];
    for (const k of keys) expect(s.add(k)).toBe(true);
    for (const k of keys) expect(s.add(k)).toBe(false);
    for (const k of keys) expect(s.has(k)).toBe(true);
    expect(s.has(2)).toBe(false);
    expect(s.has(2 ** 33)).toBe(false);
    expect(s.size).toBe(keys.length);
  });

  it('agrees with a Set over many keys as it grows', () => {
    const s = new KeySet();
    const ref = new Set<number>();
    let x = 12345;
    for (let t = 0; t < 50_000; t++) {
      x = (x * 1103515245 + 12345) % 2147483648;
      const key = (x % 3000) * 700_000 + (x % 700_000);
      expect(s.add(key)).toBe(!ref.has(key));
      ref.add(key);
    }
    expect(s.size).toBe(ref.size);
    for (const k of ref) expect(s.has(k)).toBe(true);
    expect(s.has(-0.5 + 1)).toBe(false);
  });

  it('refuses what is not a whole number within 0..2^53', () => {
    const s = new KeySet();
    expect(() => s.add(-1)).toThrow(RangeError);
    expect(() => s.add(1.5)).toThrow(RangeError);
    expect(() => s.add(NaN)).toThrow(RangeError);
    expect(() => s.add(2 ** 53)).toThrow(RangeError);
  });
});
