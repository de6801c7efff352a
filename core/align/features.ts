/**
 * Pairwise features for matching two product records (DESIGN.md "Alignment", step 2).
 *
 * Generic over attributes: the featurizer is fit on the records to compare (unlabeled; their text fits the
 * IDF tables), finds which attributes they have and whether each holds numbers (a price, a weight) or text,
 * and derives the same family of features for every attribute, plus the whole record (every text attribute
 * concatenated) and cross features (one side's attribute against the other side's whole record). Nothing
 * depends on an attribute's name. A missing value gives NaN features, which the learner routes on its own.
 */
import {
  absLogRatio,
  containment,
  intersectionSize,
  jaccard,
  levenshteinRatio,
  longestCommonSubstringRatio,
  minMaxRatio,
  overlapCoefficient,
  sparseDot,
  symmetricMongeElkan,
  weightedContainment,
  weightedJaccard,
  type SparseVector,
} from './similarity.js';
import { Tfidf } from './tfidf.js';
import { charNgrams, codeDigits, fold, modelCodes, numbers, parseNumber, squash, tokenize } from './text.js';

/** A record to match: attribute name -> value (empty string or absent = missing). */
export type PairRecord = Readonly<Record<string, string | undefined>>;

export type AttributeKind = 'text' | 'numeric';

export interface AttributeInfo {
  name: string;
  kind: AttributeKind;
  /** Mean number of word tokens of its non-empty values: long fields (descriptions) get cheaper features. */
  meanTokens: number;
}

export interface FeaturizerOptions {
  /** Share of non-empty values that must parse as a number for an attribute to count as numeric (default 0.9). */
  numericShare?: number;
  /** Attributes whose values average more tokens than this are "long": no character-level edit features. */
  longFieldTokens?: number;
}

/** What one side's value of one text attribute (or the whole record) looks like, computed once per record. */
interface FieldProfile {
  empty: boolean;
  text: string;
  head: string;
  tokens: string[];
  set: Set<string>;
  meTokens: string[];
  word: SparseVector;
  char: SparseVector;
  codes: string[];
  codeSet: Set<string>;
  longCodes: string[];
  digits: Set<string>;
  squashed: string;
  nums: Set<number>;
}

interface RecordProfile {
  text: (FieldProfile | null)[];
  numeric: (number | null)[];
  whole: FieldProfile;
}

const EDIT_CHARS = 80;
const ME_TOKENS = 24;
const LONG_CODE = 5;
const WHOLE = '_all';

export class PairFeaturizer {
  readonly attributes: AttributeInfo[];
  readonly names: string[];
  private readonly textAttrs: AttributeInfo[];
  private readonly numericAttrs: AttributeInfo[];
  private readonly wordIdf: Tfidf[];
  private readonly charIdf: Tfidf[];
  private readonly wholeWordIdf: Tfidf;
  private readonly wholeCharIdf: Tfidf;
  private readonly longField: boolean[];
  private readonly cache = new Map<string, RecordProfile>();

  private constructor(
    attributes: AttributeInfo[],
    records: readonly PairRecord[],
    options: FeaturizerOptions,
  ) {
    this.attributes = attributes;
    this.textAttrs = attributes.filter((a) => a.kind === 'text');
    this.numericAttrs = attributes.filter((a) => a.kind === 'numeric');
    const longTokens = options.longFieldTokens ?? 30;
    this.longField = this.textAttrs.map((a) => a.meanTokens > longTokens);
    const unique = uniqueRecords(records);
    this.wordIdf = this.textAttrs.map((a) => Tfidf.fit(nonEmpty(unique, a.name).map(tokenize)));
    this.charIdf = this.textAttrs.map((a) => Tfidf.fit(nonEmpty(unique, a.name).map((v) => charNgrams(v))));
    const wholes = unique.map((r) => this.wholeText(r)).filter((t) => t.length > 0);
    this.wholeWordIdf = Tfidf.fit(wholes.map(tokenize));
    this.wholeCharIdf = Tfidf.fit(wholes.map((v) => charNgrams(v)));
    this.names = this.featureNames();
  }

