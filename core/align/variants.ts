/**
 * Variant options in canonical form (DESIGN.md "Alignment": a channel lists each variant once): the option names
 * merchants use (`Size`, `size`, `Größe`, `Color`, `Colour`, `Farbe`…) read as one dimension, and the values each
 * channel writes its own way read as one value — sizes through the title-identity reader (`Large` / `L`, `XXL` /
 * `2XL`, `30x32` / `30/32` / `W30 L32`), colours and other values through their words, where an abbreviation
 * (`Blk`, `Nvy`, `Sge`) stands for the word it abbreviates. Two records that both state a dimension with values
 * that cannot be the same are different variants: never one product, whatever their titles share.
 */
import { identityTokens } from '../consistency/titleIdentity.js';
import { fold, squash } from './text.js';

const SIZE_NAMES = [
  'size',
  'sizes',
  'taille',
  'grösse',
  'größe',
  'groesse',
  'talla',
  'tamaño',
  'tamanho',
  'taglia',
  'maat',
  'storlek',
  'rozmiar',
  'サイズ',
  '尺码',
  '尺寸',
];
const COLOR_NAMES = [
  'color',
  'colour',
  'colors',
  'colours',
  'farbe',
  'couleur',
  'colore',
  'kleur',
  'färg',
  'kolor',
  'cor',
  'カラー',
  '色',
  '颜色',
];
const DIMENSION_OF = new Map<string, string>([
  ...SIZE_NAMES.map((n) => [n, 'size'] as const),
  ...COLOR_NAMES.map((n) => [n, 'color'] as const),
]);

/** Values that state no variant (Shopify's single variant, "one size"). */
const NO_VARIANT = new Set(['defaulttitle', 'default', 'onesize', 'os', 'na', 'none', 'standard']);

/** Colour words written two ways in the same language. */
const COLOR_SYNONYMS: Record<string, string> = { gray: 'grey', colour: 'color' };

/** Colour names an abbreviation (`Blk`, `Nvy`, `Sge`) is read as, when it abbreviates exactly one of them. */
const COLOR_WORDS = (
  'black white grey navy blue red green olive sage clay rust charcoal sand brown tan beige khaki cream ivory ' +
  'orange yellow gold silver pink purple burgundy maroon teal turquoise coral mint forest ocean stone slate ' +
  'graphite indigo denim camel mustard lavender lilac plum wine copper bronze natural oatmeal heather ash moss ' +
  'pine sky royal midnight'
).split(' ');
const COLOR_SET = new Set(COLOR_WORDS);

function colourWord(w: string): string {
  if (COLOR_SET.has(w) || !/^\p{L}+$/u.test(w)) return w;
  let hit: string | null = null;
  for (const c of COLOR_WORDS)
    if (abbreviates(w, c)) {
      if (hit !== null) return w;
      hit = c;
    }
  return hit ?? w;
}

/** The dimension an option name states (`Colour`, `Farbe` -> `color`), else the name squashed. */
export function dimensionOf(name: string): string {
  const n = fold(name).trim();
  return DIMENSION_OF.get(n) ?? DIMENSION_OF.get(n.replace(/[^\p{L}]+/gu, '')) ?? squash(name);
}

/** The canonical text of a value: sorted identity tokens for sizes (when it has any), else its words. */
function canonicalValue(dimension: string, value: string): string | null {
  if (NO_VARIANT.has(squash(value))) return null;
  if (dimension === 'size') {
    const tokens = identityTokens(`size ${value}`);
    // A named size says it (`Small (51-55 cm)` is `s`); measurements count when there is none.
    const named = tokens.get('size') ?? tokens.get('shoe');
    const parts: string[] = [];
    if (named) for (const v of named) parts.push(`size:${v}`);
    else for (const [dim, values] of tokens) for (const v of values) parts.push(`${dim}:${v}`);
    if (parts.length > 0) return parts.sort().join(' ');
  }
  const words = fold(value)
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .map((w) => COLOR_SYNONYMS[w] ?? w)
    .map((w) => (dimension === 'color' ? colourWord(w) : w));
  return words.length > 0 ? words.join(' ') : null;
}

/**
 * A record's options as alignment's features compare them: dimension names and values in canonical form
 * (`{ size: 'l', color: 'sage' }` for `{ Size: 'Large', Colour: 'Sge' }`); values that state no variant dropped.
 */
export function canonicalOptions(
  options: Readonly<Record<string, string>> | null,
): Record<string, string> | null {
  if (!options) return null;
  let out: Record<string, string> | null = null;
  for (const name in options) {
    const raw = options[name];
    if (!raw) continue;
    const dimension = dimensionOf(name);
    const value = canonicalValue(dimension, raw);
    if (value === null) continue;
    out ??= {};
    out[dimension] = value.replace(/\b[a-z]+:/g, '');
  }
  return out;
}

/** A colour word, or an abbreviation of three letters or more of exactly one (`Blk`, `Slvr`). */
function isColourWord(w: string): boolean {
  const word = COLOR_SYNONYMS[w] ?? w;
  return COLOR_SET.has(word) || (word.length >= 3 && COLOR_SET.has(colourWord(word)));
}

/** Title parts a variant label is written in: `Tee - Ocean - Large`, `Jacket (Ocean, L)`, `Lamp | Clay`. */
const TITLE_PARTS = /\s[-–—|]\s|[(),;/[\]]/u;

