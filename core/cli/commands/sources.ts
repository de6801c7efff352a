import { withWorkspace } from '../api.js';
import { requirePositionals, type Command } from '../command.js';
import { formatTable, writeJson } from '../io.js';

export const sourcesCommand: Command = {
  name: 'sources',
  summary: 'List the files imported into the workspace.',
  usage: 'concord sources WS [--json]',
  help: 'JSON: an array of {id, channel, format, encoding, file, sha256, rows, records, warnings}.',
  options: { json: { type: 'boolean' } },
  async run({ positionals, values }) {
    requirePositionals(this, positionals, 1, 'the workspace file');
    return withWorkspace(positionals[0], async (api) => {
      const sources = await api.call('sources.list', {});
      if (values.json) {
        writeJson(
          sources.map(
            ({ id, channel, kind, format, encoding, file, sha256, rows, records, warnings, importedAt }) => ({
              id,
              channel,
              kind,
              format,
              encoding,
              file,
              sha256,
              rows,
              records,
              warnings,
              importedAt,
            }),
          ),
        );
      } else if (sources.length === 0) {
        process.stdout.write('no sources yet: add one with `concord import WS FILE --channel NAME`\n');
      } else {
        process.stdout.write(
          formatTable(
            ['id', 'channel', 'kind', 'format', 'encoding', 'file', 'rows', 'records', 'warnings', 'sha256'],
            sources.map((s) => [
              s.id,
              s.channel,
              s.kind,
              s.format,
              s.encoding,
              s.file,
              s.rows,
              s.records,
              s.warnings,
              s.sha256.slice(0, 12),
            ]),
          ) + '\n',
        );
      }
      return 0;
    });
  },
};
