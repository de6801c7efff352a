/**
 * How the Graph page draws the knowledge graph: a shape and a colour per node type (the legend shows the same), a
 * colour per edge type with conflicts in red, and the cytoscape options that keep 5,000 elements interactive
 * (cytoscape's performance guidance: straight haystack edges without arrows, labels hidden when zoomed out, no
 * motion blur, pixel ratio 1). Shared by the page (GraphCanvas.tsx) and the view benchmark (bench/graphView.ts),
 * so the benchmark measures the page's own set-up.
 */
import type { CytoscapeOptions, StylesheetJson } from 'cytoscape';
import type { FcoseLayoutOptions } from 'cytoscape-fcose';
import type { EdgeType, NodeType } from '../../../../core/api/contract';

type Shape =
  'round-rectangle' | 'ellipse' | 'diamond' | 'hexagon' | 'triangle' | 'tag' | 'star' | 'rectangle';

export interface NodeLook {
  shape: Shape;
  colour: string;
  /** The type in words, for the legend. */
  label: string;
  /** Width and height on the canvas when not the usual 18 × 18. */
  size?: [number, number];
}

/** Mid-tone colours: readable on the light and the dark canvas alike. */
export const NODE_LOOK: Record<NodeType, NodeLook> = {
  product: { shape: 'round-rectangle', colour: '#5b67e0', label: 'Product', size: [26, 22] },
  offer: { shape: 'ellipse', colour: '#1b9aaa', label: 'Offer' },
  channel: { shape: 'diamond', colour: '#e07b39', label: 'Channel', size: [26, 26] },
  brand: { shape: 'hexagon', colour: '#9b59b6', label: 'Brand' },
  category: { shape: 'triangle', colour: '#3c9d5d', label: 'Category' },
  attribute: { shape: 'tag', colour: '#8a8f98', label: 'Attribute' },
  user: { shape: 'star', colour: '#d6548a', label: 'User' },
  interaction: { shape: 'rectangle', colour: '#b8902a', label: 'Order' },
};

export const CONFLICT_COLOUR = '#e0352b';
const PATH_COLOUR = '#f2b705';

export const EDGE_LOOK: Record<EdgeType, { colour: string; label: string }> = {
  offered_as: { colour: '#7f89e8', label: 'offered as' },
  listed_on: { colour: '#e9a36f', label: 'listed on' },
  has_brand: { colour: '#b68bc9', label: 'has brand' },
  in_category: { colour: '#76b98c', label: 'in category' },
  maps_to: { colour: '#4f9e69', label: 'maps to' },
  has_attribute: { colour: '#a9adb4', label: 'has attribute' },
  interacted: { colour: '#e08bb0', label: 'interacted' },
  similar_to: { colour: '#5fb8c4', label: 'similar to' },
  conflicts_with: { colour: CONFLICT_COLOUR, label: 'conflicts with' },
};

/** The legend's swatch outline of each shape, as SVG polygon points in a 12 × 12 box (null: a circle or a rounded box). */
export const LEGEND_POINTS: Record<Shape, string | null> = {
  'round-rectangle': null,
  ellipse: null,
  rectangle: '1,2 11,2 11,10 1,10',
  diamond: '6,0.5 11.5,6 6,11.5 0.5,6',
  hexagon: '3,1 9,1 12,6 9,11 3,11 0,6',
  triangle: '6,0.5 11.5,11 0.5,11',
  tag: '0.5,1.5 8,1.5 11.5,6 8,10.5 0.5,10.5',
  star: '6,0.5 7.6,4.3 11.7,4.6 8.6,7.3 9.5,11.3 6,9.2 2.5,11.3 3.4,7.3 0.3,4.6 4.4,4.3',
};

/** Labels longer than this are cut on the canvas (the side panel shows them whole). */
const LABEL_CHARS = 32;

export function canvasLabel(label: string): string {
  return label.length > LABEL_CHARS ? `${label.slice(0, LABEL_CHARS - 1)}…` : label;
}

