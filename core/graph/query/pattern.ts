/**
 * Pattern queries (PatternQuerySchema): start nodes of a type with property filters, then hops over edges with
 * filters on the edge and on the node reached, compiled to one SQL statement (a join of graph_edges and
 * graph_nodes per hop, json_extract on props). Property names are checked against a strict pattern and, like every
 * value, bound as parameters: nothing from the query is spliced into the SQL text but the hop numbers and operators
 * it chose from fixed lists.
 */
import type { GraphNode, PatternQuery } from '../../api/contract.js';
import { ConcordError } from '../../model/errors.js';
import type { GraphReader, NodeRow } from './graphReader.js';

type Filter = PatternQuery['start']['where'][number];

/** A property name, or a dotted path into nested props (provenance.price). */
const PROP_NAME = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
/** Node columns a filter may name besides props. */
const NODE_COLUMNS = new Set(['label', 'key']);

interface Compiled {
  sql: string;
  params: unknown[];
}

function badQuery(field: string, message: string): ConcordError {
  return new ConcordError('BAD_INPUT', `${field}: ${message}`, { field });
}

/** One filter as SQL over `alias` (a node or an edge of the join), its values added to `params`. */
function compileFilter(
  filter: Filter,
  alias: string,
  isNode: boolean,
  field: string,
  params: unknown[],
): string {
  let subject: string;
  if (isNode && NODE_COLUMNS.has(filter.prop)) {
    subject = `${alias}.${filter.prop}`;
  } else {
    if (!PROP_NAME.test(filter.prop))
      throw badQuery(
        `${field}.prop`,
        `"${filter.prop}" is not a property name (letters, digits, _ and dots)`,
      );
    subject = `json_extract(${alias}.props, ?)`;
    params.push(`$.${filter.prop}`);
  }
  const value = filter.value;
  if (filter.op === 'in') {
    if (!Array.isArray(value) || value.length === 0)
      throw badQuery(`${field}.value`, 'the "in" operator takes a non-empty list of values');
    params.push(...value);
    return `${subject} IN (${value.map(() => '?').join(', ')})`;
  }
  if (Array.isArray(value))
    throw badQuery(`${field}.value`, `the "${filter.op}" operator takes one value, not a list`);
  params.push(value);
  switch (filter.op) {
    case 'eq':
      return `${subject} = ?`;
    case 'ne':
      // A node without the property is not equal to the value.
      return `coalesce(${subject} <> ?, 1)`;
    case 'contains':
      return `instr(lower(${subject}), lower(?)) > 0`;
    case 'lt':
      return `${subject} < ?`;
    case 'gt':
      return `${subject} > ?`;
  }
}

/** The SQL selecting the distinct ids of the returned node of every match. */
export function compilePattern(query: PatternQuery): Compiled {
  const joins: string[] = [];
  const where: string[] = [];
  const params: unknown[] = [];
  const joinParams: unknown[] = [];
  // A hop's node named by its key is one row of a unique index: the cheapest place for SQLite to start. Without
  // statistics it may still drive the join from every node of the start type (3 × 20k store, "users who bought A
  // and later B": 1.6 s); a unary + keeps the type index out of that choice (3 ms).
  const anchored = query.hops.some((hop) => hop.node.where.some((f) => f.prop === 'key' && f.op === 'eq'));
  where.push(anchored ? '+n0.type = ?' : 'n0.type = ?');
  params.push(query.start.type);
  query.start.where.forEach((f, i) => where.push(compileFilter(f, 'n0', true, `start.where[${i}]`, params)));

  query.hops.forEach((hop, index) => {
    const h = index + 1;
    const field = `hops[${index}]`;
    const from = hop.from ?? index;
    if (from > index)
      throw badQuery(
        `${field}.from`,
        `a hop can leave from the start (0) or an earlier hop's node (1–${index}), not ${from}`,
      );
    const e = `e${h}`;
    const n = `n${h}`;
    const at = `n${from}.id`;
    const conditions = [`${e}.type = ?`];
    const hopParams: unknown[] = [hop.edge];
    let reached: string;
    if (hop.direction === 'out') {
      conditions.push(`${e}.src = ${at}`);
      reached = `${e}.dst`;
    } else if (hop.direction === 'in') {
      conditions.push(`${e}.dst = ${at}`);
      reached = `${e}.src`;
    } else {
      conditions.push(`(${e}.src = ${at} OR ${e}.dst = ${at})`);
      reached = `CASE WHEN ${e}.src = ${at} THEN ${e}.dst ELSE ${e}.src END`;
    }
    hop.where.forEach((f, i) =>
      conditions.push(compileFilter(f, e, false, `${field}.where[${i}]`, hopParams)),
    );
    if (hop.after !== false) {
      const other = hop.after === true ? index : hop.after;
      if (other < 1 || other > index)
        throw badQuery(
          `${field}.after`,
          `"after" compares with an earlier hop (1–${index}), not ${hop.after === true ? 'the start' : other}`,
        );
      conditions.push(`json_extract(${e}.props, '$.ts') > json_extract(e${other}.props, '$.ts')`);
    }
    const nodeConditions = [`${n}.id = ${reached}`];
    if (hop.node.type !== undefined) {
      nodeConditions.push(`${n}.type = ?`);
      hopParams.push(hop.node.type);
    }
    hop.node.where.forEach((f, i) =>
      nodeConditions.push(compileFilter(f, n, true, `${field}.node.where[${i}]`, hopParams)),
    );
    joins.push(`JOIN graph_edges ${e} ON ${conditions.join(' AND ')}`);
    joins.push(`JOIN graph_nodes ${n} ON ${nodeConditions.join(' AND ')}`);
    joinParams.push(...hopParams);
  });

  const returned = query.return === 'end' ? `n${query.hops.length}` : 'n0';
  return {
    sql: `SELECT DISTINCT ${returned}.id AS id FROM graph_nodes n0 ${joins.join(' ')} WHERE ${where.join(' AND ')}`,
    // The joins' placeholders come before the WHERE clause's in the SQL text.
    params: [...joinParams, ...params],
  };
}

/** The matching nodes (distinct, by id), one page of them, and how many more matched. */
export function runPattern(reader: GraphReader, query: PatternQuery): { nodes: GraphNode[]; more: number } {
  const { sql, params } = compilePattern(query);
  const ids = reader.db
    .prepare<unknown[], number>(`${sql} ORDER BY id LIMIT ? OFFSET ?`)
    .pluck()
    .all(...params, query.limit, query.offset);
  let more = 0;
  if (ids.length === query.limit) {
    const total = reader.db
      .prepare<unknown[], number>(`SELECT count(*) FROM (${sql})`)
      .pluck()
      .get(...params)!;
    more = Math.max(0, total - query.offset - ids.length);
  }
  const nodes = ids.map((id) => reader.toNode(reader.nodeById(id) as NodeRow));
  return { nodes, more };
}
