/**
 * Prices to integer minor units + ISO 4217 currency (DESIGN.md "Normalization").
 * Accepts `15.00 USD`, `USD 15.00`, `$15`, `€ 12,99`, `1.299,00 EUR`, `1,299.00`, `12,99`, `JP¥1,299`,
 * `1,299 JPY`, `1.250 KWD`. A bare `$` is read as USD and `¥` (JPY or CNY) stays unknown, unless the
 * default currency is one of the currencies sharing that symbol. Spreadsheet junk (`#VALUE!`, `=A2*1.2`, `1.5E+3`, `N/A`) and negative
 * amounts give null: the caller warns `unparsed_price`; a decimal comma is reported in the result so the
 * caller can warn `decimal_comma`.
 */
import { nfkc } from './text.js';
import { parseDecimalParts, toScaledInteger } from './number.js';

export interface ParsedPrice {
  /** Amount in minor units of `currency` (or of a 2-digit currency when unknown). */
  minor: number;
  /** ISO 4217 code, or null when the value names none (or an ambiguous one such as `kr`). */
  currency: string | null;
  /** The amount used a decimal comma (`12,99`). */
  decimalComma: boolean;
  /** A currency token that is not an ISO 4217 code nor a known symbol (`15.00 ABC`, `99 kr`). */
  unknownCurrency: string | null;
}

/** Active ISO 4217 codes (plus recently withdrawn ones still found in old exports: HRK, SLL, ZWL). */
const ISO_4217 = new Set(
  (
    'AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BOV BRL BSD BTN BWP BYN BZD ' +
    'CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP ' +
    'GEL GHS GIP GMD GNF GTQ GYD HKD HNL HRK HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW ' +
    'KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD ' +
    'NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE ' +
    'SLL SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD USN UYI UYU UYW UZS VED ' +
    'VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG ZWL'
  ).split(' '),
);

/** Minor-unit digits where ISO 4217 says other than 2. */
const MINOR_DIGITS = new Map<string, number>([
  ...'BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF'
    .split(' ')
    .map((c) => [c, 0] as [string, number]),
  ...'BHD IQD JOD KWD LYD OMR TND'.split(' ').map((c) => [c, 3] as [string, number]),
  ['CLF', 4],
  ['UYW', 4],
]);

/** Symbols and local spellings (upper-cased, after NFKC) -> ISO code; null = known but ambiguous. */
const SYMBOLS = new Map<string, string | null>([
  ['$', 'USD'],
  ['US$', 'USD'],
  ['USD$', 'USD'],
  ['C$', 'CAD'],
  ['CA$', 'CAD'],
  ['CAD$', 'CAD'],
  ['A$', 'AUD'],
  ['AU$', 'AUD'],
  ['NZ$', 'NZD'],
  ['HK$', 'HKD'],
  ['S$', 'SGD'],
  ['R$', 'BRL'],
  ['MX$', 'MXN'],
  ['NT$', 'TWD'],
  ['€', 'EUR'],
  ['EURO', 'EUR'],
  ['EUROS', 'EUR'],
  ['£', 'GBP'],
  ['¥', null],
  ['JP¥', 'JPY'],
  ['円', 'JPY'],
  ['CN¥', 'CNY'],
  ['RMB', 'CNY'],
  ['元', 'CNY'],
  ['₩', 'KRW'],
  ['원', 'KRW'],
  ['₹', 'INR'],
  ['RS.', 'INR'],
  ['₽', 'RUB'],
  ['₺', 'TRY'],
  ['ZŁ', 'PLN'],
  ['KČ', 'CZK'],
  ['FT', 'HUF'],
  ['₫', 'VND'],
  ['฿', 'THB'],
  ['₱', 'PHP'],
  ['₪', 'ILS'],
  ['₴', 'UAH'],
  ['₦', 'NGN'],
  ['FR.', 'CHF'],
  ['SFR.', 'CHF'],
  ['LEI', 'RON'],
  ['KR', null],
  ['KR.', null],
  [',-', null],
]);

/** Symbols several currencies share: a default currency of the family (a feed's or column's) decides. */
const FAMILIES = new Map<string, ReadonlySet<string>>([
  ['$', new Set(['USD', 'CAD', 'AUD', 'NZD', 'HKD', 'SGD', 'MXN', 'TWD', 'ARS', 'CLP', 'COP'])],
  ['¥', new Set(['JPY', 'CNY'])],
  ['KR', new Set(['SEK', 'NOK', 'DKK', 'ISK'])],
  ['KR.', new Set(['SEK', 'NOK', 'DKK', 'ISK'])],
]);

