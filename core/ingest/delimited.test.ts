import { describe, expect, it } from 'vitest';
import { readTable } from '../test-support/tableReader.js';
import { useTempDir, writeTemp } from '../test-support/tmp.js';
import { readDelimited, sniffDelimiter } from './delimited.js';

function read(file: string, delimiter = ',', maxRowChars?: number) {
  return readTable((text, cb) => readDelimited(text, delimiter, cb), file, 'in.csv', { maxRowChars });
}

describe('readDelimited', () => {
  const tmp = useTempDir();

  it('keeps each row verbatim with the line it starts on, across quoted newlines and CRLF', async () => {
    const f = writeTemp(tmp(), 'a.csv', 'id,title\r\n1,"two\r\nlines"\r\n\r\n2,"say ""hi"""\r\n3,plain');
    const { header, rows } = await read(f);
    expect(header).toEqual(['id', 'title']);
    expect(rows).toEqual([
      { line: 2, raw: '1,"two\r\nlines"', cells: ['1', 'two\r\nlines'] },
      { line: 5, raw: '2,"say ""hi"""', cells: ['2', 'say "hi"'] },
      { line: 6, raw: '3,plain', cells: ['3', 'plain'] },
    ]);
  });

  it('works across read-chunk boundaries', async () => {
    const body = Array.from({ length: 30000 }, (_, i) => `${i},"title, number ${i}\nsecond line"`).join('\n');
    const f = writeTemp(tmp(), 'big.csv', `id,title\n${body}\n`);
    const { rows } = await read(f);
    expect(rows).toHaveLength(30000);
    expect(rows[29999]).toEqual({
      line: 2 + 2 * 29999,
      raw: `29999,"title, number 29999\nsecond line"`,
      cells: ['29999', 'title, number 29999\nsecond line'],
    });
  });

  it('reports a row longer than its header with file, line and column', async () => {
    const f = writeTemp(tmp(), 'r.csv', 'a,b,c\n1,2,3\n4,5,6,7\n');
    await expect(read(f)).rejects.toThrow(
      'in.csv, line 3, column 4: 4 fields where the header has 3 (it ends at "c"): a row longer than its header, e.g. an unquoted "," inside a value',
    );
  });

  it('pads a row that lacks trailing cells with empty ones, saying how many', async () => {
    const f = writeTemp(tmp(), 's.tsv', 'a\tb\tc\n1\t2\t3\n4\t5\n');
    const { rows } = await readTable((text, cb) => readDelimited(text, '\t', cb), f, 'in.tsv');
    expect(rows).toEqual([
      { line: 2, raw: '1\t2\t3', cells: ['1', '2', '3'] },
      { line: 3, raw: '4\t5', cells: ['4', '5', ''], padded: 1 },
    ]);
  });

  it('reports an unterminated quote with the line where the field starts and its column name', async () => {
    const f = writeTemp(tmp(), 'q.csv', 'a,b\n1,2\n3,"never closed\n4,5\n');
    await expect(read(f)).rejects.toThrow(
      'in.csv, line 3, field "b": quoted field is never closed (unterminated quote)',
    );
  });

  it('stops on an oversized row without buffering the whole file', async () => {
    const f = writeTemp(tmp(), 'huge.csv', `a,b\n1,"${'x'.repeat(3_000_000)}"\n`);
    await expect(read(f, ',', 1_000_000)).rejects.toThrow(
      /in\.csv, line 2, field "b": row is larger than 1 MB/,
    );
  });

  it('sniffs the delimiter from the first line', () => {
    expect(sniffDelimiter('id\ttitle\tprice\nx')).toBe('\t');
    expect(sniffDelimiter('id;title;price')).toBe(';');
    expect(sniffDelimiter('Handle,Title,Body (HTML)')).toBe(',');
  });
});
