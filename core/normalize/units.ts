/**
 * Weights, lengths and volumes to SI base units used across Concord: grams, millimetres, millilitres
 * (DESIGN.md "Normalization"), with the original text kept. `16GB` or `30 x 20 cm` are not a measure.
 */
import { nfkc } from './text.js';
import { parseDecimalParts } from './number.js';

export type SiUnit = 'g' | 'mm' | 'ml';

export interface Measure {
  /** Value in `unit`, rounded to 3 decimals (0.001 g / mm / ml). */
  value: number;
  unit: SiUnit;
  /** The text as given. */
  original: string;
  /** The number used a decimal comma (`1,5 l`). */
  decimalComma: boolean;
}

interface UnitDef {
  si: SiUnit;
  factor: number;
}

const G: SiUnit = 'g';
const MM: SiUnit = 'mm';
const ML: SiUnit = 'ml';

/** Unit spellings after lower-casing and removing dots and spaces (`fl. oz` -> `floz`). */
const UNITS = new Map<string, UnitDef>();
function def(si: SiUnit, factor: number, names: string): void {
  for (const n of names.split(' ')) UNITS.set(n, { si, factor });
}
def(G, 1, 'g gr grs gram grams gramm gramme grammes');
def(G, 1000, 'kg kgs kilo kilos kilogram kilograms kilogramm kilogramme kilogrammes');
def(G, 0.001, 'mg milligram milligrams');
def(G, 28.349523125, 'oz ozs ounce ounces');
def(G, 453.59237, 'lb lbs pound pounds #');
def(G, 1_000_000, 't tonne tonnes');
def(MM, 1, 'mm millimeter millimeters millimetre millimetres');
def(MM, 10, 'cm centimeter centimeters centimetre centimetres');
def(MM, 1000, 'm meter meters metre metres');
def(MM, 25.4, "in inch inches \" ′′ '' ″");
def(MM, 304.8, "ft foot feet ' ′");
def(MM, 914.4, 'yd yard yards');
def(ML, 1, 'ml milliliter milliliters millilitre millilitres cc cm3 cm³');
def(ML, 10, 'cl centiliter centiliters centilitre centilitres');
def(ML, 100, 'dl deciliter deciliters decilitre decilitres');
def(ML, 1000, 'l lt ltr ltrs liter liters litre litres');
def(ML, 29.5735295625, 'floz fluidounce fluidounces');
def(ML, 3785.411784, 'gal gallon gallons');
def(ML, 946.352946, 'qt quart quarts');
def(ML, 473.176473, 'pt pint pints');

/** `<number><unit>` with optional space; the number part is validated by parseDecimalParts. */
const MEASURE_SHAPE = /^(\d[\d.,]*|[.,]\d+)\s*([^\d\s.,].*?)\.?$/;
const DOTS_AND_SPACES = /[.\s]+/g;
const HEADER_UNIT = /\(\s*([^()]+?)\s*\)\s*$/;

function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}

function unitDef(token: string): UnitDef | undefined {
  const key = token.toLowerCase();
  return UNITS.get(key) ?? UNITS.get(key.replace(DOTS_AND_SPACES, ''));
}

/** The SI unit and the factor to it of a unit name (any spelling above), or null when unknown (`gb`, `pcs`). */
export function unitFactor(unit: string): { si: SiUnit; factor: number } | null {
  return unitDef(nfkc(unit).trim()) ?? null;
}

/** The SI unit a unit name converts to, or null when unknown (`gb`, `pcs`). */
export function siUnitOf(unit: string): SiUnit | null {
  return unitDef(nfkc(unit).trim())?.si ?? null;
}

/** Converts `value` in `unit` (any spelling above) to its SI unit; null when the unit is unknown. */
export function toSi(value: number, unit: string): { value: number; unit: SiUnit } | null {
  const d = unitDef(nfkc(unit).trim());
  if (d === undefined || !Number.isFinite(value)) return null;
  return { value: round3(value * d.factor), unit: d.si };
}

/** Converts a number in a weight unit (Shopify `Variant Weight Unit`: g, kg, lb, oz) to grams. */
export function toGrams(value: number, unit: string): number | null {
  const r = toSi(value, unit);
  return r !== null && r.unit === 'g' ? r.value : null;
}

/**
 * Parses `0.35 kg`, `350 g`, `12 oz`, `1.2 lb`, `500ml`, `1,5 l`, `30 cm`, `2"`, `12 fl oz`.
 * A bare number is read in `defaultUnit` when given. Null for anything else.
 */
export function parseMeasure(input: string | null | undefined, defaultUnit?: string): Measure | null {
  if (input == null) return null;
  const original = input;
  const s = nfkc(input).trim();
  if (s.length === 0) return null;
  let numText: string;
  let unitText: string;
  const m = MEASURE_SHAPE.exec(s);
  if (m !== null) {
    numText = m[1];
    unitText = m[2];
  } else if (defaultUnit !== undefined) {
    numText = s;
    unitText = defaultUnit;
  } else {
    return null;
  }
  const d = unitDef(unitText.trim());
  if (d === undefined) return null;
  // `1,004 kg` is a decimal comma (nobody groups thousands of kilograms); `1,500 g` groups thousands of grams.
  const large = d.factor >= 100;
  const parts = parseDecimalParts(numText, { threeDigits: large ? 'decimal' : 'dot-decimal' });
  if (parts === null || parts.negative) return null;
  const v = Number(parts.frac.length > 0 ? `${parts.int}.${parts.frac}` : parts.int);
  if (!Number.isFinite(v)) return null;
  return { value: round3(v * d.factor), unit: d.si, original, decimalComma: parts.decimalComma };
}

/** A weight in grams, or null when the text is not a weight (`16GB`, `30 cm`, junk). */
export function parseWeight(input: string | null | undefined, defaultUnit?: string): Measure | null {
  const m = parseMeasure(input, defaultUnit);
  return m !== null && m.unit === 'g' ? m : null;
}

/** The unit in a header such as WooCommerce `Weight (kg)` / `Weight (lbs)` / `Length (cm)`, or null. */
export function unitFromHeader(header: string): string | null {
  const m = HEADER_UNIT.exec(header);
  if (m === null) return null;
  return unitDef(m[1]) !== undefined ? m[1].toLowerCase() : null;
}
