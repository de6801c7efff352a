/**
 * The cytoscape instance behind the Graph page, driven imperatively: React never re-renders the graph. Every view
 * change arrives as a diff (graphView.ts) and is applied in one cy.batch, then laid out with fcose; type filters
 * and highlights are classes. Pointer events go back to the page through the callbacks.
 */
import cytoscape, { type Core, type ElementDefinition, type EventObject } from 'cytoscape';
import fcose from 'cytoscape-fcose';
import type { EdgeType, GraphEdge, GraphNode, GraphPath, NodeType } from '../../../../core/api/contract';
import type { ViewDiff } from './graphView';
import {
  CANVAS_OPTIONS,
  canvasLabel,
  EDGE_LOOK,
  graphStylesheet,
  LARGE_VIEW,
  layoutOptions,
  type CanvasTheme,
} from './graphStyle';

cytoscape.use(fcose);

export interface CanvasEvents {
  /** A node clicked; `extend` when shift was held (the other end of a path). */
  onPick(key: string, extend: boolean): void;
  onExpand(key: string): void;
  /** A click on the background. */
  onClear(): void;
}

export function nodeElement(node: GraphNode): ElementDefinition {
  return {
    group: 'nodes',
    data: { id: node.key, label: canvasLabel(node.label), type: node.type },
    classes: `t-${node.type}`,
  };
}

export function edgeElement(edge: GraphEdge): ElementDefinition {
  return {
    group: 'edges',
    data: { id: `e${edge.id}`, source: edge.source, target: edge.target, type: edge.type },
    classes: `t-${edge.type}`,
  };
}

/** The canvas's colours from the page's theme (CSS custom properties resolved on the container). */
export function themeOf(el: HTMLElement): CanvasTheme {
  const css = getComputedStyle(el);
  return {
    text: css.color || '#1a1b1f',
    background: css.backgroundColor || '#ffffff',
    accent: css.getPropertyValue('--accent').trim() || '#4e5ad3',
  };
}

export class GraphCanvas {
  readonly cy: Core;
  private layout: cytoscape.Layouts | null = null;

  constructor(container: HTMLElement, events: CanvasEvents) {
    this.cy = cytoscape({ container, style: graphStylesheet(themeOf(container)), ...CANVAS_OPTIONS });
    // cytoscape reports a double tap for any two quick taps, even on two different nodes: only the same node's
    // second tap expands it.
    let previousTap: string | null = null;
    let lastTap: string | null = null;
    this.cy.on('tap', (e: EventObject) => {
      previousTap = lastTap;
      lastTap = e.target === this.cy ? null : (e.target.id() as string);
    });
    this.cy.on('tap', 'node', (e: EventObject) => {
      const original = e.originalEvent as MouseEvent | undefined;
      events.onPick(e.target.id() as string, !!original?.shiftKey);
    });
    this.cy.on('dbltap', 'node', (e: EventObject) => {
      const key = e.target.id() as string;
      if (previousTap === key) events.onExpand(key);
    });
    this.cy.on('tap', (e: EventObject) => {
      if (e.target === this.cy) events.onClear();
    });
  }

  /** Applies a view change; new nodes start at `near` (the expanded node) so the layout grows from there. */
  apply(diff: ViewDiff, relayout: 'full' | 'incremental' | 'none', near?: string): void {
    const cy = this.cy;
    const origin = near ? cy.getElementById(near) : null;
    const at = origin && origin.nonempty() ? origin.position() : { x: 0, y: 0 };
    cy.batch(() => {
      for (const id of diff.removedEdges) cy.getElementById(`e${id}`).remove();
      for (const key of diff.removedNodes) cy.getElementById(key).remove();
      cy.add(
        diff.addedNodes.map((n, i) => ({
          ...nodeElement(n),
          // Spread around the origin: fcose's incremental mode starts from these.
          position: { x: at.x + 40 * Math.cos(i), y: at.y + 40 * Math.sin(i) },
        })),
      );
      cy.add(diff.addedEdges.map(edgeElement));
    });
    this.setLarge(cy.elements().length >= LARGE_VIEW);
    if (relayout !== 'none' && (diff.addedNodes.length > 0 || relayout === 'full')) this.runLayout(relayout);
  }

