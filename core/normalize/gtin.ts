/**
 * GTIN-8/12/13/14 (EAN-8, UPC-A, EAN-13, ITF-14) validation by check digit and normalization to
 * GTIN-14 (left-padded with zeros), so leading zeros added or dropped give the same GTIN.
 * Excel's scientific notation (`8.71E+12`, `8,71234E+12`) destroyed digits: such a value is `mangled`
 * and kept raw, never "repaired".
 */
import type { GtinStatus } from '../model/record.js';

export interface GtinResult {
  status: GtinStatus;
  /** 14 digits when status is `valid`, else null. */
  gtin: string | null;
  /** The trimmed cell, null when blank. */
  raw: string | null;
}

/** `8.71E+12`, `8,71234E+12`, `8.71234e12`, `8.7123E+012`. */
const SCIENTIFIC = /^[+-]?\d+(?:[.,]\d*)?[eE][+-]?\d+$/;
/** Separators people type inside barcodes: spaces, hyphens, dots are not allowed (a dot means a number). */
const BARCODE_SEPARATORS = /[\s-]+/g;
const ALL_DIGITS = /^\d+$/;
const ALL_ZEROS = /^0+$/;

const ABSENT: GtinResult = Object.freeze({ status: 'absent', gtin: null, raw: null }) as GtinResult;

/** GS1 check digit for the digits before it (any length). */
export function gtinCheckDigit(body: string): number {
  let sum = 0;
  let weight = 3;
  for (let i = body.length - 1; i >= 0; i--) {
    sum += (body.charCodeAt(i) - 48) * weight;
    weight = 4 - weight;
  }
  return (10 - (sum % 10)) % 10;
}

/** True when the last digit is the right check digit for the others. */
export function hasValidCheckDigit(digits: string): boolean {
  if (digits.length < 2 || !ALL_DIGITS.test(digits)) return false;
  return gtinCheckDigit(digits.slice(0, -1)) === digits.charCodeAt(digits.length - 1) - 48;
}

/** True for Excel's scientific rendering of a long number. */
export function isScientificNotation(s: string): boolean {
  return SCIENTIFIC.test(s.trim());
}

/**
 * Validates and normalizes a GTIN cell. Lengths 8..14 are accepted (shorter than 12 covers UPCs and
 * EANs whose leading zeros a spreadsheet dropped); more than 14 digits only when the excess is zeros.
 */
export function normalizeGtin(input: string | null | undefined): GtinResult {
  if (input == null) return ABSENT;
  const raw = input.trim();
  if (raw.length === 0) return ABSENT;
  if (SCIENTIFIC.test(raw)) return { status: 'mangled', gtin: null, raw };
  let digits = raw;
  if (!ALL_DIGITS.test(digits)) {
    digits = digits.replace(BARCODE_SEPARATORS, '');
    if (!ALL_DIGITS.test(digits)) return { status: 'invalid', gtin: null, raw };
  }
  if (digits.length > 14) {
    let cut = 0;
    while (digits.length - cut > 14 && digits.charCodeAt(cut) === 48) cut++;
    digits = digits.slice(cut);
  }
  if (digits.length < 8 || digits.length > 14 || ALL_ZEROS.test(digits))
    return { status: 'invalid', gtin: null, raw };
  const gtin = digits.padStart(14, '0');
  if (!hasValidCheckDigit(gtin)) return { status: 'invalid', gtin: null, raw };
  return { status: 'valid', gtin, raw };
}

/** Converts an ISBN-10 (`0-306-40615-2`, `080442957X`) to its GTIN-14 (978 prefix), or null. */
export function isbn10ToGtin(input: string): string | null {
  const s = input.replace(BARCODE_SEPARATORS, '').toUpperCase();
  if (s.length !== 10) return null;
  let sum = 0;
  for (let i = 0; i < 10; i++) {
    const c = s.charCodeAt(i);
    let v: number;
    if (c >= 48 && c <= 57) v = c - 48;
    else if (i === 9 && c === 88) v = 10;
    else return null;
    sum += v * (10 - i);
  }
  if (sum % 11 !== 0) return null;
  const body = '978' + s.slice(0, 9);
  return ('0' + body + gtinCheckDigit(body)).padStart(14, '0');
}

/** GTIN-14 -> the shortest usual form (GTIN-13, or UPC-A when it starts with 0, or GTIN-8). For display. */
export function displayGtin(gtin14: string): string {
  if (gtin14.startsWith('000000')) return gtin14.slice(6);
  if (gtin14.startsWith('00')) return gtin14.slice(2);
  if (gtin14.startsWith('0')) return gtin14.slice(1);
  return gtin14;
}