/** Leading token, number, trailing token. The number part is checked by parseDecimalParts. */
const PRICE_SHAPE = /^([^\d.,+\-−]*?)\s*([+\-−]?\s*(?:\d[\d.,'’\s\u00a0\u202f]*|[.,]\d+))\s*(.*?)$/;
/** German/Scandinavian whole amounts: `15,-` or `15,–`. */
const WHOLE_DASH = /(\d)[.,][-–—](?!\d)/;
const ISO_SHAPE = /^[A-Z]{3}$/;
/** The common cases, `24.00` / `1299` / `15.00 USD`: no grouping, dot decimal, maybe an ISO code after. */
const PLAIN_AMOUNT = /^(\d{1,15})(?:\.(\d{1,6}))?(?: ([A-Z]{3}))?$/;

export function isCurrencyCode(code: string): boolean {
  return ISO_4217.has(code);
}

/** ISO 4217 minor-unit digits (JPY 0, KWD 3, most 2). */
export function currencyMinorDigits(code: string | null | undefined): number {
  if (code == null) return 2;
  return MINOR_DIGITS.get(code) ?? 2;
}

/** Reads a currency token: ISO code (any case) or symbol. `undefined` = not a currency token at all. */
export function currencyFromToken(token: string): { code: string | null; known: boolean } | undefined {
  const t = token.trim().toUpperCase();
  if (t.length === 0) return undefined;
  if (ISO_SHAPE.test(t)) return { code: ISO_4217.has(t) ? t : null, known: ISO_4217.has(t) };
  const sym = SYMBOLS.get(t);
  if (sym !== undefined) return { code: sym, known: sym !== null };
  return undefined;
}

/** Normalizes a currency cell (`usd`, `€`, ` EUR `) to an ISO code, or null. */
export function normalizeCurrency(s: string | null | undefined): string | null {
  if (s == null) return null;
  const r = currencyFromToken(nfkc(s));
  return r?.code ?? null;
}

function isJunkStart(c: number): boolean {
  // '#' (#VALUE!, #N/A), '=' (formula), '@' (Lotus-style formula)
  return c === 35 || c === 61 || c === 64;
}

/**
 * Parses a price. `defaultCurrency` applies when the value itself names none (a `currency` column).
 * Returns null for blank, junk, negative or unreadable values.
 */
export function parsePrice(
  input: string | null | undefined,
  defaultCurrency: string | null = null,
): ParsedPrice | null {
  if (input == null) return null;
  let s = input.trim();
  if (s.length === 0 || isJunkStart(s.charCodeAt(0))) return null;
  const plain = PLAIN_AMOUNT.exec(s);
  if (plain !== null && (plain[3] === undefined || ISO_4217.has(plain[3]))) {
    const code = plain[3] ?? null;
    const currency = code ?? (defaultCurrency === null ? null : normalizeCurrency(defaultCurrency));
    const digits = currencyMinorDigits(currency);
    // `1.299` without a 3-digit currency is ambiguous (thousands?): the full parser decides
    if (plain[2] === undefined || plain[2].length !== 3 || digits === 3) {
      const minor = toScaledInteger(plain[1], plain[2] ?? '', digits);
      if (minor === null) return null;
      const unknownCurrency =
        code === null && defaultCurrency !== null && currency === null
          ? defaultCurrency.trim() || null
          : null;
      return { minor, currency, decimalComma: false, unknownCurrency };
    }
  }
  s = nfkc(s);
  s = s.replace(WHOLE_DASH, '$1');
  const m = PRICE_SHAPE.exec(s);
  if (m === null) return null;
  const [, pre, num, post] = m;
  if (pre.length > 0 && post.length > 0) return null;
  const token = pre.length > 0 ? pre : post;

  let currency: string | null = null;
  let unknownCurrency: string | null = null;
  if (token.length > 0) {
    const cur = currencyFromToken(token);
    if (cur === undefined) {
      // `1.5E+3`, `15 each`, `15.00 / 2`: not a price we can trust
      return null;
    }
    currency = cur.code;
    const family = FAMILIES.get(token.trim().toUpperCase());
    const preferred = defaultCurrency === null ? null : normalizeCurrency(defaultCurrency);
    if (family !== undefined && preferred !== null && family.has(preferred)) currency = preferred;
    else if (!cur.known) unknownCurrency = token.trim();
  } else if (defaultCurrency !== null) {
    currency = normalizeCurrency(defaultCurrency);
    if (currency === null) unknownCurrency = defaultCurrency.trim() || null;
  }

  const digits = currencyMinorDigits(currency);
  const parts = parseDecimalParts(num, { threeDigits: digits === 3 ? 'decimal' : 'group' });
  if (parts === null || parts.negative) return null;
  const minor = toScaledInteger(parts.int, parts.frac, digits);
  if (minor === null) return null;
  return { minor, currency, decimalComma: parts.decimalComma, unknownCurrency };
}

/** `1999, 'USD'` -> `19.99 USD`; JPY `1299` -> `1299 JPY`. For messages and gap values. */
export function formatMinor(minor: number, currency: string | null): string {
  const digits = currencyMinorDigits(currency);
  const neg = minor < 0;
  const abs = Math.abs(minor).toString();
  let amount: string;
  if (digits === 0) {
    amount = abs;
  } else {
    const padded = abs.padStart(digits + 1, '0');
    amount = `${padded.slice(0, -digits)}.${padded.slice(-digits)}`;
  }
  return `${neg ? '-' : ''}${amount}${currency ? ` ${currency}` : ''}`;
}
