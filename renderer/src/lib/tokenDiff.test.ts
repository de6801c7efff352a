import { describe, expect, it } from 'vitest';
import { diffAgainst, diffPair, type Segment } from './tokenDiff';

/** The changed words, and the whole text put back together. */
const changed = (segs: Segment[]) => segs.filter((s) => s.changed).map((s) => s.text);
const text = (segs: Segment[]) => segs.map((s) => s.text).join('');

describe('diffPair', () => {
  it('marks the words each side has and the other lacks, keeping the text whole', () => {
    const [a, b] = diffPair('Acme Desk Lamp 40W black', 'ACME desk lamp 60W black');
    expect(changed(a)).toEqual(['40W']);
    expect(changed(b)).toEqual(['60W']);
    expect(text(a)).toBe('Acme Desk Lamp 40W black');
    expect(text(b)).toBe('ACME desk lamp 60W black');
  });

  it('keeps decimals and thousands as one word', () => {
    const [a, b] = diffPair('price 24.90 EUR', 'price 24,90 EUR');
    expect(changed(a)).toEqual(['24.90']);
    expect(changed(b)).toEqual(['24,90']);
  });

  it('joins adjacent changed words with the space between them', () => {
    const [a] = diffPair('red cotton shirt', 'shirt');
    expect(a).toEqual([
      { text: 'red cotton', changed: true },
      { text: ' shirt', changed: false },
    ]);
  });

  it('marks moved words by order (LCS), and by count above the size limit', () => {
    const [a] = diffPair('one two three', 'three one two');
    expect(changed(a)).toEqual(['three']);
    const many = Array.from({ length: 500 }, (_, i) => `w${i}`);
    const [big] = diffPair([...many].reverse().join(' '), many.join(' '));
    expect(changed(big)).toEqual([]);
  });

  it('folds case and compatibility forms', () => {
    const [a, b] = diffPair('ＡＢＣ lamp', 'abc Lamp');
    expect(changed(a)).toEqual([]);
    expect(changed(b)).toEqual([]);
  });

  it('handles empty values', () => {
    expect(diffPair('', '')).toEqual([[], []]);
    expect(diffPair('', 'lamp')[1]).toEqual([{ text: 'lamp', changed: true }]);
  });
});

describe('diffAgainst', () => {
  it('marks the words the reference lacks, counting repeats', () => {
    expect(changed(diffAgainst('pack of 2 2 batteries', 'pack of 2 batteries'))).toEqual(['2']);
    expect(changed(diffAgainst('blue lamp', 'lamp blue'))).toEqual([]);
  });
});