/** The colours the canvas takes from the page's theme. */
export interface CanvasTheme {
  text: string;
  background: string;
  accent: string;
}

export function graphStylesheet(theme: CanvasTheme): StylesheetJson {
  const byNodeType = (Object.entries(NODE_LOOK) as [NodeType, NodeLook][]).map(([type, look]) => ({
    selector: `node.t-${type}`,
    style: {
      shape: look.shape,
      'background-color': look.colour,
      ...(look.size ? { width: look.size[0], height: look.size[1] } : {}),
    },
  }));
  const byEdgeType = (Object.entries(EDGE_LOOK) as [EdgeType, { colour: string }][]).map(([type, look]) => ({
    selector: `edge.t-${type}`,
    style: { 'line-color': look.colour },
  }));
  return [
    {
      selector: 'node',
      style: {
        width: 18,
        height: 18,
        label: 'data(label)',
        'font-size': 10,
        color: theme.text,
        'text-valign': 'bottom',
        'text-margin-y': 3,
        'text-outline-color': theme.background,
        'text-outline-width': 2,
        // Labels are not drawn when they would be smaller than this on screen (zoomed out).
        'min-zoomed-font-size': 8,
        'border-width': 0,
      },
    },
    ...byNodeType,
    {
      selector: 'edge',
      style: {
        // Haystack: straight lines, no arrows, the cheapest edge cytoscape draws.
        'curve-style': 'haystack',
        'haystack-radius': 0,
        width: 1.2,
        opacity: 0.75,
      },
    },
    ...byEdgeType,
    { selector: 'edge.t-conflicts_with', style: { width: 2.2, opacity: 1, 'line-style': 'dashed' } },
    { selector: '.is-hidden', style: { display: 'none' } },
    {
      selector: 'node.is-selected',
      style: { 'border-width': 3, 'border-color': theme.accent, 'font-weight': 'bold' },
    },
    { selector: 'node.is-path-end', style: { 'border-width': 3, 'border-color': PATH_COLOUR } },
    {
      selector: 'edge.on-path',
      style: {
        width: 4,
        opacity: 1,
        'line-color': PATH_COLOUR,
        label: 'data(words)',
        'font-size': 9,
        color: theme.text,
        'text-outline-color': theme.background,
        'text-outline-width': 2,
        'min-zoomed-font-size': 8,
      },
    },
    { selector: 'node.on-path', style: { 'border-width': 3, 'border-color': PATH_COLOUR } },
    { selector: '.is-faded', style: { opacity: 0.25 } },
  ];
}

/** The options of the cytoscape instance (besides container, style and elements). */
export const CANVAS_OPTIONS = {
  minZoom: 0.05,
  maxZoom: 4,
  wheelSensitivity: 0.3,
  pixelRatio: 1,
  motionBlur: false,
  // Selection is the page's own (a class), not cytoscape's: one selected node, shift-click picks a path's end.
  autounselectify: true,
  boxSelectionEnabled: false,
  // Large views only: while the user pans or zooms, edges are not drawn (see largeView).
  hideEdgesOnViewport: false,
  textureOnViewport: false,
} satisfies CytoscapeOptions;

/** From this many elements on, a view counts as large: a draft layout, no animation, edges hidden while moving. */
export const LARGE_VIEW = 1500;

/** fcose for `nodes` nodes; `incremental` keeps the nodes already placed near where they are. */
export function layoutOptions(nodes: number, incremental: boolean): FcoseLayoutOptions {
  const large = nodes >= LARGE_VIEW / 2;
  return {
    name: 'fcose',
    // fcose keeps the current positions only with the proof quality; a large view gets the quick spectral draft.
    quality: incremental && !large ? 'proof' : large ? 'draft' : 'default',
    randomize: !incremental || large,
    animate: !large,
    animationDuration: 300,
    fit: true,
    padding: 30,
    nodeDimensionsIncludeLabels: false,
    uniformNodeDimensions: true,
    idealEdgeLength: () => 70,
    nodeRepulsion: () => 6000,
    numIter: large ? 600 : 2500,
  };
}
