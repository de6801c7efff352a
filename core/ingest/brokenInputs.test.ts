import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeEach, describe, expect, it } from 'vitest';
import { rawRow } from '../store/rawRows.js';
import { concord } from '../test-support/cli.js';
import { fingerprintOf } from '../test-support/fingerprint.js';
import { useTempDir, writeTemp } from '../test-support/tmp.js';

const broken = (name: string) => fileURLToPath(new URL(`../../fixtures/broken/${name}`, import.meta.url));
const SHOPIFY_HEADER =
  'Handle,Title,Body (HTML),Vendor,Type,Tags,Published,Option1 Name,Option1 Value,Variant SKU,Variant Grams,Variant Inventory Qty,Variant Inventory Policy,Variant Price,Variant Compare At Price,Variant Barcode,Image Src,Status';

/**
 * The broken-file corpus (fixtures/broken): each file gets a clear error naming file, line and field,
 * exit code 2, and leaves the workspace exactly as it was.
 */
describe('broken inputs', () => {
  const tmp = useTempDir();
  let ws: string;

  beforeEach(() => {
    ws = join(tmp(), 'w.concord');
    expect(concord('init', ws).code).toBe(0);
    const good = writeTemp(
      tmp(),
      'good.csv',
      `${SHOPIFY_HEADER}\naero-kettle,Aero Kettle 1.7 l,<p>Steel</p>,Aero,Kettle,kitchen,true,Title,Default Title,AK-17,1200,5,deny,39.00,,4006381333931,https://cdn.example/ak.jpg,active\n`,
    );
    expect(concord('import', ws, good, '--channel', 'shopify').code).toBe(0);
  });

  const cases: { name: string; file: () => string; args?: string[]; error: RegExp }[] = [
    {
      name: 'empty file',
      file: () => broken('empty.csv'),
      error: /^concord import: empty\.csv, line 1: file is empty$/m,
    },
    {
      name: 'header only',
      file: () => broken('header-only.csv'),
      error: /header-only\.csv, line 2: file has a header but no data rows/,
    },
    {
      name: 'ragged rows',
      file: () => broken('ragged-rows.csv'),
      error:
        /ragged-rows\.csv, line 3, column 19: 19 fields where the header has 18 \(it ends at "Status"\): a row longer than its header/,
    },
    {
      name: 'unterminated quote at end of file',
      file: () => broken('unterminated-quote.csv'),
      error: /unterminated-quote\.csv, line 3, field "Title": quoted field is never closed/,
    },
    {
      name: 'binary garbage',
      file: () => broken('binary-garbage.csv'),
      error: /binary-garbage\.csv, line 1: binary data/,
    },
    {
      name: 'wrong encoding declared',
      file: () => broken('windows1252-declared-utf8.csv'),
      args: ['--encoding', 'utf-8'],
      error:
        /windows1252-declared-utf8\.csv, line 2: bytes that are not valid UTF-8\. It looks like windows-1252: pass --encoding windows-1252/,
    },
    {
      name: 'duplicate record ids under --on-duplicate error',
      file: () => broken('duplicate-ids.csv'),
      args: ['--on-duplicate', 'error'],
      error:
        /duplicate-ids\.csv, line 4, field "Variant SKU": duplicate record id "MM-350" \(first seen on line 3\)/,
    },
    {
      name: 'unknown header',
      file: () => broken('unknown-header.csv'),
      error: /unknown-header\.csv, line 1: header matches no known export format/,
    },
    {
      name: 'malformed XML',
      file: () => broken('malformed.xml'),
      error: /malformed\.xml, line 11, field "g:title": malformed XML: <g:title> is never closed/,
    },
    {
      name: 'invalid JSON line',
      file: () => broken('bad-json.jsonl'),
      args: ['--format', 'jsonl', '--map', 'recordId=sku', '--map', 'title=name', '--map', 'price=price'],
      error: /bad-json\.jsonl, line 2(, column \d+)?: not valid JSON/,
    },
    {
      name: 'a 50 MB single field',
      file: () => {
        const p = join(tmp(), 'huge-field.csv');
        const big = 'x'.repeat(50 * 1024 * 1024);
        writeFileSync(
          p,
          `${SHOPIFY_HEADER}\naero-kettle,Aero Kettle,"<p>${big}</p>",Aero,Kettle,,true,Title,Default Title,AK-18,1,1,deny,1.00,,,,active\n`,
        );
        return p;
      },
      error: /huge-field\.csv, line 2, field "Body \(HTML\)": row is larger than 8 MB/,
    },
  ];

  for (const c of cases) {
    it(`${c.name}: exit 2, names file and line, workspace unchanged`, () => {
      const before = fingerprintOf(ws);
      const r = concord('import', ws, c.file(), '--channel', 'google', ...(c.args ?? []));
      expect(r.stderr).toMatch(c.error);
      expect(r.code).toBe(2);
      expect(fingerprintOf(ws)).toEqual(before);
    });
  }

  it('re-importing the same file is refused unless --replace, and --replace keeps one copy', () => {
    const file = writeTemp(
      tmp(),
      'good.csv',
      `${SHOPIFY_HEADER}\naero-kettle,Aero Kettle 1.7 l,<p>Steel</p>,Aero,Kettle,kitchen,true,Title,Default Title,AK-17,1200,5,deny,39.00,,4006381333931,https://cdn.example/ak.jpg,active\n`,
    );
    const before = fingerprintOf(ws);
    const again = concord('import', ws, file, '--channel', 'shopify');
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(
      /good\.csv was already imported into channel "shopify" \(source #1, good\.csv, .*\); use --replace/,
    );
    expect(fingerprintOf(ws)).toEqual(before);
    const replaced = concord('import', ws, file, '--channel', 'shopify', '--replace', '--json');
    expect(replaced.code).toBe(0);
    expect(JSON.parse(replaced.stdout)).toMatchObject({ replaced: [1], records: 1 });
    const sources = JSON.parse(concord('sources', ws, '--json').stdout);
    expect(sources).toHaveLength(1);
  });

  it('a record id already in the channel from another file is a conflict naming both', () => {
    const other = writeTemp(
      tmp(),
      'other.csv',
      `${SHOPIFY_HEADER}\nkettle-2,Aero Kettle 2,<p>Steel</p>,Aero,Kettle,kitchen,true,Title,Default Title,AK-17,1200,5,deny,39.00,,,,active\n`,
    );
    const before = fingerprintOf(ws);
    const r = concord('import', ws, other, '--channel', 'shopify');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /other\.csv, line 2: record id "AK-17" is already in channel "shopify" from source #1/,
    );
    expect(fingerprintOf(ws)).toEqual(before);
  });
});

