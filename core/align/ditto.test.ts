import { describe, expect, it } from 'vitest';
import { useTempDir, writeTemp } from '../test-support/tmp.js';
import { parseDitto, parseDittoRecord, readDittoFile } from './ditto.js';

const L = "COL name VAL lg 24 ' lds4821ww dishwasher COL description VAL  COL price VAL 499.0";
const R = 'COL name VAL lg ldf6920bb dishwasher COL description VAL white COL price VAL ';

describe('ditto reader', () => {
  const tmp = useTempDir();

  it('parses records with any attributes and empty values', () => {
    expect(parseDittoRecord(L)).toEqual({
      name: "lg 24 ' lds4821ww dishwasher",
      description: '',
      price: '499.0',
    });
    expect(parseDittoRecord('COL title VAL a b c')).toEqual({ title: 'a b c' });
    expect(parseDittoRecord('COL x VAL')).toEqual({ x: '' });
  });

  it('reads a file of labelled pairs (CRLF, blank lines, BOM)', async () => {
    const file = writeTemp(tmp(), 'pairs.txt', `\ufeff${L}\t${R}\t0\r\n\n${R}\t${R}\t1\n`);
    const pairs = await readDittoFile(file);
    expect(pairs).toHaveLength(2);
    expect(pairs[0].label).toBe(0);
    expect(pairs[1]).toEqual({ left: parseDittoRecord(R), right: parseDittoRecord(R), label: 1 });
  });

  it('names file and line of a malformed line', () => {
    expect(() => parseDitto(`${L}\t${R}\t1\n${L}\t${R}\n`, 'f.txt')).toThrow(
      /f\.txt, line 2: expected LEFT<TAB>RIGHT<TAB>LABEL/,
    );
    expect(() => parseDitto(`${L}\t${R}\tyes\n`, 'f.txt')).toThrow(
      /f\.txt, line 1, field "label": label must be 0 or 1/,
    );
    expect(() => parseDitto(`${L}\tname VAL x\t1\n`, 'f.txt')).toThrow(
      /f\.txt, line 1, field "right": a record must start with "COL/,
    );
    expect(() => parseDitto(`COL a VAL x COL a VAL y\t${R}\t1\n`, 'f.txt')).toThrow(
      /line 1, field "left": attribute "a" appears twice/,
    );
    try {
      parseDitto(`\n\n${L}\t${R}\t2\n`, 'g.txt');
      expect.unreachable();
    } catch (err) {
      expect(err).toMatchObject({ code: 'BAD_INPUT', details: { file: 'g.txt', line: 3, field: 'label' } });
    }
  });

  it('reports missing, empty and binary files', async () => {
    await expect(readDittoFile(`${tmp()}/nope.txt`)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(readDittoFile(writeTemp(tmp(), 'empty.txt', '\n'))).rejects.toThrow(/empty\.txt: no pairs/);
    await expect(readDittoFile(writeTemp(tmp(), 'bin.txt', Buffer.from([0x50, 0x00, 0x01])))).rejects.toThrow(
      /binary/,
    );
  });
});
