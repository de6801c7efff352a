/** A benchmark's command-line options: `--name N` numbers (each with its default) and `--flag` switches. */
import { parseArgs } from 'node:util';

export function benchOptions<N extends string, F extends string = never>(
  argv: string[],
  numbers: Record<N, number>,
  flags: readonly F[] = [],
): Record<N, number> & Record<F, boolean> {
  const options: Record<string, { type: 'string' | 'boolean' }> = {};
  for (const name of Object.keys(numbers)) options[name] = { type: 'string' };
  for (const flag of flags) options[flag] = { type: 'boolean' };
  const { values } = parseArgs({ args: argv, options, allowPositionals: true });
  const out: Record<string, number | boolean> = {};
  for (const [name, fallback] of Object.entries<number>(numbers))
    out[name] = Number(values[name] ?? fallback);
  for (const flag of flags) out[flag] = values[flag] === true;
  return out as Record<N, number> & Record<F, boolean>;
}
