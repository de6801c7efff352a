/**
 * Identity tokens of a product title (DESIGN.md "Gaps", title): what makes it another product — model number,
 * capacity, volume, mass, power, length, pack count, apparel or shoe size. Everything else in a title (wording,
 * order, abbreviations, case, suffixes) is drift. Each token is read in a canonical form, so the ways merchants
 * write one value compare equal: `16GB` / `16 gb`, `1.7 L` / `1700ml`, `Pack of 6` / `6-Pack` / `6 pk`,
 * `8"` / `8-inch` / `20.3 cm`, `M` / `Medium` / `Size M`, `EU 42` / `42 EU` / `Size 42`, `WH-1000XM4` / `wh1000xm4`.
 */
import { fold, isCodeLike } from '../align/text.js';
import { unitFactor, type SiUnit } from '../normalize/units.js';

/** `number`: a bare number (`- 42`); variant titles often list option values without their name. */
export type IdentityDimension =
  | 'model'
  | 'capacity'
  | 'volume'
  | 'mass'
  | 'power'
  | 'length'
  | 'count'
  | 'size'
  | 'shoe'
  | 'number'
  | 'style'
  | 'gender'
  | 'people';

/** Aspects of style (DESIGN.md counts style as identity); their values are one `style` dimension (`neckline:crew`). */
type StyleAspect = 'neckline' | 'fit' | 'sleeve' | 'closure' | 'detail' | 'placement' | 'bedding';

/**
 * Style words by aspect, each written the ways merchants write it -> its canonical value. A style word replaced by
 * another is a conflict (`Crew Neck` -> `Henley`, `V-Neck` -> `Pocket`); a style left out of a title is not.
 */
const STYLE_WORDS: Record<StyleAspect, Record<string, string>> = {
  neckline: {
    'crew neck': 'crew',
    crewneck: 'crew',
    'crew-neck': 'crew',
    'v-neck': 'v',
    'v neck': 'v',
    vneck: 'v',
    henley: 'henley',
    'scoop neck': 'scoop',
    'boat neck': 'boat',
    turtleneck: 'turtle',
    'turtle neck': 'turtle',
    'roll neck': 'turtle',
    'mock neck': 'mock',
    'polo collar': 'polo',
  },
  fit: {
    'slim fit': 'slim',
    'slim-fit': 'slim',
    'regular fit': 'regular',
    'classic fit': 'regular',
    'relaxed fit': 'relaxed',
    'athletic fit': 'athletic',
    'loose fit': 'relaxed',
    skinny: 'skinny',
    bootcut: 'bootcut',
    'boot cut': 'bootcut',
    'straight leg': 'straight',
    'straight fit': 'straight',
    tapered: 'tapered',
    oversized: 'oversized',
    relaxed: 'relaxed',
    slim: 'slim',
    straight: 'straight',
  },
  sleeve: {
    'long sleeve': 'long',
    'long-sleeve': 'long',
    'long sleeved': 'long',
    'short sleeve': 'short',
    'short-sleeve': 'short',
    'short sleeved': 'short',
    sleeveless: 'none',
    '3/4 sleeve': 'three-quarter',
  },
  closure: {
    'full zip': 'full-zip',
    'full-zip': 'full-zip',
    'zip-up': 'full-zip',
    'zip up': 'full-zip',
    'half zip': 'half-zip',
    'half-zip': 'half-zip',
    '1/2 zip': 'half-zip',
    'quarter zip': 'quarter-zip',
    'quarter-zip': 'quarter-zip',
    '1/4 zip': 'quarter-zip',
    pullover: 'pullover',
  },
  detail: {
    pocket: 'pocket',
    pkt: 'pocket',
  },
  // Where a light or lamp goes, and what kind of bedding: another word there is another product.
  placement: {
    front: 'front',
    rear: 'rear',
    floor: 'floor',
    desk: 'desk',
    table: 'table',
    pendant: 'pendant',
    'wall lamp': 'wall',
  },
  bedding: {
    'duvet cover': 'duvet-cover',
    duvet: 'duvet-cover',
    'sheet set': 'sheet-set',
    'sheets set': 'sheet-set',
    'bed sheet set': 'sheet-set',
    'fitted sheet': 'fitted-sheet',
    pillowcase: 'pillowcase',
    pillowcases: 'pillowcase',
    comforter: 'comforter',
    quilt: 'quilt',
  },
};

