/**
 * Cells of the files Concord writes, for two kinds of reader (DESIGN.md "Formats it reads": CSV exports escape
 * formula injection).
 *
 * - Files for spreadsheets (`concord gaps --format csv`, `concord export matches`, the table export, the
 *   spreadsheet-safe copy of a fix list): a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return would
 *   be run as a formula by Excel, LibreOffice or Google Sheets; it gets a leading apostrophe, which those programs
 *   read as "text" and do not show.
 * - Fix lists for upload: Google and Amazon read the feed file directly, Shopify and WooCommerce import the CSV as
 *   data, so an apostrophe would be published as part of the value (a title `-20% kettle` as `'-20% kettle`). Their
 *   values are written exactly; `runsAsFormula` counts the cells a spreadsheet would run, so the user is warned.
 */

/** How a file's cells are written: exactly as the value (uploads), or formula-safe (spreadsheets). */
export type CellEscaping = 'exact' | 'spreadsheet';

const FORMULA_START = /^[=+\-@\t\r]/;
const CSV_SPECIAL = /[",\r\n]/;
const TSV_BREAK = /[\t\r\n]/;
const TSV_BREAKS = /[\t\r\n]+/g;

/** True when a spreadsheet opening the file would read this cell as a formula. */
export function runsAsFormula(value: string): boolean {
  return FORMULA_START.test(value);
}

/** The value with a leading apostrophe when a spreadsheet would read it as a formula. */
export function formulaSafe(value: string): string {
  return runsAsFormula(value) ? `'${value}` : value;
}

function quoteCsv(value: string): string {
  return CSV_SPECIAL.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** A CSV cell for a spreadsheet (RFC 4180): formula-safe, quoted when it holds a comma, a quote or a line break. */
export function csvCell(value: string): string {
  return quoteCsv(formulaSafe(value));
}

/**
 * A TSV cell as channel uploads (Google supplemental feeds, Amazon flat files) take them: tabs and line breaks
 * (which a TSV cell cannot hold) turned into one space; a value that would start with a double quote is quoted so
 * quote-aware readers keep it; formula-safe when `escaping` says so.
 */
export function tsvCell(value: string, escaping: CellEscaping): string {
  let v = tsvValue(value);
  if (escaping === 'spreadsheet') v = formulaSafe(v);
  return v.startsWith('"') ? `"${v.replace(/"/g, '""')}"` : v;
}

/** The value a TSV cell can hold: tabs and line breaks as one space. */
export function tsvValue(value: string): string {
  return TSV_BREAK.test(value) ? value.replace(TSV_BREAKS, ' ') : value;
}

/** One CSV line (LF-terminated). */
export function csvLine(cells: readonly string[], escaping: CellEscaping): string {
  const cell = escaping === 'spreadsheet' ? csvCell : quoteCsv;
  return cells.map(cell).join(',') + '\n';
}

/** One TSV line (LF-terminated). */
export function tsvLine(cells: readonly string[], escaping: CellEscaping): string {
  return cells.map((c) => tsvCell(c, escaping)).join('\t') + '\n';
}
