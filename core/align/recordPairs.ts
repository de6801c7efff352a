/**
 * Channel records as the pairwise matcher sees them (DESIGN.md "Alignment", step 2), built for a whole workspace
 * at once: every record's normalized fields are turned once into a compact profile (typed arrays: TF-IDF word
 * vector of title + variant options, model codes, quantities with units in SI, option key/values, identifiers,
 * brand, price, weight, category words, optional description and embedding row), and a pair's features are
 * computed from two profiles without allocating. Nothing depends on a channel, a data set or a merchant: the
 * learner decides what the features mean.
 *
 * The GTIN is deliberately not a feature: equal / different valid GTINs are the "known for sure" labels the
 * model is trained from (alignWorkspace.ts), so a GTIN feature would teach the model nothing but the label.
 */
import { toSi } from '../normalize/units.js';
import { CharGrams, CharGramsBuilder, type CharGramsData } from './charGrams.js';
import { fold, modelCodes, squash, tokenize } from './text.js';

/** A channel record with the normalized fields alignment uses (from the workspace's `records` table). */
export interface AlignRecord {
  /** records.id */
  id: number;
  /** Index of the record's channel in channel-priority order (0 = system of record). */
  channel: number;
  recordId: string;
  title: string | null;
  brandKey: string | null;
  /** GTIN-14 when valid, else null. */
  gtin: string | null;
  mpn: string | null;
  sku: string | null;
  priceMinor: number | null;
  salePriceMinor: number | null;
  currency: string | null;
  weightG: number | null;
  category: string | null;
  /** Variant options, e.g. { Size: 'M', Color: 'Blue' }. */
  options: Record<string, string> | null;
  /**
   * Longer text about the product (a description), when there is one: what the other record's title says is
   * looked for in it too (the `description.*` and `code.inText*` features).
   */
  description?: string | null;
  /** The product image's address, when there is one: its file name often travels with the photo to every channel. */
  imageUrl?: string | null;
}

/** Embedding rows for some records: `row[i]` is record i's row in `matrix` (rows × dims, L2-normalized) or -1. */
export interface RecordEmbeddings {
  matrix: Float32Array;
  dims: number;
  row: Int32Array;
}

/** Dimensions of quantities read from text (`16gb`, `500 ml`, `1.7 l`, `65w`, `6-pack`) and their base unit. */
const DIMENSIONS = ['g', 'mm', 'ml', 'gb', 'w', 'wh', 'mah', 'v', 'hz', 'pcs'] as const;
const DIM_INDEX = new Map<string, number>(DIMENSIONS.map((d, i) => [d, i]));

