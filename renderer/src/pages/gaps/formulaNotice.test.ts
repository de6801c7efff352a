import { describe, expect, it } from 'vitest';
import type { FixList } from '../../../../core/api/contract';
import { formulaNoticeFor, formulaNoticeText } from './formulaNotice';

const list = (over: Partial<FixList>): FixList => ({
  channel: 'woocommerce',
  format: 'woocommerce',
  fileName: 'woocommerce-fixlist.csv',
  mimeType: 'text/csv',
  content: '',
  rows: 1,
  gaps: 1,
  skipped: [],
  formulaCells: 0,
  spreadsheetSafe: false,
  ...over,
});

describe('formula notice of a saved fix list', () => {
  it('is there only when an exact file holds cells a spreadsheet would run', () => {
    expect(formulaNoticeFor(list({}))).toBeNull();
    expect(formulaNoticeFor(list({ formulaCells: 2, spreadsheetSafe: true }))).toBeNull();
    expect(formulaNoticeFor(list({ formulaCells: 2 }), [4, 5])).toEqual({
      channel: 'woocommerce',
      ids: [4, 5],
      fileName: 'woocommerce-fixlist.csv',
      formulaCells: 2,
    });
  });

  it('counts the cells and says which file to upload and which to open', () => {
    const text = formulaNoticeText(formulaNoticeFor(list({ formulaCells: 1 }))!);
    expect(text).toMatch(/^1 cell of woocommerce-fixlist\.csv starts with = \+ - @, tab or CR/);
    expect(text).toMatch(
      /Upload the file as it is; to open it in a spreadsheet, use the spreadsheet-safe copy/,
    );
    expect(formulaNoticeText({ channel: 'g', fileName: 'g.tsv', formulaCells: 3 })).toMatch(
      /^3 cells of g\.tsv start /,
    );
  });
});
