import { describe, expect, it } from 'vitest';
import { readTable } from '../test-support/tableReader.js';
import { useTempDir, writeTemp } from '../test-support/tmp.js';
import { readJsonLines } from './jsonl.js';

function read(file: string) {
  return readTable(readJsonLines, file, 'in.jsonl');
}

describe('readJsonLines', () => {
  const tmp = useTempDir();

  it('aligns objects to the first line keys, keeping raw lines and line numbers', async () => {
    const f = writeTemp(
      tmp(),
      'a.jsonl',
      '{"sku":"A","price":9.5,"tags":["x"]}\n\n{"sku":"B"}\r\n{"price":null,"sku":"C"}',
    );
    const { header, rows } = await read(f);
    expect(header).toEqual(['sku', 'price', 'tags']);
    expect(rows).toEqual([
      { line: 1, raw: '{"sku":"A","price":9.5,"tags":["x"]}', cells: ['A', '9.5', '["x"]'] },
      { line: 3, raw: '{"sku":"B"}', cells: ['B', '', ''] },
      { line: 4, raw: '{"price":null,"sku":"C"}', cells: ['C', '', ''] },
    ]);
  });

  it('names the line of invalid JSON and of unknown keys', async () => {
    await expect(read(writeTemp(tmp(), 'b.jsonl', '{"a":1}\n{"a":2,}\n'))).rejects.toThrow(
      /^in\.jsonl, line 2(, column \d+)?: not valid JSON/,
    );
    await expect(read(writeTemp(tmp(), 'c.jsonl', '{"a":1}\n{"b":2}\n'))).rejects.toThrow(
      'in.jsonl, line 2, field "b": key "b" is not in the first line\'s keys (a)',
    );
    await expect(read(writeTemp(tmp(), 'd.jsonl', '[1,2]\n'))).rejects.toThrow(
      'in.jsonl, line 1: each line must be one JSON object',
    );
  });

  it('refuses a value nested too deeply to keep as text, naming line and key', async () => {
    const depth = 200_000;
    const f = writeTemp(
      tmp(),
      'deep.jsonl',
      `{"sku":"A","tags":["x"]}\n{"sku":"B","tags":${'['.repeat(depth)}${']'.repeat(depth)}}\n`,
    );
    await expect(read(f)).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: 'in.jsonl, line 2, field "tags": the value is nested too deeply to keep',
    });
  });
});