/** Units beyond mass / length / volume (those come from core/normalize/units.ts): base unit and factor. */
const OTHER_UNITS: Record<string, [string, number]> = {
  b: ['gb', 1 / 1024 ** 3],
  kb: ['gb', 1 / 1024 ** 2],
  mb: ['gb', 1 / 1024],
  gb: ['gb', 1],
  tb: ['gb', 1024],
  w: ['w', 1],
  kw: ['w', 1000],
  wh: ['wh', 1],
  kwh: ['wh', 1000],
  mah: ['mah', 1],
  ah: ['mah', 1000],
  v: ['v', 1],
  mv: ['v', 0.001],
  hz: ['hz', 1],
  khz: ['hz', 1e3],
  mhz: ['hz', 1e6],
  ghz: ['hz', 1e9],
  pack: ['pcs', 1],
  piece: ['pcs', 1],
  pieces: ['pcs', 1],
  pk: ['pcs', 1],
  pcs: ['pcs', 1],
  pc: ['pcs', 1],
  ct: ['pcs', 1],
  count: ['pcs', 1],
  x: ['pcs', 1],
};
/** Words that may follow a number as its unit (`16 GB` is read like `16GB`). */
const UNIT_WORDS = new Set([
  ...Object.keys(OTHER_UNITS),
  ...'g gr kg mg oz lb lbs mm cm m in inch inches ft ml cl dl l lt ltr litre liter litres liters floz gal'.split(
    ' ',
  ),
]);
const NUMBER = /^\d+(?:\.\d+)?$/;
const MEASURE = /^(\d+(?:\.\d+)?)([a-z]+)$/;
const HAS_DIGIT = /\d/;
const POSSESSIVE = /(\p{L})['’]s\b/gu;
/** Count phrases written before the number (`Pack of 6`, `Set of 4`, `Box of 12`): read as `6 pack`. */
const COUNT_PHRASE = /\b(?:pack|set|box|case|bag|carton)\s+of\s+(\d+)\b/giu;

/**
 * Word tokens of a text for matching: lower-cased words (`Men's` -> `mens`), decimal commas as points, a number
 * joined to its unit and written in the unit's base (`1 kg` and `1000g` -> `1000g`, `1.7 L` -> `1700ml`,
 * `4 pk` and `4-Pack` -> `4pcs`).
 */
export function matchTokens(text: string): string[] {
  let t = text.includes("'") || text.includes('’') ? text.replace(POSSESSIVE, '$1s') : text;
  if (t.includes(' of ') || t.includes(' OF ') || t.includes(' Of ')) t = t.replace(COUNT_PHRASE, '$1 pack');
  const raw = tokenize(t);
  const out: string[] = [];
  for (let k = 0; k < raw.length; k++) {
    let w = raw[k].includes(',') ? raw[k].replace(',', '.') : raw[k];
    const next = raw[k + 1];
    if (next !== undefined && UNIT_WORDS.has(next) && NUMBER.test(w)) {
      w += next;
      k++;
    }
    const size = SIZE_WORDS[w];
    if (size !== undefined) {
      // `Extra Small` / `X-Small` -> `xs`, `XX-Large` -> `xxl`, `Medium` -> `m`: apparel sizes in one writing.
      const prev = out[out.length - 1];
      const prefix = prev === 'x' || prev === 'extra' ? 'x' : prev === 'xx' ? 'xx' : null;
      if (prefix !== null && size.length === 1) out[out.length - 1] = prefix + size;
      else out.push(size);
      continue;
    }
    const q = HAS_DIGIT.test(w) ? quantityOf(w) : null;
    out.push(q ? `${q[1]}${DIMENSIONS[q[0]]}` : w);
  }
  return out;
}

const SIZE_WORDS: Record<string, string> = { small: 's', medium: 'm', large: 'l' };

/** A quantity token (`500ml`, `1.7l`, `64gb`) as [dimension index, value in the dimension's base unit]. */
export function quantityOf(token: string): [number, number] | null {
  const m = MEASURE.exec(token);
  if (m === null) return null;
  const value = Number(m[1]);
  const other = OTHER_UNITS[m[2]];
  if (other) return [DIM_INDEX.get(other[0])!, round6(value * other[1])];
  const si = UNIT_WORDS.has(m[2]) ? toSi(value, m[2]) : null;
  return si ? [DIM_INDEX.get(si.unit)!, si.value] : null;
}

function round6(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}

/** The text a record is compared by: its title plus the option values the title does not already say. */
export function recordText(r: Pick<AlignRecord, 'title' | 'options'>): string {
  const title = r.title ?? '';
  if (!r.options) return title;
  const folded = fold(title);
  let extra = '';
  for (const v of Object.values(r.options)) {
    if (v && !folded.includes(fold(v))) extra += ` ${v}`;
  }
  return extra ? title + extra : title;
}

/**
 * Identifier codes of a record (SKU, MPN, and its record id: a Google feed's `id` is often the shop's SKU or
 * product ID), squashed; each with a leading segment (`WC-`, `FBA-`) stripped as a further key, after the whole
 * ones (`whole` of them).
 */
export function identifierKeyParts(r: Pick<AlignRecord, 'sku' | 'mpn'> & { recordId?: string }): {
  keys: string[];
  whole: number;
} {
  const keys: string[] = [];
  const stripped: string[] = [];
  for (const v of [r.sku, r.mpn, r.recordId]) {
    if (!v) continue;
    const s = squash(v);
    if (s.length >= 4 && !keys.includes(s)) keys.push(s);
    const cut = v.search(/[-_/.\s]/);
    if (cut > 0 && cut <= 4) {
      const rest = squash(v.slice(cut + 1));
      if (rest.length >= 6 && !stripped.includes(rest)) stripped.push(rest);
    }
  }
  const whole = keys.length;
  for (const k of stripped) if (!keys.includes(k)) keys.push(k);
  return { keys, whole };
}

/** identifierKeyParts' keys. */
export function identifierKeys(r: Pick<AlignRecord, 'sku' | 'mpn'> & { recordId?: string }): string[] {
  return identifierKeyParts(r).keys;
}

class Vocab {
  readonly ids = new Map<string, number>();
  readonly names: string[] = [];
  id(s: string): number {
    let i = this.ids.get(s);
    if (i === undefined) {
      i = this.names.length;
      this.ids.set(s, i);
      this.names.push(s);
    }
    return i;
  }
  get size(): number {
    return this.names.length;
  }
}

/** A growable typed array. */
class Grow<T extends Int32Array | Float64Array | Uint8Array> {
  length = 0;
  constructor(
    public data: T,
    private readonly make: (n: number) => T,
  ) {}
  push(v: number): void {
    if (this.length === this.data.length) {
      const d = this.make(this.data.length * 2);
      d.set(this.data);
      this.data = d;
    }
    this.data[this.length++] = v;
  }
  done(): T {
    return this.data.slice(0, this.length) as T;
  }
}
const ints = (n = 1024) => new Grow(new Int32Array(n), (m) => new Int32Array(m));
const floats = (n = 1024) => new Grow(new Float64Array(n), (m) => new Float64Array(m));

/** CSR lists (record -> values) built record by record. */
class Csr<T extends Int32Array | Float64Array> {
  private readonly starts = ints();
  constructor(readonly values: Grow<T>) {
    this.starts.push(0);
  }
  /** Closes the current record's list (values pushed since the last close). */
  close(): void {
    this.starts.push(this.values.length);
  }
  get start(): Int32Array {
    return this.starts.done();
  }
}

/** What a record's option set adds to its profile (RecordProfiles). */
interface OptionProfile {
  keys: Int32Array;
  values: Int32Array;
  pairTokens: Int32Array;
  words: Int32Array;
}

/** Separator of a record's identifier keys in `RecordProfiles.ids`. */
export const ID_SEPARATOR = '\u0001';

/** The text side of a record's profile: what its words make (see RecordProfiles), plain data a thread can send. */
export interface TextPart {
  n: number;
  tokStart: Int32Array;
  tokId: Int32Array;
  tokW: Float32Array;
  idf: Float32Array;
  df: Int32Array;
  tokHasDigit: Uint8Array;
  grams: CharGramsData;
  measStart: Int32Array;
  measDim: Int32Array;
  measVal: Float64Array;
  numStart: Int32Array;
  numVal: Float64Array;
  optStart: Int32Array;
  optKey: Int32Array;
  optVal: Int32Array;
  optTokStart: Int32Array;
  optTok: Int32Array;
  descStart: Int32Array;
  descTok: Int32Array;
  squashedDescription: string[];
  descIdf: Float32Array;
  descNorm: Float32Array;
}

/** The rest of a record's profile: keys, codes and values (see RecordProfiles). */
export interface KeyPart {
  n: number;
  id: Float64Array;
  channel: Int32Array;
  channelCount: number;
  codeStart: Int32Array;
  codeId: Int32Array;
  codes: string[];
  codeCores: string[];
  ids: string[];
  wholeIds: Int32Array;
  squashedText: string[];
  brand: Int32Array;
  gtin: Int32Array;
  price: Float64Array;
  effectivePrice: Float64Array;
  currency: Int32Array;
  weight: Float64Array;
  catStart: Int32Array;
  catTok: Int32Array;
  imageStart: Int32Array;
  imageTok: Int32Array;
}

/** The fields a record's text part reads. */
export type TextFields = Pick<AlignRecord, 'title' | 'options' | 'description'>;

/**
 * Builds the text part record by record: TF-IDF tokens of title + options, character n-grams, quantities and
 * numbers, option key/values, description words. One vocabulary numbers the words in order of first sight, so the
 * same records in the same order give the same part whichever thread builds it.
 */
export class TextPartBuilder {
  private readonly words = new Vocab();
  private readonly optKeys = new Vocab();
  private readonly optVals = new Vocab();
  private readonly toks = new Csr(ints(1 << 20));
  private readonly tfs = new Grow(new Uint8Array(1 << 20), (m) => new Uint8Array(m));
  private readonly df = ints(1 << 16);
  private readonly measDim = new Csr(ints());
  private readonly measVal = floats();
  private readonly nums = new Csr(floats());
  private readonly opts = new Csr(ints());
  private readonly optVal = ints();
  private readonly optToks = new Csr(ints());
  private readonly descs = new Csr(ints());
  private readonly squashedDescription: string[] = [];
  private readonly grams = new CharGramsBuilder();
  private readonly scratch = new Int32Array(4096);
  private readonly numScratch = new Float64Array(1024);
  private readonly measScratch: number[] = [];
  /** Records share option objects (alignment parses each distinct option set once): each is profiled once. */
  private readonly optionCache = new Map<Readonly<Record<string, string>>, OptionProfile>();
  private n = 0;

  add(r: TextFields): void {
    const { scratch, numScratch, measScratch, words } = this;
    this.n++;
    // Tokens: words of title + options, and one `key=value` token per option.
    let nt = 0;
    let nn = 0;
    measScratch.length = 0;
    const text = recordText(r);
    this.grams.add(text);
    for (const t of matchTokens(text)) {
      if (nt < scratch.length) scratch[nt++] = words.id(t);
      if (!HAS_DIGIT.test(t)) continue;
      const plain = NUMBER.test(t);
      const q = plain ? null : quantityOf(t);
      if (q) measScratch.push(q[0], q[1]);
      const v = q ? q[1] : plain ? Number(t) : NaN;
      if (nn < numScratch.length && !Number.isNaN(v)) numScratch[nn++] = v;
    }
    if (r.options) {
      let o = this.optionCache.get(r.options);
      if (!o) this.optionCache.set(r.options, (o = this.optionProfile(r.options)));
      for (let x = 0; x < o.keys.length; x++) {
        this.opts.values.push(o.keys[x]);
        this.optVal.push(o.values[x]);
      }
      for (const ov of o.pairTokens)
        if (nt + 1 < scratch.length) {
          scratch[nt++] = ov;
          scratch[nt++] = ov;
        }
      for (const t of o.words) this.optToks.values.push(t);
    }
    this.opts.close();
    this.optToks.close();
    // Unique token ids (sorted) with their term frequencies.
    const sorted = scratch.subarray(0, nt).sort();
    for (let x = 0; x < nt;) {
      let y = x + 1;
      while (y < nt && sorted[y] === sorted[x]) y++;
      const id = sorted[x];
      this.toks.values.push(id);
      this.tfs.push(Math.min(255, y - x));
      while (this.df.length <= id) this.df.push(0);
      this.df.data[id]++;
      x = y;
    }
    this.toks.close();
    // Quantities (by dimension, then value) and numbers (unique, ascending).
    const mq = measScratch.length / 2;
    if (mq > 0) {
      const order = Array.from({ length: mq }, (_, x) => x).sort(
        (x, y) => measScratch[2 * x] - measScratch[2 * y] || measScratch[2 * x + 1] - measScratch[2 * y + 1],
      );
      for (const x of order) {
        this.measDim.values.push(measScratch[2 * x]);
        this.measVal.push(measScratch[2 * x + 1]);
      }
    }
    this.measDim.close();
    const ns = numScratch.subarray(0, nn).sort();
    for (let x = 0; x < nn; x++) if (x === 0 || ns[x] !== ns[x - 1]) this.nums.values.push(ns[x]);
    this.nums.close();
    if (r.description) {
      const d = Int32Array.from(new Set(matchTokens(r.description).map((t) => words.id(t)))).sort();
      for (const t of d) this.descs.values.push(t);
      this.squashedDescription.push(squash(r.description));
    } else this.squashedDescription.push('');
    this.descs.close();
  }

  /** Option key/value ids sorted by key id, the `key=value` word ids in option order, the option words. */
  private optionProfile(options: Readonly<Record<string, string>>): OptionProfile {
    const optPairs: number[] = [];
    const optWordIds: number[] = [];
    const pairTokens: number[] = [];
    for (const k in options) {
      const v = options[k];
      if (!v) continue;
      const key = fold(k).trim();
      const val = squash(v);
      optPairs.push(this.optKeys.id(key), this.optVals.id(val));
      // An option is a structured identity attribute: its key=value token counts twice.
      pairTokens.push(this.words.id(`${key}=${val}`));
      for (const t of matchTokens(v)) optWordIds.push(this.words.id(t));
    }
    // options sorted by key id
    const count = optPairs.length / 2;
    const keys = new Int32Array(count);
    const values = new Int32Array(count);
    for (let x = 0; x < count; x++) {
      let best = -1;
      for (let y = 0; y < count; y++)
        if (optPairs[2 * y] >= 0 && (best < 0 || optPairs[2 * y] < optPairs[2 * best])) best = y;
      keys[x] = optPairs[2 * best];
      values[x] = optPairs[2 * best + 1];
      optPairs[2 * best] = -1;
    }
    optWordIds.sort((x, y) => x - y);
    const unique: number[] = [];
    for (let x = 0; x < optWordIds.length; x++)
      if (x === 0 || optWordIds[x] !== optWordIds[x - 1]) unique.push(optWordIds[x]);
    return { keys, values, pairTokens: Int32Array.from(pairTokens), words: Int32Array.from(unique) };
  }

  done(): TextPart {
    const n = this.n;
    const V = this.words.size;
    const df = new Int32Array(V);
    df.set(this.df.data.subarray(0, Math.min(V, this.df.length)));
    const idf = new Float32Array(V);
    for (let t = 0; t < V; t++) idf[t] = Math.log((n + 1) / (df[t] + 1)) + 1;
    const tokStart = this.toks.start;
    const tokId = this.toks.values.done();
    const tf = this.tfs.done();
    const tokW = new Float32Array(tokId.length);
    for (let i = 0; i < n; i++) {
      const s0 = tokStart[i];
      const s1 = tokStart[i + 1];
      let norm = 0;
      for (let k = s0; k < s1; k++) {
        const w = (1 + Math.log(tf[k])) * idf[tokId[k]];
        tokW[k] = w;
        norm += w * w;
      }
      norm = Math.sqrt(norm) || 1;
      for (let k = s0; k < s1; k++) tokW[k] /= norm;
    }
    const descStart = this.descs.start;
    const descTok = this.descs.values.done();
    const descDf = new Int32Array(V);
    let described = 0;
    for (let i = 0; i < n; i++) if (descStart[i + 1] > descStart[i]) described++;
    for (const t of descTok) descDf[t]++;
    const descIdf = Float32Array.from(descDf, (d) => Math.log((described + 1) / (d + 1)) + 1);
    const descNorm = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      let norm = 0;
      for (let k = descStart[i]; k < descStart[i + 1]; k++) norm += descIdf[descTok[k]] ** 2;
      descNorm[i] = Math.sqrt(norm);
    }
    return {
      n,
      tokStart,
      tokId,
      tokW,
      idf,
      df,
      tokHasDigit: Uint8Array.from(this.words.names, (w) => (HAS_DIGIT.test(w) ? 1 : 0)),
      grams: this.grams.done().data,
      measStart: this.measDim.start,
      measDim: this.measDim.values.done(),
      measVal: this.measVal.done(),
      numStart: this.nums.start,
      numVal: this.nums.values.done(),
      optStart: this.opts.start,
      optKey: this.opts.values.done(),
      optVal: this.optVal.done(),
      optTokStart: this.optToks.start,
      optTok: this.optToks.values.done(),
      descStart,
      descTok,
      squashedDescription: this.squashedDescription,
      descIdf,
      descNorm,
    };
  }
}