  /**
   * Fits on the records that will be compared (both sides of every pair, unlabeled): the attribute list
   * (in order of first appearance), each attribute's kind, and the IDF tables.
   */
  static fit(records: readonly PairRecord[], options: FeaturizerOptions = {}): PairFeaturizer {
    return new PairFeaturizer(inferAttributes(records, options), records, options);
  }

  get size(): number {
    return this.names.length;
  }

  /** The feature vector of one pair (left, right), in the order of `names`. */
  features(left: PairRecord, right: PairRecord): Float64Array {
    const a = this.profile(left);
    const b = this.profile(right);
    const out = new Float64Array(this.names.length);
    let k = 0;
    const put = (v: number) => {
      out[k++] = v;
    };
    for (let i = 0; i < this.textAttrs.length; i++) {
      fieldFeatures(a.text[i], b.text[i], this.wordIdf[i], !this.longField[i], put);
    }
    fieldFeatures(a.whole, b.whole, this.wholeWordIdf, false, put);
    for (let i = 0; i < this.textAttrs.length; i++) {
      crossFeatures(a.text[i], b.whole, this.wholeWordIdf, put);
      crossFeatures(b.text[i], a.whole, this.wholeWordIdf, put);
    }
    for (let i = 0; i < this.numericAttrs.length; i++) numericFeatures(a.numeric[i], b.numeric[i], put);
    if (k !== out.length) throw new Error(`feature count mismatch: wrote ${k}, expected ${out.length}`);
    return out;
  }

  /** The word tokens of a record's whole text (every text attribute). */
  wholeTokens(r: PairRecord): ReadonlySet<string> {
    return this.profile(r).whole.set;
  }

  /** The word tokens of each short (not long-text) attribute, prefixed by the attribute's position. */
  shortFieldTokens(r: PairRecord): ReadonlySet<string> {
    const p = this.profile(r);
    const out = new Set<string>();
    p.text.forEach((f, i) => {
      if (f && !this.longField[i]) for (const t of f.set) out.add(`${i}:${t}`);
    });
    return out;
  }

  private featureNames(): string[] {
    const names: string[] = [];
    for (const a of this.textAttrs) for (const f of FIELD_FEATURES) names.push(`${a.name}.${f}`);
    for (const f of FIELD_FEATURES) names.push(`${WHOLE}.${f}`);
    for (const a of this.textAttrs) {
      for (const f of CROSS_FEATURES) names.push(`${a.name}.left~all.${f}`);
      for (const f of CROSS_FEATURES) names.push(`${a.name}.right~all.${f}`);
    }
    for (const a of this.numericAttrs) for (const f of NUMERIC_FEATURES) names.push(`${a.name}.${f}`);
    return names;
  }

  private wholeText(r: PairRecord): string {
    const parts: string[] = [];
    for (const a of this.textAttrs) {
      const v = r[a.name];
      if (v !== undefined && v.trim().length > 0) parts.push(v);
    }
    return parts.join(' ');
  }

  private profile(r: PairRecord): RecordProfile {
    const key = this.attributes.map((a) => r[a.name] ?? '').join('\u0001');
    let p = this.cache.get(key);
    if (p === undefined) {
      p = {
        text: this.textAttrs.map((a, i) => {
          const v = r[a.name];
          return v === undefined || v.trim().length === 0
            ? null
            : fieldProfile(v, this.wordIdf[i], this.charIdf[i]);
        }),
        numeric: this.numericAttrs.map((a) => {
          const v = r[a.name];
          return v === undefined ? null : parseNumber(v);
        }),
        whole: fieldProfile(this.wholeText(r), this.wholeWordIdf, this.wholeCharIdf),
      };
      this.cache.set(key, p);
    }
    return p;
  }
}

/** Attribute list and kinds from the records (order of first appearance). */
export function inferAttributes(
  records: readonly PairRecord[],
  options: FeaturizerOptions = {},
): AttributeInfo[] {
  const numericShare = options.numericShare ?? 0.9;
  const stats = new Map<string, { nonEmpty: number; numeric: number; tokens: number }>();
  for (const r of records) {
    for (const [name, value] of Object.entries(r)) {
      let s = stats.get(name);
      if (!s) stats.set(name, (s = { nonEmpty: 0, numeric: 0, tokens: 0 }));
      if (value === undefined || value.trim().length === 0) continue;
      s.nonEmpty++;
      if (parseNumber(value) !== null) s.numeric++;
      s.tokens += tokenize(value).length;
    }
  }
  return [...stats].map(([name, s]) => ({
    name,
    kind: s.nonEmpty > 0 && s.numeric >= numericShare * s.nonEmpty ? 'numeric' : 'text',
    meanTokens: s.nonEmpty > 0 ? s.tokens / s.nonEmpty : 0,
  }));
}

