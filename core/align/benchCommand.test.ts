import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useTempDir, writeTemp } from '../test-support/tmp.js';
import { parse } from '../cli/command.js';
import { exitCodeFor } from '../cli/io.js';
import { benchCommand } from '../cli/commands/benchMatch.js';

async function run(...argv: string[]): Promise<{ code: number; stdout: string; error?: string }> {
  let stdout = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  try {
    const { positionals, values } = parse(benchCommand, argv);
    const code = await benchCommand.run({ positionals, values });
    return { code, stdout };
  } catch (err) {
    return { code: exitCodeFor(err), stdout, error: (err as Error).message };
  } finally {
    spy.mockRestore();
  }
}

const dir = fileURLToPath(new URL('../../../shared/data/em/abt-buy/', import.meta.url));

describe('concord bench match', () => {
  const tmp = useTempDir();
  afterEach(() => vi.restoreAllMocks());

  it('exits 2 with the usage line on bad arguments', async () => {
    for (const argv of [
      [],
      ['frob'],
      ['match'],
      ['match', '--train', 'a', '--valid', 'b'],
      ['match', 'extra', '--train', 'a', '--valid', 'b', '--test', 'c'],
      ['match', '--bogus'],
    ]) {
      const r = await run(...argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.error, argv.join(' ')).toMatch(/usage: concord bench match --train F --valid F --test F/);
    }
  });

  it('exits 2 naming the file for missing or malformed input', async () => {
    const bad = writeTemp(tmp(), 'bad.txt', 'COL a VAL x\tCOL a VAL y\n');
    const r = await run('match', '--train', bad, '--valid', bad, '--test', bad);
    expect(r.code).toBe(2);
    expect(r.error).toMatch(/bad\.txt, line 1: expected LEFT<TAB>RIGHT<TAB>LABEL/);
    const missing = await run('match', '--train', `${tmp()}/none.txt`, '--valid', bad, '--test', bad);
    expect(missing.code).toBe(2);
    expect(missing.error).toMatch(/none\.txt: no such file/);
  });

  it.skipIf(!existsSync(`${dir}train.txt`))('prints JSON and writes one 0/1 per test line', async () => {
    const lines = (name: string, n: number) =>
      readFileSync(`${dir}${name}.txt`, 'utf8').split('\n').slice(0, n).join('\n') + '\n';
    const train = writeTemp(tmp(), 'train.txt', lines('train', 300));
    const valid = writeTemp(tmp(), 'valid.txt', lines('valid', 150));
    const test = writeTemp(tmp(), 'test.txt', lines('test', 120));
    const preds = `${tmp()}/preds.txt`;
    const r = await run(
      'match',
      '--train',
      train,
      '--valid',
      valid,
      '--test',
      test,
      '--json',
      '--predictions',
      preds,
    );
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(Object.keys(result).sort()).toEqual(
      [
        'f1',
        'precision',
        'predictSeconds',
        'recall',
        'test',
        'threshold',
        'train',
        'trainSeconds',
        'valid',
      ].sort(),
    );
    expect(result).toMatchObject({ train: 300, valid: 150, test: 120 });
    const written = readFileSync(preds, 'utf8').trimEnd().split('\n');
    expect(written).toHaveLength(120);
    expect(written.every((v) => v === '0' || v === '1')).toBe(true);
    const table = await run('match', '--train', train, '--valid', valid, '--test', test);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/F1\s+\d+\.\d %/);
  });
});