/** Builds the key part record by record (see RecordProfiles). */
export class KeyPartBuilder {
  private readonly codeVocab = new Vocab();
  private readonly catWords = new Vocab();
  private readonly brands = new Vocab();
  private readonly gtins = new Vocab();
  private readonly currencies = new Vocab();
  private readonly imageWords = new Vocab();
  private readonly idG = floats();
  private readonly channelG = ints();
  private readonly brandG = ints();
  private readonly wholeIds = ints();
  private readonly gtinG = ints();
  private readonly priceG = floats();
  private readonly effG = floats();
  private readonly curG = ints();
  private readonly weightG = floats();
  private readonly codes = new Csr(ints());
  private readonly cats = new Csr(ints());
  private readonly images = new Csr(ints());
  private readonly catCache = new Map<string, Int32Array>();
  private readonly ids: string[] = [];
  private readonly squashedText: string[] = [];
  private channels = 0;
  // Consecutive records often share a title and an image (a product's variants): their parts are reused.
  private lastTitle: string | null = null;
  private lastCodes: Int32Array = NO_WORDS;
  private lastSquashed = '';
  private lastImage = '';
  private lastImageWords: Int32Array = NO_WORDS;

  add(r: AlignRecord): void {
    this.idG.push(r.id);
    this.channelG.push(r.channel);
    if (r.channel + 1 > this.channels) this.channels = r.channel + 1;
    // Model codes of the title.
    const title = r.title ?? '';
    if (title !== this.lastTitle) {
      this.lastTitle = title;
      this.lastCodes = Int32Array.from(modelCodes(title), (c) => this.codeVocab.id(c)).sort();
      this.lastSquashed = squash(title);
    }
    const codes = this.lastCodes;
    for (let x = 0; x < codes.length; x++)
      if (x === 0 || codes[x] !== codes[x - 1]) this.codes.values.push(codes[x]);
    this.codes.close();
    if (r.category) {
      let ct = this.catCache.get(r.category);
      if (!ct) {
        ct = Int32Array.from(new Set(tokenize(r.category).map((t) => this.catWords.id(t)))).sort();
        this.catCache.set(r.category, ct);
      }
      for (const c of ct) this.cats.values.push(c);
    }
    this.cats.close();
    const image = r.imageUrl ?? '';
    if (image !== this.lastImage) {
      this.lastImage = image;
      this.lastImageWords = image ? imageWordIds(image, this.imageWords) : NO_WORDS;
    }
    for (let x = 0; x < this.lastImageWords.length; x++) this.images.values.push(this.lastImageWords[x]);
    this.images.close();
    const idKeys = identifierKeyParts(r);
    this.ids.push(idKeys.keys.join(ID_SEPARATOR));
    this.wholeIds.push(idKeys.whole);
    this.squashedText.push(this.lastSquashed);
    this.brandG.push(r.brandKey ? this.brands.id(r.brandKey) : -1);
    this.gtinG.push(r.gtin ? this.gtins.id(r.gtin) : -1);
    if (r.priceMinor !== null && r.priceMinor > 0) {
      this.priceG.push(r.priceMinor);
      this.effG.push(
        r.salePriceMinor !== null && r.salePriceMinor > 0 && r.salePriceMinor < r.priceMinor
          ? r.salePriceMinor
          : r.priceMinor,
      );
    } else {
      this.priceG.push(NaN);
      this.effG.push(NaN);
    }
    this.curG.push(r.currency ? this.currencies.id(r.currency) : -1);
    this.weightG.push(r.weightG !== null && r.weightG > 0 ? r.weightG : NaN);
  }

