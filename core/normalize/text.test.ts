import { describe, expect, it } from 'vitest';
import {
  cleanId,
  collapseWhitespace,
  foldForCompare,
  isBlank,
  nfkc,
  normalizeMultiline,
  normalizeText,
} from './text.js';
import { expectRows } from '../test-support/table.js';

describe('normalizeText', () => {
  it('returns clean ASCII unchanged and blank as null', () => {
    expectRows(normalizeText, [
      ['Classic Cotton Tee', 'Classic Cotton Tee'],
      ['', null],
      ['   \t\n ', null],
      [null, null],
      [undefined, null],
    ]);
  });

  it('collapses whitespace of every kind and trims', () => {
    expect(normalizeText('  French   Press\t1 L\r\n')).toBe('French Press 1 L');
    expect(normalizeText('Mug\u00a0350\u202fml')).toBe('Mug 350 ml');
    expect(normalizeText('a\u2003b\u3000c')).toBe('a b c');
  });

  it('applies NFKC (full-width, ligatures, compatibility units)', () => {
    expect(normalizeText('ＵＳＢ－Ｃ ケーブル')).toBe('USB-C ケーブル');
    expect(normalizeText('ﬁne 1㎏ bag')).toBe('fine 1kg bag');
    expect(normalizeText('Cafe\u0301')).toBe('Café'); // combining accent composed
  });

  it('drops invisible characters and trademark marks that NFKC would turn into letters', () => {
    expectRows(normalizeText, [
      ['\ufeffHandle', 'Handle'],
      ['Ear\u200bbuds\u00ad Pro', 'Earbuds Pro'],
      ['Brightline™ Earbuds', 'Brightline Earbuds'],
      ['Service℠', 'Service'],
      ['Acme® Kettle', 'Acme® Kettle'],
      ['bell\x07', 'bell'],
    ]);
  });

  it('keeps markup-looking text as text', () => {
    expect(normalizeText('Travel Mug <script>alert(1)</script>')).toBe(
      'Travel Mug <script>alert(1)</script>',
    );
    expect(normalizeText('=HYPERLINK("http://x","y")')).toBe('=HYPERLINK("http://x","y")');
  });
});

describe('normalizeMultiline', () => {
  it('keeps one line break between lines and collapses the rest', () => {
    expectRows(normalizeMultiline, [
      ['  Line one  \r\n\r\n\t Line   two \n', 'Line one\nLine two'],
      ['one line', 'one line'],
      [' \n ', null],
      [null, null],
      ['Ｗide™\n\n', 'Wide'],
    ]);
  });
});

describe('foldForCompare', () => {
  it('folds case fully for comparison keys', () => {
    expectRows(foldForCompare, [
      ['Straße', foldForCompare('STRASSE')],
      ['  Classic   COTTON tee ', 'classic cotton tee'],
      ['ΟΔΟΣ', foldForCompare('οδος'.replace(/ς$/, 'ς'))],
      ['ＡＢＣ', 'abc'],
      [null, ''],
      ['   ', ''],
    ]);
  });
});

describe('small helpers', () => {
  it('nfkc skips ASCII and normalizes the rest', () => {
    const ascii = 'plain ascii';
    expect(nfkc(ascii)).toBe(ascii);
    expect(nfkc('①')).toBe('1');
  });
  it('collapseWhitespace', () => {
    expect(collapseWhitespace(' a \n\t b ')).toBe('a b');
  });
  it('isBlank', () => {
    expectRows(isBlank, [
      ['', true],
      [' \t\r\n\u00a0\ufeff', true],
      [null, true],
      [' x ', false],
    ]);
  });
  it('cleanId trims and removes invisible characters but keeps case and inner spaces', () => {
    expectRows(cleanId, [
      ['  NW-TEE-BLK-S ', 'NW-TEE-BLK-S'],
      ['\ufeffid 7', 'id 7'],
      ['   ', null],
      [undefined, null],
    ]);
  });
});
