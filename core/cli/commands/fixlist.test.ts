import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { alignWorkspace } from '../../align/alignWorkspace.js';
import { detectWorkspaceGaps } from '../../consistency/runGaps.js';
import { openWorkspace } from '../../store/workspace.js';
import { concord } from '../../test-support/cli.js';
import { useTempDir } from '../../test-support/tmp.js';
import { importGeneratedStore } from '../../test-support/generatedStore.js';

describe('concord fixlist', () => {
  const tmp = useTempDir();

  it('writes a channel fix list; bad usage, unknown channels, foreign ids and no detection exit 2', async () => {
    const dir = tmp();
    const ws = join(dir, 'ws.concord');
    await importGeneratedStore(ws, { outDir: join(dir, 'store'), products: 60, seed: 5 });
    await alignWorkspace(ws);
    const out = join(dir, 'fix.csv');

    const early = concord('fixlist', ws, '--channel', 'woocommerce', '--out', out);
    expect(early.code).toBe(2);
    expect(early.stderr).toContain(`no gaps detected yet: run \`concord gaps ${ws}\` first`);
    expect(existsSync(out)).toBe(false);

    const unknown = concord('fixlist', ws, '--channel', 'ebay', '--out', out);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(
      /unknown channel "ebay": the workspace's channels are shopify, woocommerce, google, amazon/,
    );

    const noOut = concord('fixlist', ws, '--channel', 'woocommerce');
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toMatch(/missing --out FILE\nusage: concord fixlist WS --channel NAME --out FILE/);
    expect(concord('fixlist', ws, '--out', out).stderr).toMatch(/missing --channel NAME/);
    const badIds = concord('fixlist', ws, '--channel', 'google', '--out', out, '--ids', '1,x');
    expect(badIds.code).toBe(2);
    expect(badIds.stderr).toMatch(/--ids takes gap ids separated by commas/);

    await detectWorkspaceGaps(ws);
    const r = concord('fixlist', ws, '--channel', 'woocommerce', '--out', out);
    expect(r.stderr).toMatch(
      /^wrote .*fix\.csv: WooCommerce product CSV \(update existing products\), \d+ rows correcting \d+ gaps of woocommerce; \d+ gaps skipped\n/,
    );
    expect(r.stdout).toBe('');
    expect(r.code).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text.startsWith('\ufeffID,SKU,')).toBe(true);
    const [, rows, gaps] = /, (\d+) rows? correcting (\d+) gaps?/.exec(r.stderr)!;
    expect(Number(rows)).toBeGreaterThan(0);
    expect(Number(gaps)).toBeGreaterThanOrEqual(Number(rows));
    expect(text.trimEnd().split('\n').length).toBe(Number(rows) + 1);
    expect(r.stderr).toMatch(/not listed on woocommerce/); // absences are skipped, with the reason

    const w = openWorkspace(ws);
    const pick = (channel: string) =>
      (
        w.db
          .prepare(
            `SELECT id FROM gaps WHERE channel = ? AND status = 'open' AND record_id IS NOT NULL ORDER BY id LIMIT 1`,
          )
          .get(channel) as { id: number }
      ).id;
    const google = pick('google');
    const amazon = pick('amazon');
    w.close();
    const one = join(dir, 'one.tsv');
    const single = concord('fixlist', ws, '--channel', 'google', '--out', one, '--ids', String(google));
    expect(single.code).toBe(0);
    expect(single.stderr).toMatch(/1 row correcting 1 gap of google; 0 gaps skipped/);
    expect(readFileSync(one, 'utf8').split('\n')[0]).toMatch(/^id\t/);
    const foreign = concord(
      'fixlist',
      ws,
      '--channel',
      'google',
      '--out',
      one,
      '--ids',
      `${google},${amazon}`,
    );
    expect(foreign.code).toBe(2);
    expect(foreign.stderr).toMatch(
      new RegExp(`gap ${amazon} \\(amazon\\) belongs to another channel than "google"`),
    );

    // A title that starts with "-" goes out exactly (WooCommerce would publish an apostrophe), with a warning that
    // counts the cells a spreadsheet would run; --spreadsheet-safe writes the escaped copy for spreadsheets.
    const w2 = openWorkspace(ws);
    const titleGap = w2.db
      .prepare(
        `UPDATE gaps SET expected = '-20% ' || expected WHERE id = (SELECT id FROM gaps WHERE channel = 'woocommerce'
           AND kind = 'title_mismatch' AND status = 'open' ORDER BY id LIMIT 1) RETURNING id, expected`,
      )
      .get() as { id: number; expected: string };
    w2.close();
    const upload = join(dir, 'upload.csv');
    const exact = concord(
      'fixlist',
      ws,
      '--channel',
      'woocommerce',
      '--out',
      upload,
      '--ids',
      String(titleGap.id),
    );
    expect(exact.code).toBe(0);
    expect(exact.stderr).toMatch(
      /\nwarning: 1 cell starts with = \+ - @, tab or CR, which a spreadsheet would run as a formula\. Upload the file as it is; to open it in a spreadsheet, write a copy with --spreadsheet-safe\n$/,
    );
    const nameIn = (file: string) =>
      Papa.parse<Record<string, string>>(readFileSync(file, 'utf8').replace(/^\ufeff/, ''), { header: true })
        .data[0].Name;
    expect(nameIn(upload)).toBe(titleGap.expected);
    const forSheets = join(dir, 'sheet.csv');
    const safe = concord(
      'fixlist',
      ws,
      '--channel',
      'woocommerce',
      '--out',
      forSheets,
      '--ids',
      String(titleGap.id),
      '--spreadsheet-safe',
    );
    expect(safe.code).toBe(0);
    expect(safe.stderr).toMatch(
      /spreadsheet-safe copy: 1 cell that a spreadsheet would run as formulas start/,
    );
    expect(nameIn(forSheets)).toBe(`'${titleGap.expected}`);
    expect(readFileSync(forSheets, 'utf8').replace(`'-20%`, '-20%')).toBe(readFileSync(upload, 'utf8'));
  });
});