/** Who a garment is cut for: `Men's` and `Women's` are two products. */
const GENDER_WORDS: Record<string, string> = {
  "men's": 'men',
  mens: 'men',
  men: 'men',
  "m's": 'men',
  "women's": 'women',
  womens: 'women',
  women: 'women',
  "w's": 'women',
  ladies: 'women',
  "ladies'": 'women',
  unisex: 'unisex',
  "kids'": 'kids',
  kids: 'kids',
  "kid's": 'kids',
  youth: 'kids',
  boys: 'kids',
  girls: 'kids',
};
const GENDER =
  /(?<![\p{L}\p{N}])(men's|mens|men|m's|women's|womens|women|w's|ladies'?|unisex|kids'?|kid's|youth|boys|girls)(?![\p{L}\p{N}'])/gu;

/** A name followed by a number (`Varley 3`, `Brenvik-2`): a model, read as one code (`varley3`). */
const NAME_NUMBER = /(?<![\p{L}\p{N}])([a-z]{3,})[\s-](\d{1,4})(?![\p{L}\p{N}.,])/gu;
/** How many people a tent or a seat is for: `4P`, `3 Person`, `2-Man`. */
const PEOPLE = /(?<![\p{L}\p{N}.,])(\d{1,2})\s?-?(?:p|person|persons|people|man)(?![\p{L}\p{N}])/gu;
/** Bed and duvet sizes. */
const BED_WORDS: Record<string, string> = {
  'twin xl': 'twin-xl',
  'full size': 'full',
  'california king': 'california-king',
  'cal king': 'california-king',
};
const BED_SIZE = /\b(twin xl|twin|full size|queen|california king|cal king|king)\b|\bsize (full)\b/g;
const NOT_NAMES = new Set([
  'size',
  'pack',
  'set',
  'box',
  'case',
  'for',
  'with',
  'and',
  'of',
  'the',
  'age',
  'ages',
  'up',
  'to',
]);

const escapeRe = (w: string): string =>
  w.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&').replace(/[\s-]/g, '[\\s-]?');
/** Every style word in one pass: the longest first, each -> `aspect:value`. */
const STYLE_VALUE = new Map(
  (Object.keys(STYLE_WORDS) as StyleAspect[]).flatMap((aspect) =>
    Object.entries(STYLE_WORDS[aspect]).map(([w, v]) => [w.replace(/[\s-]/g, ''), `${aspect}:${v}`] as const),
  ),
);
const STYLE = new RegExp(
  `(?<![\\p{L}\\p{N}])(${(Object.values(STYLE_WORDS) as Record<string, string>[])
    .flatMap((words) => Object.keys(words))
    .sort((a, b) => b.length - a.length)
    .map(escapeRe)
    .join('|')})(?![\\p{L}\\p{N}])`,
  'gu',
);

