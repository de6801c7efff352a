/**
 * Synthetic product titles for the encoder's tests and benchmark: products in families that differ only by an
 * identity token (capacity, size, colour, model code — the hard negatives), each listed on a few channels with
 * the wording drift channels show (abbreviations, order, unit spacing, suffixes, case). Deterministic per seed.
 */
import { Rng } from './rng.js';

export interface SyntheticProduct {
  /** One title per channel listing (the first is the canonical wording). */
  titles: string[];
  family: number;
}

const BRANDS = [
  'Acme',
  'Northwind',
  'Sandisk',
  'Kingstone',
  'Sonora',
  'Boschen',
  'Philon',
  'Tefalo',
  'Nordica',
  'Vertex',
  'Lumina',
  'Orbis',
  'Zentro',
  'Kairo',
  'Helix',
  'Polaris',
  'Quanta',
  'Rivet',
  'Solace',
  'Tundra',
  'Umbra',
  'Velox',
  'Wexford',
  'Xeno',
  'Yarrow',
  'Zephyr',
  'Aurora',
  'Brio',
  'Cobalt',
  'Delta',
  'Ember',
  'Fjord',
];
const COLORS = ['Black', 'White', 'Silver', 'Blue', 'Red', 'Green', 'Grey', 'Rose Gold', 'Navy', 'Beige'];
const LINES = [
  'Ultra',
  'Pro',
  'Max',
  'Lite',
  'Plus',
  'Air',
  'Prime',
  'Elite',
  'Core',
  'Edge',
  'Flex',
  'Nova',
];
const SIZES = ['XS', 'S', 'M', 'L', 'XL', 'XXL'];

interface Template {
  words: string;
  variants: (rng: Rng) => string[][];
}

function code(rng: Rng): string {
  const letters = 'ABCDEFGHJKLMNPRSTUVWXZ';
  const l = () => letters[rng.int(letters.length)];
  const digits = String(100 + rng.int(9900));
  return rng.chance(0.5)
    ? `${l()}${l()}-${digits}${rng.chance(0.5) ? l() : ''}`
    : `${l()}${digits}${l()}${rng.int(10)}`;
}

const TEMPLATES: Template[] = [
  {
    words: '{brand} {line} {cap} microSDXC Memory Card with Adapter',
    variants: () => ['32GB', '64GB', '128GB', '256GB', '512GB', '1TB'].map((c) => [c]),
  },
  {
    words: '{brand} {code} Wireless Noise Cancelling Over-Ear Headphones {color}',
    variants: (rng) => COLORS.slice(0, 2 + rng.int(3)).map((c) => [c]),
  },
  {
    words: "{brand} Men's Organic Cotton Crew Neck T-Shirt {color} {size}",
    variants: (rng) => SIZES.flatMap((s) => COLORS.slice(0, 1 + rng.int(3)).map((c) => [c, s])),
  },
  {
    words: '{brand} {vol} Stainless Steel Electric Kettle {code} {color}',
    variants: (rng) => ['1.5L', '1.7L'].flatMap((v) => COLORS.slice(0, 1 + rng.int(2)).map((c) => [v, c])),
  },
  {
    words: '{brand} {line} {n} {cap} {color} Unlocked Smartphone',
    variants: (rng) =>
      ['128GB', '256GB', '512GB'].flatMap((c) => COLORS.slice(0, 1 + rng.int(3)).map((col) => [c, col])),
  },
  {
    words: '{brand} Extra Virgin Olive Oil {ml} Bottle',
    variants: () => ['250ml', '500ml', '750ml', '1L'].map((v) => [v]),
  },
  {
    words: "{brand} {line} Women's Running Shoes Size {shoe} {color}",
    variants: (rng) =>
      ['6', '7', '8', '9', '10'].flatMap((s) => COLORS.slice(0, 1 + rng.int(2)).map((c) => [s, c])),
  },
  {
    words: '{brand} {line} {screen} inch Laptop {ram} RAM {cap} SSD {code}',
    variants: () => ['8GB', '16GB', '32GB'].flatMap((r) => ['256GB', '512GB', '1TB'].map((c) => [r, c])),
  },
  {
    words: '{brand} Cordless Drill Driver {volt} {code} with 2 Batteries',
    variants: () => ['12V', '18V', '20V'].map((v) => [v]),
  },
  {
    words: '{brand} Dark Chocolate Bar {pct} Cocoa {g} Pack of {count}',
    variants: () => ['70%', '85%'].flatMap((p) => ['6', '12'].map((c) => [p, c])),
  },
];