describe('recoverable inputs import with row warnings', () => {
  const tmp = useTempDir();

  function importJson(file: string, ...args: string[]) {
    const ws = join(tmp(), 'r.concord');
    concord('init', ws);
    const r = concord('import', ws, file, '--json', ...args);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    return { ws, result: JSON.parse(r.stdout) as { records: number; warnings: number; sourceId: number } };
  }

  it('an Excel-mangled barcode keeps its raw text, is not used as a GTIN, and is flagged', () => {
    const { ws, result } = importJson(broken('excel-mangled-barcode.csv'), '--channel', 'shopify');
    expect(result).toMatchObject({ records: 2, warnings: 1 });
    const db = new Database(ws, { readonly: true });
    const rec = db.prepare("SELECT gtin, gtin_raw, gtin_status FROM records WHERE record_id = 'AK-17'").get();
    expect(rec).toEqual({ gtin: null, gtin_raw: '8.71234E+12', gtin_status: 'mangled' });
    const warn = db.prepare('SELECT line, field, code FROM row_warnings').get();
    expect(warn).toEqual({ line: 2, field: 'Variant Barcode', code: 'gtin_scientific_notation' });
    db.close();
  });

  it('decimal-comma prices parse to minor units with a warning', () => {
    const { ws, result } = importJson(broken('woocommerce-decimal-comma.csv'), '--channel', 'woocommerce');
    expect(result.records).toBe(2);
    expect(result.warnings).toBeGreaterThanOrEqual(2);
    const db = new Database(ws, { readonly: true });
    expect(db.prepare("SELECT price_minor, weight_g FROM records WHERE record_id = 'WB-1'").get()).toEqual({
      price_minor: 3990,
      weight_g: 1200,
    });
    expect(
      db.prepare("SELECT count(*) FROM row_warnings WHERE code = 'decimal_comma'").pluck().get(),
    ).toBeGreaterThanOrEqual(2);
    db.close();
  });

  it('a repeated record id imports by default: the later row takes the fallback identity, with a warning', () => {
    const { ws, result } = importJson(broken('duplicate-ids.csv'), '--channel', 'shopify');
    expect(result).toMatchObject({ records: 3, warnings: 1 });
    const db = new Database(ws, { readonly: true });
    expect(db.prepare('SELECT record_id FROM records ORDER BY line').pluck().all()).toEqual([
      'AK-17',
      'MM-350',
      'mono-mug-2/Default Title',
    ]);
    expect(db.prepare('SELECT line, field, code FROM row_warnings').get()).toEqual({
      line: 4,
      field: 'Variant SKU',
      code: 'duplicate_id',
    });
    db.close();
  });

  it('markup and formulas in values are stored as text, verbatim', () => {
    const { ws } = importJson(broken('script-and-formula.csv'), '--channel', 'shopify');
    const db = new Database(ws, { readonly: true });
    const titles = db.prepare('SELECT title FROM records ORDER BY line').pluck().all();
    expect(titles).toEqual(['<script>alert(1)</script> Kettle', '=HYPERLINK("http://evil.example","click")']);
    expect(rawRow(db, 1, 3)).toBe(
      'formula-mug,"=HYPERLINK(""http://evil.example"",""click"")",<p>Mug</p>,Mono,Mug,kitchen,true,Title,Default Title,FX-1,350,12,deny,9.50,,,,active',
    );
    db.close();
  });
});
