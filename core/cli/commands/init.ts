import { openWorkspace, SCHEMA_VERSION } from '../../store/workspace.js';
import { requirePositionals, type Command } from '../command.js';

export const initCommand: Command = {
  name: 'init',
  summary: 'Create an empty workspace file.',
  usage: 'concord init WS.concord',
  help: 'The workspace is one SQLite file; large blobs go in WS.concord.d/ beside it.',
  options: {},
  async run({ positionals }) {
    requirePositionals(this, positionals, 1, 'the workspace file');
    const ws = openWorkspace(positionals[0], { create: true });
    ws.close();
    process.stderr.write(`created ${positionals[0]} (schema version ${SCHEMA_VERSION})\n`);
    return 0;
  },
};
