/**
 * A fix list is written exactly as the channel must read it (core/consistency/fixlist/cells.ts), so cells that start
 * with = + - @, tab or CR stay as they are, and a spreadsheet opening the file would run them as formulas. The
 * Export dialog says so beside the download and offers a spreadsheet-safe copy.
 */
import type { FixList } from '../../../../core/api/contract';
import { plural } from './labels';

/** A saved fix list that holds cells a spreadsheet would run: what to ask for the copy again. */
export interface FormulaNotice {
  channel: string;
  ids?: number[];
  fileName: string;
  formulaCells: number;
}

/** The notice for a saved fix list, or null when no cell would run as a formula. */
export function formulaNoticeFor(list: FixList, ids?: number[]): FormulaNotice | null {
  if (list.formulaCells === 0 || list.spreadsheetSafe) return null;
  return { channel: list.channel, ids, fileName: list.fileName, formulaCells: list.formulaCells };
}

export function formulaNoticeText(notice: FormulaNotice): string {
  const starts = notice.formulaCells === 1 ? 'starts' : 'start';
  return (
    `${plural(notice.formulaCells, 'cell')} of ${notice.fileName} ${starts} with = + - @, tab or CR, which a ` +
    'spreadsheet would run as a formula. Upload the file as it is; to open it in a spreadsheet, use the ' +
    'spreadsheet-safe copy (not for upload: the channel would keep its apostrophes).'
  );
}