function fill(t: Template, rng: Rng, brand: string, values: string[]): string {
  const fixed: Record<string, string> = {
    brand,
    line: rng.pick(LINES),
    code: code(rng),
    n: String(5 + rng.int(20)),
    screen: rng.pick(['13.3', '14', '15.6', '16']),
    g: rng.pick(['100g', '80g']),
  };
  let i = 0;
  const order = t.words.match(/\{(\w+)\}/g) ?? [];
  const slots = order.map((m) => m.slice(1, -1)).filter((k) => !(k in fixed));
  const byName: Record<string, string> = {};
  for (const k of slots) byName[k] = values[i++] ?? '';
  return t.words.replace(/\{(\w+)\}/g, (_, k: string) => fixed[k] ?? byName[k] ?? '');
}

const REWRITES: Array<[RegExp, string[]]> = [
  [/\bNoise Cancelling\b/, ['NC', 'Noise-Canceling']],
  [/\bWireless\b/, ['Bluetooth', 'BT']],
  [/\bStainless Steel\b/, ['Stainless', 'S/Steel']],
  [/\bMen's\b/, ['Mens', 'Men']],
  [/\bWomen's\b/, ['Womens', 'Women']],
  [/\bT-Shirt\b/, ['Tee', 'T Shirt', 'Tshirt']],
  [/\bMemory Card\b/, ['Card', 'Flash Memory Card']],
  [/\bSmartphone\b/, ['Phone', 'Smart Phone']],
  [/\bExtra Virgin Olive Oil\b/, ['EVOO', 'Extra-Virgin Olive Oil']],
  [/\bOver-Ear\b/, ['Over Ear']],
  [/\bRunning Shoes\b/, ['Runners', 'Running Trainers']],
  [/\bwith\b/, ['w/']],
  [/\bCordless\b/, ['Cord-Free']],
];
const SUFFIXES = [' - Free Shipping', ' | Free Returns', ' (Genuine)', ' - Official Store', ''];

/** A channel's wording of a canonical title: never changes an identity token's value. */
export function channelTitle(title: string, rng: Rng): string {
  let t = title;
  for (const [re, alts] of REWRITES) if (re.test(t) && rng.chance(0.4)) t = t.replace(re, rng.pick(alts));
  t = t.replace(/\b(\d+(?:\.\d+)?)(GB|TB|ml|L|V|g)\b/g, (m, n: string, u: string) =>
    rng.chance(0.3) ? `${n} ${u}` : m,
  );
  if (rng.chance(0.3)) {
    const parts = t.split(' ');
    parts.push(parts.shift()!);
    t = parts.join(' ');
  }
  if (rng.chance(0.3)) t = t + rng.pick(SUFFIXES);
  if (rng.chance(0.15)) t = t.toUpperCase();
  return t;
}

/** `count` products (about), in families of variants, each with `channels` titles. */
export function syntheticProducts(count: number, seed = 1, channels = 3): SyntheticProduct[] {
  const rng = new Rng(seed);
  const out: SyntheticProduct[] = [];
  let family = 0;
  while (out.length < count) {
    const t = rng.pick(TEMPLATES);
    const brand = rng.pick(BRANDS);
    const famRng = new Rng(rng.u32());
    const variants = t.variants(famRng);
    const base = famRng.u32();
    for (const v of variants) {
      if (out.length >= count) break;
      const canonical = fill(t, new Rng(base), brand, v);
      const titles = [canonical];
      for (let c = 1; c < channels; c++) titles.push(channelTitle(canonical, rng));
      out.push({ titles, family });
    }
    family++;
  }
  return out;
}

/** Just titles: the canonical wording of `count` products. */
export function syntheticTitles(count: number, seed = 1): string[] {
  return syntheticProducts(count, seed, 1).map((p) => p.titles[0]);
}
