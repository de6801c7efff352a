import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'core/**/*.test.ts',
      'models/**/*.test.ts',
      'fixtures/**/*.test.ts',
      'electron/**/*.test.ts',
      'bench/**/*.test.ts',
      'scripts/**/*.test.ts',
      'renderer/**/*.test.{ts,tsx}',
    ],
    globalSetup: ['./scripts/vitest-global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
