import { spawnSync } from 'node:child_process';

/**
 * CLI tests spawn the compiled CLI, so compile once before the suite. A compile error is printed, not thrown:
 * the tests that need dist/ then fail on their own, and the rest still run.
 */
export default function setup(): void {
  const r = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
    encoding: 'utf8',
  });
  if (r.status !== 0)
    process.stderr.write(`\n[vitest setup] tsc -p tsconfig.build.json failed:\n${r.stdout}${r.stderr}\n`);
}