/** Waist and inseam (`30x32`, `30/32`, `30-32`, `W30 L32`): trouser sizes, read before they pass for codes. */
const WAIST_LENGTH =
  /(?<![\p{L}\p{N}.,])(?:w\s?([2-5]\d)\s?[x×/-]?\s?l\s?([2-4]\d)|([2-5]\d)\s?[x×/-]\s?([2-4]\d))(?![\p{L}\p{N}]|\s?(?:mm|cm|in|m|"))/gu;
/** Tyre and wheel sizes (`700x38c`, `700 x 38C`, `29 x 2.4`): read as one size however spaced. */
const TYRE =
  /(?<![\p{L}\p{N}.,])(\d{2,3})\s?[x×]\s?(\d{1,2}(?:[.,]\d{1,2})?)\s?([abc])?(?![\p{L}\p{N}]|\s?(?:mm|cm|in|m|"))/gu;

/** Dimension -> canonical values (numbers in base units as strings; codes squashed and lower-cased). */
export type IdentityTokens = Map<IdentityDimension, Set<string>>;

const SI_DIMENSION: Record<SiUnit, IdentityDimension> = { g: 'mass', ml: 'volume', mm: 'length' };

/** Masses, volumes and lengths a title states: their dimension and factor come from the normalizer's unit table. */
const MEASURE_WORDS =
  'ml cl dl l lt ltr litre liter litres liters floz mg g gr gram grams kg oz lb lbs mm cm m in inch inches "';

/** Unit word -> [dimension, factor to the base unit (GB, ml, g, W, mm, items)]. */
const UNITS: Record<string, [IdentityDimension, number]> = {
  mb: ['capacity', 1 / 1024],
  gb: ['capacity', 1],
  tb: ['capacity', 1024],
  ...Object.fromEntries(
    MEASURE_WORDS.split(' ').map((w) => {
      const u = unitFactor(w)!;
      return [w, [SI_DIMENSION[u.si], u.factor]];
    }),
  ),
  w: ['power', 1],
  watt: ['power', 1],
  watts: ['power', 1],
  kw: ['power', 1000],
  pack: ['count', 1],
  packs: ['count', 1],
  pk: ['count', 1],
  pcs: ['count', 1],
  pc: ['count', 1],
  piece: ['count', 1],
  pieces: ['count', 1],
  ct: ['count', 1],
  count: ['count', 1],
  bags: ['count', 1],
  bag: ['count', 1],
  pods: ['count', 1],
  capsules: ['count', 1],
  sachets: ['count', 1],
  tablets: ['count', 1],
  rolls: ['count', 1],
};

/** Relative tolerance per dimension: conversions (8" = 203 mm vs 20 cm) and rounding are not identity changes. */
const TOLERANCE: Partial<Record<IdentityDimension, number>> = {
  capacity: 0.001,
  volume: 0.02,
  mass: 0.03,
  power: 0.001,
  length: 0.04,
};

const SIZE_WORDS: Record<string, string> = {
  xxs: 'xxs',
  xs: 'xs',
  s: 's',
  m: 'm',
  l: 'l',
  xl: 'xl',
  xxl: 'xxl',
  '2xl': 'xxl',
  xxxl: 'xxxl',
  '3xl': 'xxxl',
  xxxxl: 'xxxxl',
  '4xl': 'xxxxl',
  small: 's',
  medium: 'm',
  large: 'l',
  'x small': 'xs',
  'extra small': 'xs',
  'x large': 'xl',
  'extra large': 'xl',
  'xx large': 'xxl',
  'extra extra large': 'xxl',
  'xxx large': 'xxxl',
};

const NUM = String.raw`(\d+(?:[.,]\d+)?)`;
/** `Pack of 6`, `Set of 4`, `Box of 12` (count before the number). */
const COUNT_OF = /\b(?:pack|set|box|case|bag|carton|bundle)\s+of\s+(\d+)\b/g;
/** `6-Piece Set`, `4 Piece` */
const PIECE_SET = /\b(\d+)[\s-]*(?:piece|pc|pcs)\b(?:\s+set)?/g;
/** `6 x`, `x6` multipacks are left out: too ambiguous with dimensions (`2 x 500 ml`). */
const QUANTITY = new RegExp(
  String.raw`(?<![\p{L}\p{N}.,])${NUM}\s*(?:-\s*)?("|[a-z]+)(?![\p{L}\p{N}])`,
  'gu',
);
/** Two-word quantities (`80 Tea Bags`, `20 Coffee Capsules`): a number, one word, then a count unit. */
const QUANTITY_TWO = /(?<![\p{L}\p{N}.,])(\d+)\s+[a-z]+\s+(bags|capsules|pods|sachets|tablets|rolls)\b/gu;
const SHOE = /\b(?:eu|size|us|uk)\s*(\d{2}(?:[.,]5)?)\b|\b(\d{2}(?:[.,]5)?)\s*eu\b/g;
const SIZE_PHRASE =
  /\b(?:size\s+)?(extra extra large|extra large|extra small|x[\s-]small|x[\s-]large|xx[\s-]large|xxx[\s-]large)\b/g;
const SIZE_TOKEN =
  /(?:^|[\s([/,–—-])(?:size\s+)?(xxs|xs|s|m|l|xl|xxl|2xl|xxxl|3xl|xxxxl|4xl|small|medium|large)(?=$|[\s)\]/,–—-])/g;
const CODE_CHUNK = /[\p{L}\p{N}]+(?:[-/.][\p{L}\p{N}]+)*/gu;

function add(out: IdentityTokens, dim: IdentityDimension, value: string): void {
  let set = out.get(dim);
  if (!set) out.set(dim, (set = new Set()));
  set.add(value);
}

function round(v: number): string {
  return String(Math.round(v * 1000) / 1000);
}

/**
 * The identity tokens of a text (a title, or option values). Quantities are read first and cut out of the text,
 * so `128GB` is a capacity, not a model code.
 */
export function identityTokens(text: string, out: IdentityTokens = new Map()): IdentityTokens {
  // `2-in-1` is a kind of device, not two inches.
  let t = fold(text)
    .replace(/[“”″]/g, '"')
    .replace(/[‘’]/g, "'")
    .replace(/\bfl\.?\s?oz\b/g, 'floz')
    .replace(/\b\d+[\s-]in[\s-]\d+\b/g, ' ');
  const cut = (re: RegExp, fn: (m: RegExpExecArray) => boolean): void => {
    t = t.replace(re, (...args: unknown[]) => {
      const m = args.slice(0, -2) as unknown as RegExpExecArray;
      return fn(m) ? ' ' : (m[0] as string);
    });
  };
  cut(STYLE, (m) => (add(out, 'style', STYLE_VALUE.get(m[1].replace(/[\s-]/g, '')) ?? m[1]), true));
  cut(GENDER, (m) => (add(out, 'gender', GENDER_WORDS[m[1]] ?? m[1]), true));
  // Everything but sizes needs a digit: most option values and many titles skip those passes.
  if (!/\d/.test(t)) {
    cut(BED_SIZE, (m) => (add(out, 'size', m[1] ? (BED_WORDS[m[1]] ?? m[1]) : 'full'), true));
    cut(SIZE_PHRASE, (m) => (add(out, 'size', SIZE_WORDS[m[1].replace(/[\s-]+/g, ' ')] ?? m[1]), true));
    cut(SIZE_TOKEN, (m) => (add(out, 'size', SIZE_WORDS[m[1]]), true));
    return out;
  }
  cut(WAIST_LENGTH, (m) => (add(out, 'size', `${m[1] ?? m[3]}x${m[2] ?? m[4]}`), true));
  cut(PEOPLE, (m) => (add(out, 'people', String(Number(m[1]))), true));
  cut(TYRE, (m) => (add(out, 'size', `${m[1]}x${m[2].replace(',', '.')}${m[3] ?? ''}`), true));
  cut(COUNT_OF, (m) => (add(out, 'count', String(Number(m[1]))), true));
  cut(PIECE_SET, (m) => (add(out, 'count', String(Number(m[1]))), true));
  cut(QUANTITY_TWO, (m) => (add(out, 'count', String(Number(m[1]))), true));
  cut(QUANTITY, (m) => {
    const unit = UNITS[m[2]];
    if (!unit) return false;
    // A bare `m` after a number is metres only when nothing else reads it; `s`/`l` sizes never follow a number.
    const value = Number(m[1].replace(',', '.')) * unit[1];
    add(out, unit[0], unit[0] === 'count' ? String(Math.round(value)) : round(value));
    return true;
  });
  // After quantities: `Size 50 ml` is a volume, `Size 42` a shoe size.
  cut(SHOE, (m) => (add(out, 'shoe', String(Number((m[1] ?? m[2]).replace(',', '.')))), true));
  cut(BED_SIZE, (m) => (add(out, 'size', m[1] ? (BED_WORDS[m[1]] ?? m[1]) : 'full'), true));
  cut(SIZE_PHRASE, (m) => (add(out, 'size', SIZE_WORDS[m[1].replace(/[\s-]+/g, ' ')] ?? m[1]), true));
  cut(SIZE_TOKEN, (m) => (add(out, 'size', SIZE_WORDS[m[1]]), true));
  cut(NAME_NUMBER, (m) => {
    if (NOT_NAMES.has(m[1]) || UNITS[m[1]] !== undefined || /^(?:19|20)\d\d$/.test(m[2])) return false;
    add(out, 'model', `${m[1]}${Number(m[2])}`);
    return true;
  });
  for (const chunk of t.match(CODE_CHUNK) ?? []) {
    const whole = chunk.replace(/[-/.]/g, '');
    if (isCodeLike(whole)) add(out, 'model', whole);
    // `22133GH`: digits then letters that are no unit is a part number, not a measurement.
    else if (/^\d{3,}[a-z]{1,4}$/.test(whole) && UNITS[whole.replace(/^\d+/, '')] === undefined)
      add(out, 'model', whole);
    else if (/^\d+$/.test(whole)) {
      // Part numbers are often all digits (`20771`); years are not identity.
      if (whole.length >= 4 && !/^(?:19|20)\d\d$/.test(whole)) add(out, 'model', whole);
      else if (whole.length <= 3 && chunk === whole) add(out, 'number', String(Number(whole)));
    }
  }
  return out;
}

function numericMatch(a: string, b: string, tolerance: number): boolean {
  const x = Number(a);
  const y = Number(b);
  return Math.abs(x - y) <= tolerance * Math.max(Math.abs(x), Math.abs(y));
}

function sameValue(dim: IdentityDimension, a: string, b: string): boolean {
  if (a === b) return true;
  const tol = TOLERANCE[dim];
  if (tol !== undefined) return numericMatch(a, b, tol);
  // A code written with a prefix or suffix the other lacks (`sm-a2392j` in one, `a2392j` in the other).
  if (dim === 'model') return a.length >= 4 && b.length >= 4 && (a.includes(b) || b.includes(a));
  return false;
}

/** Two model codes that look like versions of one another (`ta19865` / `ta19866`, `wh1000xm4` / `wh1000xm5`). */
function similarCodes(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  if (a.replace(/\d/g, '') !== b.replace(/\d/g, '') && editDistance(a, b) > 1) return false;
  return editDistance(a, b) <= 2;
}

function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length];
}

function unmatched(dim: IdentityDimension, values: Set<string>, other: Set<string>): string[] {
  const out: string[] = [];
  for (const v of values) {
    let hit = false;
    for (const w of other) if (sameValue(dim, v, w)) hit = true;
    if (!hit) out.push(v);
  }
  return out;
}

/**
 * The first identity dimension where `actual` contradicts `expected`: a value of `actual` that `expected` does not
 * have stands where `expected` has a value `actual` lacks (a token was changed, not added or left out). Model
 * codes must moreover look like versions of each other, since titles add codes of their own.
 */
export function identityConflict(
  expected: IdentityTokens,
  actual: IdentityTokens,
): { dimension: IdentityDimension; expected: string[]; actual: string[] } | null {
  for (const [dim, values] of actual) {
    const want = expected.get(dim);
    if (!want || want.size === 0) continue;
    const extra = unmatched(dim, values, want);
    if (extra.length === 0) continue;
    const lacking = unmatched(dim, want, values);
    if (lacking.length === 0) continue;
    if (dim === 'model' && !extra.some((v) => lacking.some((w) => similarCodes(v, w)))) continue;
    return { dimension: dim, expected: [...want], actual: [...values] };
  }
  return null;
}
