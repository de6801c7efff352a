import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { startServer } from '../../server/server.js';
import { DEFAULT_UPLOAD_LIMIT } from '../../server/upload.js';
import { openWorkspace } from '../../store/workspace.js';
import { requirePositionals, type Command } from '../command.js';
import { UsageError } from '../io.js';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Web mode: serve the app and its API on 127.0.0.1 for a browser (and end-to-end tests).',
  usage: 'concord serve WS [--port N] [--max-upload-bytes N]',
  help: `Options:
  --port N               port on 127.0.0.1 (default 0: any free port)
  --max-upload-bytes N   largest file the upload endpoint accepts (default ${DEFAULT_UPLOAD_LIMIT}, 2 GiB)

Creates WS when it does not exist. Prints one line on stdout when ready:
  Concord listening on http://127.0.0.1:PORT/?token=TOKEN
Open that URL: every request needs the token (it is random for each start). Stops on Ctrl-C.`,
  options: {
    port: { type: 'string' },
    'max-upload-bytes': { type: 'string' },
  },
  async run({ positionals, values }) {
    requirePositionals(this, positionals, 1, 'the workspace file');
    const port = wholeNumber(values.port as string | undefined, '--port', 0);
    if (port > 65535) throw new UsageError('--port takes 0-65535');
    const uploadLimitBytes = wholeNumber(
      values['max-upload-bytes'] as string | undefined,
      '--max-upload-bytes',
      DEFAULT_UPLOAD_LIMIT,
    );
    const workspace = resolve(positionals[0]);
    if (!existsSync(workspace)) {
      openWorkspace(workspace, { create: true }).close();
      process.stderr.write(`created workspace ${workspace}\n`);
    }

    const server = await startServer({ workspace, port, uploadLimitBytes }).catch(
      (err: NodeJS.ErrnoException) => {
        throw err.code === 'EADDRINUSE'
          ? new UsageError(
              `port ${port} on 127.0.0.1 is in use; pick another with --port, or --port 0 for any free one`,
            )
          : err;
      },
    );
    process.stdout.write(`Concord listening on ${server.url}\n`);
    await new Promise<void>((done) => {
      const stop = (signal: NodeJS.Signals) => {
        process.stderr.write(`${signal}: shutting down\n`);
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        void server.close().then(done);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    return 0;
  },
};

function wholeNumber(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new UsageError(`${flag} takes a whole number, got "${value}"`);
  return n;
}
