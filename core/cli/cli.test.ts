import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { concord } from '../test-support/cli.js';
import { useTempDir } from '../test-support/tmp.js';
import { COMMANDS } from './main.js';

const COMMAND_NAMES = COMMANDS.map((c) => c.name);

describe('concord CLI', () => {
  const tmp = useTempDir();

  it('lists commands; unknown commands and bad usage exit 2', () => {
    const help = concord('--help');
    expect(help.code).toBe(0);
    for (const name of COMMAND_NAMES) expect(help.stdout).toContain(`  ${name}`);
    expect(concord().code).toBe(2);
    const unknown = concord('frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command "frobnicate"/);
  });

  it('has --help on every command', () => {
    for (const name of COMMAND_NAMES) {
      const r = concord(name, '--help');
      expect(r.code, name).toBe(0);
      expect(r.stdout, name).toMatch(new RegExp(`^usage: concord ${name}`));
    }
  });

  it('rejects bad options and arguments with exit 2 and the usage line', () => {
    const ws = join(tmp(), 'a.concord');
    expect(concord('init').code).toBe(2);
    expect(concord('init', ws).code).toBe(0);
    expect(concord('init', ws).stderr).toMatch(/already exists/);
    const badFormat = concord('import', ws, 'x.csv', '--format', 'excel');
    expect(badFormat.code).toBe(2);
    expect(badFormat.stderr).toMatch(/--format must be one of shopify, woocommerce, gmc, amazon, csv, jsonl/);
    const badDuplicate = concord('import', ws, 'x.csv', '--on-duplicate', 'sometimes');
    expect(badDuplicate.code).toBe(2);
    expect(badDuplicate.stderr).toMatch(
      /--on-duplicate must be one of warn, first, last, error, got "sometimes"/,
    );
    const noMap = concord('import', ws, 'x.csv', '--format', 'csv');
    expect(noMap.code).toBe(2);
    expect(noMap.stderr).toMatch(/needs a column mapping/);
    const badOpt = concord('sources', ws, '--colour');
    expect(badOpt.code).toBe(2);
    expect(badOpt.stderr).toMatch(/usage: concord sources/);
    expect(concord('sources', join(tmp(), 'missing.concord')).code).toBe(2);
  });

  it('sources --json is an empty array on a new workspace', () => {
    const ws = join(tmp(), 'b.concord');
    concord('init', ws);
    const r = concord('sources', ws, '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([]);
  });

  it('doctor reports versions and execution providers, CPU always available', () => {
    const r = concord('doctor', '--json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.node).toBe(process.versions.node);
    expect(report.sqlite).toMatch(/^3\.\d+/);
    expect(report.executionProviders).toContainEqual(
      expect.objectContaining({ name: 'cpu', available: true }),
    );
    expect(report.executionProviders.map((p: { name: string }) => p.name)).toEqual([
      'cuda',
      'dml',
      'coreml',
      'cpu',
    ]);
    expect(report.electron).toHaveProperty('binary');
    const text = concord('doctor');
    expect(text.stdout).toMatch(/ONNX execution providers/);
  });

  it('demo generates a store, imports every channel and prints a summary; nothing on stderr when piped', () => {
    const out = join(tmp(), 'demo');
    const r = concord('demo', '--out', out, '--products', '200', '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.channels.map((c: { channel: string }) => c.channel)).toEqual([
      'shopify',
      'woocommerce',
      'google',
      'amazon',
    ]);
    for (const c of summary.channels) {
      expect(c.records).toBeGreaterThan(0);
      expect(c.matched).toBeGreaterThan(0);
      expect(c.matched).toBeLessThanOrEqual(c.records);
    }
    expect(summary.alignment.vsGroundTruth.f1).toBeGreaterThan(0.95);
    // The knowledge graph is built last: an offer per record, a product node per product.
    const records = summary.channels.reduce((n: number, c: { records: number }) => n + c.records, 0);
    expect(summary.graph.nodesByType.offer).toBeGreaterThanOrEqual(records);
    expect(summary.graph.edgesByType.offered_as).toBe(records);
    expect(summary.graph.nodesByType.product).toBeGreaterThan(0);
    expect(summary.graph.components).toBeGreaterThan(0);
    expect(existsSync(summary.workspace)).toBe(true);
    const sources = JSON.parse(concord('sources', summary.workspace, '--json').stdout);
    expect(sources).toHaveLength(4);
    for (const s of sources)
      expect(Object.keys(s)).toEqual(
        expect.arrayContaining([
          'id',
          'channel',
          'format',
          'encoding',
          'file',
          'sha256',
          'rows',
          'records',
          'warnings',
        ]),
      );
    const table = concord('demo', '--out', join(tmp(), 'demo2'), '--products', '50');
    expect(table.stdout).toMatch(/channel\s+format\s+file\s+rows\s+records\s+matched\s+warnings\s+import s/);
    expect(table.stdout).toMatch(/Aligned [\d,]+ records into [\d,]+ products/);
    expect(table.stdout).toMatch(
      /Knowledge graph: [\d,]+ nodes \(.*offer [\d,]+.*\), [\d,]+ edges .* components/,
    );
  });

  it('embed trains the encoder on the workspace, registers it and embeds every record; align then uses it', () => {
    const out = join(tmp(), 'emb');
    const demo = JSON.parse(concord('demo', '--out', out, '--products', '80', '--json').stdout);
    const r = concord('embed', demo.workspace, '--time-budget', '10', '--provider', 'cpu', '--json');
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.model.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(result.provider.provider).toBe('cpu');
    const records = demo.channels.reduce((n: number, c: { records: number }) => n + c.records, 0);
    expect(result.embeddings.rows).toBe(records);
    const aligned = concord('align', demo.workspace, '--json');
    expect(aligned.code).toBe(0);
    expect(JSON.parse(aligned.stdout).records).toBe(records);
    expect(JSON.parse(aligned.stdout).graph.edgesByType.offered_as).toBe(records);
  });
});
