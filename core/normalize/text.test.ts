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

describe('normalizeText', () => {
  it('returns clean ASCII unchanged and blank as null', () => {
    expect(normalizeText('Classic Cotton Tee')).toBe('Classic Cotton Tee');
    expect(normalizeText('')).toBeNull();
    expect(normalizeText('   \t\n ')).toBeNull();
    expect(normalizeText(null)).toBeNull();
    expect(normalizeText(undefined)).toBeNull();
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
    expect(normalizeText('\ufeffHandle')).toBe('Handle');
    expect(normalizeText('Ear\u200bbuds\u00ad Pro')).toBe('Earbuds Pro');
    expect(normalizeText('Brightline™ Earbuds')).toBe('Brightline Earbuds');
    expect(normalizeText('Service℠')).toBe('Service');
    expect(normalizeText('Acme® Kettle')).toBe('Acme® Kettle');
    expect(normalizeText('bell\x07')).toBe('bell');
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
    expect(normalizeMultiline('  Line one  \r\n\r\n\t Line   two \n')).toBe('Line one\nLine two');
    expect(normalizeMultiline('one line')).toBe('one line');
    expect(normalizeMultiline(' \n ')).toBeNull();
    expect(normalizeMultiline(null)).toBeNull();
    expect(normalizeMultiline('Ｗide™\n\n')).toBe('Wide');
  });
});

describe('foldForCompare', () => {
  it('folds case fully for comparison keys', () => {
    expect(foldForCompare('Straße')).toBe(foldForCompare('STRASSE'));
    expect(foldForCompare('  Classic   COTTON tee ')).toBe('classic cotton tee');
    expect(foldForCompare('ΟΔΟΣ')).toBe(foldForCompare('οδος'.replace(/ς$/, 'ς')));
    expect(foldForCompare('ＡＢＣ')).toBe('abc');
    expect(foldForCompare(null)).toBe('');
    expect(foldForCompare('   ')).toBe('');
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
    expect(isBlank('')).toBe(true);
    expect(isBlank(' \t\r\n\u00a0\ufeff')).toBe(true);
    expect(isBlank(null)).toBe(true);
    expect(isBlank(' x ')).toBe(false);
  });
  it('cleanId trims and removes invisible characters but keeps case and inner spaces', () => {
    expect(cleanId('  NW-TEE-BLK-S ')).toBe('NW-TEE-BLK-S');
    expect(cleanId('\ufeffid 7')).toBe('id 7');
    expect(cleanId('   ')).toBeNull();
    expect(cleanId(undefined)).toBeNull();
  });
});
