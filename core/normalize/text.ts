/**
 * Text normalization (DESIGN.md "Normalization"): Unicode NFKC, whitespace collapsed, trimmed.
 * `foldForCompare` builds comparison keys; callers keep the original text for display.
 */

/** Printable ASCII words separated by single spaces: NFKC and whitespace collapsing leave it unchanged. */
const CLEAN_ASCII = /^[\x21-\x7e]+(?: [\x21-\x7e]+)*$/;
/** Any run of whitespace, including NBSP and the other Unicode spaces (NFKC maps most to U+0020). */
const WHITESPACE_RUN = /\s+/g;
/** Invisible characters that merchants' tools leave in cells: C0/C1 controls other than whitespace,
 * zero-width space/joiners, word joiner, soft hyphen, BOM. */
// eslint-disable-next-line no-control-regex -- removing control characters is the point
const INVISIBLE = /[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\u00ad\u200b-\u200d\u2060\ufeff]/g;
/** ™ and ℠ turn into letters under NFKC ("Acme™" -> "AcmeTM"); they are marks, not words: drop them. */
const TRADEMARK_MARKS = /[\u2122\u2120]/g;
const NON_ASCII_OR_CONTROL = /[^\x20-\x7e]/;
const CRLF = /\r\n?/g;
const NEWLINE_RUNS = /\s*\n\s*/g;
const HORIZONTAL_WS_RUN = /[^\S\n]+/g;

/** Unicode NFKC, skipping the work for plain ASCII. */
export function nfkc(s: string): string {
  return NON_ASCII_OR_CONTROL.test(s) ? s.normalize('NFKC') : s;
}

/** Collapses every whitespace run to one space and trims. */
export function collapseWhitespace(s: string): string {
  return s.replace(WHITESPACE_RUN, ' ').trim();
}

/**
 * NFKC, invisible characters removed, whitespace collapsed, trimmed. Blank (or null/undefined) -> null.
 * One-line values: titles, brands, option values, tags.
 */
export function normalizeText(s: string | null | undefined): string | null {
  if (s == null || s.length === 0) return null;
  if (CLEAN_ASCII.test(s)) return s;
  let t = s;
  if (NON_ASCII_OR_CONTROL.test(t)) {
    t = t.replace(INVISIBLE, '').replace(TRADEMARK_MARKS, '').normalize('NFKC');
  }
  t = t.replace(WHITESPACE_RUN, ' ').trim();
  return t.length === 0 ? null : t;
}

/**
 * Like normalizeText but keeps line structure: runs of spaces/tabs become one space, and any run of
 * whitespace containing a line break becomes a single "\n". For descriptions.
 */
export function normalizeMultiline(s: string | null | undefined): string | null {
  if (s == null || s.length === 0) return null;
  let t = s;
  if (NON_ASCII_OR_CONTROL.test(t)) {
    t = t.replace(CRLF, '\n').replace(INVISIBLE, '').replace(TRADEMARK_MARKS, '').normalize('NFKC');
  }
  t = t.replace(HORIZONTAL_WS_RUN, ' ').replace(NEWLINE_RUNS, '\n').trim();
  return t.length === 0 ? null : t;
}

/**
 * Comparison key: normalized text, then full case folding (upper then lower maps ß -> ss, ς -> σ,
 * ﬁ -> fi). Blank -> ''. Never shown to users.
 */
export function foldForCompare(s: string | null | undefined): string {
  const t = normalizeText(s);
  if (t === null) return '';
  return t.toUpperCase().toLowerCase();
}

/** True when the cell is missing or only whitespace. */
export function isBlank(s: string | null | undefined): boolean {
  if (s == null || s.length === 0) return true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // space, tab, LF, CR, VT, FF, NBSP, BOM
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13 && c !== 11 && c !== 12 && c !== 160 && c !== 0xfeff) return false;
  }
  return true;
}

/** Trimmed cell or null when blank: for identifiers, which are kept verbatim apart from outer spaces. */
export function cleanId(s: string | null | undefined): string | null {
  if (s == null) return null;
  const t = s.replace(INVISIBLE, '').trim();
  return t.length === 0 ? null : t;
}
