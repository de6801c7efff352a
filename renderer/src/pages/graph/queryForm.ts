/**
 * The pattern-query builder's form (start type and filters, a chain of hops) and its translation into the API's
 * PatternQuery, with an error that names the hop and filter when a row cannot be read.
 */
import {
  PatternQuerySchema,
  type EdgeType,
  type NodeType,
  type PatternQuery,
} from '../../../../core/api/contract';

export type FilterOp = 'eq' | 'ne' | 'contains' | 'lt' | 'gt' | 'in';
export type Direction = 'out' | 'in' | 'any';

export interface FilterRow {
  prop: string;
  op: FilterOp;
  value: string;
}

export interface HopRow {
  edge: EdgeType;
  direction: Direction;
  /** '' for any type. */
  nodeType: NodeType | '';
  where: FilterRow[];
  after: boolean;
}

export interface QueryForm {
  startType: NodeType;
  where: FilterRow[];
  hops: HopRow[];
  returns: 'start' | 'end';
}

/** Each edge type's source and target node types (core/model/graph.ts EDGE_TYPES). */
export const EDGE_ENDS: Record<EdgeType, [NodeType, NodeType]> = {
  offered_as: ['product', 'offer'],
  listed_on: ['offer', 'channel'],
  has_brand: ['product', 'brand'],
  in_category: ['offer', 'category'],
  maps_to: ['category', 'category'],
  has_attribute: ['product', 'attribute'],
  interacted: ['user', 'offer'],
  similar_to: ['product', 'product'],
  conflicts_with: ['product', 'offer'],
};

export const OP_LABEL: Record<FilterOp, string> = {
  eq: '=',
  ne: '≠',
  contains: 'contains',
  lt: '<',
  gt: '>',
  in: 'one of',
};

export function emptyFilter(): FilterRow {
  return { prop: 'label', op: 'contains', value: '' };
}

/** A hop from a node of type `from`: the first edge type that touches it, in the direction that leaves it. */
export function hopFrom(from: NodeType | ''): HopRow {
  const edge =
    (Object.keys(EDGE_ENDS) as EdgeType[]).find((e) => EDGE_ENDS[e].includes(from as NodeType)) ??
    'offered_as';
  return withEdge({ edge, direction: 'out', nodeType: '', where: [], after: false }, edge, from);
}

/** The hop with another edge type: the direction and the node type reached follow from where the hop starts. */
export function withEdge(hop: HopRow, edge: EdgeType, from: NodeType | ''): HopRow {
  const [source, target] = EDGE_ENDS[edge];
  const direction: Direction = source === target ? 'any' : from === target ? 'in' : 'out';
  const nodeType = direction === 'in' ? source : target;
  return { ...hop, edge, direction, nodeType };
}

/** The node type a hop starts from: the start's, or the previous hop's. */
export function typeBefore(form: QueryForm, hopIndex: number): NodeType | '' {
  return hopIndex === 0 ? form.startType : form.hops[hopIndex - 1].nodeType;
}

function filterValue(row: FilterRow, where: string): string | number | (string | number)[] {
  const text = row.value.trim();
  const asNumber = (s: string) => (s !== '' && Number.isFinite(Number(s)) ? Number(s) : s);
  if (row.op === 'in') {
    const items = text
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (items.length === 0) throw new Error(`${where}: "one of" takes values separated by commas`);
    return items.map(asNumber);
  }
  if (row.op === 'lt' || row.op === 'gt') {
    const n = Number(text);
    if (text === '' || !Number.isFinite(n)) throw new Error(`${where}: ${OP_LABEL[row.op]} takes a number`);
    return n;
  }
  return asNumber(text);
}

function filters(rows: FilterRow[], where: string) {
  return rows
    .filter((r) => r.prop.trim() !== '')
    .map((r, i) => ({
      prop: r.prop.trim(),
      op: r.op,
      value: filterValue(r, `${where}, filter ${i + 1} (${r.prop.trim()})`),
    }));
}

/** The form as a PatternQuery, or the reason it is not one. */
export function toPatternQuery(
  form: QueryForm,
  limit = 200,
): { query: PatternQuery; error: null } | { query: null; error: string } {
  try {
    const raw = {
      start: { type: form.startType, where: filters(form.where, 'Start') },
      hops: form.hops.map((h, i) => ({
        edge: h.edge,
        direction: h.direction,
        where: [],
        node: { ...(h.nodeType ? { type: h.nodeType } : {}), where: filters(h.where, `Hop ${i + 1}`) },
        after: h.after,
      })),
      return: form.returns,
      limit,
    };
    const parsed = PatternQuerySchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return { query: null, error: `${issue.path.join('.')}: ${issue.message}` };
    }
    return { query: parsed.data, error: null };
  } catch (err) {
    return { query: null, error: (err as Error).message };
  }
}
