import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { csvCell, csvLine, formulaSafe, runsAsFormula, tsvCell, tsvLine } from './cells.js';

describe('cells', () => {
  it('escapes every formula start with an apostrophe, and nothing else', () => {
    for (const v of ['=SUM(A1)', '+1', '-x', '@a', '\tx', '\rx']) {
      expect(formulaSafe(v)).toBe(`'${v}`);
      expect(runsAsFormula(v)).toBe(true);
    }
    for (const v of ['SKU-1', '19.99', "'quoted", ' =not first', '', 'a=b']) {
      expect(formulaSafe(v)).toBe(v);
      expect(runsAsFormula(v)).toBe(false);
    }
  });

  it('CSV for spreadsheets: quotes commas, quotes and line breaks after escaping', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('-5')).toBe("'-5");
    expect(csvCell('\tx')).toBe("'\tx"); // a tab starts a formula but needs no quotes
    expect(csvLine(['ID', 'Name, with comma', '@x'], 'spreadsheet')).toBe('ID,"Name, with comma",\'@x\n');
  });

  it('CSV and TSV for upload keep every value exactly (a channel would publish the apostrophe)', () => {
    expect(csvLine(['-20% Kettle', '=1+2', '+49 phone', '@home', 'a,b'], 'exact')).toBe(
      '-20% Kettle,=1+2,+49 phone,@home,"a,b"\n',
    );
    expect(tsvLine(['-20% Kettle', '=1+2', '@home'], 'exact')).toBe('-20% Kettle\t=1+2\t@home\n');
  });

  it('TSV: no tabs or line breaks inside a cell, a leading quote is quoted', () => {
    expect(tsvCell('a\tb\r\nc', 'exact')).toBe('a b c');
    expect(tsvCell('\tlead', 'exact')).toBe(' lead');
    expect(tsvCell('\tlead', 'spreadsheet')).toBe(' lead');
    expect(tsvCell('"quoted" title', 'exact')).toBe('"""quoted"" title"');
    expect(tsvCell('+49 phone', 'spreadsheet')).toBe("'+49 phone");
    expect(tsvLine(['id', 'x'], 'spreadsheet')).toBe('id\tx\n');
  });

  it('reads back through a CSV parser: exact values as they were, spreadsheet values with the apostrophe', () => {
    const values = ['=1+2', 'plain', 'a,"b"', '@home', '-3 dB', 'multi\nline'];
    expect(Papa.parse<string[]>(csvLine(values, 'exact'), { header: false }).data[0]).toEqual(values);
    expect(Papa.parse<string[]>(csvLine(values, 'spreadsheet'), { header: false }).data[0]).toEqual(
      values.map(formulaSafe),
    );
  });
});
