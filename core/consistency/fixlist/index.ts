/**
 * Fix lists (DESIGN.md "Gaps", issue 7): the corrections for one channel in that channel's own import format, so
 * the merchant uploads the file and the channel updates the records in place. The values written are the golden
 * record's (title: the gap's expected title; category: the channel's own category for the golden one, from the
 * learned mapping). Absences, and values the channel's file cannot carry, are skipped with the reason.
 *
 *   shopify      Shopify product CSV, rows keyed by Handle (+ option values, Variant SKU)       shopify.ts
 *   woocommerce  WooCommerce product CSV, rows keyed by ID (+ SKU)                               woocommerce.ts
 *   gmc          Google Merchant Center supplemental feed (TSV), keyed by id                     gmc.ts
 *   amazon       Amazon listings update (TSV), keyed by seller-sku                               amazon.ts
 *
 * apply.ts simulates each channel's update of its export with a fix list (used by the round-trip test).
 */
import type Database from 'better-sqlite3';
import type { FixList, FixListCount, GapFilter } from '../../api/contract.js';
import { ConcordError } from '../../model/errors.js';
import { channelCategoryFor } from '../categoryMap.js';
import { amazonWriter } from './amazon.js';
import { gmcWriter } from './gmc.js';
import {
  channelNames,
  channelSources,
  FixLoader,
  gapsDetected,
  selectGaps,
  type FixGap,
  type FixRecord,
} from './load.js';
import { RawReader } from './rawCells.js';
import { shopifyWriter } from './shopify.js';
import { FixTable } from './table.js';
import { woocommerceWriter } from './woocommerce.js';
import type { ChannelWriter, LoadedGap, WriterContext } from './writer.js';

export const FIX_LIST_WRITERS: Record<string, ChannelWriter> = {
  shopify: shopifyWriter,
  woocommerce: woocommerceWriter,
  gmc: gmcWriter,
  amazon: amazonWriter,
};

const FORMAT_NAMES: Record<string, string> = {
  csv: 'generic CSV',
  jsonl: 'JSON Lines',
};

/** Why a gap cannot be in a fix list of `format`, or null when a writer should try. */
function precheck(gap: FixGap, channel: string, format: string): string | null {
  if (gap.status === 'fixed') return 'already fixed: the gap was gone at the last detection';
  if (gap.kind === 'missing_in_channel')
    return gap.status === 'excluded'
      ? 'an assortment rule says the product is not expected on this channel'
      : `the product is not listed on ${channel}: a fix list corrects listed records only (add the product in ${channel})`;
  if (gap.kind === 'variant_missing')
    return `this variant is not listed on ${channel}: a fix list corrects listed records only (add the variant in ${channel})`;
  if (gap.record === null)
    return `record ${gap.recordId ?? '?'} is no longer in the workspace (run \`concord gaps\` after the latest import)`;
  if (gap.record.source.format !== format)
    return `record ${gap.record.recordId} comes from a ${gap.record.source.format} export and this fix list is ${format}`;
  if (gap.golden === null)
    return `record ${gap.record.recordId} has no product in the current alignment (run \`concord align\`, then \`concord gaps\`)`;
  return null;
}

function fileNameFor(channel: string, extension: string): string {
  const safe = channel.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '') || 'channel';
  return `${safe}-fixlist.${extension}`;
}

/** Which gaps a fix list covers: all the channel's open gaps, exactly `ids`, or its open gaps `filter` selects. */
export interface FixListOptions {
  channel: string;
  ids?: number[];
  filter?: GapFilter;
}

/**
 * The rows of one channel's fix list, built but not rendered: what the export writes and what the count reports,
 * so the two cannot disagree. BAD_INPUT for an unknown channel (naming the known ones), before any detection, or
 * for a channel whose export format has no fix list (generic CSV / JSON Lines).
 */
