import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

/**
 * Each test file its own host-runs registry (and so its own host slots, main/runs/host-slots.ts): the cap then counts
 * the run processes of this file's tests, and a test that asserts how many of its runs train at once is not held back
 * by another file's runs (vitest runs two files at once), nor by another test suite on the same machine. A test that
 * sets COLLAPSE_LAB_HOST_RUNS_DIR itself still chooses its own.
 */
if (!process.env.COLLAPSE_LAB_HOST_RUNS_DIR) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'collapse-lab-test-host-runs-'));
  process.env.COLLAPSE_LAB_HOST_RUNS_DIR = dir;
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
}
