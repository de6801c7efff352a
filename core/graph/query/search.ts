/**
 * Text search over node labels and aliases (graph_search, FTS5): every word of the text must match the start of a
 * word in the label or an alias ("trai sho" finds Trail Shoe), best match first (bm25, the label weighing more than
 * the aliases), optionally only some node types.
 */
import type { GraphNode } from '../../api/contract.js';
import type { NodeType } from '../../model/graph.js';
import type { GraphReader, NodeRow } from './graphReader.js';

/** bm25 weights of the columns (label, aliases): a hit in the label ranks above the same hit in an alias. */
const LABEL_WEIGHT = 4;
const ALIAS_WEIGHT = 1;

/**
 * The text as an FTS5 query: each word a quoted prefix term ("word"*), so the text's own punctuation and FTS5
 * operators (AND, NEAR, column filters) are read as words, never as query syntax. Null when it has no word.
 */
export function ftsQuery(text: string): string | null {
  const words = text.match(/[\p{L}\p{N}]+/gu);
  if (words === null) return null;
  return words.map((w) => `"${w}"*`).join(' ');
}

export function searchNodes(
  reader: GraphReader,
  text: string,
  options: { types?: readonly NodeType[]; limit: number },
): GraphNode[] {
  const match = ftsQuery(text);
  if (match === null) return [];
  const types = options.types ?? [];
  const typeFilter = types.length > 0 ? `AND n.type IN (${types.map(() => '?').join(', ')})` : '';
  const rows = reader.db
    .prepare<unknown[], NodeRow>(
      `SELECT n.id, n.key, n.type, n.label, n.props
         FROM graph_search s JOIN graph_nodes n ON n.id = s.rowid
        WHERE graph_search MATCH ? ${typeFilter}
        ORDER BY bm25(graph_search, ${LABEL_WEIGHT}, ${ALIAS_WEIGHT}), length(n.label), n.id
        LIMIT ?`,
    )
    .all(match, ...types, options.limit);
  return rows.map((row) => reader.toNode(row));
}