function planFixList(
  db: Database.Database,
  options: FixListOptions,
): { format: string; writer: ChannelWriter; table: FixTable; selected: number } {
  const { channel } = options;
  const channels = channelNames(db);
  if (!channels.includes(channel)) {
    throw new ConcordError(
      'BAD_INPUT',
      channels.length === 0
        ? `unknown channel "${channel}": the workspace has no channels yet (import an export first)`
        : `unknown channel "${channel}": the workspace's channels are ${channels.join(', ')}`,
      { field: 'channel' },
    );
  }
  if (!gapsDetected(db))
    throw new ConcordError('BAD_INPUT', 'no gaps detected yet', {
      field: 'channel',
      remedy: { do: 'detectGaps' },
    });
  const sources = channelSources(db, channel);
  if (sources.length === 0)
    throw new ConcordError('BAD_INPUT', `channel "${channel}" has no product export`, { field: 'channel' });
  const format = sources[0].format;
  const writer = FIX_LIST_WRITERS[format];
  if (writer === undefined) {
    throw new ConcordError(
      'BAD_INPUT',
      `channel "${channel}" was imported as ${FORMAT_NAMES[format] ?? format}: fix lists are written in the import ` +
        'formats of Shopify, WooCommerce, Google Merchant Center and Amazon',
      { field: 'channel' },
    );
  }

  const rows = selectGaps(db, channel, options);
  const loader = new FixLoader(db, sources);
  const table = new FixTable(writer.keyColumns);
  table.columns(...writer.columns);
  const raw = new RawReader(db);
  const categories = new Map<string, string | null>();
  const ctx: WriterContext = {
    db,
    table,
    raw,
    channel,
    categoryFor(reference) {
      let c = categories.get(reference);
      if (c === undefined) {
        c = channelCategoryFor(db, channel, reference);
        categories.set(reference, c);
      }
      return c;
    },
  };

  // Each record's gaps together, records in export order.
  const byRecord = new Map<number, { record: FixRecord; gaps: LoadedGap[] }>();
  for (const row of rows) {
    const gap = loader.load(row);
    const reason = precheck(gap, channel, format);
    if (reason !== null) {
      table.skip(gap.id, reason);
      continue;
    }
    const loaded = gap as LoadedGap;
    let entry = byRecord.get(loaded.record.ref);
    if (entry === undefined) byRecord.set(loaded.record.ref, (entry = { record: loaded.record, gaps: [] }));
    entry.gaps.push(loaded);
  }
  const fixer = writer.start(ctx);
  const records = [...byRecord.values()].sort(
    (a, b) => a.record.source.id - b.record.source.id || a.record.line - b.record.line,
  );
  for (const source of sources) {
    const lines = records.filter((r) => r.record.source.id === source.id).map((r) => r.record.line);
    raw.prefetch(source, lines);
  }
  for (const { record, gaps } of records) {
    const cells = raw.row(record.source, record.line);
    if (cells === null) {
      for (const g of gaps)
        table.skip(g.id, `the export row of record ${record.recordId} is missing from the workspace`);
      continue;
    }
    fixer.fix(record, cells, gaps);
  }
  fixer.finish?.();
  return { format, writer, table, selected: rows.length };
}

/**
 * The fix list of one channel (see `FixListOptions` for which gaps). `spreadsheetSafe`: formula-safe cells, for
 * opening in a spreadsheet.
 */
export function buildFixList(
  db: Database.Database,
  options: FixListOptions & { spreadsheetSafe?: boolean },
): FixList {
  const { channel } = options;
  const { format, writer, table } = planFixList(db, options);
  const spreadsheetSafe = options.spreadsheetSafe === true;
  const {
    content,
    rows: written,
    formulaCells,
  } = table.render(writer.delimiter, spreadsheetSafe ? 'spreadsheet' : 'exact');
  return {
    channel,
    format,
    fileName: fileNameFor(spreadsheetSafe ? `${channel}-spreadsheet` : channel, writer.extension),
    mimeType: writer.mimeType,
    content: (writer.bom ? '\ufeff' : '') + content,
    rows: written,
    gaps: table.correctedCount,
    skipped: table.skipped,
    formulaCells,
    spreadsheetSafe,
  };
}

/** What the fix list of these gaps would hold, before it is written: counted from the very rows the export writes. */
export function countFixList(db: Database.Database, options: FixListOptions): FixListCount {
  const { format, table, selected } = planFixList(db, options);
  const reasons = new Map<string, number>();
  for (const s of table.skipped) reasons.set(s.reason, (reasons.get(s.reason) ?? 0) + 1);
  return {
    channel: options.channel,
    format,
    selected,
    fixable: table.correctedCount,
    rows: table.rowCount,
    skipped: [...reasons]
      .map(([reason, gaps]) => ({ reason, gaps }))
      .sort((a, b) => b.gaps - a.gaps || a.reason.localeCompare(b.reason)),
  };
}
