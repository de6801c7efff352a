/**
 * The channel nodes, and one product source's part: an offer per channel record, listed on its channel, in its
 * channel's category (a category node per channel taxonomy path). All in SQL: the rows never cross into JavaScript.
 */
import { NODE_TOUCH, NODE_UPSERT, type PartWriter } from '../store.js';

export function buildChannels(w: PartWriter): void {
  w.db
    .prepare(
      `INSERT INTO graph_nodes (key, type, label, part, props, build)
       SELECT 'channel:' || name, 'channel', name, @part, json_object('priority', priority), @build FROM channels
       WHERE true ${NODE_UPSERT}`,
    )
    .run({ part: w.part, build: w.build });
}

export function buildCatalogSource(w: PartWriter, sourceId: number): void {
  const args = { source: sourceId, part: w.part, build: w.build };
  const db = w.db;
  db.prepare(
    `INSERT INTO graph_nodes (key, type, label, part, props, build)
     SELECT 'category:' || channel || ':' || category, 'category', category, @part,
            json_object('channel', channel, 'path', category), @build
     FROM (SELECT DISTINCT channel, category FROM records WHERE source_id = @source AND category <> '')
     WHERE true ${NODE_TOUCH}`,
  ).run(args);
  db.prepare(
    `INSERT INTO graph_nodes (key, type, label, part, props, build)
     SELECT 'offer:' || channel || ':' || record_id, 'offer', coalesce(title, record_id), @part,
            json_object('channel', channel, 'recordId', record_id, 'sku', sku, 'gtin', gtin, 'brand', brand,
                        'price', price_minor, 'salePrice', sale_price_minor, 'currency', currency,
                        'availability', availability, 'category', category),
            @build
     FROM records WHERE source_id = @source ${NODE_UPSERT}`,
  ).run(args);
  db.prepare(
    `INSERT INTO graph_edges (src, dst, type, part, props)
     SELECT o.id, c.id, 'listed_on', @part, NULL FROM records r
       JOIN graph_nodes o ON o.key = 'offer:' || r.channel || ':' || r.record_id
       JOIN graph_nodes c ON c.key = 'channel:' || r.channel
     WHERE r.source_id = @source`,
  ).run({ source: sourceId, part: w.part });
  db.prepare(
    `INSERT INTO graph_edges (src, dst, type, part, props)
     SELECT o.id, c.id, 'in_category', @part, NULL FROM records r
       JOIN graph_nodes o ON o.key = 'offer:' || r.channel || ':' || r.record_id
       JOIN graph_nodes c ON c.key = 'category:' || r.channel || ':' || r.category
     WHERE r.source_id = @source AND r.category <> ''`,
  ).run({ source: sourceId, part: w.part });
}
