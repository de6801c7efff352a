import { FIX_LIST_WRITERS } from '../../consistency/fixlist/index.js';
import { ConcordError } from '../../model/errors.js';
import { withWorkspace } from '../api.js';
import { requirePositionals, type Command } from '../command.js';
import { openOutput, UsageError } from '../io.js';

/** Skip reasons listed on stderr before "… and N more". */
const SHOWN_REASONS = 8;

function parseIds(value: unknown, usage: string): number[] | undefined {
  if (value === undefined) return undefined;
  const text = String(value).trim();
  const parts = text.split(',').map((p) => p.trim());
  if (text.length === 0 || parts.some((p) => !/^\d+$/.test(p)))
    throw new UsageError(`--ids takes gap ids separated by commas (1,2,3), got "${text}"\nusage: ${usage}`);
  return parts.map(Number);
}

/** Groups skip reasons that differ only in quoted values and numbers, most frequent first. */
function reasonSummary(skipped: readonly { reason: string }[]): string[] {
  const groups = new Map<string, { count: number; example: string }>();
  for (const s of skipped) {
    const shape = s.reason.replace(/"[^"]*"/g, '"…"').replace(/\d+/g, 'N');
    const g = groups.get(shape);
    if (g) g.count++;
    else groups.set(shape, { count: 1, example: s.reason });
  }
  const sorted = [...groups.values()].sort((a, b) => b.count - a.count);
  const lines = sorted.slice(0, SHOWN_REASONS).map((g) => `  ${String(g.count).padStart(6)}  ${g.example}`);
  if (sorted.length > SHOWN_REASONS) lines.push(`  … and ${sorted.length - SHOWN_REASONS} other reasons`);
  return lines;
}

/** What to know about cells a spreadsheet would run as formulas, in the file just written. */
function formulaNote(cells: number, spreadsheetSafe: boolean): string {
  const counted = `${cells.toLocaleString('en-US')} cell${cells === 1 ? '' : 's'}`;
  return spreadsheetSafe
    ? `spreadsheet-safe copy: ${counted} that a spreadsheet would run as formulas start with ' — open it in a ` +
        'spreadsheet, do not upload it (the channel would keep the apostrophes)\n'
    : `warning: ${counted} start${cells === 1 ? 's' : ''} with = + - @, tab or CR, which a spreadsheet would run as ` +
        'a formula. Upload the file as it is; to open it in a spreadsheet, write a copy with --spreadsheet-safe\n';
}

export const fixlistCommand: Command = {
  name: 'fixlist',
  summary: "Write one channel's corrections in that channel's own import format.",
  usage: 'concord fixlist WS --channel NAME --out FILE [--ids 1,2,3] [--spreadsheet-safe]',
  help: `Options:
  --channel NAME     the channel to correct (a name given at import)
  --out FILE         the file to write (replaced)
  --ids 1,2,3        only these gaps (ids as \`concord gaps\` lists them; they must belong to the channel);
                     default: every open gap of the channel
  --spreadsheet-safe a copy for opening in a spreadsheet, not for upload: cells a spreadsheet would run as
                     formulas (starting with = + - @, tab or CR) get a leading ' (the channel would keep it)

The file is in the format the channel imports, with the golden record's values:
  shopify       Shopify product CSV (Import > Overwrite products with matching handles): Handle, option
                values and Variant SKU name the variant; product fields on the Handle's first row
  woocommerce   WooCommerce product CSV (Import > Update existing products): rows by ID and SKU, numbers in
                the store's locale, categories of a variation on its parent's row
  gmc           Google Merchant Center supplemental feed (TSV): id and the attributes that change
  amazon        Amazon listings update (TSV): seller-sku and the columns that change

Only the columns that change are written; an empty cell leaves the channel's value as it is. Absences
(missing_in_channel, variant_missing) and values the channel's file cannot carry are skipped, with the
reason on stderr. Run \`concord gaps WS\` first. Values are written exactly, as the channel must read
them: a title starting with - stays so. When cells would run as formulas in a spreadsheet, a warning on
stderr counts them; open such a file in a spreadsheet only as a --spreadsheet-safe copy.`,
  options: {
    channel: { type: 'string' },
    out: { type: 'string' },
    ids: { type: 'string' },
    'spreadsheet-safe': { type: 'boolean' },
  },
  async run({ positionals, values }) {
    requirePositionals(this, positionals, 1, 'the workspace file');
    const channel = values.channel;
    if (typeof channel !== 'string' || channel.length === 0)
      throw new UsageError(`missing --channel NAME\nusage: ${this.usage}`);
    const out = values.out;
    if (typeof out !== 'string' || out.length === 0)
      throw new UsageError(`missing --out FILE\nusage: ${this.usage}`);
    const ids = parseIds(values.ids, this.usage);
    const file = positionals[0];
    return withWorkspace(file, async (api) => {
      const channels = (await api.call('workspace.current', {}))?.channels.map((c) => c.name) ?? [];
      if (channels.includes(channel) && (await api.call('gaps.summary', {})) === null)
        throw new ConcordError('BAD_INPUT', `no gaps detected yet: run \`concord gaps ${file}\` first`);
      const spreadsheetSafe = values['spreadsheet-safe'] === true;
      const fl = await api.call('fixlist.export', { channel, ids, spreadsheetSafe });
      const sink = openOutput(out);
      sink.write(fl.content);
      sink.close();
      const label = FIX_LIST_WRITERS[fl.format]?.label ?? fl.format;
      const n = (v: number, word: string) => `${v.toLocaleString('en-US')} ${word}${v === 1 ? '' : 's'}`;
      process.stderr.write(
        `wrote ${out}: ${label}, ${n(fl.rows, 'row')} correcting ${n(fl.gaps, 'gap')} of ${channel}; ` +
          `${n(fl.skipped.length, 'gap')} skipped\n`,
      );
      if (fl.skipped.length > 0) process.stderr.write(reasonSummary(fl.skipped).join('\n') + '\n');
      if (fl.formulaCells > 0) process.stderr.write(formulaNote(fl.formulaCells, spreadsheetSafe));
      return 0;
    });
  },
};
