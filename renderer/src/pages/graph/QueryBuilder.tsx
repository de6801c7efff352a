/**
 * A small pattern-query builder (PatternQuerySchema): a start type with property filters, then a chain of hops
 * (edge type, direction, the type reached and its filters). Results are listed; clicking one shows it on the
 * graph with its neighbourhood, "Add all" puts every result in the view.
 */
import { useState } from 'react';
import {
  EDGE_TYPES,
  NODE_TYPES,
  type ApiError,
  type EdgeType,
  type GraphNode,
  type NodeType,
} from '../../../../core/api/contract';
import { ErrorBlock } from '../../components/ErrorBlock';
import { CloseButton } from '../../components/CloseButton';
import { toApiError } from '../../api/transport';
import { formatCount } from '../../lib/format';
import { EDGE_LOOK, NODE_LOOK } from './graphStyle';
import { addNodes, expand, runQuery, selected } from './graphState';
import { NodeSwatch } from './Legend';
import {
  emptyFilter,
  hopFrom,
  OP_LABEL,
  toPatternQuery,
  typeBefore,
  withEdge,
  type Direction,
  type FilterOp,
  type FilterRow,
  type QueryForm,
} from './queryForm';

const OPS = Object.keys(OP_LABEL) as FilterOp[];

function Filters({
  rows,
  onChange,
  label,
}: {
  rows: FilterRow[];
  onChange: (rows: FilterRow[]) => void;
  label: string;
}) {
  const set = (i: number, patch: Partial<FilterRow>) =>
    onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <div className="gq-filters">
      {rows.map((r, i) => (
        <div className="gq-filter" key={i}>
          <input
            type="text"
            value={r.prop}
            onChange={(e) => set(i, { prop: e.target.value })}
            aria-label={`${label}, filter ${i + 1}: property`}
            placeholder="property"
          />
          <select
            value={r.op}
            onChange={(e) => set(i, { op: e.target.value as FilterOp })}
            aria-label={`${label}, filter ${i + 1}: comparison`}
          >
            {OPS.map((op) => (
              <option key={op} value={op}>
                {OP_LABEL[op]}
              </option>
            ))}
          </select>
          <input
            type="text"
            value={r.value}
            onChange={(e) => set(i, { value: e.target.value })}
            aria-label={`${label}, filter ${i + 1}: value`}
            placeholder="value"
          />
          <CloseButton
            label={`Remove filter ${i + 1}`}
            onClick={() => onChange(rows.filter((_, j) => j !== i))}
          />
        </div>
      ))}
      <button
        type="button"
        className="btn btn-sm btn-ghost"
        onClick={() => onChange([...rows, emptyFilter()])}
      >
        + Filter
      </button>
    </div>
  );
}

const FIRST_FORM: QueryForm = { startType: 'product', where: [emptyFilter()], hops: [], returns: 'start' };

