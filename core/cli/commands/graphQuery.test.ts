/**
 * `concord graph query` and `concord graph export` as a user runs them (the compiled CLI in a child process), on
 * a workspace holding a written test graph.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { shopGraph, writeTestGraph } from '../../graph/testGraph.js';
import { concord } from '../../test-support/cli.js';
import { useSuiteTempDir, writeTemp } from '../../test-support/tmp.js';

describe('concord graph query / export', () => {
  const tmp = useSuiteTempDir();
  let dir = '';
  let ws = '';
  beforeAll(() => {
    dir = tmp();
    ws = join(dir, 'shop.concord');
    writeTestGraph(ws, shopGraph());
  });
  const queryFile = (name: string, content: string): string => writeTemp(dir, name, content);

  it('runs a pattern query from a JSON file and prints the nodes as JSON', () => {
    const file = queryFile(
      'acme.json',
      JSON.stringify({
        start: { type: 'product' },
        hops: [{ edge: 'has_brand', node: { where: [{ prop: 'label', op: 'eq', value: 'Acme' }] } }],
      }),
    );
    const r = concord('graph', 'query', ws, '--json', file);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout) as { nodes: { key: string }[]; more: number };
    expect(result.nodes.map((n) => n.key)).toEqual(['product:1', 'product:2']);
    expect(result.more).toBe(0);
  });

  it('names the file and the line of bad JSON, and the file and the field of a bad query, with exit 2', () => {
    const broken = queryFile('broken.json', '{\n  "start": { "type": "product" },\n  "hops": [ oops ]\n}');
    const bad = concord('graph', 'query', ws, '--json', broken);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`${broken}, line 3, column 13: not valid JSON`);

    const invalid = queryFile(
      'invalid.json',
      JSON.stringify({ start: { type: 'product' }, hops: [{ edge: 'owns' }] }),
    );
    const wrong = concord('graph', 'query', ws, '--json', invalid);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain(`${invalid}, field "hops[0].edge": Invalid option: expected one of`);

    const unsafe = queryFile(
      'unsafe.json',
      JSON.stringify({ start: { type: 'product', where: [{ prop: 'a b', op: 'eq', value: 1 }] } }),
    );
    const refused = concord('graph', 'query', ws, '--json', unsafe);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`${unsafe}, field "start.where[0].prop": "a b" is not a property name`);

    expect(concord('graph', 'query', ws).code).toBe(2);
    expect(concord('graph', 'query', ws, '--json', join(dir, 'missing.json')).code).toBe(2);
  });

  it('exports json and graphml to a file and neo4j to a folder', () => {
    const json = join(dir, 'g.json');
    const r = concord('graph', 'export', ws, '--format', 'json', '--out', json);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/wrote .*g\.json: \d+ nodes and \d+ edges as json/);
    const graph = shopGraph();
    expect((JSON.parse(readFileSync(json, 'utf8')) as { nodes: unknown[] }).nodes).toHaveLength(
      graph.nodes.length,
    );

    const graphml = join(dir, 'g.graphml');
    expect(concord('graph', 'export', ws, '--format', 'graphml', '--out', graphml).code).toBe(0);
    expect(readFileSync(graphml, 'utf8')).toContain('attr.name="type"');

    const folder = join(dir, 'neo4j');
    expect(concord('graph', 'export', ws, '--format', 'neo4j', '--out', folder).code).toBe(0);
    expect(readdirSync(folder)).toContain('README.md');
  });

  it('refuses a missing or unknown format and a missing --out with exit 2, writing nothing', () => {
    const out = join(dir, 'never.json');
    const unknown = concord('graph', 'export', ws, '--format', 'gexf', '--out', out);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown --format "gexf" \(one of json, graphml, neo4j\)/);
    expect(concord('graph', 'export', ws, '--out', out).code).toBe(2);
    expect(concord('graph', 'export', ws, '--format', 'json').code).toBe(2);
    expect(concord('graph', 'query', ws, '--format', 'json', '--json', 'x.json').code).toBe(2);
    expect(existsSync(out)).toBe(false);
  });
});
