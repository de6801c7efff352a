/**
 * Fuzz suite of the importers (issue 13, "Beyond the probes"): random bytes, truncated files and mutated real-shaped
 * files (the checked-in samples as seeds) through every container and format. Invariants: no crash — a result or a
 * ConcordError (never a TypeError, RangeError or a hang) — and on error the workspace exactly as it was. Seeded, and
 * bounded in runs and time so the suite stays well under a minute.
 */
import fc from 'fast-check';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConcordError } from '../model/errors.js';
import { openWorkspace } from '../store/workspace.js';
import { fingerprintOf } from '../test-support/fingerprint.js';
import { useSuiteTempDir } from '../test-support/tmp.js';
import { importFile, type ImportRequest } from './importFile.js';
import { previewFile } from './preview.js';

/** `FUZZ_SEED=… FUZZ_RUNS=… FUZZ_TIME_MS=…` explore further than the suite's fixed, bounded runs. */
const SEED = Number(process.env.FUZZ_SEED ?? 13);
const RUNS_SCALE = Number(process.env.FUZZ_RUNS ?? 1);
/** Each property stops after this long (counted as passed: the runs it made are the test). */
const TIME_LIMIT_MS = Number(process.env.FUZZ_TIME_MS ?? 4_000);

const fixture = (path: string) => fileURLToPath(new URL(`../../fixtures/${path}`, import.meta.url));

/** A seed file and how it is imported (the generic and behavioural ones need a kind or a mapping). */
interface Seed {
  file: string;
  request: Partial<ImportRequest>;
}

const SEEDS: Seed[] = (
  [
    { file: 'samples/shopify-2024.csv', request: {} },
    { file: 'samples/shopify-classic.csv', request: {} },
    { file: 'samples/shopify-utf16le.csv', request: {} },
    { file: 'samples/woocommerce.csv', request: {} },
    { file: 'samples/woocommerce-windows1252.csv', request: {} },
    { file: 'samples/gmc-rss.xml', request: {} },
    { file: 'samples/gmc-atom.xml', request: {} },
    { file: 'samples/gmc.tsv', request: {} },
    { file: 'samples/gmc-gb18030.tsv', request: {} },
    { file: 'samples/amazon-listings.tsv', request: {} },
    { file: 'samples/generic-products.csv', request: { format: 'csv', mapping: { recordId: 'product_id' } } },
    { file: 'samples/generic-products.jsonl', request: { format: 'jsonl', mapping: { recordId: 'sku' } } },
    { file: 'samples/interactions.csv', request: { kind: 'interactions' } },
    { file: 'samples/orders.csv', request: { kind: 'orders' } },
    { file: 'samples/reviews.jsonl', request: { kind: 'reviews' } },
    { file: 'real/amazon-fba-2025-short-rows.txt', request: {} },
    { file: 'real/google-feed-xml-saved-as.txt', request: {} },
    { file: 'real/woocommerce-ja.csv', request: {} },
  ] satisfies Seed[]
).map((s) => ({ ...s, file: fixture(s.file) }));

const seedBytes = new Map(SEEDS.map((s) => [s.file, readFileSync(s.file)]));

/** Bytes that mean something to one of the readers, so mutations hit the parsers' edges and not only the text. */
const TOKENS = [
  '"',
  ',',
  ';',
  '\t',
  '\n',
  '\r\n',
  '\r',
  '<',
  '>',
  '/>',
  '</item>',
  '<item>',
  '&',
  '&amp;',
  '<![CDATA[',
  ']]>',
  '{',
  '}',
  '[',
  ']',
  ':',
  '\\',
  '\0',
  '\uFEFF',
  '\uFFFD',
  'é',
  '中',
  '😀',
  '=cmd|',
  '-',
  '1e309',
  'null',
].map((t) => Buffer.from(t, 'utf8'));

const bytesArb = fc.oneof(
  fc.uint8Array({ minLength: 1, maxLength: 16 }).map((b) => Buffer.from(b)),
  fc.constantFrom(...TOKENS),
);

type Mutation = { at: number; op: 'insert' | 'delete' | 'replace'; bytes: Buffer; length: number };
const mutationArb: fc.Arbitrary<Mutation> = fc.record({
  at: fc.nat(),
  op: fc.constantFrom('insert' as const, 'delete' as const, 'replace' as const),
  bytes: bytesArb,
  length: fc.integer({ min: 1, max: 64 }),
});

