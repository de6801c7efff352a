/**
 * Product text -> hashed sparse feature ids, the input of the built-in encoder (models/encoder).
 *
 * A title is normalized (NFKC, lower case, accents stripped) and split into words: runs of letters and digits,
 * a decimal point between digits kept, a number followed by a unit joined to it ("16 GB", "16-GB" and "16GB"
 * all become `16gb`). Features, in this order:
 *   c:<code>   model codes: letter+digit tokens with their separators dropped ("WH-1000XM4" -> `wh1000xm4`)
 *   w:<word>   words
 *   b:<w1 w2>  word bigrams
 *   g:<gram>   character 3..5-grams of each word with boundary marks (`<ssd>` -> `<ss`, `ssd`, `sd>`, `<ssd` …)
 * Each feature string is hashed with FNV-1a (32-bit, over UTF-16 code units) followed by murmur3's finalizer,
 * modulo `buckets`. Bucket `buckets` itself is the padding id (a zero row in the embedding table).
 * Anything that changes the ids of a text must bump FEATURIZER_VERSION: trained models depend on them.
 */
import { nfkc } from '../normalize/text.js';

export const FEATURIZER_VERSION = 1;

export interface FeaturizerConfig {
  version: number;
  /** Hash buckets B; ids are 0..B-1 and B is padding. */
  buckets: number;
  minN: number;
  maxN: number;
  /** Features kept per text (the rest, char-grams of the last words first, are dropped). */
  maxFeatures: number;
}

export const DEFAULT_FEATURIZER: Readonly<FeaturizerConfig> = Object.freeze({
  version: FEATURIZER_VERSION,
  buckets: 1 << 18,
  minN: 3,
  maxN: 5,
  maxFeatures: 256,
});

/** Units a number joins ("16 GB" -> "16gb"). `in` is left out: "2 in 1" is not two inches. */
const UNITS = new Set([
  'b',
  'kb',
  'mb',
  'gb',
  'tb',
  'pb',
  'hz',
  'khz',
  'mhz',
  'ghz',
  'mah',
  'ah',
  'wh',
  'kwh',
  'w',
  'kw',
  'v',
  'mv',
  'a',
  'ma',
  'mm',
  'cm',
  'm',
  'km',
  'inch',
  'inches',
  'ft',
  'yd',
  'g',
  'kg',
  'mg',
  'lb',
  'lbs',
  'oz',
  'floz',
  'ml',
  'cl',
  'dl',
  'l',
  'ltr',
  'litre',
  'liter',
  'gal',
  'pc',
  'pcs',
  'pack',
  'pk',
  'ct',
  'count',
  'x',
  'mp',
  'fps',
  'rpm',
  'db',
  'p',
  'k',
]);

const COMBINING = /\p{M}+/gu;
const NON_ASCII = /[\u0080-\uffff]/;
const WORD_CHAR = /[\p{L}\p{N}]/u;

/** NFKC, lower case, accents (combining marks after NFD) removed. */
export function normalizeTitle(text: string): string {
  const lower = nfkc(text).toLowerCase();
  if (!NON_ASCII.test(lower)) return lower;
  return lower.normalize('NFD').replace(COMBINING, '').normalize('NFC');
}

function isAsciiWord(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Length in code units of the word character at i (0 when it is not one). */
function wordCharAt(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c < 0x80) return isAsciiWord(c) ? 1 : 0;
  const cp = s.codePointAt(i)!;
  const len = cp > 0xffff ? 2 : 1;
  return WORD_CHAR.test(String.fromCodePoint(cp)) ? len : 0;
}

const NUMBER = /^\d+(?:\.\d+)?$/;
const MEASURE = /^(\d+(?:\.\d+)?)([a-z]+)$/;

/** Words of a normalized title, numbers joined to the unit that follows them. */
export function words(norm: string): string[] {
  const raw: string[] = [];
  const n = norm.length;
  let i = 0;
  while (i < n) {
    const w = wordCharAt(norm, i);
    if (w === 0) {
      i++;
      continue;
    }
    let j = i + w;
    while (j < n) {
      const k = wordCharAt(norm, j);
      if (k > 0) {
        j += k;
        continue;
      }
      const c = norm.charCodeAt(j);
      if (
        (c === 46 || c === 44) &&
        isDigit(norm.charCodeAt(j - 1)) &&
        j + 1 < n &&
        isDigit(norm.charCodeAt(j + 1))
      ) {
        j++;
        continue;
      }
      break;
    }
    const word = norm.slice(i, j);
    raw.push(word.includes(',') ? word.replace(/,/g, '.') : word);
    i = j;
  }
  const out: string[] = [];
  for (let k = 0; k < raw.length; k++) {
    const word = raw[k];
    const next = raw[k + 1];
    if (next !== undefined && UNITS.has(next) && NUMBER.test(word)) {
      out.push(word + next);
      k++;
    } else out.push(word);
  }
  return out;
}

function isMeasure(token: string): boolean {
  const m = MEASURE.exec(token);
  return m !== null && UNITS.has(m[2]);
}

const CODE_RUN = /[\p{L}\p{N}]+(?:[-/.][\p{L}\p{N}]+)*/gu;
const HAS_DIGIT = /\d/;
const HAS_LETTER = /\p{L}/u;
const SEPARATORS = /[-/.]/g;

