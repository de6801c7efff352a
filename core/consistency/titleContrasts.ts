/**
 * Words that tell the store's products apart, learned from the store itself. Two products of different families
 * whose titles are the same but for one word on each side (`Irett Forged Santoku Knife` / `Irett Forged Bread
 * Knife`, `Jasian Argan Repair Shampoo` / `… Conditioner`, `Tora 5 MIPS Road Helmet` / `Tora 7 …`) show that those
 * two words name different products in this store. A record whose title says one where its golden record says the
 * other names another product: a title gap, even where no identity table (titleIdentity.ts) knows the words.
 * Variants of one family are not compared with each other: their titles differ by option values, which alignment
 * already keeps apart.
 */
import { editRatio } from '../align/recordPairs.js';
import { tokenize } from '../align/text.js';
import { abbreviates } from '../align/variants.js';

/**
 * A product's golden title, its records' titles, and its family (variants of one product share a family). `noise`:
 * words that do not tell its products apart (its brand's and its option values', `titleNoise`), per title.
 */
export interface FamilyTitle {
  family: number;
  title: string;
  noise?: ReadonlySet<string>;
  /** A record's noise is asked for only when its title may show a contrast. */
  records: readonly { title: string; noise?: () => ReadonlySet<string> }[];
}

/**
 * The words of brands and option values (`Ridgeline Supply`, `Small`, `Sage`): a title that has them where another
 * lacks them names the same product, written by a channel that puts its brand or its variant in the title.
 */
export function titleNoise(texts: Iterable<string | null | undefined>): ReadonlySet<string> {
  const out = new Set<string>();
  for (const t of texts) if (t) for (const w of words(t)) out.add(w);
  return out;
}

const NO_NOISE: ReadonlySet<string> = new Set();
const without = (ws: readonly string[], noise: ReadonlySet<string>): readonly string[] =>
  noise.size === 0 ? ws : ws.filter((w) => !noise.has(w));

/**
 * A contrast that sets records apart from their own golden titles in this many families, nearly always the same
 * way round (`Lamp` in the golden title, `Light` in the record's), is a channel's wording. A record named after a
 * sibling product (`Santoku` / `Bread`, `Shampoo` / `Conditioner`) goes either way round, however often it happens.
 */
const WORDING_FAMILIES = 3;
/** The share of those families, at most, that show it the other way round. */
const WORDING_REVERSED = 0.1;
/**
 * A contrast that records show in this share of the families whose titles have either phrase is a channel's
 * wording either way round (`Tee` / `T-Shirt`, `Headlight` / `Front Light`): a product is seldom named after a sibling.
 */
const WORDING_SHARE = 0.15;
/** A share is read from this many families on: a few swaps in a small store are no wording. */
const WORDING_SHARE_FAMILIES = 10;

const key = (x: string, y: string): string => (x < y ? `${x}\u0000${y}` : `${y}\u0000${x}`);

/** Distinct word tokens of a title, numbers apart from the letters they are written against (`SPF15`, `50ml`). */
function words(title: string): readonly string[] {
  let ws = wordCache.get(title);
  if (ws === undefined) {
    const out = new Set<string>();
    for (const t of tokenize(title)) for (const part of t.match(LETTERS_OR_DIGITS) ?? []) out.add(part);
    ws = [...out];
    // Variants share titles: most are read once. The cache is bounded, not exact.
    if (wordCache.size >= WORD_CACHE) wordCache.clear();
    wordCache.set(title, ws);
  }
  return ws;
}
const WORD_CACHE = 100_000;
const wordCache = new Map<string, readonly string[]>();
const LETTERS_OR_DIGITS = /\p{L}+|\p{N}+/gu;

/**
 * Whether two phrases (a word or two) that set two titles apart may be a contrast: words, not numbers or units
 * (titleIdentity.ts reads those: `4"` is `10 cm`), and not two ways to write one word (`Olv` / `Olive`, `Tshirt` /
 * `Shirt`, `Moisturising` / `Moisturizing`).
 */
function contrastable(x: string, y: string): boolean {
  if (/\p{N}/u.test(x + y)) return false;
  const a = x.replace(/ /g, '');
  const b = y.replace(/ /g, '');
  if (a.length < 3 || b.length < 3) return false;
  const one = (u: string, v: string): boolean => abbreviates(u, v) || u.includes(v);
  // A phrase's words in either order (`care skin` / `skincare`).
  const reversed = (p: string): string => p.split(' ').reverse().join('');
  // Spellings of one word (`Moisturising` / `Moisturizing`, `Colour` / `Color`) are no contrast either.
  return !(one(a, b) || one(b, a) || reversed(x) === b || reversed(y) === a || editRatio(a, b) >= 0.75);
}

/** Titles with more words than this are keyed by one word less only (two words less would be too many keys). */
const MAX_WORDS_FOR_TWO = 8;

/** A random 40-bit number per word id: a word set's key is the sum of its words' (exact in a double). */
function wordHash(id: number): number {
  let x = (id + 1) * 0x9e3779b1;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  const hi = (x ^ (x >>> 16)) >>> 0;
  let y = Math.imul((id + 7) ^ 0x27d4eb2f, 0x165667b1);
  y = (y ^ (y >>> 15)) & 0xff;
  return hi * 256 + y;
}

