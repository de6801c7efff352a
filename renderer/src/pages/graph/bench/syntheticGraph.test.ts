import { describe, expect, it } from 'vitest';
import { syntheticGraph } from './syntheticGraph';

describe('syntheticGraph', () => {
  it('makes about the elements asked for, every edge between two of its nodes, every type present', () => {
    const { nodes, edges } = syntheticGraph(5000);
    expect(nodes.length + edges.length).toBeGreaterThanOrEqual(5000);
    expect(nodes.length + edges.length).toBeLessThan(5010);
    const keys = new Set(nodes.map((n) => n.key));
    expect(keys.size).toBe(nodes.length);
    expect(edges.every((e) => keys.has(e.source) && keys.has(e.target))).toBe(true);
    expect(new Set(nodes.map((n) => n.type)).size).toBe(7);
    expect(new Set(edges.map((e) => e.type)).size).toBe(8);
  });
});
