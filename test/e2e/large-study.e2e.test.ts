import os from 'node:os';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { studyPresets } from '../../main/presets/studies';
import { StudyManager } from '../../main/studies/study-manager';
import { unitHash, writeSyntheticStudy } from '../studies/synthetic-study';
import { skipBrowserTests } from './chromium';
import { openApp, type E2eApp } from './e2e-app';

/**
 * Issue 23, the views at the field's scale, in Debian's headless Chromium through the server door: the Studies page,
 * the study's page (its report: verdict, figures) and the comparison table of the Collapse-or-Thrive Gaussian grid
 * (7,500 runs in 75 cells, `metrics` storage, 100 generations), written to disk as its runs would have left it (not
 * run). The study's digest, its status and the run summaries are computed once and kept, as its coordinator does when
 * the study ends; then each view's open time is logged (not asserted as a time: the machine is shared), with the load,
 * and the engine's share of it.
 */
const PRESET = 'collapse-or-thrive-gaussians';

let app: E2eApp;
let studyId = '';
let runs = 0;
let cells = 0;

const load = () => `load ${os.loadavg()[0].toFixed(1)}`;

/** The page's clock now (ms since its navigation), to split a step by what the page fetched after it. */
const pageNow = (page: Page) => page.evaluate(() => performance.now());

/**
 * Where a step's time went, from the page's own timings: each API call and file it fetched since `from` (its start
 * on the page's clock, its time, its size), and for a page load the navigation (the HTML, DOMContentLoaded after the
 * bundle ran, the load event). Logged under the step's line: the engine's share, the transfer, and the rest (the
 * browser's own work between and after the calls).
 */
async function logSplit(page: Page, from: number, nav = false): Promise<void> {
  const { entries, navigation, now } = await page.evaluate((since) => {
    const r = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
    const n = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
    return {
      entries: r
        .filter((e) => e.startTime >= since)
        .map((e) => ({ path: new URL(e.name).pathname, start: e.startTime, ms: e.duration, bytes: e.encodedBodySize })),
      navigation: n ? { html: n.responseEnd, dcl: n.domContentLoadedEventEnd, load: n.loadEventEnd } : null,
      now: performance.now(),
    };
  }, from);
  const lines = [`  (the page's clock: ${(now - from).toFixed(0)} ms since the step began)`];
  if (nav && navigation) {
    lines.push(
      `  navigation: HTML at ${navigation.html.toFixed(0)} ms, DOMContentLoaded ${navigation.dcl.toFixed(0)} ms, load ${navigation.load.toFixed(0)} ms`,
    );
  }
  for (const e of entries) {
    lines.push(`  ${e.path} from ${(e.start - from).toFixed(0)} ms: ${e.ms.toFixed(0)} ms, ${(e.bytes / 1e6).toFixed(2)} MB`);
  }
  console.log(lines.join('\n'));
}

/** The grid written to disk, and its digest computed as its coordinator computes it when the runs end. */
function prepare(workspace: string): void {
  const preset = studyPresets.find((p) => p.name === PRESET)!;
  let t = performance.now();
  const plan = writeSyntheticStudy(workspace, { ...preset.study, preset: PRESET }, (run, g) => {
    const d = Number(run.fields['dataset.dim']);
    const n = Number(run.fields['dataset.trainSize']);
    const grows = run.fields['loop.paradigm'] === 'replace' ? g + 1 : Math.log(g + 2);
    const u = unitHash(run.index, g);
    return {
      modelMeanSqError: ((d / n) * grows * (0.5 + u)) / 1.5,
      modelVarianceTrace: d * Math.exp(-(g + 1) / (n * (0.5 + u))),
      modelCovarianceLogDet: -((d * (g + 1)) / n) * (0.5 + u),
      seconds: 0.001 + u / 1000,
    };
  });
  studyId = plan.studyId;
  runs = plan.runs.length;
  cells = new Set(plan.runs.map((r) => r.cellKey)).size;
  console.log(`large study: ${runs} runs in ${cells} cells written in ${(performance.now() - t).toFixed(0)} ms (${load()})`);
  t = performance.now();
  const manager = new StudyManager(workspace, 'cpu');
  manager.aggregate(studyId);
  console.log(`large study: its aggregate computed and cached in ${(performance.now() - t).toFixed(0)} ms (${load()})`);
  // and, as its coordinator does then, its settled status and the workspace's run summaries kept
  t = performance.now();
  manager.status(studyId);
  manager.runs.list();
  console.log(`large study: its status and the run summaries kept in ${(performance.now() - t).toFixed(0)} ms (${load()})`);
}