/**
 * The colour a title states as a part of its own (`M's Pelley Jacket - Ocean - Large`, `Lamp (Clay)`), for a record
 * whose options do not state one: a part that is nothing but one or two colour words (abbreviations read as the
 * colour they abbreviate). A colour inside the name (`Forest Trail Jacket`) is no part of its own; two such parts
 * that disagree say nothing.
 */
export function titleColour(title: string | null): string | null {
  if (!title) return null;
  let found: string | null = null;
  for (const part of title.split(TITLE_PARTS)) {
    const words = fold(part)
      .split(/[^\p{L}]+/u)
      .filter(Boolean);
    if (words.length === 0 || words.length > 2 || !/^[\p{L}\s'’.]+$/u.test(part.trim())) continue;
    if (!words.every(isColourWord)) continue;
    const value = part.trim();
    if (found !== null && fold(found) !== fold(value)) return null;
    found = value;
  }
  return found;
}

/** A record's options with the colour its title states added when they state none (titleColour). */
export function withTitleColour(
  title: string | null,
  options: Readonly<Record<string, string>> | null,
  colour = titleColour(title),
): Readonly<Record<string, string>> | null {
  if (options) for (const name in options) if (dimensionOf(name) === 'color' && options[name]) return options;
  return colour === null ? options : { ...options, Color: colour };
}

/** `short` abbreviates `long`: same first letter, its letters in order within it (`blk` / `black`, `sge` / `sage`). */
export function abbreviates(short: string, long: string): boolean {
  if (short.length < 2 || short.length > long.length || short[0] !== long[0]) return false;
  let k = 0;
  for (let i = 0; i < long.length && k < short.length; i++) if (long[i] === short[k]) k++;
  return k === short.length;
}

/** Two canonical values of one dimension that may be the same variant. */
export function compatibleValues(dimension: string, x: string, y: string): boolean {
  if (x === y) return true;
  if (dimension === 'size' && x.includes(':') && y.includes(':')) {
    // Size tokens: one in common is enough (`Small (51-55 cm)` / `S`).
    const ys = new Set(y.split(' '));
    return x.split(' ').some((t) => ys.has(t));
  }
  // Words otherwise (a value read as tokens against one read as words: `size:full` / `full`).
  const xs = x.replace(/\b[a-z]+:/g, '').split(' ');
  const ys = y.replace(/\b[a-z]+:/g, '').split(' ');
  // A value's words against the other's: a colour named more fully (`Forest Green` / `Green`) or abbreviated.
  return xs.some((a) => ys.some((b) => a === b || abbreviates(a, b) || abbreviates(b, a)));
}

/** Every record's variant options, canonical and interned, by record position. */
export class VariantOptions {
  private readonly start: Int32Array;
  private readonly dims: Int32Array;
  private readonly values: Int32Array;
  private readonly dimNames: string[] = [];
  private readonly valueNames: string[] = [];
  private readonly compatible = new Map<number, boolean>();

  constructor(options: Iterable<Readonly<Record<string, string>> | null>) {
    const dimIds = new Map<string, number>();
    const valueIds = new Map<string, number>();
    const canonical = new Map<string, number>();
    const start = [0];
    const dims: number[] = [];
    const values: number[] = [];
    for (const o of options) {
      if (o)
        for (const name in o) {
          const raw = o[name];
          if (!raw) continue;
          const dimension = dimensionOf(name);
          let d = dimIds.get(dimension);
          if (d === undefined) dimIds.set(dimension, (d = this.dimNames.push(dimension) - 1));
          const key = `${d}\u0000${raw}`;
          let v = canonical.get(key);
          if (v === undefined) {
            const c = canonicalValue(dimension, raw);
            v = -1;
            if (c !== null) {
              const vk = `${d}\u0000${c}`;
              v = valueIds.get(vk) ?? -1;
              if (v < 0) valueIds.set(vk, (v = this.valueNames.push(c) - 1));
            }
            canonical.set(key, v);
          }
          if (v >= 0) {
            dims.push(d);
            values.push(v);
          }
        }
      start.push(dims.length);
    }
    this.start = Int32Array.from(start);
    this.dims = Int32Array.from(dims);
    this.values = Int32Array.from(values);
  }

  get size(): number {
    return this.start.length - 1;
  }

  /** Records i and j state at least one dimension both, and every one they share may be the same value. */
  agree(i: number, j: number): boolean {
    const ei = this.start[i + 1];
    const ej = this.start[j + 1];
    let shared = false;
    for (let x = this.start[i]; x < ei; x++)
      for (let y = this.start[j]; y < ej; y++) {
        if (this.dims[x] !== this.dims[y]) continue;
        shared = true;
        const a = this.values[x];
        const b = this.values[y];
        if (a !== b && !this.compatibleIds(this.dims[x], a, b)) return false;
      }
    return shared;
  }

  /** Records i and j state a dimension both, with values that cannot be the same variant. */
  conflict(i: number, j: number): boolean {
    const ei = this.start[i + 1];
    const ej = this.start[j + 1];
    for (let x = this.start[i]; x < ei; x++)
      for (let y = this.start[j]; y < ej; y++) {
        if (this.dims[x] !== this.dims[y]) continue;
        const a = this.values[x];
        const b = this.values[y];
        if (a !== b && !this.compatibleIds(this.dims[x], a, b)) return true;
      }
    return false;
  }

  private compatibleIds(dim: number, a: number, b: number): boolean {
    const key = a < b ? a * 0x100000 + b : b * 0x100000 + a;
    let c = this.compatible.get(key);
    if (c === undefined) {
      c = compatibleValues(this.dimNames[dim], this.valueNames[a], this.valueNames[b]);
      this.compatible.set(key, c);
    }
    return c;
  }
}
