import type { Result } from '../../api/contract.js';
import { WARNING_CODES } from '../../model/record.js';
import { withWorkspace, type LocalApi } from '../api.js';
import { requirePositionals, type Command } from '../command.js';
import { formatTable, UsageError, writeJson } from '../io.js';

type Warning = Result<'sources.warnings'>[number];

/** Warnings asked for per call (the API's page limit). */
const PAGE = 10_000;

/** `165 duplicate_id, 2 gtin_check_digit`: counts by kind, most first. */
export function warningSummary(byKind: Record<string, number>): string {
  return Object.entries(byKind)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([kind, n]) => `${n.toLocaleString('en-US')} ${kind}`)
    .join(', ');
}

async function allWarnings(api: LocalApi, sourceId: number | undefined, code: string | undefined) {
  const all: Warning[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await api.call('sources.warnings', { sourceId, code, offset, limit: PAGE });
    all.push(...page);
    if (page.length < PAGE) return all;
  }
}

export const warningsCommand: Command = {
  name: 'warnings',
  summary: 'List the row warnings of imported files (recoverable problems each row was imported with).',
  usage: 'concord warnings WS [--source ID] [--kind K] [--json]',
  help: `Options:
  --source ID   only this source's (ids as \`concord sources WS\` lists them)
  --kind K      only this kind: ${WARNING_CODES.join(', ')}
  --json        an array of {sourceId, file, line, field, code, message}, in source and line order

Every warning is listed, with the file and line it belongs to, then a count by kind.`,
  options: { source: { type: 'string' }, kind: { type: 'string' }, json: { type: 'boolean' } },
  async run({ positionals, values }) {
    requirePositionals(this, positionals, 1, 'the workspace file');
    const source = values.source as string | undefined;
    if (source !== undefined && !/^[1-9]\d*$/.test(source))
      throw new UsageError(`--source takes a source id (a positive whole number), got "${source}"`);
    const kind = values.kind as string | undefined;
    if (kind !== undefined && !(WARNING_CODES as readonly string[]).includes(kind))
      throw new UsageError(`--kind must be one of ${WARNING_CODES.join(', ')}, got "${kind}"`);
    return withWorkspace(positionals[0], async (api) => {
      const warnings = await allWarnings(api, source === undefined ? undefined : Number(source), kind);
      if (values.json) {
        writeJson(warnings);
        return 0;
      }
      if (warnings.length === 0) {
        process.stdout.write(
          `no warnings${kind ? ` of kind ${kind}` : ''}${source ? ` in source #${source}` : ''}\n`,
        );
        return 0;
      }
      process.stdout.write(
        formatTable(
          ['source', 'file', 'line', 'field', 'kind', 'message'],
          warnings.map((w) => [`#${w.sourceId}`, w.file, w.line, w.field, w.code, w.message]),
        ) + '\n',
      );
      const byKind: Record<string, number> = {};
      for (const w of warnings) byKind[w.code] = (byKind[w.code] ?? 0) + 1;
      const n = warnings.length;
      process.stdout.write(
        `\n${n.toLocaleString('en-US')} warning${n === 1 ? '' : 's'}: ${warningSummary(byKind)}\n`,
      );
      return 0;
    });
  },
};
