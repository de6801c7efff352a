/**
 * The side panel's node view: the selected node's properties and provenance (graph.node), with expand / show more /
 * collapse / remove and the path controls; and the path view: the paths found between two nodes, in words.
 * Everything from the graph is rendered as text (React escapes it): no HTML from data.
 */
import type { GraphNode } from '../../../../core/api/contract';
import { useQuery } from '../../api/useQuery';
import { ErrorBlock } from '../../components/ErrorBlock';
import { formatCount } from '../../lib/format';
import { useStore } from '../../lib/store';
import { NODE_LOOK } from './graphStyle';
import {
  busy,
  clearPath,
  collapse,
  expand,
  pathStart,
  paths,
  removeNode,
  selected,
  showPath,
  view,
  viewVersion,
} from './graphState';
import { NodeSwatch } from './Legend';

/** Property names shown in their own sections rather than in the table. */
const OWN_SECTIONS = new Set(['provenance', 'aliases']);

function PropValue({ value }: { value: unknown }) {
  if (value === null || value === undefined || value === '') return <span className="value-missing">—</span>;
  if (typeof value === 'object')
    return <pre className="graph-prop-json">{JSON.stringify(value, null, 1)}</pre>;
  return <span className="graph-prop-text">{String(value)}</span>;
}

function PropTable({ entries, testId }: { entries: [string, unknown][]; testId: string }) {
  return (
    <table className="graph-props" data-testid={testId}>
      <tbody>
        {entries.map(([k, v]) => (
          <tr key={k}>
            <th scope="row">{k}</th>
            <td>
              <PropValue value={v} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A golden field's provenance as the graph build keeps it: the value, where it came from, every channel's value. */
interface FieldProvenance {
  value: unknown;
  channel: string | null;
  rule: string;
  values: Record<string, unknown>;
}

function isFieldProvenance(v: unknown): v is FieldProvenance {
  return !!v && typeof v === 'object' && 'rule' in v && 'values' in v && typeof v.values === 'object';
}

const text = (v: unknown) =>
  v === null || v === undefined ? '—' : typeof v === 'object' ? JSON.stringify(v) : String(v);

function FieldProvenanceTable({ fields }: { fields: [string, FieldProvenance][] }) {
  return (
    <table className="graph-props graph-provenance-table" data-testid="provenance-fields">
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">Kept value and where from</th>
        </tr>
      </thead>
      <tbody>
        {fields.map(([field, p]) => (
          <tr key={field}>
            <th scope="row">{field}</th>
            <td>
              <span className="graph-prop-text">{text(p.value)}</span>
              <span className="graph-prov-source">
                {p.channel ?? 'no channel'} · {p.rule}
              </span>
              {Object.entries(p.values)
                .filter(([, v]) => text(v) !== text(p.value))
                .map(([channel, v]) => (
                  <span key={channel} className="graph-prov-other">
                    {channel}: {text(v)}
                  </span>
                ))}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Provenance({ value }: { value: unknown }) {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length > 0 && entries.every(([, v]) => isFieldProvenance(v)))
      return <FieldProvenanceTable fields={entries as [string, FieldProvenance][]} />;
  }
  if (Array.isArray(value))
    return (
      <ul className="graph-provenance">
        {value.map((item, i) =>
          item && typeof item === 'object' ? (
            <li key={i}>
              <PropTable entries={Object.entries(item as Record<string, unknown>)} testId="provenance-item" />
            </li>
          ) : (
            <li key={i}>{String(item)}</li>
          ),
        )}
      </ul>
    );
  if (value && typeof value === 'object')
    return <PropTable entries={Object.entries(value as Record<string, unknown>)} testId="provenance-item" />;
  return <PropValue value={value} />;
}

function NodeActions({ nodeKey }: { nodeKey: string }) {
  useStore(viewVersion);
  const working = useStore(busy) !== null;
  const start = useStore(pathStart);
  const expansion = view.expansion(nodeKey);
  return (
    <div className="graph-node-actions" role="group" aria-label="This node">
      {!expansion ? (
        <button type="button" className="btn btn-sm" disabled={working} onClick={() => void expand(nodeKey)}>
          Expand
        </button>
      ) : (
        <>
          {expansion.more > 0 && (
            <button
              type="button"
              className="btn btn-sm"
              disabled={working}
              onClick={() => void expand(nodeKey)}
              data-testid="show-more"
            >
              Show {formatCount(expansion.more)} more
            </button>
          )}
          <button type="button" className="btn btn-sm" onClick={() => collapse(nodeKey)}>
            Collapse
          </button>
        </>
      )}
      <button type="button" className="btn btn-sm" onClick={() => removeNode(nodeKey)}>
        Remove
      </button>
      <button
        type="button"
        className="btn btn-sm"
        aria-pressed={start === nodeKey}
        onClick={() => pathStart.set(start === nodeKey ? null : nodeKey)}
        title="Then click the node the path goes to (or shift-click it without this button)"
        data-testid="path-from-here"
      >
        {start === nodeKey ? 'Pick the other end…' : 'Path from here'}
      </button>
    </div>
  );
}

function NodeDetail({ node }: { node: GraphNode }) {
  const props = Object.entries(node.props).filter(([k]) => !OWN_SECTIONS.has(k));
  const aliases = node.props.aliases;
  return (
    <>
      {props.length > 0 && (
        <section className="graph-section" aria-label="Properties">
          <h3>Properties</h3>
          <PropTable entries={props} testId="node-props" />
        </section>
      )}
      {Array.isArray(aliases) && aliases.length > 0 && (
        <section className="graph-section" aria-label="Aliases">
          <h3>Also written</h3>
          <p data-testid="node-aliases">{aliases.map(String).join(' · ')}</p>
        </section>
      )}
      {node.props.provenance !== undefined && (
        <section className="graph-section" aria-label="Provenance" data-testid="node-provenance">
          <h3>Provenance</h3>
          <Provenance value={node.props.provenance} />
        </section>
      )}
    </>
  );
}

export function NodePanel() {
  const key = useStore(selected);
  if (!key)
    return (
      <p className="text-muted graph-hint" data-testid="node-panel-empty">
        Click a node to see its properties and where they came from. Double-click expands it; shift-click a
        second node shows the shortest path between them.
      </p>
    );
  return <SelectedNode nodeKey={key} />;
}

function SelectedNode({ nodeKey: key }: { nodeKey: string }) {
  useStore(viewVersion);
  const { data, error, loading } = useQuery('graph.node', { key }, key);
  const node = data?.key === key ? data : (view.nodes.get(key) ?? null);
  return (
    <div className={`graph-node${loading ? ' is-loading' : ''}`} data-testid="node-panel">
      <div className="graph-node-head">
        {node && <NodeSwatch type={node.type} />}
        <span className="graph-node-type">{node ? NODE_LOOK[node.type].label : ''}</span>
        {node?.degree !== undefined && (
          <span className="text-muted num" title="Edges at this node in the whole graph">
            {formatCount(node.degree)} edge{node.degree === 1 ? '' : 's'}
          </span>
        )}
      </div>
      <h2 className="graph-node-title" data-testid="node-title">
        {node?.label ?? key}
      </h2>
      <code className="graph-node-key">{key}</code>
      {view.nodes.has(key) && <NodeActions nodeKey={key} />}
      {error && !data && <ErrorBlock title="Could not load the node" error={error} />}
      {data?.key === key && <NodeDetail node={data} />}
    </div>
  );
}

export function PathPanel() {
  const p = useStore(paths);
  useStore(viewVersion);
  if (!p)
    return (
      <p className="text-muted graph-hint" data-testid="path-panel-empty">
        Select a node, then shift-click another (or use “Path from here”): the shortest paths between them
        show here in words and on the graph.
      </p>
    );
  const label = (k: string) => view.nodes.get(k)?.label ?? k;
  return (
    <div className="graph-paths" data-testid="path-panel">
      <p className="graph-path-ends">
        From <strong>{label(p.from)}</strong> to <strong>{label(p.to)}</strong>
      </p>
      {p.found.length === 0 ? (
        <p data-testid="no-path">No path connects them.</p>
      ) : (
        <ol className="boxed-list graph-path-list">
          {p.found.map((path, i) => (
            <li key={i}>
              <button
                type="button"
                className={`graph-path-item${i === p.shown ? ' is-current' : ''}`}
                aria-pressed={i === p.shown}
                onClick={() => showPath(i)}
                data-testid="path-words"
              >
                <span className="graph-path-hops num">
                  {path.edges.length} hop{path.edges.length === 1 ? '' : 's'}
                </span>
                {path.words}
              </button>
            </li>
          ))}
        </ol>
      )}
      <button type="button" className="btn btn-sm" onClick={clearPath}>
        Clear the path
      </button>
    </div>
  );
}
