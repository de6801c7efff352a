// Lint config. Besides the usual rules it enforces DESIGN.md's folder import rules (VS Code style layering).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const nodeBuiltins = [
  'fs',
  'path',
  'os',
  'child_process',
  'worker_threads',
  'crypto',
  'http',
  'net',
  'stream',
  'url',
  'util',
  'zlib',
];

const platformFree = {
  group: ['electron', 'react', 'react-dom', '**/renderer/**', '**/electron/**'],
  message: 'core/ and models/ stay platform-free (DESIGN.md folders).',
};
const noFixtures = {
  group: ['**/fixtures/**', '**/bench/**'],
  message: 'core/ does not depend on fixtures/ or bench/ (only the CLI may, for demo).',
};
/** Folders of domain modules (everything in core/ but the contract, the composition and the hosts). */
const domainFolders = ['align', 'consistency', 'embed', 'ingest', 'jobs', 'model', 'normalize', 'store'];
const noComposition = {
  group: [
    '**/app',
    '**/app/**',
    '**/handlers',
    '**/handlers.js',
    '**/cli/**',
    '**/server/**',
    '**/worker/**',
  ],
  message:
    'Domain modules never import handlers, session, dispatch or the composition (core/app): types come from core/api/contract or core/model.',
};

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'fixtures/samples/**',
      'fixtures/broken/**',
      'test-results/**',
      'playwright-report/**',
      'renderer/dist/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['core/**/*.ts', 'models/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [platformFree] }] },
  },
  {
    // The CLI is the composition root: only it may reach the fixture generator (for `concord demo`). Tests and
    // their helpers (core/test-support) may too.
    files: ['core/**/*.ts'],
    ignores: ['core/cli/**', '**/*.test.ts', 'core/test-support/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [platformFree, noFixtures] }] },
  },
  {
    // Domain modules are called by handlers, never the other way round: no handlers, session, dispatch or the
    // composition (core/app) in them. Each domain's handlers.ts is the one file that may (it is served by core/app).
    files: domainFolders.map((d) => `core/${d}/**/*.ts`),
    ignores: ['**/handlers.ts', '**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [platformFree, noFixtures, noComposition] }] },
  },
  {
    // The contract is pure: zod schemas and the types derived from them, over core/model only.
    files: ['core/api/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!zod$|\\./[^/]+$|\\.\\./model/[^/]+$)',
              message:
                'core/api is the pure contract: it imports only zod, core/model and itself (DESIGN.md folders).',
            },
          ],
        },
      ],
    },
  },
  {
    // CLI commands parse arguments and print; the workspace is reached through the API (core/cli/api.ts). serve,
    // doctor and bench have no workspace API to call.
    files: ['core/cli/commands/**/*.ts'],
    ignores: ['**/*.test.ts', 'core/cli/commands/{serve,doctor,benchMatch}.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            platformFree,
            {
              group: ['**/store/**', '**/app/**', '**/handlers', '**/handlers.js'],
              message: 'CLI commands call the API through core/cli/api.ts, not the store or the handlers.',
            },
          ],
        },
      ],
    },
  },
  {
    // models/ holds model formats (ONNX, encoder graphs); alignment uses them, not the other way round.
    files: ['models/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            platformFree,
            { group: ['**/core/align', '**/core/align/**'], message: 'models/ never imports core/align.' },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins
            .flatMap((m) => [m, `node:${m}`])
            .concat(['electron', 'better-sqlite3', 'onnxruntime-node']),
          patterns: [
            {
              regex: '(^|/)core(/(?!api/contract(\\.js)?$|rpc/(?![^/]*[sS]erver)[^/]+$)|$)',
              message:
                'The renderer may import only the contract (core/api/contract) and the RPC client (core/rpc).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)core(/(?!api/[^/]+$|rpc/[^/]+$|worker/supervisor(\\.js)?$)|$)',
              message:
                'electron/ may import only core/api (the contract, content types), core/rpc and the worker supervisor (DESIGN.md folders).',
            },
          ],
        },
      ],
    },
  },
  {
    // The client side of the RPC runs in the renderer and the sandboxed preload: the contract is all it may import.
    files: ['core/rpc/client.ts', 'core/rpc/transport.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins
            .flatMap((m) => [m, `node:${m}`])
            .concat(['electron', 'ws', 'better-sqlite3', 'onnxruntime-node']),
          patterns: [
            {
              group: ['../**', '!../api', '!../api/contract.js'],
              message:
                'core/rpc/client.ts and transport.ts may import only the contract (they run in the renderer).',
            },
          ],
        },
      ],
    },
  },
);
