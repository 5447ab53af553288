import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateConfig } from '../../main/contract/config';
import type { RunStatus } from '../../main/contract/run-record';
import type { LabServer } from '../../main/server/server';
import { skipBrowserTests } from './chromium';
import { openApp, type E2eApp } from './e2e-app';

/**
 * Issue 23 item 3, in Debian's headless Chromium: a workspace of 3,000 completed runs opens as a virtualised runs
 * list (only the rows in view plus an overscan in the DOM) that scrolls to its last run. How long the list took to
 * show is logged, not asserted (the machine is shared).
 */
const RUNS = 3000;

let app: E2eApp;
let server: LabServer;
let page: Page;

/** Completed run folders written directly (config.json and status.json, no fsync): seconds for thousands. */
function writeCompletedRuns(workspace: string, count: number): string[] {
  const config = validateConfig({
    dataset: { kind: 'gaussian', dim: 3, trainSize: 100, testSize: 100 },
    islands: { count: 2, split: 'iid' },
    model: { kind: 'gaussian' },
    loop: { generations: 5, keep: 60, ratio: 3 },
  });
  const t0 = Date.parse('2026-01-01T00:00:00Z');
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = `synthetic-${String(i).padStart(5, '0')}`;
    const dir = path.join(workspace, id);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ ...config, name: id }));
    const at = new Date(t0 + i * 1000).toISOString();
    const status: RunStatus = { state: 'completed', lastGeneration: 4, generations: 5, startedAt: at, updatedAt: at, finishedAt: at };
    fs.writeFileSync(path.join(dir, 'status.json'), JSON.stringify(status));
    ids.push(id);
  }
  return ids;
}

describe.skipIf(skipBrowserTests)('a runs list of thousands of runs, in a browser', () => {
  let ids: string[];

  beforeAll(async () => {
    app = await openApp({
      name: 'lab-e2e-large-',
      backend: 'cpu',
      viewport: { width: 1440, height: 900 },
      prepare: (workspace) => {
        const t = performance.now();
        ids = writeCompletedRuns(workspace, RUNS);
        console.log(`large lists: ${RUNS} completed run folders written in ${(performance.now() - t).toFixed(0)} ms`);
      },
    });
    ({ server, page } = app);
  }, 300_000);

  afterAll(() => app?.close());

  it('draws only the rows in view and scrolls to the last run', async () => {
    const t = performance.now();
    await page.goto(`${server.openUrl}#/runs`);
    // newest first: the last synthetic run heads the list
    await page.locator(`tr[data-run="${ids.at(-1)}"]`).waitFor({ timeout: 60_000 });
    console.log(
      `large lists: the runs list of ${RUNS} runs showed in ${(performance.now() - t).toFixed(0)} ms (load ${os.loadavg()[0].toFixed(2)})`,
    );

    const drawn = await page.locator('tr[data-run]').count();
    const height = await page
      .locator('tr[data-run]')
      .first()
      .evaluate((el) => (el as HTMLElement).offsetHeight);
    console.log(`large lists: ${drawn} rows drawn, each ${height} px high`);
    expect(drawn).toBeGreaterThan(5);
    expect(drawn).toBeLessThan(200);

    const s = performance.now();
    await page.locator('[data-testid=runs-scroller]').evaluate((el) => (el.scrollTop = el.scrollHeight));
    await page.locator(`tr[data-run="${ids[0]}"]`).waitFor({ timeout: 30_000 });
    await expect.poll(() => page.locator(`tr[data-run="${ids[0]}"]`).isVisible()).toBe(true);
    console.log(`large lists: scrolled to the last run in ${(performance.now() - s).toFixed(0)} ms`);
    expect(await page.locator('tr[data-run]').count()).toBeLessThan(200);
    expect(await page.locator(`tr[data-run="${ids.at(-1)}"]`).count()).toBe(0);
  }, 180_000);
});
