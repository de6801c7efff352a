import { defaultChannelOf, OnDuplicateSchema, type OnDuplicate } from '../../api/contract.js';
import { SOURCE_KINDS, type ImportResult, type SourceKind } from '../../ingest/importFile.js';
import { PRODUCT_FORMATS, type FormatName } from '../../model/record.js';
import { withWorkspace } from '../api.js';
import { parseMapping, requirePositionals, type Command } from '../command.js';
import { UsageError, writeJson } from '../io.js';
import { warningSummary } from './warnings.js';

/** `--on-duplicate`, checked against the contract's list. */
function onDuplicateOption(value: string | undefined): OnDuplicate | undefined {
  if (value === undefined) return undefined;
  const parsed = OnDuplicateSchema.safeParse(value);
  if (!parsed.success)
    throw new UsageError(
      `--on-duplicate must be one of ${OnDuplicateSchema.options.join(', ')}, got "${value}"`,
    );
  return parsed.data;
}

/** What an import's one-line result leaves out: warnings by kind (and how to list them), quietly dropped duplicates. */
function importNotes(result: ImportResult, onDuplicate: OnDuplicate, workspace: string): string {
  let notes = '';
  if (result.warnings > 0) {
    notes +=
      `  warnings: ${warningSummary(result.warningsByKind)}\n` +
      `  list them: concord warnings ${quoteArg(workspace)} --source ${result.sourceId}\n`;
  }
  if (result.duplicates > 0 && (onDuplicate === 'first' || onDuplicate === 'last')) {
    const n = result.duplicates;
    notes += `  ${n.toLocaleString('en-US')} row${n === 1 ? '' : 's'} repeated a record id: the ${onDuplicate} of each kept (--on-duplicate ${onDuplicate})\n`;
  }
  return notes;
}

/** A path as a shell argument (quoted when it has anything but safe characters). */
function quoteArg(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export const importCommand: Command = {
  name: 'import',
  summary: 'Import one channel export (or behavioural data) into the workspace, as one transaction.',
  usage:
    'concord import WS FILE --channel NAME [--format F] [--encoding E] [--kind K] [--map target=column …] [--on-duplicate D] [--replace] [--json]',
  help: `Options:
  --channel NAME     channel the records belong to (default: the format's channel: google for gmc, else its name)
  --format F         ${PRODUCT_FORMATS.join(' | ')} (default: detected from the header)
  --encoding E       utf-8 | utf-16le | utf-16be | windows-1252 | gb18030 (default: detected)
  --kind K           ${SOURCE_KINDS.join(' | ')} (default: products)
  --map T=C          generic formats: take target field T from column C (repeatable), e.g.
                     --map recordId=sku --map title=name --map price=price_eur
  --on-duplicate D   a later row whose record id the file already had:
                       warn   (default) it takes the format's fallback identity (Shopify: Handle + options,
                              WooCommerce: ID); without one (Google, Amazon, generic files), or when that is
                              taken too, it gets no record and the first stands; one warning per row
                       first  keep the first row's record, quietly
                       last   keep the last row's record, quietly
                       error  refuse the file
                     rows without a record keep their raw text in the workspace
  --replace          replace an earlier import of the same file into the channel
  --json             print the result as JSON

A file that fails leaves the workspace exactly as it was; the error names file, line and field.`,
  options: {
    channel: { type: 'string' },
    format: { type: 'string' },
    encoding: { type: 'string' },
    kind: { type: 'string' },
    map: { type: 'string', multiple: true },
    'on-duplicate': { type: 'string' },
    replace: { type: 'boolean' },
    json: { type: 'boolean' },
  },
  async run({ positionals, values }) {
    requirePositionals(this, positionals, 2, 'WS and FILE');
    const format = values.format as string | undefined;
    if (format !== undefined && !(PRODUCT_FORMATS as readonly string[]).includes(format)) {
      throw new UsageError(`--format must be one of ${PRODUCT_FORMATS.join(', ')}, got "${format}"`);
    }
    const kind = (values.kind as string | undefined) ?? 'products';
    if (!(SOURCE_KINDS as readonly string[]).includes(kind))
      throw new UsageError(`--kind must be one of ${SOURCE_KINDS.join(', ')}`);
    const mapping = parseMapping(values.map);
    const onDuplicate = onDuplicateOption(values['on-duplicate'] as string | undefined);
    if ((format === 'csv' || format === 'jsonl') && kind === 'products' && !mapping?.recordId) {
      throw new UsageError(`--format ${format} needs a column mapping, at least --map recordId=<column>`);
    }
    return withWorkspace(positionals[0], async (api) => {
      const file = { path: positionals[1] };
      const encoding = values.encoding as string | undefined;
      // Without --channel, the channel is the format's default (DEFAULT_CHANNEL_BY_FORMAT), detected when needed.
      const channel =
        (values.channel as string | undefined) ??
        defaultChannelOf(
          format ?? (await api.call('import.preview', { file, encoding, rows: 1 })).format ?? kind,
        );
      const result = await api.job<ImportResult>(
        'import.start',
        {
          file,
          channel,
          format: format as FormatName | undefined,
          kind: kind as SourceKind,
          encoding,
          mapping,
          replace: values.replace === true,
          onDuplicate,
        },
        { label: `importing ${positionals[1]}` },
      );
      if (values.json) writeJson(result);
      else {
        process.stdout.write(
          `imported ${result.file} into channel "${result.channel}" as ${result.format} (${result.encoding}): ` +
            `${result.rows.toLocaleString('en-US')} rows, ${result.records.toLocaleString('en-US')} records, ` +
            `${result.warnings.toLocaleString('en-US')} warnings in ${result.seconds.toFixed(2)} s` +
            (result.replaced.length
              ? ` (replaced source ${result.replaced.map((r) => `#${r}`).join(', ')})`
              : '') +
            '\n' +
            importNotes(result, onDuplicate ?? 'warn', positionals[0]),
        );
      }
      return 0;
    });
  },
};
