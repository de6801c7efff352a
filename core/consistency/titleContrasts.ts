/**
 * Words that tell the store's products apart, learned from the store itself. Two products of different families
 * whose titles are the same but for one word on each side (`Irett Forged Santoku Knife` / `Irett Forged Bread
 * Knife`, `Jasian Argan Repair Shampoo` / `… Conditioner`, `Tora 5 MIPS Road Helmet` / `Tora 7 …`) show that those
 * two words name different products in this store. A record whose title says one where its golden record says the
 * other names another product: a title gap, even where no identity table (titleIdentity.ts) knows the words.
 * Variants of one family are not compared with each other: their titles differ by option values, which alignment
 * already keeps apart.
 */
import { tokenize } from '../align/text.js';
import { abbreviates } from '../align/variants.js';

/** A product's golden title, its records' titles, and its family (variants of one product share a family). */
export interface FamilyTitle {
  family: number;
  title: string;
  recordTitles: readonly string[];
}

/** A contrast that sets records apart from their own golden titles in this many families is a channel's wording. */
const WORDING_FAMILIES = 3;

const key = (x: string, y: string): string => (x < y ? `${x}\u0000${y}` : `${y}\u0000${x}`);

/** Distinct word tokens of a title, numbers apart from the letters they are written against (`SPF15`, `50ml`). */
function words(title: string): string[] {
  const out = new Set<string>();
  for (const t of tokenize(title)) for (const part of t.match(LETTERS_OR_DIGITS) ?? []) out.add(part);
  return [...out];
}
const LETTERS_OR_DIGITS = /\p{L}+|\p{N}+/gu;

/**
 * Whether two phrases (a word or two) that set two titles apart may be a contrast: words, not numbers or units
 * (titleIdentity.ts reads those: `4"` is `10 cm`), and not two ways to write one word (`Olv` / `Olive`, `Tshirt` /
 * `Shirt`).
 */
function contrastable(x: string, y: string): boolean {
  if (/\p{N}/u.test(x + y)) return false;
  const a = x.replace(/ /g, '');
  const b = y.replace(/ /g, '');
  if (a.length < 3 || b.length < 3) return false;
  const one = (u: string, v: string): boolean => abbreviates(u, v) || u.includes(v);
  // A phrase's words in either order (`care skin` / `skincare`).
  const reversed = (p: string): string => p.split(' ').reverse().join('');
  return !(one(a, b) || one(b, a) || reversed(x) === b || reversed(y) === a);
}

/** The phrases `ws` (sorted words) can lose: each word, and each two words. */
function* dropped(ws: readonly string[]): Generator<[phrase: string, rest: string[]]> {
  for (let i = 0; i < ws.length; i++) {
    const rest = ws.slice(0, i).concat(ws.slice(i + 1));
    yield [ws[i], rest];
    for (let j = i + 1; j < ws.length; j++) yield [`${ws[i]} ${ws[j]}`, rest.filter((w) => w !== ws[j])];
  }
}

export class TitleContrasts {
  private constructor(private readonly pairs: ReadonlySet<string>) {}

  /** Learns the contrasting phrases of the store's product titles. */
  static learn(titles: readonly FamilyTitle[]): TitleContrasts {
    // Each title once per family, keyed by its word set less a phrase: titles that share a key differ by at most
    // that phrase on each side. At least two words must be left in common.
    const byKey = new Map<string, { family: number; phrase: string }[]>();
    const seen = new Set<string>();
    for (const { family, title } of titles) {
      const ws = words(title).sort();
      if (ws.length < 3) continue;
      const whole = `${family}\u0001${ws.join(' ')}`;
      if (seen.has(whole)) continue;
      seen.add(whole);
      for (const [phrase, rest] of dropped(ws)) {
        if (rest.length < 2) continue;
        const k = rest.join(' ');
        let list = byKey.get(k);
        if (!list) byKey.set(k, (list = []));
        list.push({ family, phrase });
      }
    }
    const pairs = new Set<string>();
    for (const list of byKey.values()) {
      if (list.length < 2) continue;
      for (let i = 0; i < list.length; i++)
        for (let j = i + 1; j < list.length; j++) {
          const [x, y] = [list[i], list[j]];
          // One side a single word: two words against two would take in any two titles that share the rest.
          if (x.family === y.family || (x.phrase.includes(' ') && y.phrase.includes(' '))) continue;
          if (contrastable(x.phrase, y.phrase)) pairs.add(key(x.phrase, y.phrase));
        }
    }
    // What sets records apart from their own product's title in several families is how a channel words it
    // (`Lamp` / `Light`), not another product.
    const learned = new TitleContrasts(pairs);
    const wording = new Map<string, Set<number>>();
    for (const { family, title, recordTitles } of titles)
      for (const t of recordTitles) {
        const c = learned.contrast(title, t);
        if (!c) continue;
        const k = key(c[0], c[1]);
        let fs = wording.get(k);
        if (!fs) wording.set(k, (fs = new Set()));
        fs.add(family);
      }
    for (const [k, fs] of wording) if (fs.size >= WORDING_FAMILIES) pairs.delete(k);
    return learned;
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
  contrast(goldenTitle: string, title: string): [string, string] | null {
    if (this.pairs.size === 0) return null;
    const want = words(goldenTitle);
    const have = words(title);
    const haveSet = new Set(have);
    const wantSet = new Set(want);
    const onlyGolden = phrases(want.filter((w) => !haveSet.has(w)).sort());
    if (onlyGolden.length === 0) return null;
    for (const h of phrases(have.filter((w) => !wantSet.has(w)).sort()))
      for (const g of onlyGolden) if (this.pairs.has(key(g, h))) return [g, h];
    return null;
  }
}

/** Each word of `ws` (sorted) and each two of them, as `dropped` names them. */
function phrases(ws: readonly string[]): string[] {
  const out = [...ws];
  for (let i = 0; i < ws.length; i++) for (let j = i + 1; j < ws.length; j++) out.push(`${ws[i]} ${ws[j]}`);
  return out;
}
