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
        /windows1252-declared-utf8\.csv, line 2: bytes that are not valid UTF-8 \(it looks like windows-1252\); pass --encoding windows-1252/,
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
      /good\.csv was already imported into channel "shopify" \(source #1, good\.csv, .*\); use --replace to import it again\n$/,
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

  let imports = 0;
  function importJson(file: string, ...args: string[]) {
    const ws = join(tmp(), `r${++imports}.concord`);
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

  /**
   * NUL bytes (issue 13 point 8), one rule at any offset: a file whose start is mostly control bytes is binary
   * (above); a stray NUL in a value is removed from it with a `nul_bytes` warning naming line and field, and the raw
   * row keeps its bytes.
   */
  describe('NUL bytes in values are removed with a warning, near the start and deep in the file alike', () => {
    const generic = [
      '--format',
      'csv',
      '--map',
      'recordId=sku',
      '--map',
      'title=name',
      '--map',
      'price=price',
    ];

    it('at offset 16, in the first 64 KiB the binary check reads', () => {
      const { ws, result } = importJson(broken('nul-bytes.csv'), '--channel', 'shop', ...generic);
      expect(result).toMatchObject({ records: 5 });
      const db = new Database(ws, { readonly: true });
      expect(
        db
          .prepare("SELECT line, field, message FROM row_warnings WHERE code = 'nul_bytes' ORDER BY line")
          .all(),
      ).toEqual([
        { line: 2, field: 'sku', message: 'a NUL byte removed from the value (text exports hold none)' },
        { line: 3, field: 'name', message: '2 NUL bytes removed from the value (text exports hold none)' },
      ]);
      expect(db.prepare('SELECT record_id, title FROM records ORDER BY line').all()).toEqual([
        { record_id: 'A-1', title: 'Kettle 1.7 l' },
        { record_id: 'B-2', title: 'Mug 350 ml' },
        { record_id: 'C-3', title: 'Teapot 1 l' },
        { record_id: 'D-4', title: 'Tea towel' },
        { record_id: 'E-5', title: 'Coffee grinder' },
      ]);
      expect(rawRow(db, 1, 2)).toBe('A\0-1,Kettle 1.7 l,39.00');
      db.close();
    });

    it('at offset 100 KiB: the same warning, the same removal', () => {
      const rows = ['sku,name,price'];
      for (let i = 1; rows.join('\n').length < 100 * 1024; i++) rows.push(`S-${i},Plain item ${i},1.00`);
      const line = rows.length + 1;
      rows.push('DEEP-1,Deep\0 kettle,2.00', 'DEEP-2,After,3.00');
      const file = writeTemp(tmp(), 'deep-nul.csv', `${rows.join('\n')}\n`);
      expect(Buffer.from(rows.join('\n')).indexOf(0)).toBeGreaterThan(100 * 1024);
      const { ws } = importJson(file, '--channel', 'shop', ...generic);
      const db = new Database(ws, { readonly: true });
      expect(db.prepare("SELECT line, field, code FROM row_warnings WHERE code = 'nul_bytes'").all()).toEqual(
        [{ line, field: 'name', code: 'nul_bytes' }],
      );
      expect(db.prepare("SELECT title FROM records WHERE record_id = 'DEEP-1'").pluck().get()).toBe(
        'Deep kettle',
      );
      expect(rawRow(db, 1, line)).toBe('DEEP-1,Deep\0 kettle,2.00');
      db.close();
    });

    it('in a header name, a JSON Lines string and an XML feed value', () => {
      const header = writeTemp(tmp(), 'header-nul.csv', 'sku,na\0me,price\nH-1,Hat,5.00\n');
      const h = importJson(header, '--channel', 'shop', ...generic);
      const jsonl = writeTemp(tmp(), 'nul.jsonl', '{"sku":"J-1","name":"Jug\0","price":"4.00"}\n');
      const j = importJson(jsonl, '--channel', 'shop', '--format', 'jsonl', ...generic.slice(2));
      const xml = writeTemp(
        tmp(),
        'nul.xml',
        '<rss xmlns:g="http://base.google.com/ns/1.0"><channel>\n<item><g:id>X-1</g:id><g:title>Xylo\0phone</g:title></item>\n</channel></rss>',
      );
      const x = importJson(xml, '--channel', 'google');
      const read = (ws: string) => {
        const db = new Database(ws, { readonly: true });
        const out = {
          warnings: db.prepare('SELECT line, field, code FROM row_warnings').all(),
          titles: db.prepare('SELECT title FROM records').pluck().all(),
        };
        db.close();
        return out;
      };
      expect(read(h.ws)).toEqual({
        warnings: [{ line: 1, field: 'name', code: 'nul_bytes' }],
        titles: ['Hat'],
      });
      expect(read(j.ws)).toEqual({
        warnings: [{ line: 1, field: 'name', code: 'nul_bytes' }],
        titles: ['Jug'],
      });
      expect(read(x.ws)).toEqual({
        warnings: [{ line: 2, field: 'title', code: 'nul_bytes' }],
        titles: ['Xylophone'],
      });
    });
  });
});
