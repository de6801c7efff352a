import { GapSchema, type Gap, type GapsSummary } from '../../api/contract.js';
import { csvCell } from '../../consistency/fixlist/cells.js';
import { withWorkspace } from '../api.js';
import { requirePositionals, type Command } from '../command.js';
import { EXIT_FINDINGS, EXIT_OK, openOutput, UsageError } from '../io.js';

/** CSV columns: the gap JSON schema's fields in its order, presentIn as `channel:recordId` joined with `; `. */
export const GAP_CSV_COLUMNS = GapSchema.keyof().options;

function csvLine(g: Gap): string {
  const cells: Record<(typeof GAP_CSV_COLUMNS)[number], string> = {
    kind: g.kind,
    channel: g.channel,
    recordId: g.recordId ?? '',
    productId: g.productId,
    field: g.field ?? '',
    expected: g.expected ?? '',
    actual: g.actual ?? '',
    severity: g.severity,
    presentIn: g.presentIn.map((r) => `${r.channel}:${r.recordId}`).join('; '),
    status: g.status,
    rule: g.rule ?? '',
  };
  return GAP_CSV_COLUMNS.map((c) => csvCell(cells[c])).join(',') + '\r\n';
}

export const gapsCommand: Command = {
  name: 'gaps',
  summary: 'Find where the channels disagree (gaps) and list them; exit 1 when open gaps exist.',
  usage: 'concord gaps WS [--align] [--format json|csv] [--out FILE] [--include-excluded]',
  help: `Options:
  --align              align first when records are not aligned yet (otherwise that is an error, exit 2)
  --format json|csv    json (default): an array in DESIGN.md's gap schema plus "status"; csv: the same fields
  --out FILE           write there instead of stdout
  --include-excluded   also list absences an assortment rule explains (status "excluded", with "rule")

Detects gaps from the current alignment (run \`concord align WS\` first, or pass --align), then lists the
open, accepted and ignored ones. Statuses set on the Gaps page survive re-detection. Exit code 1 when any
gap is open, 0 when none.`,
  options: {
    format: { type: 'string' },
    out: { type: 'string' },
    'include-excluded': { type: 'boolean' },
    align: { type: 'boolean' },
  },
  async run({ positionals, values }) {
    requirePositionals(this, positionals, 1, 'the workspace file');
    const format = (values.format as string | undefined) ?? 'json';
    if (format !== 'json' && format !== 'csv')
      throw new UsageError(`--format takes json or csv, got "${format}"`);
    const { summary, gaps } = await withWorkspace(positionals[0], async (api) => {
      const summary = await api.job<GapsSummary>(
        'gaps.detect',
        { align: values.align === true },
        {
          onJob: (job) => {
            if (job.kind === 'align') process.stderr.write('records are not aligned yet: aligning first\n');
          },
        },
      );
      const gaps = await api.call('gaps.export', { includeExcluded: values['include-excluded'] === true });
      return { summary, gaps };
    });
    const out = openOutput(values.out as string | undefined);
    let n = 0;
    try {
      if (format === 'csv') out.write(GAP_CSV_COLUMNS.join(',') + '\r\n');
      else out.write('[');
      for (const g of gaps) {
        if (format === 'csv') out.write(csvLine(g));
        else out.write(`${n ? ',' : ''}\n  ${JSON.stringify(g)}`);
        n++;
      }
      if (format === 'json') out.write(n ? '\n]\n' : ']\n');
      out.close();
    } catch (err) {
      out.abort();
      throw err;
    }
    const open = summary.byStatus.open ?? 0;
    const kinds = Object.entries(
      summary.matrix.reduce<Record<string, number>>(
        (acc, m) => ((acc[m.kind] = (acc[m.kind] ?? 0) + m.count), acc),
        {},
      ),
    )
      .map(([k, c]) => `${k} ${c.toLocaleString('en-US')}`)
      .join(', ');
    process.stderr.write(
      `${open.toLocaleString('en-US')} open gaps${kinds ? ` (${kinds})` : ''} across ${summary.products.toLocaleString('en-US')} products in ${summary.seconds} s` +
        (values.out ? `; ${n.toLocaleString('en-US')} written to ${String(values.out)}` : '') +
        '\n',
    );
    return open > 0 ? EXIT_FINDINGS : EXIT_OK;
  },
};