  runLayout(kind: 'full' | 'incremental'): void {
    this.layout?.stop();
    const nodes = this.cy.nodes().length;
    if (nodes === 0) return;
    this.layout = this.cy.elements(':visible').layout(layoutOptions(nodes, kind === 'incremental'));
    this.layout.run();
  }

  /** Hides the node and edge types not shown (an edge goes with a hidden end by itself). */
  setHidden(nodeTypes: ReadonlySet<NodeType>, edgeTypes: ReadonlySet<EdgeType>): void {
    this.cy.batch(() => {
      this.cy.nodes().forEach((n) => {
        n.toggleClass('is-hidden', nodeTypes.has(n.data('type') as NodeType));
      });
      this.cy.edges().forEach((e) => {
        e.toggleClass('is-hidden', edgeTypes.has(e.data('type') as EdgeType));
      });
    });
  }

  select(key: string | null, pathEnd: string | null): void {
    this.cy.batch(() => {
      this.cy.$('.is-selected').removeClass('is-selected');
      this.cy.$('.is-path-end').removeClass('is-path-end');
      if (key) this.cy.getElementById(key).addClass('is-selected');
      if (pathEnd) this.cy.getElementById(pathEnd).addClass('is-path-end');
    });
  }

  /** Marks a path (its nodes and edges, each edge labelled with its words); the rest fades. */
  highlightPath(path: GraphPath | null): void {
    const cy = this.cy;
    cy.batch(() => {
      cy.$('.on-path').removeClass('on-path');
      cy.$('.is-faded').removeClass('is-faded');
      if (!path) return;
      let on = cy.collection();
      for (const n of path.nodes) on = on.union(cy.getElementById(n.key));
      path.edges.forEach((edge, i) => {
        const el = cy.getElementById(`e${edge.id}`);
        const forward = path.nodes[i]?.key === edge.source;
        el.data('words', forward ? EDGE_LOOK[edge.type].label : `${EDGE_LOOK[edge.type].label} (backwards)`);
        on = on.union(el);
      });
      on.addClass('on-path');
      cy.elements().difference(on).addClass('is-faded');
    });
    if (path) this.cy.animate({ fit: { eles: this.cy.$('.on-path'), padding: 60 }, duration: 250 });
  }

  fit(): void {
    this.cy.fit(undefined, 30);
  }

  centreOn(key: string): void {
    const el = this.cy.getElementById(key);
    if (el.nonempty()) this.cy.animate({ center: { eles: el }, duration: 200 });
  }

  /** The whole view as a PNG. */
  png(): Blob {
    return this.cy.png({
      output: 'blob',
      full: true,
      scale: 2,
      bg: themeOf(this.cy.container()!).background,
    });
  }

  /** Node positions, for the JSON export. */
  positions(): Record<string, { x: number; y: number }> {
    const out: Record<string, { x: number; y: number }> = {};
    this.cy.nodes().forEach((n) => {
      const p = n.position();
      out[n.id()] = { x: Math.round(p.x), y: Math.round(p.y) };
    });
    return out;
  }

  restyle(): void {
    const container = this.cy.container();
    if (container) this.cy.style(graphStylesheet(themeOf(container)));
  }

  destroy(): void {
    this.layout?.stop();
    this.cy.destroy();
  }

  /** Large views do not draw edges while the user pans or zooms (cytoscape's hideEdgesOnViewport). */
  private setLarge(large: boolean): void {
    // The renderer reads this flag on every frame; it has no public setter after start.
    const renderer = (this.cy as unknown as { renderer(): { hideEdgesOnViewport: boolean } }).renderer();
    renderer.hideEdgesOnViewport = large;
  }
}