describe.skipIf(skipBrowserTests)('a 7,500-run study in the browser', () => {
  beforeAll(async () => {
    app = await openApp({ name: 'lab-e2e-large-study-', viewport: { width: 1440, height: 900 }, prepare });
  }, 600_000);

  afterAll(async () => {
    await app?.close();
  });

  it('opens the Studies page, the study and its comparison table; each open time is logged', async () => {
    expect(runs).toBe(7500);
    expect(cells).toBe(75);

    const { page, server, api } = app;
    // the app's own first load apart (the browser's first page, the renderer's bundle)
    let t = performance.now();
    await page.goto(`${server.openUrl}#/wizard`);
    await page.locator('[data-nav=studies]').waitFor({ timeout: 120_000 });
    console.log(`large study: the app loaded in ${(performance.now() - t).toFixed(0)} ms (${load()})`);
    await logSplit(page, 0, true);

    let from = await pageNow(page);
    t = performance.now();
    await page.click('[data-nav=studies]');
    const counts = page.locator(`tr[data-study="${studyId}"] [data-testid=counts]`);
    await expect.poll(() => counts.innerText(), { timeout: 120_000 }).toBe(`${runs}/${runs} done`);
    console.log(`large study: the Studies page listed it in ${(performance.now() - t).toFixed(0)} ms (${load()})`);
    await logSplit(page, from);

    from = await pageNow(page);
    t = performance.now();
    await page.click(`tr[data-study="${studyId}"] [data-testid=open-study]`);
    await expect.poll(() => page.locator('[data-testid=study-counts]').innerText(), { timeout: 120_000 }).toBe(`${runs}/${runs} done`);
    await page.locator('[data-testid=study-figures]').waitFor({ timeout: 120_000 });
    console.log(`large study: its page (runs, verdict, figures) opened in ${(performance.now() - t).toFixed(0)} ms (${load()})`);
    await logSplit(page, from);

    from = await pageNow(page);
    t = performance.now();
    await page.click('[data-testid=study-compare]');
    const table = page.locator('[data-testid=compare-table]');
    await expect.poll(() => table.locator('tbody tr[data-cell]').count(), { timeout: 120_000 }).toBe(cells);
    console.log(`large study: its comparison table (${cells} rows) opened in ${(performance.now() - t).toFixed(0)} ms (${load()})`);
    await logSplit(page, from);

    // again from a fresh page load: the engine serves the cached aggregate
    t = performance.now();
    await page.goto(`${server.openUrl}#/compare/study/${studyId}/table`);
    await page.reload();
    await expect.poll(() => page.locator('[data-testid=compare-table] tbody tr[data-cell]').count(), { timeout: 120_000 }).toBe(cells);
    console.log(`large study: the comparison table reloaded in ${(performance.now() - t).toFixed(0)} ms (${load()})`);
    await logSplit(page, 0, true);

    // the engine's share of those times: each operation behind the views, in this process (no HTTP, no browser)
    for (const [op, req] of [
      ['runs.list', {}],
      ['studies.list', {}],
      ['studies.get', { studyId }],
      ['studies.report', { studyId }],
      ['studies.aggregate', { studyId }],
    ] as const) {
      t = performance.now();
      const env = await api.call(op, req as never);
      expect(env.ok, op).toBe(true);
      const ms = performance.now() - t;
      console.log(
        `large study: the engine answered ${op} in ${ms.toFixed(0)} ms, ${(JSON.stringify(env).length / 1e6).toFixed(2)} MB (${load()})`,
      );
    }
  }, 600_000);
});
