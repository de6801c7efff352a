/**
 * Neo4j export: CSV files for `neo4j-admin database import full`, in its header format, and a README.md with the
 * command. One node file per node type (nodes_<type>.csv: `key:ID`, `label`, `:LABEL`, then the type's properties
 * with their types, e.g. `price:double`, `aliases:string[]`) and one relationship file per edge type
 * (relationships_<type>.csv: `:START_ID`, `:END_ID`, `:TYPE`, then the properties). Node keys are the ids, in the
 * one global id space (they are unique across types). Labels are the types in PascalCase (Product), relationship
 * types in upper snake case (OFFERED_AS), as Cypher style has them.
 *
 * Columns are found in a first pass over the properties; a second pass writes the rows. A property whose values
 * differ in kind across nodes, or that holds objects (provenance), is written as a JSON string. Fields are quoted
 * as RFC 4180 has it; no formula escaping: these files are input for the importer, not for a spreadsheet.
 */
import { join } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { EDGE_TYPES, NODE_TYPES } from '../../model/graph.js';
import type { GraphRows } from './rows.js';
import { FileSink } from './sink.js';

/** The importer's default array delimiter; a string array whose elements contain it is written as JSON instead. */
const ARRAY_DELIMITER = ';';

type Kind =
  'long' | 'double' | 'boolean' | 'string' | 'long[]' | 'double[]' | 'boolean[]' | 'string[]' | 'json';

function kindOf(value: unknown): Kind | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isInteger(value) ? 'long' : 'double';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'string') return 'string';
  if (Array.isArray(value)) {
    if (value.length === 0) return null;
    const kinds = new Set(value.map(kindOf));
    if (kinds.size === 1 && !kinds.has(null)) {
      const [k] = kinds;
      if (k === 'string') return value.some((v: string) => v.includes(ARRAY_DELIMITER)) ? 'json' : 'string[]';
      if (k === 'long' || k === 'double' || k === 'boolean') return `${k}[]`;
    }
    if (kinds.size === 2 && kinds.has('long') && kinds.has('double')) return 'double[]';
    return 'json';
  }
  return 'json';
}

/** The kind that holds values of both kinds. */
function widen(a: Kind, b: Kind): Kind {
  if (a === b) return a;
  if ((a === 'long' && b === 'double') || (a === 'double' && b === 'long')) return 'double';
  if ((a === 'long[]' && b === 'double[]') || (a === 'double[]' && b === 'long[]')) return 'double[]';
  return 'json';
}

/** A CSV field: strings quoted (quotes doubled), numbers and booleans bare, a missing value empty. */
function field(value: unknown, kind: Kind): string {
  if (value === null || value === undefined) return '';
  if (kind === 'json') return quote(typeof value === 'string' ? value : JSON.stringify(value));
  if (kind.endsWith('[]')) {
    const items = (Array.isArray(value) ? value : [value]).map(String);
    return kind === 'string[]' ? quote(items.join(ARRAY_DELIMITER)) : items.join(ARRAY_DELIMITER);
  }
  if (kind === 'string') return quote(String(value));
  return String(value);
}

function quote(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}

/** The header's name for a property: the importer reads `name:type`, so a colon in a name becomes _. */
function columnName(prop: string, reserved: ReadonlySet<string>): string {
  const name = prop.replaceAll(':', '_');
  return reserved.has(name) ? `prop_${name}` : name;
}

const NODE_RESERVED = new Set(['key', 'label']);
const EDGE_RESERVED = new Set<string>();

export const neo4jLabel = (type: string): string =>
  type.replace(/(^|_)([a-z])/g, (_m, _u: string, c: string) => c.toUpperCase());
export const neo4jRelationshipType = (type: string): string => type.toUpperCase();

interface Columns {
  props: Map<string, Kind>;
  count: number;
}

function collect(columns: Map<string, Columns>, type: string, json: string | null): boolean {
  let c = columns.get(type);
  if (c === undefined) columns.set(type, (c = { props: new Map(), count: 0 }));
  c.count++;
  if (json === null || json === '' || json === '{}') return false;
  for (const [name, value] of Object.entries(JSON.parse(json) as Record<string, unknown>)) {
    const kind = kindOf(value);
    if (kind === null) continue;
    const before = c.props.get(name);
    c.props.set(name, before === undefined ? kind : widen(before, kind));
  }
  // A line break anywhere in the props, nested or not, is \n or \r in their JSON.
  return /\\[rn]/.test(json);
}

export interface Neo4jExport {
  files: string[];
}

