import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handlers } from '../app/handlers.js';
import { ConcordError } from '../model/errors.js';
import { concord } from '../test-support/cli.js';
import { useTempDir } from '../test-support/tmp.js';
import { LocalApi } from './api.js';
import { exitCodeFor } from './io.js';
import { importGeneratedStore } from '../test-support/generatedStore.js';

describe('the CLI calls the API', () => {
  const tmp = useTempDir();
  // One imported, unaligned workspace for every case (the gaps case aligns it last).
  let dir = '';
  let ws = '';
  let shopify = '';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'concord-cli-api-'));
    ws = join(dir, 'ws.concord');
    const store = await importGeneratedStore(ws, { outDir: join(dir, 'store'), products: 40, seed: 11 });
    shopify = store.channels.find((c) => c.name === 'shopify')!.path;
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('maps error codes to exit codes: BAD_INPUT, NOT_FOUND, CONFLICT 2; INTERNAL and CANCELLED 1', () => {
    for (const code of ['BAD_INPUT', 'NOT_FOUND', 'CONFLICT'] as const)
      expect(exitCodeFor(new ConcordError(code, 'x'))).toBe(2);
    for (const code of ['INTERNAL', 'CANCELLED'] as const)
      expect(exitCodeFor(new ConcordError(code, 'x'))).toBe(1);
  });

  it('rethrows a failed call with its API code; an unexpected failure is INTERNAL', async () => {
    const api = new LocalApi({
      handlers: {
        ...handlers,
        'sources.list': async () => {
          throw new TypeError('boom');
        },
      },
      log: () => {},
    });
    try {
      await expect(api.call('workspace.open', { path: join(tmp(), 'none.concord') })).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
      await api.call('workspace.open', { path: ws });
      const err = await api.call('sources.list', {}).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConcordError);
      expect(err).toMatchObject({ code: 'INTERNAL', message: 'internal error: boom' });
      expect(exitCodeFor(err)).toBe(1);
    } finally {
      api.close();
    }
  });

  it('validates params in dispatch: a bad value exits 2 naming the field', () => {
    const provider = concord('embed', ws, '--provider', 'gpu');
    expect(provider.code).toBe(2);
    expect(provider.stderr).toMatch(/^concord embed: embed\.start: bad params: providers\.0: /);
    const channel = concord('import', ws, shopify, '--channel', 'x'.repeat(101));
    expect(channel.code).toBe(2);
    expect(channel.stderr).toMatch(/^concord import: import\.start: bad params: channel: /);
  });

  it('gaps refuses unaligned records with exit 2, or aligns first with --align', () => {
    const refused = concord('gaps', ws);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(
      'concord gaps: records are not aligned yet; run `concord align WS` first (or detect gaps with --align)\n',
    );
    expect(refused.stdout).toBe('');
    const exported = concord('export', 'matches', ws, '--out', join(dir, 'm.csv'));
    expect(exported.code).toBe(2);
    expect(exported.stderr).toMatch(/has not been aligned yet/);

    const r = concord('gaps', ws, '--align');
    expect(r.stderr).toMatch(/^records are not aligned yet: aligning first\n\d[\d,]* open gaps/);
    expect(r.code).toBe(1);
    const gaps = JSON.parse(r.stdout) as { kind: string; status: string }[];
    expect(gaps.length).toBeGreaterThan(0);
    expect(gaps.every((g) => g.status !== 'excluded')).toBe(true);
    // Aligned now: no second alignment, the same gaps.
    const again = concord('gaps', ws);
    expect(again.stderr).not.toMatch(/aligning first/);
    expect(JSON.parse(again.stdout)).toEqual(gaps);
  });

  it('--version prints the version in package.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect(concord('--version').stdout).toBe(`${pkg.version}\n`);
  });
});
