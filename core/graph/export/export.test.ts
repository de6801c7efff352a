/**
 * The three exports through graph.export on a written test graph with awkward text (markup characters, quotes,
 * commas, a line break, a control character, a semicolon in an alias), read back by real parsers: JSON.parse,
 * saxes for GraphML, csv-parse for the Neo4j CSVs.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SaxesParser } from 'saxes';
import { beforeAll, describe, expect, it } from 'vitest';
import type { HandlerContext } from '../../app/context.js';
import { WorkspaceSession } from '../../app/session.js';
import { JobRunner } from '../../jobs/jobRunner.js';
import { dispatchClient } from '../../test-support/dispatchClient.js';
import { shopGraph, writeTestGraph, type TestGraph } from '../testGraph.js';

const dir = mkdtempSync(join(tmpdir(), 'concord-graph-export-'));
const ws = join(dir, 'shop.concord');
const ctx: HandlerContext = { mode: 'test', session: new WorkspaceSession(), jobs: new JobRunner() };
const call = dispatchClient(ctx);

const AWKWARD = 'Tee "Classic", <b>5 & 6</b>\nsecond line \u0001 end';
let graph: TestGraph;

beforeAll(async () => {
  graph = shopGraph(20);
  graph.nodes.push({
    key: 'product:9',
    label: AWKWARD,
    props: {
      title: AWKWARD,
      price: 10,
      provenance: { price: { shopify: 10, google: 12 } },
      sizes: ['S', 'M'],
    },
    aliases: ['semi;colon'],
  });
  graph.edges.push({ src: 'product:9', dst: 'brand:zenith', type: 'has_brand' });
  writeTestGraph(ws, graph);
  await call('workspace.open', { path: ws });
});

describe('graph.export', () => {
  it('json: round-trips every node and edge', async () => {
    const out = join(dir, 'graph.json');
    const result = await call('graph.export', { format: 'json', out });
    expect(result).toMatchObject({ format: 'json', nodes: graph.nodes.length, edges: graph.edges.length });
    const back = JSON.parse(readFileSync(out, 'utf8')) as {
      nodes: { key: string; label: string; props: Record<string, unknown> }[];
      edges: { source: string; target: string; type: string; props: Record<string, unknown> }[];
    };
    expect(back.nodes).toHaveLength(graph.nodes.length);
    expect(back.edges).toHaveLength(graph.edges.length);
    const awkward = back.nodes.find((n) => n.key === 'product:9')!;
    expect(awkward.label).toBe(AWKWARD);
    expect(awkward.props.provenance).toEqual({ price: { shopify: 10, google: 12 } });
    const gap = back.edges.find((e) => e.type === 'conflicts_with')!;
    expect(gap).toMatchObject({
      source: 'product:1',
      target: 'offer:google:SKU-1',
      props: { kind: 'price_mismatch' },
    });
    // The same as graph.node reads.
    const node = await call('graph.node', { key: 'product:9' });
    expect(awkward.props).toEqual(node.props);
  });

  it('graphml: parses with an XML parser, and every node and edge has a declared type', async () => {
    const out = join(dir, 'graph.graphml');
    await call('graph.export', { format: 'graphml', out });
    const keys = new Map<string, { for: string; name: string }>();
    const counts = { node: 0, edge: 0 };
    const typed = { node: 0, edge: 0 };
    const labels = new Map<string, string>();
    let current: { kind: 'node' | 'edge'; id: string } | null = null;
    let dataKey: string | null = null;
    let text = '';
    const parser = new SaxesParser({ xmlns: true });
    parser.on('error', (err) => {
      throw err;
    });
    parser.on('opentag', (tag) => {
      const attr = (name: string) => tag.attributes[name]?.value ?? '';
      if (tag.local === 'key') keys.set(attr('id'), { for: attr('for'), name: attr('attr.name') });
      if (tag.local === 'node' || tag.local === 'edge') {
        counts[tag.local]++;
        current = { kind: tag.local, id: attr('id') };
      }
      if (tag.local === 'data') {
        dataKey = attr('key');
        text = '';
      }
    });
    parser.on('text', (t) => (text += t));
    parser.on('closetag', (tag) => {
      if (tag.local === 'data' && current && dataKey) {
        const key = keys.get(dataKey)!;
        expect(key.for).toBe(current.kind);
        if (key.name === 'type') typed[current.kind]++;
        if (key.name === 'label') labels.set(current.id, text);
        dataKey = null;
      }
    });
    parser.write(readFileSync(out, 'utf8')).close();
    expect(counts).toEqual({ node: graph.nodes.length, edge: graph.edges.length });
    expect(typed).toEqual(counts);
    expect(
      [...keys.values()]
        .filter((k) => k.name === 'type')
        .map((k) => k.for)
        .sort(),
    ).toEqual(['edge', 'node']);
    // The control character XML cannot carry is replaced; everything else comes back as written.
    expect(labels.get('product:9')).toBe(AWKWARD.replace('\u0001', '\uFFFD'));
  });

  it('neo4j: one CSV per label and relationship type in the importer header format, and a README', async () => {
    const out = join(dir, 'neo4j');
    const result = await call('graph.export', { format: 'neo4j', out });
    const files = readdirSync(out).sort();
    expect(files).toContain('README.md');
    expect(result.files).toHaveLength(files.length);
    const read = (name: string) =>
      parseCsv(readFileSync(join(out, name), 'utf8'), { relaxQuotes: false }) as string[][];

    let nodes = 0;
    for (const file of files.filter((f) => f.startsWith('nodes_'))) {
      const [header, ...rows] = read(file);
      expect(header.slice(0, 3)).toEqual(['key:ID', 'label', ':LABEL']);
      for (const row of rows) expect(row).toHaveLength(header.length);
      nodes += rows.length;
    }
    expect(nodes).toBe(graph.nodes.length);

    const [productHeader, ...products] = read('nodes_product.csv');
    expect(productHeader).toEqual(
      expect.arrayContaining(['title', 'price:double', 'inStock:boolean', 'provenance', 'sizes:string[]']),
    );
    // Aliases with the array delimiter in them are one JSON string, not an array the importer would split.
    expect(productHeader).toContain('aliases');
    const row = Object.fromEntries(
      productHeader.map((h, i) => [h, products.find((p) => p[0] === 'product:9')![i]]),
    );
    expect(row).toMatchObject({
      label: AWKWARD,
      ':LABEL': 'Product',
      'price:double': '10',
      'sizes:string[]': 'S;M',
    });
    expect(JSON.parse(row.provenance)).toEqual({ price: { shopify: 10, google: 12 } });
    expect(JSON.parse(row.aliases)).toEqual(['semi;colon']);

    let edges = 0;
    for (const file of files.filter((f) => f.startsWith('relationships_'))) {
      const [header, ...rows] = read(file);
      expect(header.slice(0, 3)).toEqual([':START_ID', ':END_ID', ':TYPE']);
      for (const r of rows) expect(r[2]).toBe(file.slice('relationships_'.length, -4).toUpperCase());
      edges += rows.length;
    }
    expect(edges).toBe(graph.edges.length);
    const [similarHeader, similar] = read('relationships_similar_to.csv');
    expect(similarHeader).toEqual([':START_ID', ':END_ID', ':TYPE', 'cosine:double']);
    expect(similar).toEqual(['product:1', 'product:2', 'SIMILAR_TO', '0.91']);

    const readme = readFileSync(join(out, 'README.md'), 'utf8');
    expect(readme).toContain('bin/neo4j-admin database import full neo4j');
    for (const file of files.filter((f) => f.endsWith('.csv'))) {
      expect(readme).toContain(`--${file.startsWith('nodes_') ? 'nodes' : 'relationships'}=import/${file}`);
    }
    // A label spans lines, so the importer must be told.
    expect(readme).toContain('--multiline-fields=true');
  });

  it('refuses a folder for a file format and a file for neo4j, and a missing parent folder', async () => {
    const file = join(dir, 'taken.txt');
    writeFileSync(file, 'x');
    await expect(call('graph.export', { format: 'json', out: dir })).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringContaining('is a folder'),
    });
    await expect(call('graph.export', { format: 'neo4j', out: file })).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringContaining('is a file'),
    });
    await expect(
      call('graph.export', { format: 'graphml', out: join(dir, 'no', 'such', 'g.graphml') }),
    ).rejects.toMatchObject({ code: 'BAD_INPUT', details: { field: 'out' } });
  });
});
