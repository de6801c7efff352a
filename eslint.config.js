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
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['electron', 'react', 'react-dom', '**/renderer/**', '**/electron/**'],
              message: 'core/ and models/ stay platform-free (DESIGN.md folders).',
            },
          ],
        },
      ],
    },
  },
  {
    // The CLI is the composition root: only it may reach the fixture generator (for `concord demo`).
    files: ['core/**/*.ts'],
    ignores: ['core/cli/**', '**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['electron', 'react', 'react-dom', '**/renderer/**', '**/electron/**'],
              message: 'core/ stays platform-free (DESIGN.md folders).',
            },
            {
              group: ['**/fixtures/**', '**/bench/**'],
              message: 'core/ does not depend on fixtures/ or bench/ (only the CLI may, for demo).',
            },
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
              group: [
                '**/core/**',
                '!**/core/api',
                '!**/core/api/**',
                '!**/core/rpc',
                '!**/core/rpc/client',
                '!**/core/rpc/transport',
              ],
              message: 'The renderer may import only core/api and the RPC client (DESIGN.md folders).',
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
              group: [
                '**/core/**',
                '!**/core/api',
                '!**/core/api/**',
                '!**/core/rpc',
                '!**/core/rpc/client.js',
                '!**/core/rpc/transport.js',
                '!**/core/worker',
                '!**/core/worker/supervisor.js',
              ],
              message:
                'electron/ may import only core/api, the RPC client and the worker supervisor (DESIGN.md folders).',
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