function uniqueRecords(records: readonly PairRecord[]): PairRecord[] {
  const seen = new Set<string>();
  const out: PairRecord[] = [];
  for (const r of records) {
    const key = JSON.stringify(Object.entries(r));
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(r);
  }
  return out;
}

function nonEmpty(records: readonly PairRecord[], name: string): string[] {
  const out: string[] = [];
  for (const r of records) {
    const v = r[name];
    if (v !== undefined && v.trim().length > 0) out.push(v);
  }
  return out;
}

function fieldProfile(value: string, wordIdf: Tfidf, charIdf: Tfidf): FieldProfile {
  const text = fold(value).trim();
  const tokens = tokenize(value);
  const codes = modelCodes(value);
  const digits = new Set<string>();
  for (const c of codes) {
    const d = codeDigits(c);
    if (d.length >= 2) digits.add(d);
  }
  return {
    empty: tokens.length === 0,
    text,
    head: tokens.join(' ').slice(0, EDIT_CHARS),
    tokens,
    set: new Set(tokens),
    meTokens: [...new Set(tokens)].slice(0, ME_TOKENS),
    word: wordIdf.vector(tokens),
    char: charIdf.vector(charNgrams(value)),
    codes,
    codeSet: new Set(codes),
    longCodes: codes.filter((c) => c.length >= LONG_CODE),
    digits,
    squashed: squash(value),
    nums: new Set(numbers(value)),
  };
}

const FIELD_FEATURES = [
  'missing',
  'jaccard',
  'overlap',
  'containLR',
  'containRL',
  'idfJaccard',
  'idfContainLR',
  'idfContainRL',
  'cosWord',
  'cosChar',
  'mongeElkan',
  'levRatio',
  'lcsRatio',
  'firstToken',
  'lenLeft',
  'lenRight',
  'lenRatio',
  'maxIdfShared',
  'maxIdfOnlyLeft',
  'maxIdfOnlyRight',
  'idfOnlyLeft',
  'idfOnlyRight',
  'codesLeft',
  'codesRight',
  'codeShared',
  'codeContained',
  'codeDigitsShared',
  'codeBestSim',
  'codeConflict',
  'numJaccard',
  'numOnlyLeft',
  'numOnlyRight',
] as const;

function fieldFeatures(
  a: FieldProfile | null,
  b: FieldProfile | null,
  idf: Tfidf,
  edit: boolean,
  put: (v: number) => void,
): void {
  const aEmpty = a === null || a.empty;
  const bEmpty = b === null || b.empty;
  put((aEmpty ? 1 : 0) + (bEmpty ? 2 : 0));
  if (aEmpty || bEmpty) {
    for (let i = 1; i < FIELD_FEATURES.length; i++) put(NaN);
    return;
  }
  const w = (t: string) => idf.idf(t);
  put(jaccard(a.set, b.set));
  put(overlapCoefficient(a.set, b.set));
  put(containment(a.set, b.set));
  put(containment(b.set, a.set));
  put(weightedJaccard(a.set, b.set, w));
  put(weightedContainment(a.set, b.set, w));
  put(weightedContainment(b.set, a.set, w));
  put(sparseDot(a.word, b.word));
  put(sparseDot(a.char, b.char));
  put(symmetricMongeElkan(a.meTokens, b.meTokens));
  put(edit ? levenshteinRatio(a.head, b.head) : NaN);
  put(edit ? longestCommonSubstringRatio(a.head, b.head) : NaN);
  put(a.tokens[0] === b.tokens[0] ? 1 : 0);
  put(a.tokens.length);
  put(b.tokens.length);
  put(Math.min(a.tokens.length, b.tokens.length) / Math.max(a.tokens.length, b.tokens.length));
  let maxShared = 0;
  let maxOnlyA = 0;
  let maxOnlyB = 0;
  let sumOnlyA = 0;
  let sumOnlyB = 0;
  for (const t of a.set) {
    const v = w(t);
    if (b.set.has(t)) maxShared = Math.max(maxShared, v);
    else {
      maxOnlyA = Math.max(maxOnlyA, v);
      sumOnlyA += v;
    }
  }
  for (const t of b.set) {
    if (a.set.has(t)) continue;
    const v = w(t);
    maxOnlyB = Math.max(maxOnlyB, v);
    sumOnlyB += v;
  }
  put(maxShared);
  put(maxOnlyA);
  put(maxOnlyB);
  put(sumOnlyA);
  put(sumOnlyB);
  codeFeatures(a, b, put);
  put(a.nums.size > 0 && b.nums.size > 0 ? jaccard(a.nums, b.nums) : NaN);
  put(a.nums.size - intersectionSize(a.nums, b.nums));
  put(b.nums.size - intersectionSize(a.nums, b.nums));
}

