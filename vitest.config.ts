import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // compiles .vue files for the renderer's component tests (test/renderer, `// @vitest-environment happy-dom`)
  plugins: [vue()],
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 300_000,
    // expect.poll waits up to 30 s (its default, 1 s, is short for a browser page on a loaded 2-core machine)
    expect: { poll: { timeout: 30_000, interval: 100 } },
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
    // the cap on run processes, counted per test file (test/setup/host-runs-per-file.ts): a study with --parallel 2 and
    // the lone runs a test starts beside it
    env: { COLLAPSE_LAB_MAX_RUN_PROCESSES: '4' },
    setupFiles: ['test/setup/host-runs-per-file.ts'],
  },
});
