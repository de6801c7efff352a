/**
 * The products part: a product node per stored product (its golden record, with the golden-record rules' choices
 * kept as provenance: per field the golden value, the channel it came from, the rule and every channel's value),
 * offered as its channel records, with one brand node however the brand is written (the spellings as aliases) and
 * its option values as attribute nodes.
 */
import { RecordOptionsReader } from '../../align/recordOptions.js';
import { nodeKey } from '../../model/graph.js';
import { GOLDEN_VALUE_COLUMNS, parseProvenance } from '../../store/goldenRecords.js';
import { fieldOf } from '../../store/columns.js';
import type { PartWriter } from '../store.js';

type GoldenValueColumn = (typeof GOLDEN_VALUE_COLUMNS)[number];

interface ProvenanceEntry {
  value: unknown;
  channel: string | null;
  rule: string;
  /** Every channel's value (its first record's, in priority order). */
  values: Record<string, unknown>;
}

interface GroupRecord {
  ref: number;
  channel: string;
  brand: string | null;
  brandKey: string | null;
  title: string | null;
  options: string | null;
  values: unknown[];
}

const RECORD_HEAD = [
  'product',
  'family',
  'ref',
  'channel',
  'brand',
  'brand_key',
  'title',
  'options',
] as const;

/** A node to write once the reading statement is done (better-sqlite3 writes nothing while a read iterates). */
interface PendingProduct {
  key: string;
  label: string;
  props: string;
  brandKey: string | null;
  attributes: string[];
}

export function buildProducts(w: PartWriter): void {
  const db = w.db;
  const golden = db
    .prepare(
      `SELECT cluster_id, source_record, confidence, ${GOLDEN_VALUE_COLUMNS.join(', ')}, provenance
       FROM golden_records ORDER BY cluster_id`,
    )
    .raw(true)
    .iterate() as IterableIterator<unknown[]>;
  const records = db
    .prepare(
      // The order is decided on narrow rows (a sort of the wide ones spilled hundreds of megabytes), then each
      // record is read by its id in that order.
      `WITH ordered AS MATERIALIZED (
         SELECT coalesce(p.product_id, c.cluster_id) AS product, coalesce(p.family_id, c.cluster_id) AS family,
                c.record_id FROM clusters c LEFT JOIN products p ON p.cluster_id = c.cluster_id
           JOIN records r ON r.id = c.record_id JOIN channels ch ON ch.name = r.channel
         ORDER BY 1, ch.priority, c.record_id)
       SELECT o.product, o.family, r.id, r.channel, r.brand, r.brand_key, r.title, r.options,
              ${GOLDEN_VALUE_COLUMNS.map((c) => `r.${c}`).join(', ')}
       FROM ordered o CROSS JOIN records r ON r.id = o.record_id`,
    )
    .raw(true)
    .iterate() as IterableIterator<unknown[]>;

  const pending: PendingProduct[] = [];
  const spellings = new Map<string, Map<string, number>>();
  const attributeLabels = new Map<string, { name: string; value: string }>();
  const optionsReader = new RecordOptionsReader();
  let goldenRow: unknown[] | undefined;
  let group: GroupRecord[] = [];
  let groupProduct = -1;
  let groupFamily = -1;

  const finish = (): void => {
    if (group.length === 0) return;
    while (goldenRow !== undefined && (goldenRow[0] as number) < groupProduct) goldenRow = next(golden);
    if (goldenRow !== undefined && goldenRow[0] === groupProduct)
      pending.push(productNode(groupProduct, groupFamily, group, goldenRow, optionsReader, attributeLabels));
    group = [];
  };
  goldenRow = next(golden);
  const finished = new Set<number>();
  for (const row of records) {
    const product = row[0] as number;
    if (product !== groupProduct) {
      finish();
      // CROSS JOIN keeps the CTE the outer loop, so its order holds; a product seen again would mean it did not.
      if (finished.has(product)) throw new Error(`graph build: records of product ${product} out of order`);
      finished.add(groupProduct);
      groupProduct = product;
      groupFamily = row[1] as number;
    }
    const rec: GroupRecord = {
      ref: row[2] as number,
      channel: row[3] as string,
      brand: row[4] as string | null,
      brandKey: row[5] as string | null,
      title: row[6] as string | null,
      options: row[7] as string | null,
      values: row.slice(RECORD_HEAD.length),
    };
    group.push(rec);
    if (rec.brand !== null && rec.brandKey !== null) {
      let s = spellings.get(rec.brandKey);
      if (!s) spellings.set(rec.brandKey, (s = new Map()));
      s.set(rec.brand, (s.get(rec.brand) ?? 0) + 1);
    }
  }
  finish();
  golden.return?.();

  const brandIds = new Map<string, number>();
  for (const [key, names] of spellings) {
    const ranked = [...names].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    const aliases = ranked.map(([name]) => name).sort();
    brandIds.set(
      key,
      w.node(nodeKey.brand(key), 'brand', ranked[0][0], JSON.stringify({ normalized: key, aliases })),
    );
  }
  const attributeIds = new Map<string, number>();
  for (const [key, a] of attributeLabels)
    attributeIds.set(key, w.node(key, 'attribute', `${a.name}: ${a.value}`, JSON.stringify(a)));
  for (const p of pending) {
    const id = w.node(p.key, 'product', p.label, p.props);
    const brand = p.brandKey === null ? undefined : brandIds.get(p.brandKey);
    if (brand !== undefined) w.edge(id, brand, 'has_brand', null);
    for (const a of p.attributes) w.edge(id, attributeIds.get(a)!, 'has_attribute', null);
  }
  w.flush();
  db.prepare(
    `INSERT INTO graph_edges (src, dst, type, part, props)
     SELECT pn.id, o.id, 'offered_as', @part, NULL
     FROM clusters c JOIN records r ON r.id = c.record_id LEFT JOIN products p ON p.cluster_id = c.cluster_id
       JOIN graph_nodes pn ON pn.key = 'product:' || coalesce(p.product_id, c.cluster_id)
       JOIN graph_nodes o ON o.key = 'offer:' || r.channel || ':' || r.record_id`,
  ).run({ part: w.part });
}

