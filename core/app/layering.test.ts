import { ESLint } from 'eslint';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * The folder rules (issue #11 "Layers that say what they are") as eslint.config.js enforces them: each case lints a
 * one-line source placed at a path in the repository, without writing it anywhere.
 */
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({ cwd: root });
});

async function restricted(file: string, specifier: string): Promise<string[]> {
  const code = `import { x } from '${specifier}';\nexport const y = x;\n`;
  const [result] = await eslint.lintText(code, { filePath: join(root, file) });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layering lint', () => {
  it.each([
    // The two imports the old rules let through.
    ['models/encoder/x.ts', '../../core/align/alignWorkspace.js'],
    ['renderer/src/pages/x.ts', '../../../core/api/handlers'],
    // The renderer reaches only the contract (and the RPC client).
    ['renderer/src/pages/x.ts', '../../../core/app/handlers'],
    ['renderer/src/pages/x.ts', '../../../core/api/toApiError'],
    ['renderer/src/pages/x.ts', '../../../core/store/workspace'],
    // electron/ reaches only core/api and core/rpc.
    ['electron/x.ts', '../core/app/dispatch.js'],
    ['electron/x.ts', '../core/store/workspace.js'],
    // Domain modules never import handlers, session, dispatch or the composition.
    ['core/jobs/x.ts', '../app/session.js'],
    ['core/embed/x.ts', '../app/dispatch.js'],
    ['core/consistency/x.ts', '../align/handlers.js'],
    ['core/consistency/x.ts', './handlers.js'],
    ['core/align/x.ts', '../app/context.js'],
    // CLI commands reach the workspace through the API.
    ['core/cli/commands/x.ts', '../../store/workspace.js'],
    ['core/cli/commands/x.ts', '../../align/handlers.js'],
    // The contract imports only zod and core/model.
    ['core/api/x.ts', 'node:fs'],
    ['core/api/x.ts', 'better-sqlite3'],
    ['core/api/x.ts', '../store/workspace.js'],
    ['core/api/x.ts', '../app/handlers.js'],
    // Only the CLI, tests and their helpers reach the fixture generator.
    ['core/consistency/x.ts', '../../fixtures/generator/index.js'],
  ])('%s may not import %s', async (file, specifier) => {
    expect(await restricted(file, specifier)).toHaveLength(1);
  });

  it.each([
    ['renderer/src/pages/x.ts', '../../../core/api/contract'],
    ['renderer/src/pages/x.ts', '../../../core/rpc/client'],
    ['electron/x.ts', '../core/api/contract.js'],
    ['electron/x.ts', '../core/api/contentTypes.js'],
    ['electron/x.ts', '../core/rpc/client.js'],
    ['core/consistency/x.ts', '../api/contract.js'],
    ['core/consistency/x.ts', '../model/errors.js'],
    ['core/consistency/handlers.ts', '../align/handlers.js'],
    ['core/consistency/handlers.ts', '../app/context.js'],
    ['core/api/x.ts', 'zod'],
    ['core/api/x.ts', './contract.js'],
    ['core/api/x.ts', '../model/errors.js'],
    ['models/encoder/x.ts', '../../core/embed/encoder.js'],
    ['core/worker/x.ts', '../app/dispatch.js'],
    ['core/cli/commands/x.ts', '../api.js'],
    ['core/cli/commands/serve.ts', '../../store/workspace.js'],
    ['core/test-support/x.ts', '../../fixtures/generator/index.js'],
  ])('%s may import %s', async (file, specifier) => {
    expect(await restricted(file, specifier)).toEqual([]);
  });
});
