/**
 * The view benchmark's page (bundled by bench/graphView.ts): the Graph page's own canvas (GraphCanvas: its style,
 * options and fcose layout) on a full-window container, fed a store-shaped graph of N elements in one diff as the
 * page feeds a neighbourhood. Installs `window.__graphBench` for the benchmark to drive.
 */
import { GraphCanvas } from '../graphCanvas';
import { syntheticGraph } from './syntheticGraph';

/** Resolves after the next animation frame. */
const frame = () => new Promise<number>((resolve) => requestAnimationFrame(resolve));

/** Calls `step(elapsed)` once per animation frame for `ms`; resolves with the times between frames. */
async function perFrame(ms: number, step: (elapsed: number) => void): Promise<number[]> {
  const deltas: number[] = [];
  const start = await frame();
  let last = start;
  for (;;) {
    const now = await frame();
    deltas.push(now - last);
    last = now;
    if (now - start >= ms) return deltas;
    step(now - start);
  }
}

const container = document.getElementById('graph')!;
const canvas = new GraphCanvas(container, { onPick: () => {}, onExpand: () => {}, onClear: () => {} });
const cy = canvas.cy;

const bench = {
  async load(elements: number) {
    const { nodes, edges } = syntheticGraph(elements);
    let layoutStart = 0;
    cy.one('layoutstart', () => (layoutStart = performance.now()));
    const laidOut = new Promise<number>((resolve) => cy.one('layoutstop', () => resolve(performance.now())));
    const t0 = performance.now();
    canvas.apply({ addedNodes: nodes, addedEdges: edges, removedNodes: [], removedEdges: [] }, 'full');
    const layoutEnd = await laidOut;
    // Drawn: cytoscape's next render after the layout, then the frame that shows it.
    await new Promise<void>((resolve) => cy.one('render', () => resolve()));
    await frame();
    const drawn = performance.now();
    return {
      nodes: cy.nodes().length,
      edges: cy.edges().length,
      addMs: layoutStart - t0,
      layoutMs: layoutEnd - layoutStart,
      renderMs: drawn - layoutEnd,
      totalMs: drawn - t0,
      zoom: cy.zoom(),
    };
  },
  /** Pans by a few pixels every frame, changing direction every second. */
  pan(ms: number) {
    return perFrame(ms, (t) => {
      const dir = Math.floor(t / 1000) % 2 === 0 ? 1 : -1;
      cy.panBy({ x: 6 * dir, y: 3 * dir });
    });
  },
  /** Zooms in and out around the centre, 1.5 % per frame, turning every second. */
  zoom(ms: number) {
    const centre = { x: container.clientWidth / 2, y: container.clientHeight / 2 };
    return perFrame(ms, (t) => {
      const factor = Math.floor(t / 1000) % 2 === 0 ? 1.015 : 1 / 1.015;
      cy.zoom({ level: cy.zoom() * factor, renderedPosition: centre });
    });
  },
  fit() {
    canvas.fit();
  },
};

(window as unknown as { __graphBench: typeof bench }).__graphBench = bench;
