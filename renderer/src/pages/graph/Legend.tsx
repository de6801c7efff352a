/** The legend, which is also the type filter: a checkbox per node type (its shape and colour) and per edge type. */
import { EDGE_TYPES, NODE_TYPES, type NodeType } from '../../../../core/api/contract';
import { useStore } from '../../lib/store';
import { EDGE_LOOK, LEGEND_POINTS, NODE_LOOK } from './graphStyle';
import { hiddenEdgeTypes, hiddenNodeTypes, toggleEdgeType, toggleNodeType } from './graphState';

export function NodeSwatch({ type }: { type: NodeType }) {
  const look = NODE_LOOK[type];
  const points = LEGEND_POINTS[look.shape];
  return (
    <svg className="graph-swatch" width={12} height={12} viewBox="0 0 12 12" aria-hidden="true">
      {points ? (
        <polygon points={points} fill={look.colour} />
      ) : look.shape === 'ellipse' ? (
        <circle cx={6} cy={6} r={5.5} fill={look.colour} />
      ) : (
        <rect x={0.5} y={1.5} width={11} height={9} rx={2.5} fill={look.colour} />
      )}
    </svg>
  );
}

export function Legend() {
  const hiddenNodes = useStore(hiddenNodeTypes);
  const hiddenEdges = useStore(hiddenEdgeTypes);
  return (
    <div className="graph-legend" data-testid="graph-legend">
      <fieldset>
        <legend>Nodes</legend>
        {NODE_TYPES.map((t) => (
          <label key={t} className="graph-legend-item">
            <input
              type="checkbox"
              checked={!hiddenNodes.has(t)}
              onChange={() => toggleNodeType(t)}
              data-testid={`show-node-${t}`}
            />
            <NodeSwatch type={t} />
            {NODE_LOOK[t].label}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>Edges</legend>
        {EDGE_TYPES.map((t) => (
          <label key={t} className="graph-legend-item">
            <input
              type="checkbox"
              checked={!hiddenEdges.has(t)}
              onChange={() => toggleEdgeType(t)}
              data-testid={`show-edge-${t}`}
            />
            <span
              className={`graph-edge-swatch${t === 'conflicts_with' ? ' is-dashed' : ''}`}
              style={{ borderColor: EDGE_LOOK[t].colour }}
              aria-hidden="true"
            />
            {EDGE_LOOK[t].label}
          </label>
        ))}
      </fieldset>
    </div>
  );
}