  done(): KeyPart {
    return {
      n: this.idG.length,
      id: this.idG.done(),
      channel: this.channelG.done(),
      channelCount: this.channels,
      codeStart: this.codes.start,
      codeId: this.codes.values.done(),
      codes: this.codeVocab.names,
      codeCores: this.codeVocab.names.map(codeCore),
      ids: this.ids,
      wholeIds: this.wholeIds.done(),
      squashedText: this.squashedText,
      brand: this.brandG.done(),
      gtin: this.gtinG.done(),
      price: this.priceG.done(),
      effectivePrice: this.effG.done(),
      currency: this.curG.done(),
      weight: this.weightG.done(),
      catStart: this.cats.start,
      catTok: this.cats.values.done(),
      imageStart: this.images.start,
      imageTok: this.images.values.done(),
    };
  }
}

/** Cosine of records i and j's TF-IDF vectors. */
export function tokenCosine(t: Pick<TextPart, 'tokStart' | 'tokId' | 'tokW'>, i: number, j: number): number {
  const id = t.tokId;
  const w = t.tokW;
  let p = t.tokStart[i];
  const pe = t.tokStart[i + 1];
  let q = t.tokStart[j];
  const qe = t.tokStart[j + 1];
  let s = 0;
  while (p < pe && q < qe) {
    const x = id[p];
    const y = id[q];
    if (x === y) {
      s += w[p++] * w[q++];
    } else if (x < y) p++;
    else q++;
  }
  return s;
}

/** The key part of `records`' profiles. */
export function buildKeyPart(records: Iterable<AlignRecord>): KeyPart {
  const builder = new KeyPartBuilder();
  for (const r of records) builder.add(r);
  return builder.done();
}

/**
 * Every record's comparison profile, in typed arrays indexed by record position (the order the records came in).
 * Built in one pass over the records, which need not be kept: only the profile stays in memory. Its two parts can
 * be built apart, on two threads from the same records in the same order (alignment's load stage), and joined.
 */
export class RecordProfiles {
  readonly n: number;
  /** records.id of each position. */
  readonly id: Float64Array;
  readonly channel: Int32Array;
  /** 1 + the largest channel index. */
  readonly channelCount: number;
  /** TF-IDF (sublinear tf, smoothed idf, L2-normalized) over matchTokens(recordText) and option tokens. */
  readonly tokStart: Int32Array;
  readonly tokId: Int32Array;
  readonly tokW: Float32Array;
  readonly idf: Float32Array;
  readonly df: Int32Array;
  readonly tokHasDigit: Uint8Array;
  /** Character n-grams of the same text (title + option values). */
  readonly grams: CharGrams;
  readonly codeStart: Int32Array;
  readonly codeId: Int32Array;
  readonly codes: string[];
  /** Each code's core: up to its last digit (`lds4821ww` -> `lds4821`), the part variant suffixes leave alone. */
  readonly codeCores: string[];
  readonly measStart: Int32Array;
  readonly measDim: Int32Array;
  readonly measVal: Float64Array;
  readonly numStart: Int32Array;
  readonly numVal: Float64Array;
  readonly optStart: Int32Array;
  readonly optKey: Int32Array;
  readonly optVal: Int32Array;
  readonly optTokStart: Int32Array;
  readonly optTok: Int32Array;
  /** Identifier keys (identifierKeys) joined by ID_SEPARATOR; '' when none. */
  readonly ids: string[];
  /** How many of each record's identifier keys are whole (identifierKeyParts), the first ones in `ids`. */
  readonly wholeIds: Int32Array;
  readonly squashedText: string[];
  /** Sorted word-token ids of the description (matchTokens), and the description squashed ('' when none). */
  readonly descStart: Int32Array;
  readonly descTok: Int32Array;
  readonly squashedDescription: string[];
  /** IDF of a word among descriptions, and the norm of each record's IDF-weighted description word set. */
  readonly descIdf: Float32Array;
  readonly descNorm: Float32Array;
  readonly brand: Int32Array;
  /** Valid GTIN as a small integer (equal GTINs, equal ids), -1 when none. */
  readonly gtin: Int32Array;
  readonly price: Float64Array;
  readonly effectivePrice: Float64Array;
  readonly currency: Int32Array;
  readonly weight: Float64Array;
  readonly catStart: Int32Array;
  readonly catTok: Int32Array;
  /** Sorted word ids of the image's file name (imageNameWords). */
  readonly imageStart: Int32Array;
  readonly imageTok: Int32Array;
  embeddings: RecordEmbeddings | null = null;