function next(it: IterableIterator<unknown[]>): unknown[] | undefined {
  const r = it.next();
  return r.done ? undefined : r.value;
}

const GOLDEN_AT = 3; // golden row: cluster_id, source_record, confidence, values…, provenance

function productNode(
  productId: number,
  familyId: number,
  group: GroupRecord[],
  golden: unknown[],
  optionsReader: RecordOptionsReader,
  attributeLabels: Map<string, { name: string; value: string }>,
): PendingProduct {
  const channelOf = new Map(group.map((r) => [r.ref, r.channel]));
  const sourceRecord = golden[1] as number;
  const stored = parseProvenance(golden[GOLDEN_AT + GOLDEN_VALUE_COLUMNS.length] as string | null);
  const provenance: Record<string, ProvenanceEntry> = {};
  const goldenFields: Record<string, unknown> = {};
  GOLDEN_VALUE_COLUMNS.forEach((column: GoldenValueColumn, i) => {
    const value = golden[GOLDEN_AT + i];
    const values: Record<string, unknown> = {};
    for (const r of group) {
      const v = r.values[i];
      if (v !== null && values[r.channel] === undefined) values[r.channel] = v;
    }
    if (value === null && Object.keys(values).length === 0) return;
    const [from, rule] = stored?.[column] ?? [sourceRecord, 'priority'];
    const field = fieldOf(column);
    goldenFields[field] = value;
    provenance[field] = {
      value,
      channel: from === null ? null : (channelOf.get(from) ?? null),
      rule,
      values,
    };
  });
  const brandFrom = stored?.brand?.[0] ?? sourceRecord;
  const brandKey =
    group.find((r) => r.ref === brandFrom && r.brandKey !== null)?.brandKey ??
    group.find((r) => r.brandKey !== null)?.brandKey ??
    null;
  const attributes = new Set<string>();
  for (const r of group) {
    const canonical = optionsReader.of(r.title, r.options).canonical;
    if (!canonical) continue;
    for (const name in canonical) {
      const key = nodeKey.attribute(name, canonical[name]);
      attributes.add(key);
      if (!attributeLabels.has(key)) attributeLabels.set(key, { name, value: canonical[name] });
    }
  }
  const channels = [...new Set(group.map((r) => r.channel))];
  const title = goldenFields.title;
  return {
    key: nodeKey.product(productId),
    label: typeof title === 'string' && title !== '' ? title : `product ${productId}`,
    props: JSON.stringify({
      productId,
      familyId,
      ...goldenFields,
      confidence: golden[2],
      channels,
      offers: group.length,
      provenance,
    }),
    brandKey,
    attributes: [...attributes].sort(),
  };
}
