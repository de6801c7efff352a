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
const CRLF = /\r\n?/g;
const NEWLINE_RUNS = /\s*\n\s*/g;
const HORIZONTAL_WS_RUN = /[^\S\n]+/g;

/** Characters below U+0250 that NFKC leaves unchanged (computed once); anything else may change. */
const NFKC_STABLE = new Uint8Array(0x250);
for (let c = 0; c < 0x250; c++) {
  const ch = String.fromCharCode(c);
  NFKC_STABLE[c] = ch.normalize('NFKC') === ch ? 1 : 0;
}

const NEEDS_NFKC = 1;
const HAS_INVISIBLE = 2;

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** One pass over the string: does it need NFKC, does it hold invisible characters or trademark marks? */
function scan(s: string): number {
  if (PRINTABLE_ASCII.test(s)) return 0;
  let flags = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c < 0x7f) continue;
    if (c < 0x20) {
      if (c !== 9 && c !== 10 && c !== 13 && c !== 12) flags |= HAS_INVISIBLE;
    } else if (c < 0x250) {
      if ((c >= 0x7f && c <= 0x9f) || c === 0xad) flags |= HAS_INVISIBLE;
      else if (NFKC_STABLE[c] === 0) flags |= NEEDS_NFKC;
    } else if ((c >= 0x200b && c <= 0x200d) || c === 0x2060 || c === 0xfeff || c === 0x2122 || c === 0x2120) {
      flags |= HAS_INVISIBLE | NEEDS_NFKC;
    } else {
      flags |= NEEDS_NFKC;
    }
    if (flags === (NEEDS_NFKC | HAS_INVISIBLE)) break;
  }
  return flags;
}

function clean(s: string, flags: number): string {
  let t = s;
  if ((flags & HAS_INVISIBLE) !== 0) t = t.replace(INVISIBLE, '').replace(TRADEMARK_MARKS, '');
  if ((flags & NEEDS_NFKC) !== 0) t = t.normalize('NFKC');
  return t;
}

/** Unicode NFKC, skipping the work when nothing would change (ASCII, most Latin-1 text). */
export function nfkc(s: string): string {
  return (scan(s) & NEEDS_NFKC) !== 0 ? s.normalize('NFKC') : s;
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
  const t = clean(s, scan(s)).replace(WHITESPACE_RUN, ' ').trim();
  return t.length === 0 ? null : t;
}

/**
 * Like normalizeText but keeps line structure: runs of spaces/tabs become one space, and any run of
 * whitespace containing a line break becomes a single "\n". For descriptions.
 */
export function normalizeMultiline(s: string | null | undefined): string | null {
  if (s == null || s.length === 0) return null;
  if (CLEAN_ASCII.test(s)) return s;
  let t = clean(s, scan(s));
  if (t.indexOf('\r') !== -1) t = t.replace(CRLF, '\n');
  t = t.replace(HORIZONTAL_WS_RUN, ' ');
  if (t.indexOf('\n') !== -1) t = t.replace(NEWLINE_RUNS, '\n');
  t = t.trim();
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
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13 && c !== 11 && c !== 12 && c !== 160 && c !== 0xfeff)
      return false;
  }
  return true;
}

/** Trimmed cell or null when blank: for identifiers, which are kept verbatim apart from outer spaces. */
export function cleanId(s: string | null | undefined): string | null {
  if (s == null || s.length === 0) return null;
  const t = (scan(s) & HAS_INVISIBLE) !== 0 ? s.replace(INVISIBLE, '').trim() : s.trim();
  return t.length === 0 ? null : t;
}