export function QueryBuilder() {
  const [form, setForm] = useState<QueryForm>(FIRST_FORM);
  const [result, setResult] = useState<{ nodes: GraphNode[]; more: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [apiError, setApiError] = useState<ApiError | null>(null);
  const [running, setRunning] = useState(false);

  const setHop = (i: number, hop: QueryForm['hops'][number]) =>
    setForm((f) => ({ ...f, hops: f.hops.map((h, j) => (j === i ? hop : h)) }));

  const run = async () => {
    const { query, error: formError } = toPatternQuery(form);
    setError(formError);
    setApiError(null);
    if (!query) return;
    setRunning(true);
    try {
      setResult(await runQuery(query));
    } catch (err) {
      setApiError(toApiError(err));
    } finally {
      setRunning(false);
    }
  };

  const show = (node: GraphNode) => {
    addNodes([node]);
    selected.set(node.key);
    void expand(node.key);
  };

  return (
    <div className="graph-query" data-testid="query-builder">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <div className="gq-step">
          <label className="gq-line">
            Find
            <select
              value={form.startType}
              onChange={(e) => setForm({ ...form, startType: e.target.value as NodeType, hops: [] })}
              data-testid="query-start"
            >
              {NODE_TYPES.map((t) => (
                <option key={t} value={t}>
                  {NODE_LOOK[t].label}
                </option>
              ))}
            </select>
          </label>
          <Filters rows={form.where} onChange={(where) => setForm({ ...form, where })} label="Start" />
        </div>
        {form.hops.map((hop, i) => (
          <div className="gq-step" key={i}>
            <div className="gq-line">
              <span className="text-muted">then</span>
              <select
                value={hop.edge}
                onChange={(e) => setHop(i, withEdge(hop, e.target.value as EdgeType, typeBefore(form, i)))}
                aria-label={`Hop ${i + 1}: edge`}
                data-testid={`query-hop-${i + 1}-edge`}
              >
                {EDGE_TYPES.map((t) => (
                  <option key={t} value={t}>
                    {EDGE_LOOK[t].label}
                  </option>
                ))}
              </select>
              <select
                value={hop.direction}
                onChange={(e) => setHop(i, { ...hop, direction: e.target.value as Direction })}
                aria-label={`Hop ${i + 1}: direction`}
              >
                <option value="out">forwards</option>
                <option value="in">backwards</option>
                <option value="any">either way</option>
              </select>
              <select
                value={hop.nodeType}
                onChange={(e) => setHop(i, { ...hop, nodeType: e.target.value as NodeType | '' })}
                aria-label={`Hop ${i + 1}: node type reached`}
              >
                <option value="">any node</option>
                {NODE_TYPES.map((t) => (
                  <option key={t} value={t}>
                    {NODE_LOOK[t].label}
                  </option>
                ))}
              </select>
              <CloseButton
                label={`Remove hop ${i + 1}`}
                onClick={() => setForm({ ...form, hops: form.hops.slice(0, i) })}
              />
            </div>
            {hop.edge === 'interacted' && i > 0 && (
              <label className="gq-line">
                <input
                  type="checkbox"
                  checked={hop.after}
                  onChange={(e) => setHop(i, { ...hop, after: e.target.checked })}
                />
                later than the previous hop
              </label>
            )}
            <Filters
              rows={hop.where}
              onChange={(where) => setHop(i, { ...hop, where })}
              label={`Hop ${i + 1}`}
            />
          </div>
        ))}
        <div className="gq-line">
          <button
            type="button"
            className="btn btn-sm"
            disabled={form.hops.length >= 6}
            onClick={() =>
              setForm({ ...form, hops: [...form.hops, hopFrom(typeBefore(form, form.hops.length))] })
            }
            data-testid="query-add-hop"
          >
            + Hop
          </button>
          {form.hops.length > 0 && (
            <label className="gq-line">
              Return
              <select
                value={form.returns}
                onChange={(e) => setForm({ ...form, returns: e.target.value as 'start' | 'end' })}
              >
                <option value="start">the start</option>
                <option value="end">the last hop&apos;s node</option>
              </select>
            </label>
          )}
          <span className="spacer" />
          <button type="submit" className="btn btn-sm btn-primary" disabled={running} data-testid="query-run">
            {running ? 'Running…' : 'Run'}
          </button>
        </div>
      </form>
      {error && (
        <p className="form-error" role="alert" data-testid="query-error">
          {error}
        </p>
      )}
      {apiError && <ErrorBlock title="The query failed" error={apiError} />}
      {result && (
        <div className="gq-results" data-testid="query-results">
          <div className="gq-line">
            <strong className="num">
              {formatCount(result.nodes.length)}
              {result.more > 0 ? `+${formatCount(result.more)}` : ''}
            </strong>{' '}
            found
            <span className="spacer" />
            {result.nodes.length > 0 && (
              <button type="button" className="btn btn-sm" onClick={() => addNodes(result.nodes)}>
                Add all to the view
              </button>
            )}
          </div>
          <ul className="graph-result-list">
            {result.nodes.map((n) => (
              <li key={n.key}>
                <button type="button" className="graph-result" onClick={() => show(n)} title={n.key}>
                  <NodeSwatch type={n.type} />
                  <span className="graph-result-label">{n.label}</span>
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