function codeFeatures(a: FieldProfile, b: FieldProfile, put: (v: number) => void): void {
  put(a.codes.length);
  put(b.codes.length);
  if (a.codes.length === 0 && b.codes.length === 0) {
    for (let i = 0; i < 5; i++) put(NaN);
    return;
  }
  put(intersectionSize(a.codeSet, b.codeSet));
  let contained = 0;
  for (const c of a.longCodes) if (b.squashed.includes(c)) contained = Math.max(contained, c.length);
  for (const c of b.longCodes) if (a.squashed.includes(c)) contained = Math.max(contained, c.length);
  put(contained);
  put(a.digits.size > 0 && b.digits.size > 0 ? intersectionSize(a.digits, b.digits) : NaN);
  let best = 0;
  if (a.codes.length > 0 && b.codes.length > 0) {
    for (const x of a.codes) for (const y of b.codes) best = Math.max(best, levenshteinRatio(x, y));
    put(best);
  } else put(NaN);
  const conflict =
    a.longCodes.length > 0 &&
    b.longCodes.length > 0 &&
    contained === 0 &&
    intersectionSize(a.codeSet, b.codeSet) === 0;
  put(conflict ? 1 : 0);
}

const CROSS_FEATURES = ['idfContain', 'cosWord', 'codeContained'] as const;

/** How much of one side's attribute value the other side's whole record covers. */
function crossFeatures(
  part: FieldProfile | null,
  whole: FieldProfile,
  idf: Tfidf,
  put: (v: number) => void,
): void {
  if (part === null || part.empty || whole.empty) {
    for (let i = 0; i < CROSS_FEATURES.length; i++) put(NaN);
    return;
  }
  put(weightedContainment(part.set, whole.set, (t) => idf.idf(t)));
  put(sparseDot(idfVector(idf, part.tokens), whole.word));
  let contained = part.longCodes.length > 0 ? 0 : NaN;
  for (const c of part.longCodes) if (whole.squashed.includes(c)) contained = Math.max(contained, c.length);
  put(contained);
}

const idfVectorCache = new WeakMap<Tfidf, Map<string, SparseVector>>();
function idfVector(idf: Tfidf, tokens: readonly string[]): SparseVector {
  let m = idfVectorCache.get(idf);
  if (!m) idfVectorCache.set(idf, (m = new Map()));
  const key = tokens.join(' ');
  let v = m.get(key);
  if (!v) m.set(key, (v = idf.vector(tokens)));
  return v;
}

const NUMERIC_FEATURES = ['missing', 'absLogRatio', 'minMaxRatio', 'equal'] as const;

function numericFeatures(a: number | null, b: number | null, put: (v: number) => void): void {
  put((a === null ? 1 : 0) + (b === null ? 2 : 0));
  if (a === null || b === null) {
    put(NaN);
    put(NaN);
    put(NaN);
    return;
  }
  put(absLogRatio(a, b));
  put(minMaxRatio(a, b));
  put(Math.abs(a - b) <= 0.005 * Math.max(Math.abs(a), Math.abs(b)) ? 1 : 0);
}