function mutate(source: Buffer, mutations: readonly Mutation[]): Buffer {
  let b = source;
  for (const m of mutations) {
    const at = b.length === 0 ? 0 : m.at % b.length;
    if (m.op === 'insert') b = Buffer.concat([b.subarray(0, at), m.bytes, b.subarray(at)]);
    else if (m.op === 'delete') b = Buffer.concat([b.subarray(0, at), b.subarray(at + m.length)]);
    else b = Buffer.concat([b.subarray(0, at), m.bytes, b.subarray(at + m.bytes.length)]);
  }
  return b;
}

const EXTENSIONS = ['.csv', '.tsv', '.txt', '.xml', '.jsonl'] as const;
const FORMATS = [undefined, 'shopify', 'woocommerce', 'gmc', 'amazon', 'csv', 'jsonl'] as const;

/** An import request for a random file: any format the user could name (generic ones with a mapping). */
const requestArb: fc.Arbitrary<Partial<ImportRequest>> = fc
  .constantFrom(...FORMATS)
  .map((format) =>
    format === undefined
      ? {}
      : format === 'csv' || format === 'jsonl'
        ? { format, mapping: { recordId: 'id', title: 'title' } }
        : { format },
  );

describe('importer fuzz: a result or a clear error, and the workspace unchanged on error', () => {
  const dir = useSuiteTempDir('concord-fuzz-');
  let ws: string;
  let run = 0;

  beforeAll(async () => {
    ws = join(dir(), 'fuzz.concord');
    openWorkspace(ws, { create: true }).close();
    // Something in the workspace to keep: a failed import must leave it byte for byte.
    await importFile({ workspace: ws, file: SEEDS[0].file, channel: 'kept' });
  });

  /** Imports `bytes` as a file; true when it imported. Fails the property on a crash or a changed workspace. */
  async function check(bytes: Buffer, ext: string, request: Partial<ImportRequest>): Promise<boolean> {
    const file = join(dir(), `fuzz-${++run}${ext}`);
    writeFileSync(file, bytes);
    const preview = await previewFile(file, { rows: 3 }).catch((err: unknown) => err);
    if (!('sizeBytes' in (preview as object))) expectClearError(preview, file);
    const before = fingerprintOf(ws);
    try {
      // A channel of its own: earlier runs' records and contents do not make this one a conflict.
      const channel = `fuzz-${run}`;
      const result = await importFile({ workspace: ws, file, channel, threaded: false, ...request });
      expect(result.rows).toBeGreaterThan(0);
      return true;
    } catch (err) {
      expectClearError(err, file);
      expect(fingerprintOf(ws)).toEqual(before);
      return false;
    }
  }

  function expectClearError(err: unknown, file: string): void {
    if (!(err instanceof ConcordError)) throw err; // a crash: fast-check reports and shrinks the input
    expect(['BAD_INPUT', 'CONFLICT']).toContain(err.code);
    if (err.code === 'BAD_INPUT') expect(err.message.length).toBeGreaterThan(0);
    expect(err.message).toContain(basename(file)); // names the file
  }

  const options = (numRuns: number) => ({
    seed: SEED,
    numRuns: Math.round(numRuns * RUNS_SCALE),
    interruptAfterTimeLimit: TIME_LIMIT_MS,
    markInterruptAsFailure: false,
  });

  it('random bytes, as any container and format', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 2048 }).map((b) => Buffer.from(b)),
          fc.array(bytesArb, { maxLength: 200 }).map((parts) => Buffer.concat(parts)),
        ),
        fc.constantFrom(...EXTENSIONS),
        requestArb,
        async (bytes, ext, request) => {
          await check(bytes, ext, request);
        },
      ),
      options(60),
    );
  });

  it('every seed file truncated anywhere', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...SEEDS),
        fc.double({ min: 0, max: 1, noNaN: true }),
        async (seed, at) => {
          const bytes = seedBytes.get(seed.file)!;
          await check(bytes.subarray(0, Math.floor(bytes.length * at)), extOf(seed.file), seed.request);
        },
      ),
      options(60),
    );
  });

  it('every seed file mutated: bytes and reader tokens inserted, deleted, replaced', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...SEEDS),
        fc.array(mutationArb, { minLength: 1, maxLength: 6 }),
        async (seed, mutations) => {
          await check(mutate(seedBytes.get(seed.file)!, mutations), extOf(seed.file), seed.request);
        },
      ),
      options(100),
    );
  });

  it('the seeds themselves import (the mutations start from files that work)', async () => {
    for (const seed of SEEDS)
      expect(await check(seedBytes.get(seed.file)!, extOf(seed.file), seed.request), seed.file).toBe(true);
  });
});

function extOf(file: string): string {
  return file.slice(file.lastIndexOf('.'));
}
