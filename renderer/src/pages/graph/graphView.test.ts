import { describe, expect, it } from 'vitest';
import type { GraphEdge, GraphNode, Subgraph } from '../../../../core/api/contract';
import { GraphView } from './graphView';

const node = (key: string): GraphNode => ({
  key,
  type: key.startsWith('product') ? 'product' : key.startsWith('channel') ? 'channel' : 'offer',
  label: key,
  props: {},
});
let nextId = 1;
const edge = (source: string, target: string): GraphEdge => ({
  id: nextId++,
  source,
  target,
  type: 'offered_as',
  props: {},
});
/** A neighbourhood page: the centre, its neighbours and an edge from the centre to each. */
function around(centre: string, neighbours: string[], more = 0): Subgraph {
  return {
    nodes: [node(centre), ...neighbours.map(node)],
    edges: neighbours.map((n) => edge(centre, n)),
    more,
  };
}
const keys = (view: GraphView) => [...view.nodes.keys()].sort();

describe('GraphView', () => {
  it('merges a neighbourhood: the centre as a root, its neighbours and edges, and where the next page starts', () => {
    const view = new GraphView();
    const diff = view.mergeNeighbourhood('product:1', around('product:1', ['offer:a', 'offer:b'], 5), 0);
    expect(diff.addedNodes.map((n) => n.key)).toEqual(['product:1', 'offer:a', 'offer:b']);
    expect(diff.addedEdges).toHaveLength(2);
    expect(view.roots).toEqual(new Set(['product:1']));
    expect(view.expansion('product:1')).toEqual({ next: 3, more: 5 });

    // The next page ("show N more") adds only what is new.
    const page2 = view.mergeNeighbourhood(
      'product:1',
      { nodes: [node('offer:c')], edges: [edge('product:1', 'offer:c')], more: 0 },
      3,
    );
    expect(page2.addedNodes.map((n) => n.key)).toEqual(['offer:c']);
    expect(page2.addedEdges).toHaveLength(1);
    expect(view.expansion('product:1')).toEqual({ next: 4, more: 0 });
  });

  it('skips edges whose other end is not in view, and edges already shown', () => {
    const view = new GraphView();
    view.addRoots([node('product:1')]);
    const dangling = edge('product:1', 'offer:gone');
    const shown = edge('product:1', 'offer:a');
    const diff = view.mergeNeighbourhood(
      'product:1',
      { nodes: [node('offer:a')], edges: [dangling, shown, shown], more: 0 },
      0,
    );
    expect(diff.addedEdges).toEqual([shown]);
    expect(view.edges.size).toBe(1);
  });

  it('collapse removes the nodes only that expansion brought, and what their own expansions brought', () => {
    const view = new GraphView();
    view.mergeNeighbourhood('product:1', around('product:1', ['offer:a', 'offer:b']), 0);
    view.mergeNeighbourhood('offer:a', around('offer:a', ['channel:x']), 0);
    // offer:b is also a neighbour of product:2's expansion: it stays when product:1 collapses.
    view.addRoots([node('product:2')]);
    view.mergeNeighbourhood('product:2', around('product:2', ['offer:b']), 0);

    const diff = view.collapse('product:1');
    expect(diff.removedNodes.sort()).toEqual(['channel:x', 'offer:a']);
    expect(keys(view)).toEqual(['offer:b', 'product:1', 'product:2']);
    expect(view.expansion('product:1')).toBeUndefined();
    expect(view.expansion('offer:a')).toBeUndefined();
    // The edges at removed nodes went with them; product:1 -> offer:b stays.
    expect([...view.edges.values()].map((e) => `${e.source}>${e.target}`).sort()).toEqual([
      'product:1>offer:b',
      'product:2>offer:b',
    ]);
    expect(diff.removedEdges).toHaveLength(2);

    // Collapsing what is not expanded changes nothing.
    expect(view.collapse('product:1')).toEqual({
      addedNodes: [],
      addedEdges: [],
      removedNodes: [],
      removedEdges: [],
    });
  });

  it('never collapses a root away', () => {
    const view = new GraphView();
    view.addRoots([node('product:2')]);
    view.mergeNeighbourhood('product:1', around('product:1', ['product:2', 'offer:a']), 0);
    view.collapse('product:1');
    expect(keys(view)).toEqual(['product:1', 'product:2']);
  });

  it('remove takes the node, its edges and what only its expansion brought', () => {
    const view = new GraphView();
    view.mergeNeighbourhood('product:1', around('product:1', ['offer:a', 'offer:b']), 0);
    view.mergeNeighbourhood('offer:a', around('offer:a', ['channel:x']), 0);
    const diff = view.remove('offer:a');
    expect(diff.removedNodes.sort()).toEqual(['channel:x', 'offer:a']);
    expect(keys(view)).toEqual(['offer:b', 'product:1']);
    expect(view.edges.size).toBe(1);
    // Removing the root takes the neighbours only it brought.
    view.remove('product:1');
    expect(keys(view)).toEqual([]);
    expect(view.edges.size).toBe(0);
  });

  it('exports the view as JSON and clears it', () => {
    const view = new GraphView();
    view.mergeNeighbourhood('product:1', around('product:1', ['offer:a']), 0);
    const json = view.toJson();
    expect(json.nodes.map((n) => n.key)).toEqual(['product:1', 'offer:a']);
    expect(json.roots).toEqual(['product:1']);
    expect(json.expanded).toEqual({ 'product:1': { next: 2, more: 0 } });
    const diff = view.clear();
    expect(diff.removedNodes).toHaveLength(2);
    expect(diff.removedEdges).toHaveLength(1);
    expect(view.nodes.size).toBe(0);
  });
});
