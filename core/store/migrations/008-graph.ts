import type { Migration } from '../migrate.js';

/**
 * The knowledge graph (DESIGN.md "Knowledge graph", core/graph): nodes and edges as the build left them, with the
 * part (subgraph) each came from so that re-importing one source rebuilds its part only. Queries read
 * graph_nodes(id, key, type, label, props), graph_edges(src, dst, type, props) and graph_search; the build owns the
 * rest. props is a JSON object (aliases, provenance, timestamps, cosines, gap kinds).
 */
export const graph: Migration = {
  version: 8,
  name: 'graph',
  up: `
    CREATE TABLE graph_nodes (
      id INTEGER PRIMARY KEY,
      key TEXT NOT NULL UNIQUE,
      type TEXT NOT NULL,
      label TEXT NOT NULL,
      -- the subgraph that made it: 'catalog', 'source:<id>', 'gaps', 'similar', ...
      part TEXT NOT NULL,
      props TEXT NOT NULL DEFAULT '{}',
      -- graph_builds.id of the build that last wrote it: what a rebuilt part did not write again is gone
      build INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX graph_nodes_type ON graph_nodes(type);
    CREATE INDEX graph_nodes_part ON graph_nodes(part);

    CREATE TABLE graph_edges (
      id INTEGER PRIMARY KEY,
      src INTEGER NOT NULL,
      dst INTEGER NOT NULL,
      type TEXT NOT NULL,
      part TEXT NOT NULL,
      props TEXT
    );
    CREATE INDEX graph_edges_src ON graph_edges(src, type);
    CREATE INDEX graph_edges_dst ON graph_edges(dst, type);
    CREATE INDEX graph_edges_part ON graph_edges(part);

    -- Text search over node labels and aliases; rowid = graph_nodes.id.
    CREATE VIRTUAL TABLE graph_search USING fts5(label, aliases, tokenize = 'unicode61 remove_diacritics 2');

    -- One row per build: each part's fingerprint (JSON {part: fingerprint}, what it was built from), the parts it
    -- rebuilt, and the stats it measured (JSON, the shape of graph.stats plus the algorithms' summaries).
    CREATE TABLE graph_builds (
      id INTEGER PRIMARY KEY,
      started_at TEXT NOT NULL,
      finished_at TEXT NOT NULL,
      full INTEGER NOT NULL,
      parts TEXT NOT NULL,
      rebuilt TEXT NOT NULL,
      stats TEXT NOT NULL
    );
  `,
};
