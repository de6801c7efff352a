/**
 * Character n-grams of short texts (titles) as TF-IDF vectors, for the cosine of two records' titles: it sees the
 * spelling and spacing variants that word tokens miss (`harborpine` / `harbor pine`, `dvd2930ci` / `dvd-2930 ci`,
 * `tshirt` / `t-shirt`). The 3-grams of a text's letters and digits (lower-cased; any other run of characters
 * one space, and one at each end) are hashed into 2^16
 * buckets and kept compactly, since alignment profiles millions of records: per text its sorted buckets (Uint16)
 * and counts (Uint8), per bucket its IDF, per text its norm; a weight is (1 + ln count) · IDF. (4-grams too, or
 * more buckets, did no better on the public benchmarks' valid splits.)
 */
import { fold } from './text.js';

const N = 3;
const SPACE = 32;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const BUCKET_BITS = 16;
const LOG_COUNT = Float32Array.from({ length: 256 }, (_, c) => (c > 0 ? 1 + Math.log(c) : 0));

/** CharGrams' arrays, as plain data (what a thread can send). */
export interface CharGramsData {
  start: Int32Array;
  bucket: Uint16Array;
  count: Uint8Array;
  idf: Float32Array;
  norm: Float32Array;
}

export class CharGrams {
  constructor(
    /** Text i's entries are start[i] .. start[i + 1] - 1. */
    private readonly start: Int32Array,
    private readonly bucket: Uint16Array,
    private readonly count: Uint8Array,
    private readonly idf: Float32Array,
    private readonly norm: Float32Array,
  ) {}

  static of(d: CharGramsData): CharGrams {
    return new CharGrams(d.start, d.bucket, d.count, d.idf, d.norm);
  }

  get data(): CharGramsData {
    return { start: this.start, bucket: this.bucket, count: this.count, idf: this.idf, norm: this.norm };
  }

  /** Cosine of texts i and j (0 when either has no n-gram). */
  cosine(i: number, j: number): number {
    const g = this.bucket;
    const c = this.count;
    const idf = this.idf;
    let p = this.start[i];
    const pe = this.start[i + 1];
    let q = this.start[j];
    const qe = this.start[j + 1];
    let s = 0;
    while (p < pe && q < qe) {
      const x = g[p];
      const y = g[q];
      if (x === y) {
        const w = idf[x];
        s += LOG_COUNT[c[p++]] * LOG_COUNT[c[q++]] * w * w;
      } else if (x < y) p++;
      else q++;
    }
    const d = this.norm[i] * this.norm[j];
    return d > 0 ? s / d : 0;
  }
}

/** Builds the vectors of texts one by one (`add`), then `done`. */
export class CharGramsBuilder {
  private start: Int32Array = new Int32Array(1024);
  private bucket: Uint16Array = new Uint16Array(4096);
  private count: Uint8Array = new Uint8Array(4096);
  private texts = 0;
  private size = 0;
  private readonly df = new Int32Array(1 << BUCKET_BITS);
  private scratch = new Uint16Array(256);
  private chars = new Uint16Array(256);

  add(text: string): void {
    const grams = this.hashGrams(this.letters(fold(text)));
    grams.sort();
    this.reserve(grams.length);
    for (let x = 0; x < grams.length;) {
      let y = x + 1;
      while (y < grams.length && grams[y] === grams[x]) y++;
      this.bucket[this.size] = grams[x];
      this.count[this.size++] = Math.min(255, y - x);
      this.df[grams[x]]++;
      x = y;
    }
    this.texts++;
    if (this.texts >= this.start.length) this.start = grow(this.start, this.start.length * 2);
    this.start[this.texts] = this.size;
  }

  done(): CharGrams {
    const n = this.texts;
    const idf = Float32Array.from(this.df, (d) => Math.log((n + 1) / (d + 1)));
    const start = this.start.slice(0, n + 1);
    const bucket = this.bucket.slice(0, this.size);
    const count = this.count.slice(0, this.size);
    const norm = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let k = start[i]; k < start[i + 1]; k++) s += (LOG_COUNT[count[k]] * idf[bucket[k]]) ** 2;
      norm[i] = Math.sqrt(s);
    }
    return new CharGrams(start, bucket, count, idf, norm);
  }

  /** The character codes of t's letters and digits, other runs as one space, a space at each end. */
  private letters(t: string): Uint16Array {
    if (this.chars.length < t.length + 2) this.chars = new Uint16Array(2 * t.length + 2);
    const out = this.chars;
    let n = 0;
    out[n++] = SPACE;
    for (let x = 0; x < t.length; x++) {
      const c = t.charCodeAt(x);
      const keep = c < 128 ? (c >= 97 && c <= 122) || (c >= 48 && c <= 57) : LETTER_OR_DIGIT.test(t[x]);
      if (keep) out[n++] = c;
      else if (out[n - 1] !== SPACE) out[n++] = SPACE;
    }
    if (out[n - 1] !== SPACE) out[n++] = SPACE;
    return out.subarray(0, n);
  }

  /** The hashed n-grams of the characters (a view of the scratch buffer). */
  private hashGrams(t: Uint16Array): Uint16Array {
    if (this.scratch.length < t.length) this.scratch = new Uint16Array(2 * t.length);
    let ng = 0;
    for (let x = 0; x + N <= t.length; x++) {
      let h = 0x811c9dc5;
      for (let k = 0; k < N; k++) h = Math.imul(h ^ t[x + k], 0x01000193);
      this.scratch[ng++] = (h ^ (h >>> 16)) & 0xffff;
    }
    return this.scratch.subarray(0, ng);
  }

  private reserve(more: number): void {
    const need = this.size + more;
    if (need <= this.bucket.length) return;
    const cap = Math.max(need, this.bucket.length * 2);
    const bucket = new Uint16Array(cap);
    bucket.set(this.bucket);
    this.bucket = bucket;
    const count = new Uint8Array(cap);
    count.set(this.count);
    this.count = count;
  }
}

function grow(a: Int32Array, n: number): Int32Array {
  const b = new Int32Array(n);
  b.set(a);
  return b;
}
