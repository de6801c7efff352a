import { LocalApi } from '../api.js';
import { requirePositionals, type Command } from '../command.js';

export const initCommand: Command = {
  name: 'init',
  summary: 'Create an empty workspace file.',
  usage: 'concord init WS.concord',
  help: 'The workspace is one SQLite file; large blobs go in WS.concord.d/ beside it.',
  options: {},
  async run({ positionals }) {
    requirePositionals(this, positionals, 1, 'the workspace file');
    const api = new LocalApi();
    try {
      const info = await api.call('workspace.create', { path: positionals[0] });
      process.stderr.write(`created ${positionals[0]} (schema version ${info.schemaVersion})\n`);
      return 0;
    } finally {
      api.close();
    }
  },
};