  /** The profiles of `source`'s records, or the two parts built apart from the same records in the same order. */
  constructor(source: Iterable<AlignRecord> | { key: KeyPart; text: TextPart }) {
    let k: KeyPart;
    let t: TextPart;
    if ('key' in source) ({ key: k, text: t } = source);
    else {
      const keys = new KeyPartBuilder();
      const texts = new TextPartBuilder();
      for (const r of source) {
        keys.add(r);
        texts.add(r);
      }
      k = keys.done();
      t = texts.done();
    }
    if (t.n !== k.n) throw new Error(`record profile parts disagree: ${t.n} text rows, ${k.n} key rows`);
    this.n = k.n;
    this.id = k.id;
    this.channel = k.channel;
    this.channelCount = k.channelCount;
    this.codeStart = k.codeStart;
    this.codeId = k.codeId;
    this.codes = k.codes;
    this.codeCores = k.codeCores;
    this.ids = k.ids;
    this.wholeIds = k.wholeIds;
    this.squashedText = k.squashedText;
    this.brand = k.brand;
    this.gtin = k.gtin;
    this.price = k.price;
    this.effectivePrice = k.effectivePrice;
    this.currency = k.currency;
    this.weight = k.weight;
    this.catStart = k.catStart;
    this.catTok = k.catTok;
    this.imageStart = k.imageStart;
    this.imageTok = k.imageTok;
    this.tokStart = t.tokStart;
    this.tokId = t.tokId;
    this.tokW = t.tokW;
    this.idf = t.idf;
    this.df = t.df;
    this.tokHasDigit = t.tokHasDigit;
    this.grams = CharGrams.of(t.grams);
    this.measStart = t.measStart;
    this.measDim = t.measDim;
    this.measVal = t.measVal;
    this.numStart = t.numStart;
    this.numVal = t.numVal;
    this.optStart = t.optStart;
    this.optKey = t.optKey;
    this.optVal = t.optVal;
    this.optTokStart = t.optTokStart;
    this.optTok = t.optTok;
    this.descStart = t.descStart;
    this.descTok = t.descTok;
    this.squashedDescription = t.squashedDescription;
    this.descIdf = t.descIdf;
    this.descNorm = t.descNorm;
  }

  /** Cosine of the two records' TF-IDF vectors. */
  cosine(i: number, j: number): number {
    return tokenCosine(this, i, j);
  }

  /** Dot product of the two records' embeddings, NaN when either has none. */
  embeddingCosine(i: number, j: number): number {
    const e = this.embeddings;
    if (!e) return NaN;
    const ri = e.row[i];
    const rj = e.row[j];
    if (ri < 0 || rj < 0) return NaN;
    const d = e.dims;
    const m = e.matrix;
    let s = 0;
    for (let k = 0, a = ri * d, b = rj * d; k < d; k++) s += m[a + k] * m[b + k];
    return s;
  }
}

/** Pair features, in this order (the learner sees them by position; names are for reports). */
export const PAIR_FEATURES = [
  'title.cosine',
  'title.idfJaccard',
  'title.idfContainAB',
  'title.idfContainBA',
  'title.maxIdfOnlyA',
  'title.maxIdfOnlyB',
  'title.idfOnlyA',
  'title.idfOnlyB',
  'title.digitTokensOnlyA',
  'title.digitTokensOnlyB',
  'title.tokensA',
  'title.tokensB',
  'title.maxWordIdfShared',
  'title.maxWordIdfOnlyMin',
  'quantity.equal',
  'quantity.conflict',
  'number.shared',
  'number.onlyA',
  'number.onlyB',
  'code.shared',
  'code.conflict',
  'code.bestSimilarity',
  'options.equal',
  'options.different',
  'options.coverAB',
  'options.coverBA',
  'identifier.equal',
  'identifier.commonSubstring',
  'brand.equal',
  'price.absLogRatio',
  'effectivePrice.absLogRatio',
  'weight.absLogRatio',
  'category.jaccard',
  'embedding.cosine',
  'description.coverAB',
  'description.coverBA',
  'code.inTextAB',
  'code.inTextBA',
  'title.charCosine',
  'description.cosine',
  'code.coreInTextAB',
  'code.coreInTextBA',
  'image.nameJaccard',
] as const;

/** Writes the features of pair (i, j) into `out` from `at` (PAIR_FEATURES.length values, in that order). */
export function pairFeatures(p: RecordProfiles, i: number, j: number, out: Float32Array, at: number): void {
  let k = at;
  k = titleTokenFeatures(p, i, j, out, k);
  k = quantityFeatures(p, i, j, out, k);
  k = numberFeatures(p, i, j, out, k);
  k = codeFeatures(p, i, j, out, k);
  k = optionFeatures(p, i, j, out, k);
  k = identifierFeatures(p, i, j, out, k);
  out[k++] = p.brand[i] < 0 || p.brand[j] < 0 ? NaN : p.brand[i] === p.brand[j] ? 1 : 0;
  // An export that states no currency (Shopify's and WooCommerce's product CSVs) is in the shop's currency.
  const sameCurrency = p.currency[i] === p.currency[j] || p.currency[i] < 0 || p.currency[j] < 0;
  out[k++] = sameCurrency ? absLogRatio(p.price[i], p.price[j]) : NaN;
  out[k++] = sameCurrency ? absLogRatio(p.effectivePrice[i], p.effectivePrice[j]) : NaN;
  out[k++] = absLogRatio(p.weight[i], p.weight[j]);
  out[k++] = sortedJaccard(p.catTok, p.catStart[i], p.catStart[i + 1], p.catStart[j], p.catStart[j + 1]);
  out[k++] = p.embeddingCosine(i, j);
  out[k++] = descriptionCover(p, i, j);
  out[k++] = descriptionCover(p, j, i);
  out[k++] = codeInText(p, i, j);
  out[k++] = codeInText(p, j, i);
  out[k++] = p.grams.cosine(i, j);
  out[k++] = descriptionCosine(p, i, j);
  out[k++] = codeCoreInText(p, i, j);
  out[k++] = codeCoreInText(p, j, i);
  out[k] = sortedJaccard(
    p.imageTok,
    p.imageStart[i],
    p.imageStart[i + 1],
    p.imageStart[j],
    p.imageStart[j + 1],
  );
}

const NO_WORDS = new Int32Array(0);

/** Sorted distinct ids (in `vocab`) of the words of an image's file name. */
function imageWordIds(url: string, vocab: Vocab): Int32Array {
  const ids = imageNameWords(url).map((w) => vocab.id(w));
  return Int32Array.from(new Set(ids)).sort();
}

/**
 * The words of an image's file name (`…/uploads/2024/02/osey-rattan-floor-lamp-sand-1.jpg?v=17` → osey rattan floor
 * lamp sand): the path's last part without query, extension and the short numbers that number copies and sizes.
 */
