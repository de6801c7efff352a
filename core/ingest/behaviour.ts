import { badInput } from '../model/errors.js';
import type { InteractionRow, ReviewRow } from '../model/record.js';

/** Behavioural data a generic CSV/JSONL can carry, with the target fields each kind maps. */
export const BEHAVIOUR_KINDS = ['interactions', 'orders', 'reviews'] as const;
export type BehaviourKind = (typeof BEHAVIOUR_KINDS)[number];

const TARGETS: Record<BehaviourKind, { required: string[]; optional: string[] }> = {
  interactions: { required: ['userId', 'itemId'], optional: ['event', 'timestamp', 'channel', 'value'] },
  orders: {
    required: ['itemId'],
    optional: ['userId', 'orderId', 'timestamp', 'channel', 'value', 'quantity'],
  },
  reviews: { required: ['itemId'], optional: ['userId', 'rating', 'text', 'timestamp'] },
};

/** Column names accepted without a --map (snake_case and a few common spellings). */
const DEFAULT_COLUMNS: Record<string, string[]> = {
  userId: ['user_id', 'user', 'customer_id', 'userid'],
  itemId: ['item_id', 'item', 'sku', 'product_id', 'itemid'],
  event: ['event', 'event_type', 'action'],
  timestamp: ['timestamp', 'ts', 'time', 'date', 'created_at', 'order_date'],
  channel: ['channel'],
  value: ['value', 'amount', 'revenue', 'price', 'total'],
  quantity: ['quantity', 'qty'],
  orderId: ['order_id', 'order'],
  rating: ['rating', 'stars', 'score'],
  text: ['text', 'review', 'body', 'comment'],
};

export interface BehaviourRow extends InteractionRow {
  rating: number | null;
  text: string | null;
}

export type BehaviourMapper = (cells: string[], line: number) => BehaviourRow;

export function bindBehaviour(
  kind: BehaviourKind,
  header: string[],
  mapping: Record<string, string> | undefined,
  file: string,
): BehaviourMapper {
  const lower = header.map((h) => h.toLowerCase());
  const spec = TARGETS[kind];
  const col: Record<string, number> = {};
  for (const target of [...spec.required, ...spec.optional]) {
    const mapped = mapping?.[target];
    if (mapped !== undefined) {
      const at = header.indexOf(mapped);
      if (at === -1)
        throw badInput(
          { file, line: 1, field: mapped },
          `--map ${target}=${mapped}: no column "${mapped}" in the header (${header.join(', ')})`,
        );
      col[target] = at;
      continue;
    }
    const at = (DEFAULT_COLUMNS[target] ?? []).map((c) => lower.indexOf(c)).find((i) => i !== -1);
    if (at !== undefined) col[target] = at;
    else if (spec.required.includes(target)) {
      throw badInput({ file, line: 1, field: target }, `no column for ${target} in ${kind}`, {
        do: 'map',
        target,
      });
    }
  }
  const text = (cells: string[], t: string): string | null => {
    const at = col[t];
    if (at === undefined) return null;
    const v = cells[at].trim();
    return v === '' ? null : v;
  };
  const num = (cells: string[], t: string, line: number): number | null => {
    const v = text(cells, t);
    if (v === null) return null;
    const n = Number(v.replace(',', '.'));
    if (!Number.isFinite(n)) throw badInput({ file, line, field: header[col[t]] }, `"${v}" is not a number`);
    return n;
  };
  const defaultEvent = kind === 'orders' ? 'purchase' : kind === 'reviews' ? 'review' : 'view';
  return (cells, line) => {
    const itemId = text(cells, 'itemId');
    if (itemId === null) throw badInput({ file, line, field: header[col.itemId] }, 'empty item id');
    const userId = text(cells, 'userId');
    if (kind === 'interactions' && userId === null)
      throw badInput({ file, line, field: header[col.userId] }, 'empty user id');
    return {
      userId: userId ?? '',
      itemId,
      event: text(cells, 'event') ?? defaultEvent,
      timestamp: text(cells, 'timestamp'),
      channel: text(cells, 'channel'),
      value: num(cells, 'value', line),
      rating: num(cells, 'rating', line),
      text: text(cells, 'text'),
    };
  };
}

export type { ReviewRow };
