import { describe, expect, it } from 'vitest';
import { withoutTextMarker } from './common.js';

describe('withoutTextMarker', () => {
  it("drops a spreadsheet's leading apostrophe, and nothing else", () => {
    expect(withoutTextMarker("'7350177880121")).toBe('7350177880121');
    expect(withoutTextMarker("'1")).toBe('1');
    expect(withoutTextMarker(" '00012345")).toBe('00012345');
    expect(withoutTextMarker("''1")).toBe("'1");
    expect(withoutTextMarker("'")).toBe("'");
    expect(withoutTextMarker("O'NEILL-1")).toBe("O'NEILL-1");
    expect(withoutTextMarker('')).toBe('');
  });
});