/** Model codes of a normalized title: letter+digit runs, separators dropped, measures ("16gb") left out. */
export function modelCodes(norm: string): string[] {
  const out: string[] = [];
  for (const m of norm.matchAll(CODE_RUN)) {
    const code = m[0].replace(SEPARATORS, '');
    if (code.length >= 3 && HAS_DIGIT.test(code) && HAS_LETTER.test(code) && !isMeasure(code)) out.push(code);
  }
  return out;
}

// ---- hashing ----------------------------------------------------------------------------------------------

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

function fnvString(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h;
}

/** murmur3 fmix32: spreads FNV's weak low bits before the modulo. */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const SEED_C = fnvString(FNV_OFFSET, 'c:');
const SEED_W = fnvString(FNV_OFFSET, 'w:');
const SEED_B = fnvString(FNV_OFFSET, 'b:');
const SEED_G = fnvString(FNV_OFFSET, 'g:');

/** The bucket of a feature string such as `w:ssd` (what `featurize` computes without building the strings). */
export function hashFeature(feature: string, buckets: number): number {
  return fmix(fnvString(FNV_OFFSET, feature)) % buckets;
}

/** The feature strings of a text, in id order (for tests and explanations). */
export function featureStrings(text: string, config: FeaturizerConfig = DEFAULT_FEATURIZER): string[] {
  const norm = normalizeTitle(text);
  const ws = words(norm);
  const out: string[] = [];
  for (const c of modelCodes(norm)) out.push(`c:${c}`);
  for (const w of ws) out.push(`w:${w}`);
  for (let i = 0; i + 1 < ws.length; i++) out.push(`b:${ws[i]} ${ws[i + 1]}`);
  for (const w of ws) {
    const m = `<${w}>`;
    for (let n = config.minN; n <= config.maxN; n++) {
      for (let s = 0; s + n <= m.length; s++) out.push(`g:${m.slice(s, s + n)}`);
    }
    if (m.length < config.minN) out.push(`g:${m}`);
  }
  return out.slice(0, config.maxFeatures);
}

/**
 * Writes the feature ids of `text` into `out` from `offset` (at most config.maxFeatures of them) and returns how
 * many it wrote. Same ids, in the same order, as hashing `featureStrings(text)`.
 */
export function featurizeInto(text: string, config: FeaturizerConfig, out: Int32Array, offset = 0): number {
  const { buckets, minN, maxN, maxFeatures } = config;
  const norm = normalizeTitle(text);
  const ws = words(norm);
  let k = 0;
  const put = (h: number): boolean => {
    if (k >= maxFeatures) return false;
    out[offset + k++] = fmix(h) % buckets;
    return true;
  };
  for (const c of modelCodes(norm)) if (!put(fnvString(SEED_C, c))) return k;
  for (const w of ws) if (!put(fnvString(SEED_W, w))) return k;
  for (let i = 0; i + 1 < ws.length; i++) {
    if (!put(fnvString(Math.imul(fnvString(SEED_B, ws[i]) ^ 32, FNV_PRIME), ws[i + 1]))) return k;
  }
  for (const w of ws) {
    const len = w.length + 2; // with '<' and '>'
    const at = (i: number): number => (i === 0 ? 60 : i === len - 1 ? 62 : w.charCodeAt(i - 1));
    for (let n = minN; n <= maxN; n++) {
      for (let s = 0; s + n <= len; s++) {
        let h = SEED_G;
        for (let i = s; i < s + n; i++) h = Math.imul(h ^ at(i), FNV_PRIME);
        if (!put(h)) return k;
      }
    }
    if (len < minN) {
      let h = SEED_G;
      for (let i = 0; i < len; i++) h = Math.imul(h ^ at(i), FNV_PRIME);
      if (!put(h)) return k;
    }
  }
  return k;
}

/** The feature ids of one text. */
export function featurize(text: string, config: FeaturizerConfig = DEFAULT_FEATURIZER): Int32Array {
  const buf = new Int32Array(config.maxFeatures);
  return buf.slice(0, featurizeInto(text, config, buf));
}

export interface FeatureBatch {
  /** rows × width ids, row-major, padded with `config.buckets`. */
  ids: Int32Array;
  rows: number;
  width: number;
}

/** Featurizes texts into one padded matrix (width = the longest row, at least 1). */
export function featurizeBatch(
  texts: readonly string[],
  config: FeaturizerConfig = DEFAULT_FEATURIZER,
): FeatureBatch {
  const rows = texts.length;
  const scratch = new Int32Array(rows * config.maxFeatures);
  const counts = new Int32Array(rows);
  let width = 1;
  for (let r = 0; r < rows; r++) {
    const n = featurizeInto(texts[r] ?? '', config, scratch, r * config.maxFeatures);
    counts[r] = n;
    if (n > width) width = n;
  }
  const ids = new Int32Array(rows * width).fill(config.buckets);
  for (let r = 0; r < rows; r++)
    ids.set(scratch.subarray(r * config.maxFeatures, r * config.maxFeatures + counts[r]), r * width);
  return { ids, rows, width };
}
