import { describe, expect, it } from 'vitest';
import { isCodeLike, modelCodes, squash, tokenize } from './text.js';

describe('tokenize', () => {
  it('splits on punctuation, lower-cases and keeps decimals', () => {
    expect(tokenize('Denon DVD/CD player, HDMI 1.3 (s.v.h.)')).toEqual([
      'denon',
      'dvd',
      'cd',
      'player',
      'hdmi',
      '1.3',
      's',
      'v',
      'h',
    ]);
  });
  it('handles empty and non-ASCII text', () => {
    expect(tokenize('')).toEqual([]);
    expect(tokenize('Café ＬＧ')).toEqual(['café', 'lg']);
  });
});

describe('model codes', () => {
  it('finds letter+digit tokens, normalized without separators', () => {
    expect(modelCodes("lg 24 ' lds4821ww semi integrated")).toEqual(['lds4821ww']);
    expect(modelCodes('denon dvd-2930ci dvd player')).toEqual(['dvd2930ci']);
  });
  it('keeps the whole chunk and its code-like parts', () => {
    expect(modelCodes('speck case mb13-pnk-see-v2')).toEqual(['mb13pnkseev2', 'mb13']);
  });
  it('skips measurements, ordinals, short tokens and plain words', () => {
    expect(modelCodes('16gb 1080p 2.4ghz 50mm 1st v2 white')).toEqual([]);
    expect(isCodeLike('kdl40v4100')).toBe(true);
    expect(isCodeLike('16gb')).toBe(false);
  });
  it('counts long digit runs as part numbers', () => {
    expect(modelCodes('adobe software 22070152 after effects')).toEqual(['22070152']);
    expect(modelCodes('version 2007')).toEqual([]);
    expect(modelCodes('lacie big disk extreme 301199u')).toEqual(['301199u']);
    expect(isCodeLike('1080p')).toBe(false);
  });
  it('squashes to letters and digits', () => {
    expect(squash('DVD-2930 CI!')).toBe('dvd2930ci');
  });
});