/** Says which phrases of a title and its golden title tell two products apart (null: none). */
export interface TitleContrastJudge {
  contrast(goldenTitle: string, title: string, noise?: () => ReadonlySet<string>): [string, string] | null;
}

export class TitleContrasts implements TitleContrastJudge {
  /** Words that are part of some contrast: a title with none of them against its golden title needs no look. */
  private readonly parts = new Set<string>();

  /**
   * When learned: the (golden title, record title) pairs of the store that showed a contrast while learning, as
   * `golden\u0000title`. No other pair of that store can show one (`forStore`).
   */
  private seen: ReadonlySet<string> | null = null;

  private constructor(private readonly pairs: Set<string>) {
    for (const p of pairs)
      for (const side of p.split('\u0000')) for (const w of side.split(' ')) this.parts.add(w);
  }

  /** Learns the contrasting phrases of the store's product titles. */
  static learn(titles: readonly FamilyTitle[]): TitleContrasts {
    // Each title once per family, keyed by its word set less a phrase (a word, or two in short titles): titles that
    // share a key differ by at most that phrase on each side. At least two words must be left in common. Keys are
    // sums of random word hashes, so a key less a word is one subtraction.
    const ids = new Map<string, number>();
    const names: string[] = [];
    const idOf = (w: string): number => {
      let id = ids.get(w);
      if (id === undefined) {
        id = names.push(w) - 1;
        ids.set(w, id);
      }
      return id;
    };
    /** key -> [family, phrase code, family, phrase code, …]; a phrase code is a word id, or 2^40 + two ids. */
    const byKey = new Map<number, number[]>();
    const seen = new Set<string>();
    const add = (k: number, family: number, code: number): void => {
      const list = byKey.get(k);
      if (list) list.push(family, code);
      else byKey.set(k, [family, code]);
    };
    for (const { family, title, noise } of titles) {
      const ws = without(words(title), noise ?? NO_NOISE)
        .map(idOf)
        .sort((a, b) => a - b);
      if (ws.length < 3) continue;
      const whole = `${family}\u0001${ws.join(' ')}`;
      if (seen.has(whole)) continue;
      seen.add(whole);
      let sum = 0;
      for (const w of ws) sum += wordHash(w);
      const two = ws.length <= MAX_WORDS_FOR_TWO && ws.length >= 4;
      for (let i = 0; i < ws.length; i++) {
        const less = sum - wordHash(ws[i]);
        add(less * 32 + (ws.length - 1), family, ws[i]);
        if (two)
          for (let j = i + 1; j < ws.length; j++)
            add((less - wordHash(ws[j])) * 32 + (ws.length - 2), family, 2 ** 40 + ws[i] * 2 ** 20 + ws[j]);
      }
    }
    const phrase = (code: number): string =>
      code < 2 ** 40
        ? names[code]
        : [names[Math.floor((code - 2 ** 40) / 2 ** 20)], names[(code - 2 ** 40) % 2 ** 20]].sort().join(' ');
    const pairs = new Set<string>();
    const rejected = new Set<string>();
    for (const list of byKey.values()) {
      if (list.length < 4) continue;
      // Each phrase once, with the first family that has it and whether another does too: titles of many families
      // share a key (`Merino Everyday Sock` less the name), with few phrases between them.
      const firstFamily = new Map<number, number>();
      const inMany = new Set<number>();
      for (let i = 0; i < list.length; i += 2) {
        const f = firstFamily.get(list[i + 1]);
        if (f === undefined) firstFamily.set(list[i + 1], list[i]);
        else if (f !== list[i]) inMany.add(list[i + 1]);
      }
      const codes = [...firstFamily.keys()];
      for (let a = 0; a < codes.length; a++)
        for (let b = a + 1; b < codes.length; b++) {
          const [ca, cb] = [codes[a], codes[b]];
          // One side a single word: two words against two would take in any two titles that share the rest.
          if (ca >= 2 ** 40 && cb >= 2 ** 40) continue;
          const oneFamily = firstFamily.get(ca) === firstFamily.get(cb) && !inMany.has(ca) && !inMany.has(cb);
          if (oneFamily) continue;
          const x = phrase(ca);
          const y = phrase(cb);
          const k = key(x, y);
          if (pairs.has(k) || rejected.has(k)) continue;
          if (contrastable(x, y)) pairs.add(k);
          else rejected.add(k);
        }
    }
    // What sets records apart from their own product's title in several families is how a channel words it
    // (`Lamp` / `Light`, `Tea Bags` / `Count`), not another product.
    const learned = new TitleContrasts(pairs);
    /** Per contrast, the families that show it with its first phrase (in key order) in the golden title, and the rest. */
    const wording = new Map<string, { golden: Set<number>; record: Set<number> }>();
    const seenPairs = new Set<string>();
    for (const { family, title, records } of titles)
      for (const { title: t, noise } of records)
        for (const [g, h] of learned.contrasts(title, t, noise)) {
          seenPairs.add(`${title}\u0000${t}`);
          const k = key(g, h);
          let ways = wording.get(k);
          if (!ways) wording.set(k, (ways = { golden: new Set(), record: new Set() }));
          (g <= h ? ways.golden : ways.record).add(family);
        }
    const wordings = new Set<string>();
    const frequent = [...wording].filter(([, w]) => w.golden.size + w.record.size >= WORDING_FAMILIES);
    const titled = familiesTitled(
      titles,
      frequent.flatMap(([k]) => k.split('\u0000')),
    );
    for (const [k, { golden, record }] of frequent) {
      const families = new Set([...golden, ...record]).size;
      const reversed = Math.min(golden.size, record.size);
      const [x, y] = k.split('\u0000');
      const share = families / Math.max(1, titled.get(x)! + titled.get(y)!);
      if (
        families >= WORDING_FAMILIES &&
        (reversed <= WORDING_REVERSED * families ||
          (families >= WORDING_SHARE_FAMILIES && share >= WORDING_SHARE))
      ) {
        pairs.delete(k);
        wordings.add(k);
      }
    }
    // A wording with a word beside it (`Tee` / `Gray Tshirt`, `Pant` / `Clay Trousers`) is that wording.
    for (const k of pairs) {
      const [x, y] = k.split('\u0000');
      const within = (two: string, one: string): boolean =>
        two.includes(' ') && two.split(' ').some((w) => wordings.has(key(w, one)));
      if (within(x, y) || within(y, x)) pairs.delete(k);
    }
    const out = new TitleContrasts(pairs);
    out.seen = seenPairs;
    return out;
  }

