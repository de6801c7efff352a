import { ConcordError } from '../model/errors.js';
import { packageInfo } from '../model/packageInfo.js';
import { setLockProgram } from '../store/writeLock.js';
import { helpText, parse, type Command } from './command.js';
import { alignCommand, exportCommand } from './commands/align.js';
import { benchCommand } from './commands/benchMatch.js';
import { demoCommand } from './commands/demo.js';
import { doctorCommand } from './commands/doctor.js';
import { embedCommand } from './commands/embed.js';
import { fixlistCommand } from './commands/fixlist.js';
import { gapsCommand } from './commands/gaps.js';
import { graphCommand } from './commands/graph.js';
import { importCommand } from './commands/import.js';
import { initCommand } from './commands/init.js';
import { rulesCommand } from './commands/rules.js';
import { serveCommand } from './commands/serve.js';
import { sourcesCommand } from './commands/sources.js';
import { warningsCommand } from './commands/warnings.js';
import { exitCodeFor, UsageError } from './io.js';
import { withRemedy } from '../model/remedy.js';
import { cliRemedy } from './remedy.js';

/** Every CLI command, in the order `concord --help` lists them. */
export const COMMANDS: Command[] = [
  demoCommand,
  initCommand,
  importCommand,
  sourcesCommand,
  warningsCommand,
  embedCommand,
  alignCommand,
  exportCommand,
  rulesCommand,
  gapsCommand,
  fixlistCommand,
  graphCommand,
  serveCommand,
  benchCommand,
  doctorCommand,
];

function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'usage: concord <command> [options]',
    '',
    'Concord makes an omnichannel store consistent: import channel exports, align products, find gaps.',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `concord <command> --help` for its options. Exit codes: 0 ok, 1 findings or failure, 2 bad usage or bad input.',
    'A command that writes waits while another program writes the same workspace, at most CONCORD_LOCK_TIMEOUT',
    'seconds (default 300; 0 = refuse at once). Reading never waits.',
  ].join('\n');
}

let pipeGuarded = false;

/**
 * A reader that stops early (`concord sources WS --json | head -1`) closes the pipe: the next write fails with EPIPE.
 * That is the reader's choice, not an error: exit quietly, with the exit code so far. Anything else stays fatal.
 */
export function exitQuietlyOnClosedPipe(): void {
  if (pipeGuarded) return;
  pipeGuarded = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') throw err;
      process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
    });
  }
}

export async function main(argv: string[]): Promise<number> {
  exitQuietlyOnClosedPipe();
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(mainHelp() + '\n');
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${packageInfo().version}\n`);
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`concord: unknown command "${name}"\n\n${mainHelp()}\n`);
    return 2;
  }
  setLockProgram(`concord ${command.name}`);
  try {
    const { positionals, values } = parse(command, rest);
    if (values.help) {
      process.stdout.write(helpText(command));
      return 0;
    }
    return await command.run({ positionals, values });
  } catch (err) {
    const code = exitCodeFor(err);
    if (err instanceof UsageError || err instanceof ConcordError) {
      const message =
        err instanceof ConcordError ? withRemedy(err.message, err.details, cliRemedy) : err.message;
      process.stderr.write(`concord ${name}: ${message}\n`);
    } else {
      process.stderr.write(`concord ${name}: internal error: ${(err as Error).stack ?? String(err)}\n`);
    }
    return code;
  }
}
