/**
 * Cells of the files Concord writes for spreadsheets and channel uploads (DESIGN.md "Formats it reads": CSV
 * exports escape formula injection). A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return
 * would be run as a formula by Excel, LibreOffice or Google Sheets; it gets a leading apostrophe, which those
 * programs read as "text" and do not show.
 */

const FORMULA_START = /^[=+\-@\t\r]/;
const CSV_SPECIAL = /[",\r\n]/;
const TSV_BREAK = /[\t\r\n]/;
const TSV_BREAKS = /[\t\r\n]+/g;

/** The value with a leading apostrophe when a spreadsheet would read it as a formula. */
export function formulaSafe(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** Undoes `formulaSafe` (for readers of Concord's own files): `'=A1` -> `=A1`. */
export function unescapeFormula(value: string): string {
  return value.length > 1 && value.charCodeAt(0) === 39 && /^'[=+\-@\t\r ]/.test(value)
    ? value.slice(1)
    : value;
}

/** A CSV cell (RFC 4180): formula-safe, quoted when it holds a comma, a quote or a line break. */
export function csvCell(value: string): string {
  const v = formulaSafe(value);
  return CSV_SPECIAL.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/**
 * A TSV cell as channel uploads (Google supplemental feeds, Amazon flat files) take them: formula-safe, tabs and
 * line breaks (which a TSV cell cannot hold) turned into one space; a value that would start with a double quote
 * is quoted so quote-aware readers keep it.
 */
export function tsvCell(value: string): string {
  let v = formulaSafe(value);
  if (TSV_BREAK.test(v)) v = v.replace(TSV_BREAKS, ' ');
  return v.startsWith('"') ? `"${v.replace(/"/g, '""')}"` : v;
}

/** One CSV line (LF-terminated). */
export function csvLine(cells: readonly string[]): string {
  return cells.map(csvCell).join(',') + '\n';
}

/** One TSV line (LF-terminated). */
export function tsvLine(cells: readonly string[]): string {
  return cells.map(tsvCell).join('\t') + '\n';
}
