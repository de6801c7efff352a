import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { concord } from '../test-support/cli.js';
import { fingerprintOf } from '../test-support/fingerprint.js';
import { useTempDir } from '../test-support/tmp.js';

const real = (name: string) => fileURLToPath(new URL(`../../fixtures/real/${name}`, import.meta.url));
const bin = fileURLToPath(new URL('../../bin/concord.js', import.meta.url));

describe('concord warnings, and the warning summary after an import', () => {
  const tmp = useTempDir();

  function workspace(): string {
    const ws = join(tmp(), 'w.concord');
    expect(concord('init', ws).code).toBe(0);
    return ws;
  }

  it('an import prints its warnings by kind and the command that lists them', () => {
    const ws = workspace();
    const r = concord('import', ws, real('shopify-duplicate-skus.csv'), '--channel', 'shopify');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^imported shopify-duplicate-skus\.csv into channel "shopify" as shopify \(utf-8\): 8 rows, 7 records, 5 warnings in/,
    );
    expect(r.stdout).toContain('\n  warnings: 5 duplicate_id\n');
    expect(r.stdout).toContain(`\n  list them: concord warnings ${ws} --source 1\n`);
    const quiet = concord('import', ws, real('amazon-text-markers.txt'), '--channel', 'amazon');
    expect(quiet.stdout).not.toContain('warnings:'); // none to speak of
  });

  it('lists every warning with source, file, line, field and kind; filters by source and kind; --json', () => {
    const ws = workspace();
    concord('import', ws, real('shopify-duplicate-skus.csv'), '--channel', 'shopify');
    concord('import', ws, real('amazon-fba-2025-short-rows.txt'), '--channel', 'amazon');

    const all = concord('warnings', ws);
    expect(all.code).toBe(0);
    const lines = all.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^source\s+file\s+line\s+field\s+kind\s+message$/);
    expect(lines[2]).toMatch(
      /^#1\s+shopify-duplicate-skus\.csv\s+4\s+Variant SKU\s+duplicate_id\s+record id "LS-S" is already on line 2: this row is the record "linen-shirt-copy\/S"/,
    );
    expect(lines.filter((l) => l.startsWith('#2 '))).toHaveLength(4);
    expect(lines.at(-1)).toBe('9 warnings: 5 duplicate_id, 4 short_row');

    const json = JSON.parse(concord('warnings', ws, '--source', '2', '--json').stdout);
    expect(json).toHaveLength(4);
    expect(json[0]).toEqual({
      sourceId: 2,
      file: 'amazon-fba-2025-short-rows.txt',
      line: 2,
      field: 'Minimum order quantity',
      code: 'short_row',
      message:
        '29 fields where the header has 31: the missing last 2 cells ("Minimum order quantity", "Sell remainder") read as empty',
    });
    const byKind = JSON.parse(concord('warnings', ws, '--kind', 'duplicate_id', '--json').stdout);
    expect(byKind.map((w: { line: number }) => w.line)).toEqual([4, 5, 6, 8, 9]);
    expect(concord('warnings', ws, '--source', '1', '--kind', 'short_row').stdout).toBe(
      'no warnings of kind short_row in source #1\n',
    );
  });

  it('bad --source and --kind exit 2 and change nothing', () => {
    const ws = workspace();
    const before = fingerprintOf(ws);
    const missing = concord('warnings', ws, '--source', '7');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('concord warnings: no source #7 in this workspace\n');
    const badKind = concord('warnings', ws, '--kind', 'typo');
    expect(badKind.code).toBe(2);
    expect(badKind.stderr).toMatch(
      /--kind must be one of gtin_scientific_notation, .*duplicate_id.*, got "typo"/,
    );
    expect(concord('warnings', ws, '--source', 'one').code).toBe(2);
    expect(fingerprintOf(ws)).toEqual(before);
  });

  it('--on-duplicate first/last says how many rows it dropped quietly', () => {
    const ws = workspace();
    const args = [
      '--format',
      'csv',
      '--map',
      'recordId=url',
      '--map',
      'price=price',
      '--on-duplicate',
      'last',
    ];
    const r = concord('import', ws, real('generic-duplicate-urls.csv'), '--channel', 'crawl', ...args);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/5 rows, 3 records, 0 warnings/);
    expect(r.stdout).toContain(
      '\n  2 rows repeated a record id: the last of each kept (--on-duplicate last)\n',
    );
  });
});

describe('a closed pipe', () => {
  const tmp = useTempDir();

  it('ends the CLI quietly when the reader stops early (concord sources WS --json | head -1)', async () => {
    const ws = join(tmp(), 'p.concord');
    concord('init', ws);
    concord('import', ws, real('shopify-duplicate-skus.csv'), '--channel', 'shopify');
    const child = spawn(process.execPath, [bin, 'warnings', ws, '--json'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.destroy(); // the reader is gone before the CLI writes a byte
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});