export function imageNameWords(url: string): string[] {
  const path = url.split(/[?#]/, 1)[0];
  const name = path.slice(path.lastIndexOf('/') + 1).replace(/\.[a-z0-9]{2,5}$/i, '');
  return fold(name)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0 && !/^\d{1,2}$/.test(w) && !/^\d+x\d+$/.test(w));
}

/**
 * Title tokens, one merge over the sorted token ids: cosine, IDF Jaccard and covers, the rarest and summed IDF of
 * the tokens each side lacks, their digit tokens, the token counts; then the rarest digit-free word both have, and
 * the smaller of the two sides' rarest digit-free word that the other lacks. Two look-alikes of one brand and size
 * differ by a name word on each side ("Sencha" / "Oolong") that the shared words outweigh in the cosine; the min
 * over both sides says so in one value (numbers and quantities have their own features).
 */
function titleTokenFeatures(p: RecordProfiles, i: number, j: number, out: Float32Array, k: number): number {
  const id = p.tokId;
  const w = p.tokW;
  const idf = p.idf;
  const dig = p.tokHasDigit;
  let a = p.tokStart[i];
  const ae = p.tokStart[i + 1];
  let b = p.tokStart[j];
  const be = p.tokStart[j + 1];
  let cos = 0;
  let shared = 0;
  let onlyA = 0;
  let onlyB = 0;
  let maxA = 0;
  let maxB = 0;
  let digA = 0;
  let digB = 0;
  let wordShared = 0;
  let wordA = 0;
  let wordB = 0;
  while (a < ae || b < be) {
    const x = a < ae ? id[a] : 0x7fffffff;
    const y = b < be ? id[b] : 0x7fffffff;
    if (x === y) {
      cos += w[a] * w[b];
      shared += idf[x];
      if (dig[x] === 0 && idf[x] > wordShared) wordShared = idf[x];
      a++;
      b++;
    } else if (x < y) {
      const v = idf[x];
      onlyA += v;
      if (v > maxA) maxA = v;
      if (dig[x] === 0 && v > wordA) wordA = v;
      digA += dig[x];
      a++;
    } else {
      const v = idf[y];
      onlyB += v;
      if (v > maxB) maxB = v;
      if (dig[y] === 0 && v > wordB) wordB = v;
      digB += dig[y];
      b++;
    }
  }
  const sumA = shared + onlyA;
  const sumB = shared + onlyB;
  const nA = p.tokStart[i + 1] - p.tokStart[i];
  const nB = p.tokStart[j + 1] - p.tokStart[j];
  const empty = nA === 0 || nB === 0;
  out[k++] = empty ? NaN : cos;
  out[k++] = empty ? NaN : shared / (sumA + sumB - shared);
  out[k++] = empty ? NaN : shared / sumA;
  out[k++] = empty ? NaN : shared / sumB;
  out[k++] = maxA;
  out[k++] = maxB;
  out[k++] = onlyA;
  out[k++] = onlyB;
  out[k++] = digA;
  out[k++] = digB;
  out[k++] = nA;
  out[k++] = nB;
  out[k++] = empty ? NaN : wordShared;
  out[k++] = Math.min(wordA, wordB);
  return k;
}

/** Quantities by dimension: how many agree (within 1 %) and how many conflict; NaN unless both have some. */
function quantityFeatures(p: RecordProfiles, i: number, j: number, out: Float32Array, k: number): number {
  const dim = p.measDim;
  const val = p.measVal;
  const as = p.measStart[i];
  const ae = p.measStart[i + 1];
  const bs = p.measStart[j];
  const be = p.measStart[j + 1];
  let eq = 0;
  let conflict = 0;
  let lastDim = -1;
  const same = (x: number, y: number): boolean =>
    Math.abs(val[x] - val[y]) <= 0.01 * Math.max(val[x], val[y]);
  for (let a = as; a < ae; a++) {
    const d = dim[a];
    if (d === lastDim) continue;
    lastDim = d;
    // Each side's values of this dimension that the other side does not state (`80 ct, Pack of 6` against
    // `100 Bags, Pack of 6`: 80 and 100): a conflict when both have one, the same when neither has.
    let seen = false;
    let onlyA = false;
    for (let a2 = a; a2 < ae && dim[a2] === d; a2++) {
      let found = false;
      for (let b = bs; b < be; b++) {
        if (dim[b] !== d) continue;
        seen = true;
        if (same(a2, b)) found = true;
      }
      if (!found) onlyA = true;
    }
    if (!seen) continue;
    let onlyB = false;
    for (let b = bs; b < be; b++) {
      if (dim[b] !== d) continue;
      let found = false;
      for (let a2 = a; a2 < ae && dim[a2] === d; a2++) if (same(a2, b)) found = true;
      if (!found) onlyB = true;
    }
    if (onlyA && onlyB) conflict++;
    else eq++;
  }
  out[k++] = ae > as && be > bs ? eq : NaN;
  out[k++] = ae > as && be > bs ? conflict : NaN;
  return k;
}

/** Numbers (bare numbers and quantities in base units): shared, only in a, only in b. */
function numberFeatures(p: RecordProfiles, i: number, j: number, out: Float32Array, k: number): number {
  const v = p.numVal;
  let a = p.numStart[i];
  const ae = p.numStart[i + 1];
  let b = p.numStart[j];
  const be = p.numStart[j + 1];
  let shared = 0;
  let onlyA = 0;
  let onlyB = 0;
  while (a < ae || b < be) {
    const x = a < ae ? v[a] : Infinity;
    const y = b < be ? v[b] : Infinity;
    if (x === y) {
      shared++;
      a++;
      b++;
    } else if (x < y) {
      onlyA++;
      a++;
    } else {
      onlyB++;
      b++;
    }
  }
  out[k++] = shared;
  out[k++] = onlyA;
  out[k++] = onlyB;
  return k;
}

/** Model codes: shared, a conflict (both have codes, none shared or contained in the other text), the best edit similarity. */
function codeFeatures(p: RecordProfiles, i: number, j: number, out: Float32Array, k: number): number {
  const c = p.codeId;
  const as = p.codeStart[i];
  const ae = p.codeStart[i + 1];
  const bs = p.codeStart[j];
  const be = p.codeStart[j + 1];
  if (as === ae && bs === be) {
    out[k++] = NaN;
    out[k++] = NaN;
    out[k++] = NaN;
  } else {
    let shared = 0;
    let a = as;
    let b = bs;
    while (a < ae && b < be) {
      if (c[a] === c[b]) {
        shared++;
        a++;
        b++;
      } else if (c[a] < c[b]) a++;
      else b++;
    }
    let contained = false;
    if (shared === 0) {
      const ta = p.squashedText[i];
      const tb = p.squashedText[j];
      for (let x = as; x < ae && !contained; x++)
        if (p.codes[c[x]].length >= 4 && tb.includes(p.codes[c[x]])) contained = true;
      for (let y = bs; y < be && !contained; y++)
        if (p.codes[c[y]].length >= 4 && ta.includes(p.codes[c[y]])) contained = true;
    }
    let best = NaN;
    if (ae > as && be > bs) {
      best = 0;
      for (let x = as; x < Math.min(ae, as + 4); x++)
        for (let y = bs; y < Math.min(be, bs + 4); y++)
          best = Math.max(best, editRatio(p.codes[c[x]], p.codes[c[y]]));
    }
    out[k++] = shared;
    out[k++] = ae > as && be > bs && shared === 0 && !contained ? 1 : 0;
    out[k++] = best;
  }
  return k;
}

/** Variant options: equal and different values under the same name, and how much of each side the other covers. */
function optionFeatures(p: RecordProfiles, i: number, j: number, out: Float32Array, k: number): number {
  const key = p.optKey;
  const val = p.optVal;
  let a = p.optStart[i];
  const ae = p.optStart[i + 1];
  let b = p.optStart[j];
  const be = p.optStart[j + 1];
  let eq = 0;
  let diff = 0;
  const hasBoth = ae > a && be > b;
  while (a < ae && b < be) {
    if (key[a] === key[b]) {
      if (val[a] === val[b]) eq++;
      else diff++;
      a++;
      b++;
    } else if (key[a] < key[b]) a++;
    else b++;
  }
  out[k++] = hasBoth ? eq : NaN;
  out[k++] = hasBoth ? diff : NaN;
  out[k++] = optionCover(p, i, j);
  out[k++] = optionCover(p, j, i);
  return k;
}

/**
 * Identifiers (SKU, MPN): an equal one, and the longest common substring relative to the shorter. The keys are
 * read in place from the joined strings (this runs for millions of pairs).
 */
function identifierFeatures(p: RecordProfiles, i: number, j: number, out: Float32Array, k: number): number {
  const xs = p.ids[i];
  const ys = p.ids[j];
  if (xs.length === 0 || ys.length === 0) {
    out[k++] = NaN;
    out[k++] = NaN;
    return k;
  }
  let eq = 0;
  let lcs = 0;
  for (let s0 = 0; s0 < xs.length && eq === 0;) {
    const s1 = keyEnd(xs, s0);
    for (let t0 = 0; t0 < ys.length && eq === 0;) {
      const t1 = keyEnd(ys, t0);
      const c = commonSubstringIn(xs, s0, s1, ys, t0, t1);
      if (c === s1 - s0 && c === t1 - t0) eq = 1;
      lcs = Math.max(lcs, c / Math.min(s1 - s0, t1 - t0));
      t0 = t1 + 1;
    }
    s0 = s1 + 1;
  }
  out[k++] = eq;
  out[k++] = lcs;
  return k;
}

/**
 * Records i and j share an identifier key that is a code (6 characters or more, with a letter; not a running
 * number); with `whole` (RecordProfiles.wholeIds), a key as the record states it, no leading segment stripped.
 */
export function sameCode(ids: readonly string[], i: number, j: number, whole?: ArrayLike<number>): boolean {
  const x = ids[i];
  const y = ids[j];
  if (x.length < 6 || y.length < 6) return false;
  for (let s0 = 0, ks = 0; s0 < x.length && (!whole || ks < whole[i]); ks++) {
    const s1 = keyEnd(x, s0);
    if (s1 - s0 >= 6 && /\p{L}/u.test(x.slice(s0, s1)))
      for (let t0 = 0, kt = 0; t0 < y.length && (!whole || kt < whole[j]); kt++) {
        const t1 = keyEnd(y, t0);
        if (t1 - t0 === s1 - s0 && y.startsWith(x.slice(s0, s1), t0)) return true;
        t0 = t1 + 1;
      }
    s0 = s1 + 1;
  }
  return false;
}

/** End of the identifier key that starts at `start` of a joined key string. */
export function keyEnd(keys: string, start: number): number {
  const end = keys.indexOf(ID_SEPARATOR, start);
  return end < 0 ? keys.length : end;
}

/** Cosine of the two records' IDF-weighted description word sets; NaN when either has no description. */
function descriptionCosine(p: RecordProfiles, i: number, j: number): number {
  if (p.descNorm[i] === 0 || p.descNorm[j] === 0) return NaN;
  const v = p.descTok;
  let a = p.descStart[i];
  const ae = p.descStart[i + 1];
  let b = p.descStart[j];
  const be = p.descStart[j + 1];
  let s = 0;
  while (a < ae && b < be) {
    if (v[a] === v[b]) {
      s += p.descIdf[v[a]] ** 2;
      a++;
      b++;
    } else if (v[a] < v[b]) a++;
    else b++;
  }
  return s / (p.descNorm[i] * p.descNorm[j]);
}

/** Share of record i's title (IDF-weighted tokens) that record j's title or description has; NaN without one. */
function descriptionCover(p: RecordProfiles, i: number, j: number): number {
  const ds = p.descStart[j];
  const de = p.descStart[j + 1];
  const s = p.tokStart[i];
  const e = p.tokStart[i + 1];
  if (ds === de || s === e) return NaN;
  let hit = 0;
  let total = 0;
  for (let x = s; x < e; x++) {
    const t = p.tokId[x];
    const w = p.idf[t];
    total += w;
    if (hasToken(p, j, t) || sortedHas(p.descTok, ds, de - 1, t)) hit += w;
  }
  return hit / total;
}

/** Length of record i's longest title code (4+ characters) that j's title or description contains; NaN when none. */
function codeInText(p: RecordProfiles, i: number, j: number): number {
  return longestCodeIn(p, i, j, p.codes, contains);
}

const contains = (text: string, code: string): boolean => text.includes(code);

/**
 * Length of record i's longest code of `codes` (by its title codes' ids; 4+ characters) that `holds` finds in j's
 * title or description; 0 when none, NaN when i has no codes.
 */
function longestCodeIn(
  p: RecordProfiles,
  i: number,
  j: number,
  codes: readonly string[],
  holds: (text: string, code: string) => boolean,
): number {
  const s = p.codeStart[i];
  const e = p.codeStart[i + 1];
  if (s === e) return NaN;
  const title = p.squashedText[j];
  const description = p.squashedDescription[j];
  let best = 0;
  for (let x = s; x < e; x++) {
    const c = codes[p.codeId[x]];
    if (c.length > best && c.length >= 4 && (holds(title, c) || holds(description, c))) best = c.length;
  }
  return best;
}

/** A model code's core: the code up to its last digit (`dscw150b` -> `dscw150`, `ex55blk` -> `ex55`). */
export function codeCore(code: string): string {
  let end = code.length;
  while (end > 0 && !isDigitAt(code, end - 1)) end--;
  return code.slice(0, end);
}

function isDigitAt(s: string, at: number): boolean {
  const c = s.charCodeAt(at);
  return c >= 48 && c <= 57;
}

/** Whether `text` holds `part` with no digit right before or after it (`dscw150` in `dscw150b`, not in `dscw1500`). */
function holdsAlone(text: string, part: string): boolean {
  for (let at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
    const end = at + part.length;
    if ((at === 0 || !isDigitAt(text, at - 1)) && (end === text.length || !isDigitAt(text, end))) return true;
  }
  return false;
}

/**
 * Length of record i's longest code core (codeCore, 4+ characters) that j's title or description holds with no
 * digit around it; 0 when none, NaN when i has no codes. Merchants write one model with different variant
 * suffixes (`yht390bk` / `yht-390bl`, `nnh965wh` / `nn-h965wf`) or none; the core is the model.
 */
function codeCoreInText(p: RecordProfiles, i: number, j: number): number {
  return longestCodeIn(p, i, j, p.codeCores, holdsAlone);
}

// Allocation-free string measures (the same as similarity.ts's levenshteinRatio and longestCommonSubstring, on
// scratch rows: they run for millions of pairs).
let rowA = new Uint16Array(64);
let rowB = new Uint16Array(64);
function scratch(len: number): void {
  if (rowA.length <= len) {
    rowA = new Uint16Array(2 * len + 2);
    rowB = new Uint16Array(2 * len + 2);
  }
}

/** 1 − Levenshtein distance / longer length. */
export function editRatio(s: string, t: string): number {
  if (s.length === 0 || t.length === 0) return 0;
  if (s === t) return 1;
  scratch(t.length);
  let prev = rowA;
  let cur = rowB;
  for (let j = 0; j <= t.length; j++) prev[j] = j;
  for (let i = 1; i <= s.length; i++) {
    cur[0] = i;
    const c = s.charCodeAt(i - 1);
    for (let j = 1; j <= t.length; j++) {
      const sub = prev[j - 1] + (c === t.charCodeAt(j - 1) ? 0 : 1);
      const del = prev[j] + 1;
      const ins = cur[j - 1] + 1;
      cur[j] = sub < del ? (sub < ins ? sub : ins) : del < ins ? del : ins;
    }
    const x = prev;
    prev = cur;
    cur = x;
  }
  return 1 - prev[t.length] / Math.max(s.length, t.length);
}

/** Length of the longest common substring. */
export function commonSubstring(s: string, t: string): number {
  return commonSubstringIn(s, 0, s.length, t, 0, t.length);
}

/** Length of the longest common substring of s[s0, s1) and t[t0, t1). */
function commonSubstringIn(s: string, s0: number, s1: number, t: string, t0: number, t1: number): number {
  const n = t1 - t0;
  if (s1 <= s0 || n <= 0) return 0;
  scratch(n);
  let prev = rowA;
  let cur = rowB;
  prev.fill(0, 0, n + 1);
  cur[0] = 0;
  let best = 0;
  for (let i = s0; i < s1; i++) {
    const c = s.charCodeAt(i);
    for (let j = 1; j <= n; j++) {
      if (c === t.charCodeAt(t0 + j - 1)) {
        const v = prev[j - 1] + 1;
        cur[j] = v;
        if (v > best) best = v;
      } else cur[j] = 0;
    }
    const x = prev;
    prev = cur;
    cur = x;
  }
  return best;
}

export const CONTEXT_FEATURES = ['leftRank', 'leftMargin', 'rightRank', 'rightMargin'] as const;

/** Names of the candidate-context features of scores, in pairContext's order. */
export function contextFeatureNames(scoreNames: readonly string[]): string[] {
  return scoreNames.flatMap((s) => CONTEXT_FEATURES.map((f) => `${s}.${f}`));
}

/**
 * Candidate context of a score: how a pair's score compares with the other candidate pairs of the same left
 * record and of the same right record. A record usually matches at most one record of the other channel, so
 * "clearly the best candidate of both records" is strong evidence and "another candidate fits much better" strong
 * counter-evidence. Uses only the candidate pairs and their (unlabeled) scores, never labels. Records are grouped
 * by integer keys (record × other channel); per pair: rank among the group's candidates (1 = best, ties share a
 * rank), margin = own score − the best other candidate's (NaN when alone), for the left then the right record:
 * (leftRank, leftMargin, rightRank, rightMargin).
 */
export function pairContext(
  left: Int32Array,
  right: Int32Array,
  score: ArrayLike<number>,
  keyCount: number,
): Float32Array {
  const m = left.length;
  const out = new Float32Array(m * 4);
  const side = (keys: Int32Array, at: number) => {
    const start = new Int32Array(keyCount + 1);
    for (let e = 0; e < m; e++) start[keys[e] + 1]++;
    for (let k = 0; k < keyCount; k++) start[k + 1] += start[k];
    const fill = start.slice(0, keyCount);
    const order = new Int32Array(m);
    for (let e = 0; e < m; e++) order[fill[keys[e]]++] = e;
    for (let k = 0; k < keyCount; k++) {
      const s0 = start[k];
      const s1 = start[k + 1];
      if (s0 === s1) continue;
      let best = -Infinity;
      let second = -Infinity;
      for (let q = s0; q < s1; q++) {
        const v = score[order[q]];
        if (v > best) {
          second = best;
          best = v;
        } else if (v > second) second = v;
      }
      for (let q = s0; q < s1; q++) {
        const e = order[q];
        const v = score[e];
        let rank = 1;
        for (let r = s0; r < s1; r++) if (score[order[r]] > v) rank++;
        out[e * 4 + at] = rank;
        out[e * 4 + at + 1] = s1 - s0 === 1 ? NaN : v - (v === best ? second : best);
      }
    }
  };
  side(left, 0);
  side(right, 2);
  return out;
}

/** Share of record i's option-value tokens that record j's text has; NaN when i has no options. */
function optionCover(p: RecordProfiles, i: number, j: number): number {
  const s = p.optTokStart[i];
  const e = p.optTokStart[i + 1];
  if (s === e) return NaN;
  let hit = 0;
  for (let x = s; x < e; x++) if (hasToken(p, j, p.optTok[x])) hit++;
  return hit / (e - s);
}

function hasToken(p: RecordProfiles, j: number, t: number): boolean {
  return sortedHas(p.tokId, p.tokStart[j], p.tokStart[j + 1] - 1, t);
}

/** Whether the sorted `id[lo..hi]` holds t. */
function sortedHas(id: Int32Array, lo: number, hi: number, t: number): boolean {
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = id[mid];
    if (v === t) return true;
    if (v < t) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

function absLogRatio(a: number, b: number): number {
  return a > 0 && b > 0 ? Math.abs(Math.log(a / b)) : NaN;
}

function sortedJaccard(v: Int32Array, as: number, ae: number, bs: number, be: number): number {
  if (as === ae || bs === be) return NaN;
  let shared = 0;
  let a = as;
  let b = bs;
  while (a < ae && b < be) {
    if (v[a] === v[b]) {
      shared++;
      a++;
      b++;
    } else if (v[a] < v[b]) a++;
    else b++;
  }
  return shared / (ae - as + (be - bs) - shared);
}

/** Feature matrix (pairs × PAIR_FEATURES.length, row-major) of the pairs at `rows` of (a, b). */
export function featureMatrix(
  p: RecordProfiles,
  a: Int32Array,
  b: Int32Array,
  rows: ArrayLike<number>,
): Float32Array {
  const width = PAIR_FEATURES.length;
  const out = new Float32Array(rows.length * width);
  for (let r = 0; r < rows.length; r++) {
    const e = rows[r];
    pairFeatures(p, a[e], b[e], out, r * width);
  }
  return out;
}
