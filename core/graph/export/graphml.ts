/**
 * GraphML export (http://graphml.graphdrawing.org): a directed graph whose nodes are named by their keys. Every node
 * and every edge carries `type`, declared as a <key> with attr.name="type" (one for nodes, one for edges, as GraphML
 * keys are declared per domain); nodes also carry `label`, and both carry their other properties as one JSON string
 * (`props`), which Gephi, yEd, Cytoscape desktop and networkx read as a plain attribute.
 */
import type { GraphRows } from './rows.js';
import type { FileSink } from './sink.js';

/**
 * Text as XML character data or an attribute value: the five markup characters escaped, and the characters XML 1.0
 * cannot carry at all (C0 controls other than tab, newline and return; lone surrogates; U+FFFE, U+FFFF) replaced
 * by U+FFFD, since even escaped they would make the file unreadable. Tab, newline and return become character
 * references.
 */
export function xmlText(text: string): string {
  return text.replace(NOT_IN_XML, '\uFFFD').replace(/[&<>"'\t\n\r]/g, (c) => XML_ENTITIES[c]);
}

const NOT_IN_XML =
  // eslint-disable-next-line no-control-regex -- replacing the characters XML cannot carry is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const XML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  // As references, so that a parser keeps them in attribute values too (it would turn them into spaces).
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};

const HEADER = `<?xml version="1.0" encoding="UTF-8"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">
  <key id="node_type" for="node" attr.name="type" attr.type="string"/>
  <key id="node_label" for="node" attr.name="label" attr.type="string"/>
  <key id="node_props" for="node" attr.name="props" attr.type="string"/>
  <key id="edge_type" for="edge" attr.name="type" attr.type="string"/>
  <key id="edge_props" for="edge" attr.name="props" attr.type="string"/>
  <graph id="concord" edgedefault="directed">
`;

export async function writeGraphml(rows: GraphRows, sink: FileSink): Promise<void> {
  await sink.write(HEADER);
  for (const n of rows.nodes()) {
    await sink.write(
      `    <node id="${xmlText(n.key)}"><data key="node_type">${n.type}</data><data key="node_label">${xmlText(n.label)}</data><data key="node_props">${xmlText(n.props || '{}')}</data></node>\n`,
    );
  }
  for (const e of rows.edges()) {
    await sink.write(
      `    <edge id="e${e.id}" source="${xmlText(e.source)}" target="${xmlText(e.target)}"><data key="edge_type">${e.type}</data><data key="edge_props">${xmlText(e.props || '{}')}</data></edge>\n`,
    );
  }
  await sink.write('  </graph>\n</graphml>\n');
}
