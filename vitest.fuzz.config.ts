import { defineConfig } from 'vitest/config';

/**
 * The fuzz suite (`npm run fuzz`): hundreds of generated bad inputs at the CLI and the server (test/fuzz). Kept out of
 * `npm test` (whose include is test/**\/*.test.ts); bounded in time, a few minutes on 2 cores.
 */
export default defineConfig({
  test: {
    include: ['test/fuzz/**/*.fuzz.ts'],
    testTimeout: 900_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 1,
  },
});
