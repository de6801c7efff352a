/**
 * Noisy views of a product title for self-supervised training: the drift channels show (DESIGN.md "Gaps":
 * wording, order, units written differently, suffixes) but never a changed identity token. Tokens with a digit
 * (model codes, capacities, sizes) are never dropped or misspelt, so the encoder learns to rely on them.
 */
import type { Rng } from './rng.js';

const UNIT_TOKEN = /^(\d+(?:[.,]\d+)?)[-\s]?([a-z]{1,5})$/i;
const NUMBER = /^\d+(?:[.,]\d+)?$/;
const SHORT_UNIT = /^(?:gb|tb|mb|ml|l|g|kg|mg|oz|lb|lbs|mm|cm|m|w|v|mah|hz|ghz|inch|pack|pk|pcs|ct)$/i;
const HAS_DIGIT = /\d/;
/** Kept like identity tokens: digits, or short tokens such as sizes ("M", "XL"). */
const isIdentity = (t: string): boolean => t.length <= 2 || HAS_DIGIT.test(t);

const SUFFIXES = [
  '- Free Shipping',
  '| Official Store',
  'New',
  '(Genuine)',
  '- Fast Delivery',
  'Sale',
  '2-Day Delivery',
  'Gift Idea',
];

function unitDrift(token: string, rng: Rng): string {
  const m = UNIT_TOKEN.exec(token);
  if (!m || !SHORT_UNIT.test(m[2])) return token;
  const [, num, unit] = m;
  const u = rng.chance(0.5) ? unit.toUpperCase() : unit.toLowerCase();
  switch (rng.int(3)) {
    case 0:
      return `${num}${u}`;
    case 1:
      return `${num} ${u}`;
    default:
      return `${num}-${u}`;
  }
}

function typo(word: string, rng: Rng): string {
  if (word.length < 4) return word;
  const i = 1 + rng.int(word.length - 2);
  switch (rng.int(3)) {
    case 0:
      return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
    case 1:
      return word.slice(0, i) + word.slice(i + 1);
    default:
      return word.slice(0, i) + word[i] + word.slice(i);
  }
}

/**
 * A noisy view of `title`. `strength` 0..1 scales every rate (0 returns the title's tokens unchanged, apart
 * from whitespace).
 */
export function noisyView(title: string, rng: Rng, strength = 1): string {
  let tokens = title.split(/\s+/).filter((t) => t.length > 0);
  if (tokens.length === 0) return title;
  // a number and its unit written apart ("16 GB") may join, and a joined one may split (unitDrift)
  const merged: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const next = tokens[i + 1];
    if (next !== undefined && NUMBER.test(t) && SHORT_UNIT.test(next) && rng.chance(0.5 * strength)) {
      merged.push(`${t}${next}`);
      i++;
    } else merged.push(t);
  }
  tokens = merged.map((t) => (rng.chance(0.5 * strength) ? unitDrift(t, rng) : t));

  // token dropout on plain words, keeping at least half of them
  const plain = tokens.filter((t) => !isIdentity(t)).length;
  let dropped = 0;
  tokens = tokens.filter((t) => {
    if (isIdentity(t) || dropped * 2 >= plain - 1) return true;
    if (rng.chance(0.15 * strength)) {
      dropped++;
      return false;
    }
    return true;
  });

  // one misspelt plain word
  if (rng.chance(0.3 * strength)) {
    const i = rng.int(tokens.length);
    if (!isIdentity(tokens[i])) tokens[i] = typo(tokens[i], rng);
  }
  // hyphens in model codes come and go
  for (let i = 0; i < tokens.length; i++) {
    if (HAS_DIGIT.test(tokens[i]) && tokens[i].includes('-') && rng.chance(0.3 * strength))
      tokens[i] = tokens[i].replace(/-/g, '');
  }
  // word order: swap two tokens, or move the first (often the brand) to the end
  if (tokens.length > 2 && rng.chance(0.3 * strength)) {
    const i = rng.int(tokens.length);
    const j = rng.int(tokens.length);
    [tokens[i], tokens[j]] = [tokens[j], tokens[i]];
  }
  if (tokens.length > 2 && rng.chance(0.15 * strength)) tokens.push(tokens.shift()!);
  if (rng.chance(0.15 * strength)) tokens.push(rng.pick(SUFFIXES));
  if (rng.chance(0.2 * strength))
    tokens = tokens.map((t) => (rng.chance(0.5) ? t.toLowerCase() : t.toUpperCase()));
  return tokens.join(' ');
}
