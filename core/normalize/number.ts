/**
 * Locale-tolerant decimal numbers as merchants' exports write them: `1,299.00`, `1.299,00`, `12,99`,
 * `1 299,00`, `1'299.50`. Shared by prices and measures. No floats on the way for prices: the result
 * is the integer digits and the fraction digits as strings.
 */

export interface DecimalParts {
  /** Integer digits without grouping, no sign, at least one digit. */
  int: string;
  /** Fraction digits ('' when none). */
  frac: string;
  negative: boolean;
  /** The decimal separator was a comma. */
  decimalComma: boolean;
}

export interface DecimalOptions {
  /** How to read a single separator followed by exactly three digits (`1,299`, `1.500`):
   * 'group' = thousands separator, 'decimal' = decimal separator, 'dot-decimal' = a dot is decimal, a comma groups. */
  threeDigits: 'group' | 'decimal' | 'dot-decimal';
}

const DEFAULT_OPTIONS: DecimalOptions = { threeDigits: 'group' };
const GROUP_SEPARATOR = /[., ]/;
const DIGITS = /\d/g;

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Grouping separators merchants use besides '.' and ',': space, NBSP, narrow NBSP, apostrophes. */
function isGroupSpace(c: number): boolean {
  return c === 32 || c === 160 || c === 0x202f || c === 39 || c === 0x2019;
}

/** Checks `1,234,567`-style grouping: first group 1..3 digits, the rest exactly 3. */
function validGrouping(groups: string[]): boolean {
  if (groups.length === 0) return false;
  const first = groups[0];
  if (first.length < 1 || first.length > 3) return false;
  for (let i = 1; i < groups.length; i++) if (groups[i].length !== 3) return false;
  return true;
}

function allDigits(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) if (!isDigit(s.charCodeAt(i))) return false;
  return true;
}

/**
 * Splits a number string into integer and fraction digits. Returns null for anything that is not one
 * plain number (letters, several numbers, bad grouping like `15.00.00`, exponents like `1.5E+3`).
 */
export function parseDecimalParts(
  input: string,
  options: DecimalOptions = DEFAULT_OPTIONS,
): DecimalParts | null {
  let s = input.trim();
  if (s.length === 0) return null;
  let negative = false;
  const c0 = s.charCodeAt(0);
  if (c0 === 45 || c0 === 0x2212 || c0 === 43) {
    negative = c0 !== 43;
    s = s.slice(1).trimStart();
  }
  if (s.length === 0) return null;

  // Remove space/apostrophe grouping, which only ever sits between digits.
  let compact = '';
  let dots = 0;
  let commas = 0;
  let lastDot = -1;
  let lastComma = -1;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (isDigit(c)) {
      compact += s[i];
    } else if (c === 46) {
      lastDot = compact.length;
      dots++;
      compact += '.';
    } else if (c === 44) {
      lastComma = compact.length;
      commas++;
      compact += ',';
    } else if (isGroupSpace(c)) {
      if (i === 0 || i === s.length - 1 || !isDigit(s.charCodeAt(i - 1)) || !isDigit(s.charCodeAt(i + 1)))
        return null;
      compact += ' ';
    } else {
      return null;
    }
  }

  let decimalSep = '';
  if (dots > 0 && commas > 0) {
    decimalSep = lastDot > lastComma ? '.' : ',';
    if ((decimalSep === '.' ? dots : commas) !== 1) return null;
  } else if (dots + commas === 1) {
    const sepAt = dots === 1 ? lastDot : lastComma;
    const after = compact.length - sepAt - 1;
    const before = compact.slice(0, sepAt);
    const sep = dots === 1 ? '.' : ',';
    const mode = options.threeDigits;
    const groupThree =
      after === 3 && before.length > 0 && before !== '0' && !before.includes(' ') && before.length <= 3
        ? mode === 'group' || (mode === 'dot-decimal' && sep === ',')
        : false;
    decimalSep = groupThree ? '' : sep;
  } else if (dots + commas > 1) {
    decimalSep = ''; // only grouping: 1,299,000 or 1.299.000
  }

  let intPart: string;
  let frac: string;
  if (decimalSep === '') {
    intPart = compact;
    frac = '';
  } else {
    const at = compact.lastIndexOf(decimalSep);
    intPart = compact.slice(0, at);
    frac = compact.slice(at + 1);
    if (!allDigits(frac)) return null;
  }
  if (intPart.length === 0) {
    intPart = '0';
  } else if (!allDigits(intPart)) {
    const groups = intPart.split(GROUP_SEPARATOR);
    const seps = intPart.replace(DIGITS, '');
    // one kind of grouping separator only
    for (let i = 1; i < seps.length; i++) if (seps[i] !== seps[0]) return null;
    if (seps[0] === decimalSep) return null;
    if (!validGrouping(groups) || !groups.every(allDigits)) return null;
    intPart = groups.join('');
  }
  if (decimalSep !== '' && frac.length === 0) return null;
  return { int: intPart, frac, negative, decimalComma: decimalSep === ',' };
}

/** A plain JS number from a locale-tolerant string (for weights, stock), or null. */
export function parseDecimal(input: string, options: DecimalOptions = DEFAULT_OPTIONS): number | null {
  const p = parseDecimalParts(input, options);
  if (p === null) return null;
  const v = Number(p.frac.length > 0 ? `${p.int}.${p.frac}` : p.int);
  if (!Number.isFinite(v)) return null;
  return p.negative ? -v : v;
}

/**
 * Integer and fraction digits to an integer count of 10^-digits units, rounding half up.
 * Null when the result is not a safe integer.
 */
export function toScaledInteger(int: string, frac: string, digits: number): number | null {
  const kept = frac.length >= digits ? frac.slice(0, digits) : frac.padEnd(digits, '0');
  let n = Number(int + kept);
  if (frac.length > digits && frac.charCodeAt(digits) >= 53) n += 1;
  return Number.isSafeInteger(n) ? n : null;
}
