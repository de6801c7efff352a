/**
 * The parts that link what the catalog parts made: the learned category mapping (maps_to), the open gaps
 * (conflicts_with) and the interactions (users interacted with offers).
 */
import { nodeKey } from '../../model/graph.js';
import { channelOrder } from '../../store/records.js';
import { NODE_TOUCH, unknownOfferProps, type PartWriter } from '../store.js';

/**
 * maps_to: a channel category -> the reference category the mapping sends it to. Reference categories are golden
 * categories, written in the taxonomy of the highest-priority channel whose records use that path (the first
 * channel when none does).
 */
export function buildCategoryMap(w: PartWriter): void {
  const db = w.db;
  const channels = channelOrder(db);
  const rank = new Map(channels.map((c, i) => [c, i]));
  const owner = new Map<string, string>();
  const used = db
    .prepare(`SELECT DISTINCT category, channel FROM records WHERE category <> ''`)
    .raw(true)
    .all() as [string, string][];
  for (const [category, channel] of used) {
    const had = owner.get(category);
    if (had === undefined || (rank.get(channel) ?? 1e9) < (rank.get(had) ?? 1e9))
      owner.set(category, channel);
  }
  const mappings = db
    .prepare(
      `SELECT channel, category, maps_to, support, source FROM category_map WHERE maps_to IS NOT NULL ORDER BY channel, category`,
    )
    .raw(true)
    .all() as [string, string, string, number, string][];
  const touch = db.prepare(
    `INSERT INTO graph_nodes (key, type, label, part, props, build) VALUES (@key, 'category', @path, @part,
       json_object('channel', @channel, 'path', @path), @build) ${NODE_TOUCH} RETURNING id`,
  );
  for (const [channel, category, mapsTo, support, source] of mappings) {
    const src = w.idOf(nodeKey.category(channel, category));
    if (src === undefined || channels.length === 0) continue;
    const refChannel = owner.get(mapsTo) ?? channels[0];
    const key = nodeKey.category(refChannel, mapsTo);
    if (refChannel === channel && mapsTo === category) continue;
    const dst =
      w.idOf(key) ??
      (touch.pluck().get({ key, path: mapsTo, part: w.part, channel: refChannel, build: w.build }) as number);
    w.edge(src, dst, 'maps_to', JSON.stringify({ support, source }));
  }
  w.flush();
}

/**
 * conflicts_with: the product -> the offer that disagrees, one edge per open gap (an absence, which has no offer,
 * goes to the channel it is missing from).
 */
export function buildGaps(w: PartWriter): void {
  w.db
    .prepare(
      `INSERT INTO graph_edges (src, dst, type, part, props)
       SELECT pn.id, coalesce(o.id, ch.id), 'conflicts_with', @part,
              json_object('kind', g.kind, 'gapId', g.id, 'channel', g.channel, 'field', g.field,
                          'expected', g.expected, 'actual', g.actual, 'severity', g.severity)
       FROM gaps g LEFT JOIN products p ON p.cluster_id = g.cluster_id
         JOIN graph_nodes pn ON pn.key = 'product:' || coalesce(p.product_id, g.cluster_id)
         LEFT JOIN graph_nodes o ON o.key = 'offer:' || g.channel || ':' || g.record_id
         JOIN graph_nodes ch ON ch.key = 'channel:' || g.channel
       WHERE g.status = 'open'`,
    )
    .run({ part: w.part });
}

/**
 * One behaviour source's part: a user node per user id, interacted edges (event, time, value, channel) to the offer
 * of the channel record the row names; an item no catalog has becomes an offer of its own (props.unknown).
 */
export function buildInteractions(w: PartWriter, sourceId: number): void {
  const db = w.db;
  const args = { source: sourceId, part: w.part, build: w.build };
  const rows = `FROM interactions i JOIN sources s ON s.id = i.source_id
                WHERE i.source_id = @source AND coalesce(i.user_id, '') <> ''`;
  db.prepare(
    `INSERT INTO graph_nodes (key, type, label, part, props, build)
     SELECT 'user:' || user_id, 'user', user_id, @part, '{}', @build
     FROM (SELECT DISTINCT i.user_id ${rows}) WHERE true ${NODE_TOUCH}`,
  ).run(args);
  db.prepare(
    `INSERT INTO graph_nodes (key, type, label, part, props, build)
     SELECT 'offer:' || channel || ':' || item_id, 'offer', item_id, @part, ${unknownOfferProps('channel', 'item_id')}, @build
     FROM (SELECT DISTINCT coalesce(i.channel, s.channel) AS channel, i.item_id ${rows}) WHERE true
     ON CONFLICT(key) DO UPDATE SET build = excluded.build WHERE graph_nodes.part = excluded.part`,
  ).run(args);
  db.prepare(
    `INSERT INTO graph_edges (src, dst, type, part, props)
     SELECT u.id, o.id, 'interacted', @part,
            json_object('event', i.event, 'ts', i.ts, 'value', i.value, 'channel', coalesce(i.channel, s.channel))
     FROM interactions i JOIN sources s ON s.id = i.source_id
       JOIN graph_nodes u ON u.key = 'user:' || i.user_id
       JOIN graph_nodes o ON o.key = 'offer:' || coalesce(i.channel, s.channel) || ':' || i.item_id
     WHERE i.source_id = @source AND coalesce(i.user_id, '') <> ''`,
  ).run({ source: sourceId, part: w.part });
}
