import { describe, expect, it } from 'vitest';
import { EDGE_TYPES, NODE_TYPES } from '../../../../core/api/contract';
import {
  canvasLabel,
  CONFLICT_COLOUR,
  EDGE_LOOK,
  graphStylesheet,
  LEGEND_POINTS,
  layoutOptions,
  NODE_LOOK,
} from './graphStyle';

const theme = { text: '#111', background: '#fff', accent: '#44f' };

describe('the Graph page style', () => {
  it('tells every node type apart by shape and colour, each shape with a legend swatch', () => {
    expect(new Set(NODE_TYPES.map((t) => NODE_LOOK[t].shape)).size).toBe(NODE_TYPES.length);
    expect(new Set(NODE_TYPES.map((t) => NODE_LOOK[t].colour)).size).toBe(NODE_TYPES.length);
    for (const t of NODE_TYPES) expect(NODE_LOOK[t].shape in LEGEND_POINTS).toBe(true);
  });

  it('has a rule per node and edge type, conflicts drawn in red, and only cheap edges', () => {
    const sheet = graphStylesheet(theme) as { selector: string; style: Record<string, unknown> }[];
    const rule = (selector: string) => sheet.find((r) => r.selector === selector)?.style;
    for (const t of NODE_TYPES) expect(rule(`node.t-${t}`)).toMatchObject({ shape: NODE_LOOK[t].shape });
    for (const t of EDGE_TYPES) expect(rule(`edge.t-${t}`)).toEqual({ 'line-color': EDGE_LOOK[t].colour });
    expect(EDGE_LOOK.conflicts_with.colour).toBe(CONFLICT_COLOUR);
    expect(CONFLICT_COLOUR).toMatch(/^#e0/);
    expect(rule('edge')).toMatchObject({ 'curve-style': 'haystack' });
    expect(rule('node')).toMatchObject({ 'min-zoomed-font-size': 8, color: theme.text });
  });

  it('lays out a large view quickly (draft, no animation) and a small one in place', () => {
    expect(layoutOptions(2000, true)).toMatchObject({ quality: 'draft', animate: false, randomize: true });
    expect(layoutOptions(40, true)).toMatchObject({ quality: 'proof', animate: true, randomize: false });
    expect(layoutOptions(40, false)).toMatchObject({ quality: 'default', randomize: true });
  });

  it('cuts long labels on the canvas', () => {
    expect(canvasLabel('short')).toBe('short');
    const cut = canvasLabel('Carhartt Men’s Delta Slim Fit Heavyweight T-Shirt, M, Heather Grey');
    expect(cut).toHaveLength(32);
    expect(cut.endsWith('…')).toBe(true);
  });
});