export async function writeNeo4j(rows: GraphRows, folder: string): Promise<Neo4jExport> {
  const nodeColumns = new Map<string, Columns>();
  const edgeColumns = new Map<string, Columns>();
  let multiline = false;
  for (const n of rows.nodes()) {
    if (collect(nodeColumns, n.type, n.props) || /[\r\n]/.test(n.label)) multiline = true;
  }
  for (const e of rows.edges()) if (collect(edgeColumns, e.type, e.props)) multiline = true;

  const opened: FileSink[] = [];
  /** One CSV file per type that occurs, in vocabulary order, its header written: the fixed columns, then the props. */
  const openFiles = async (
    types: readonly string[],
    columns: Map<string, Columns>,
    prefix: string,
    fixed: string[],
    reserved: ReadonlySet<string>,
  ) => {
    const files = new Map<string, { sink: FileSink; props: [string, Kind][] }>();
    for (const type of types.filter((t) => columns.has(t))) {
      const props = [...columns.get(type)!.props];
      const sink = new FileSink(join(folder, `${prefix}_${type}.csv`));
      opened.push(sink);
      const header = [...fixed, ...props.map(([p, k]) => header1(p, k, reserved))];
      await sink.write(header.map(headerField).join(',') + '\n');
      files.set(type, { sink, props });
    }
    return files;
  };
  const row = (fixed: string[], props: Record<string, unknown>, columns: [string, Kind][]): string =>
    [...fixed, ...columns.map(([p, k]) => field(props[p], k))].join(',') + '\n';
  try {
    const nodes = await openFiles(
      NODE_TYPES,
      nodeColumns,
      'nodes',
      ['key:ID', 'label', ':LABEL'],
      NODE_RESERVED,
    );
    const edges = await openFiles(
      EDGE_TYPES,
      edgeColumns,
      'relationships',
      [':START_ID', ':END_ID', ':TYPE'],
      EDGE_RESERVED,
    );
    for (const n of rows.nodes()) {
      const file = nodes.get(n.type)!;
      const props = JSON.parse(n.props || '{}') as Record<string, unknown>;
      await file.sink.write(row([quote(n.key), quote(n.label), neo4jLabel(n.type)], props, file.props));
    }
    for (const e of rows.edges()) {
      const file = edges.get(e.type)!;
      const props = e.props ? (JSON.parse(e.props) as Record<string, unknown>) : {};
      await file.sink.write(
        row([quote(e.source), quote(e.target), neo4jRelationshipType(e.type)], props, file.props),
      );
    }
    for (const sink of opened) await sink.close();
    const readme = join(folder, 'README.md');
    await writeFile(readme, readmeText(nodes, edges, nodeColumns, edgeColumns, multiline));
    return { files: [...opened.map((sink) => sink.path), readme] };
  } catch (err) {
    for (const sink of opened) sink.destroy();
    throw err;
  }
}

function header1(prop: string, kind: Kind, reserved: ReadonlySet<string>): string {
  const name = columnName(prop, reserved);
  return kind === 'string' || kind === 'json' ? name : `${name}:${kind}`;
}

/** Header cells are quoted only when they must be (a property name with a comma or a quote). */
function headerField(name: string): string {
  return /[",\r\n]/.test(name) ? quote(name) : name;
}

function readmeText(
  nodeFiles: Map<string, unknown>,
  edgeFiles: Map<string, unknown>,
  nodeColumns: Map<string, Columns>,
  edgeColumns: Map<string, Columns>,
  multiline: boolean,
): string {
  const args = [
    ...[...nodeFiles.keys()].map((t) => `  --nodes=import/nodes_${t}.csv`),
    ...[...edgeFiles.keys()].map((t) => `  --relationships=import/relationships_${t}.csv`),
    ...(multiline ? ['  --multiline-fields=true'] : []),
  ];
  const count = (m: Map<string, Columns>, name: (t: string) => string) =>
    [...m].map(([t, c]) => `| ${name(t)} | ${c.count.toLocaleString('en-US')} |`).join('\n');
  return `# Concord knowledge graph for Neo4j

CSV files in the header format of \`neo4j-admin database import\` (Neo4j 5): one file of nodes per label and one
file of relationships per type. Node ids are Concord's node keys (\`product:12\`, \`brand:acme\`), kept as the
\`key\` property; properties that hold objects (such as provenance) are JSON strings.

## Import

Copy this folder's CSV files into the \`import\` folder of the Neo4j installation, then from \`$NEO4J_HOME\`:

\`\`\`sh
bin/neo4j-admin database import full neo4j \\
${args.join(' \\\n')}
\`\`\`

The import writes a new database (here \`neo4j\`, the default one) and refuses one that exists: add
\`--overwrite-destination=true\` to replace it. Start Neo4j afterwards; a database under another name is then
created with \`CREATE DATABASE name\`.
${multiline ? '\nSome values span lines, hence `--multiline-fields=true`.\n' : ''}
## Contents

| label | nodes |
|---|---|
${count(nodeColumns, neo4jLabel)}

| relationship type | relationships |
|---|---|
${count(edgeColumns, neo4jRelationshipType)}
`;
}
