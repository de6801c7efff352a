import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './io.js';

export type Options = NonNullable<ParseArgsConfig['options']>;

export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** Longer help: options and examples. */
  help: string;
  options: Options;
  run(args: { positionals: string[]; values: Record<string, unknown> }): Promise<number>;
}

export function parse(command: Command, argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\nusage: ${command.usage}`);
  }
}

export function helpText(command: Command): string {
  return `usage: ${command.usage}\n\n${command.summary}\n${command.help ? `\n${command.help}\n` : ''}`;
}

export function requirePositionals(
  command: Command,
  positionals: string[],
  count: number,
  names: string,
): void {
  if (positionals.length < count) throw new UsageError(`missing ${names}\nusage: ${command.usage}`);
  if (positionals.length > count)
    throw new UsageError(`unexpected argument "${positionals[count]}"\nusage: ${command.usage}`);
}

/** `--map a=b --map c=d` into { a: 'b', c: 'd' }. */
export function parseMapping(values: unknown): Record<string, string> | undefined {
  if (values === undefined) return undefined;
  const list = Array.isArray(values) ? values : [values];
  const mapping: Record<string, string> = {};
  for (const item of list as string[]) {
    const eq = item.indexOf('=');
    if (eq <= 0 || eq === item.length - 1) throw new UsageError(`--map takes target=column, got "${item}"`);
    mapping[item.slice(0, eq).trim()] = item.slice(eq + 1).trim();
  }
  return mapping;
}
