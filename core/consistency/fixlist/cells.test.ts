import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { csvCell, csvLine, formulaSafe, tsvCell, tsvLine, unescapeFormula } from './cells.js';

describe('fix-list cells', () => {
  it('escapes every formula start with an apostrophe, and nothing else', () => {
    for (const v of ['=SUM(A1)', '+1', '-x', '@a', '\tx', '\rx']) expect(formulaSafe(v)).toBe(`'${v}`);
    for (const v of ['SKU-1', '19.99', "'quoted", ' =not first', '', 'a=b']) expect(formulaSafe(v)).toBe(v);
  });

  it('CSV: quotes commas, quotes and line breaks after escaping', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('-5')).toBe("'-5");
    expect(csvLine(['ID', 'Name, with comma', '@x'])).toBe('ID,"Name, with comma",\'@x\n');
    expect(csvCell('\tx')).toBe("'\tx"); // a tab starts a formula but needs no quotes
  });

  it('TSV: no tabs or line breaks inside a cell, a leading quote is quoted', () => {
    expect(tsvCell('a\tb\r\nc')).toBe('a b c');
    expect(tsvCell('\tlead')).toBe("' lead");
    expect(tsvCell('"quoted" title')).toBe('"""quoted"" title"');
    expect(tsvCell('+49 phone')).toBe("'+49 phone");
    expect(tsvLine(['id', 'x'])).toBe('id\tx\n');
  });

  it('reads back through a CSV parser and unescapes to the original', () => {
    const values = ['=1+2', 'plain', 'a,"b"', '@home', '-3 dB', 'multi\nline'];
    const parsed = Papa.parse<string[]>(csvLine(values), { header: false }).data[0];
    expect(parsed.map(unescapeFormula)).toEqual(values);
    expect(unescapeFormula("'plain")).toBe("'plain");
  });
});
