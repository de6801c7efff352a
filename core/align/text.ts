/**
 * Text pieces the matcher compares (DESIGN.md "Alignment", matching): word tokens, model-code tokens
 * (letters mixed with digits, like `lds4821ww` or `mb13-pnk-see-v2`). Everything here is generic: nothing
 * depends on a channel, a data set or an attribute name.
 */

/** A word: a run of letters/digits, with decimal parts kept (`1.3`, `2,5`). */
const WORD = /[\p{L}\p{N}]+(?:[.,]\p{N}+)*/gu;
const HAS_LETTER = /\p{L}/u;
const HAS_DIGIT = /\p{N}/u;
/** Separators that merchants write inside model codes (`dvd-2930ci`, `mb13/pnk`, `kdl.40`). */
const CODE_SEPARATORS = /[-/._+]/g;
/**
 * A number followed by a short unit (`16gb`, `1080p`, `2.4ghz`, `50mm`): a measurement, not a model code. Five
 * digits or more before the letters (`301199u`) make a part number, as they do without letters.
 */
const MEASUREMENT = /^(\p{N}{1,4}(?:[.,]\p{N}+)?)(\p{L}{1,4})$/u;
/** Ordinals and the like (`1st`, `2nd`, `3rd`, `4th`) are not codes either. */
const ORDINAL = /^\p{N}+(?:st|nd|rd|th)$/u;
const NON_ALNUM = /[^\p{L}\p{N}]+/gu;

/** Lower-cased (and NFKC-normalized when needed) comparison form of a value. */
export function fold(s: string): string {
  // eslint-disable-next-line no-control-regex -- ASCII fast path
  return (/^[\x00-\x7f]*$/.test(s) ? s : s.normalize('NFKC')).toLowerCase();
}

/** Word tokens of a value, lower-cased, in order (duplicates kept). */
export function tokenize(s: string): string[] {
  return fold(s).match(WORD) ?? [];
}

/** Letters and digits only, everything else removed: `DVD-2930 CI` -> `dvd2930ci`. For "one contains the other". */
export function squash(s: string): string {
  return fold(s).replace(NON_ALNUM, '');
}

/** True when a (normalized) token looks like a model code: letters and digits mixed, not a measurement. */
export function isCodeLike(token: string): boolean {
  if (token.length < 3 || !HAS_LETTER.test(token) || !HAS_DIGIT.test(token)) return false;
  if (MEASUREMENT.test(token) || ORDINAL.test(token)) return false;
  return true;
}

/**
 * Model-code tokens of a value, normalized (separators removed), without duplicates. A whitespace-separated
 * chunk such as `mb13-pnk-see-v2` yields the whole chunk (`mb13pnkseev2`) and its code-like parts (`mb13`).
 * Long pure digit runs (5+ digits, like `2930` would not be, `10243` would) count too: part numbers often are.
 */
export function modelCodes(s: string): string[] {
  const out = new Set<string>();
  for (const chunk of fold(s).split(/\s+/)) {
    const trimmed = chunk.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
    if (trimmed.length === 0) continue;
    const whole = trimmed.replace(CODE_SEPARATORS, '');
    if (/^[\p{L}\p{N}]+$/u.test(whole) && (isCodeLike(whole) || /^\p{N}{5,}$/u.test(whole))) out.add(whole);
    const parts = trimmed.split(/[^\p{L}\p{N}]+/u);
    if (parts.length > 1) for (const p of parts) if (isCodeLike(p)) out.add(p);
  }
  return [...out];
}
