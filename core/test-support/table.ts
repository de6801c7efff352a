import { expect } from 'vitest';

/** A table test: `fn(input)` equals `expected` on every row; a failing row names its input. */
export function expectRows<I, O>(fn: (input: I) => O, rows: readonly (readonly [I, O])[]): void {
  for (const [input, expected] of rows) expect(fn(input), JSON.stringify(input)).toEqual(expected);
}
