/**
 * Brands: a display form (normalized text, trademark marks removed) and a canonical key for comparison
 * (`Kettle & Co.` / `KETTLE AND CO` / `kettle&co` -> `kettleandco`; `L'Oréal` / `LOREAL` -> `loreal`).
 */
import { decodeEntities } from './html.js';
import { normalizeText } from './text.js';

const MARKS = /[\u2122\u2120\u00ae\u00a9]|\((?:tm|r|c)\)/gi;
const AMPERSAND = /\s*(?:&|\+)\s*/g;
const COMBINING = /\p{M}+/gu;
const NOT_WORD = /[^\p{L}\p{N}]+/gu;
/** Company-form words that brands carry in some channels and not in others; dropped at the end only. */
const LEGAL_SUFFIX =
  /\s+(?:inc|incorporated|llc|ltd|limited|gmbh|corp|corporation|co kg|s ?a|s ?r ?l|b ?v|plc|pty ltd)$/i;
const DOTS = /\./g;
const HAS_ENTITY = /&(?:[a-z]+|#\d+|#x[0-9a-f]+);/i;

/** Brand as shown: `Brightline™` -> `Brightline`, entities decoded, whitespace collapsed. */
export function brandDisplay(input: string | null | undefined): string | null {
  if (input == null) return null;
  let s = HAS_ENTITY.test(input) ? decodeEntities(input) : input;
  s = s.replace(MARKS, ' ');
  return normalizeText(s);
}

/** Canonical brand key, or null when nothing is left. */
export function brandKey(input: string | null | undefined): string | null {
  const display = brandDisplay(input);
  if (display === null) return null;
  let s = display.toUpperCase().toLowerCase();
  s = s.replace(AMPERSAND, ' and ').replace(DOTS, '');
  const withoutSuffix = s.replace(LEGAL_SUFFIX, '');
  if (withoutSuffix.trim().length > 0) s = withoutSuffix;
  s = s.normalize('NFD').replace(COMBINING, '').replace(NOT_WORD, '');
  return s.length === 0 ? null : s;
}