  static fromJson(pairs: readonly (readonly [string, string])[]): TitleContrasts {
    return new TitleContrasts(new Set(pairs.map(([x, y]) => key(x, y))));
  }

  toJson(): [string, string][] {
    return [...this.pairs].map((p) => p.split('\u0000') as [string, string]);
  }

  get size(): number {
    return this.pairs.size;
  }

  /** The phrases of `title` and of the golden title that tell two of the store's products apart, or null. */
  contrast(goldenTitle: string, title: string, noise?: () => ReadonlySet<string>): [string, string] | null {
    const first = this.contrasts(goldenTitle, title, noise).next();
    return first.done ? null : first.value;
  }

  /**
   * The judge for the titles these contrasts were learned from: it looks only at the pairs that showed a contrast
   * while learning (the same answers as `contrast`, for those titles, at a fraction of the work).
   */
  forStore(): TitleContrastJudge {
    const seen = this.seen;
    if (!seen) return this;
    return {
      contrast: (goldenTitle, title, noise) =>
        seen.has(`${goldenTitle}\u0000${title}`) ? this.contrast(goldenTitle, title, noise) : null,
    };
  }

  /** Every contrast between a title and the golden title, `noise` words aside: [the golden title's phrase, the title's]. */
  private *contrasts(
    goldenTitle: string,
    title: string,
    noise: (() => ReadonlySet<string>) | undefined,
  ): Generator<[string, string]> {
    if (this.pairs.size === 0 || title === goldenTitle) return;
    const goldenWords = words(goldenTitle);
    let wantSet = new Set(goldenWords);
    // Noise aside, a title has fewer words of its own: without one of a contrast's first, it has none after.
    if (!words(title).some((w) => !wantSet.has(w) && this.parts.has(w))) return;
    const n = noise?.() ?? NO_NOISE;
    const have = without(words(title), n);
    const want = without(goldenWords, n);
    if (n.size > 0) wantSet = new Set(want);
    const onlyHave = have.filter((w) => !wantSet.has(w));
    if (!onlyHave.some((w) => this.parts.has(w))) return;
    const haveSet = new Set(have);
    const onlyGolden = phrases(want.filter((w) => !haveSet.has(w)).sort());
    if (onlyGolden.length === 0) return;
    for (const h of phrases([...onlyHave].sort()))
      for (const g of onlyGolden) {
        if (this.pairs.has(key(g, h))) yield [g, h];
      }
  }
}

/** For each phrase, the number of families whose golden title (noise aside) has all its words. */
function familiesTitled(titles: readonly FamilyTitle[], wanted: readonly string[]): Map<string, number> {
  const families = new Map<string, Set<number>>(wanted.map((p) => [p, new Set()]));
  if (families.size > 0)
    for (const { family, title, noise } of titles)
      // A title's own phrases, looked up: a common word can be part of thousands of the phrases wanted.
      for (const p of phrases([...without(words(title), noise ?? NO_NOISE)].sort()))
        families.get(p)?.add(family);
  return new Map([...families].map(([p, f]) => [p, f.size]));
}

/** Each word of `ws` (sorted) and each two of them. */
function phrases(ws: readonly string[]): string[] {
  const out = [...ws];
  for (let i = 0; i < ws.length; i++) for (let j = i + 1; j < ws.length; j++) out.push(`${ws[i]} ${ws[j]}`);
  return out;
}
