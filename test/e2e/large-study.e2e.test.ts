import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureRendererBuilt } from '../../bin/build-if-stale.mjs';
import { LabApi } from '../../main/api/lab-api';
import { studyPresets } from '../../main/presets/studies';
import { startServer, type LabServer } from '../../main/server/server';
import { StudyManager } from '../../main/studies/study-manager';
import { unitHash, writeSyntheticStudy } from '../studies/synthetic-study';
import { CHROMIUM, requireChromium, skipBrowserTests } from './chromium';

/**
 * Issue 23, the views at the field's scale, in Debian's headless Chromium through the server door: the Studies page,
 * the study's page (its report: verdict, figures) and the comparison table of the Collapse-or-Thrive Gaussian grid
 * (7,500 runs in 75 cells, `metrics` storage, 100 generations), written to disk as its runs would have left it (not
 * run). The study's digest is computed once, as its coordinator does when the study ends; then each view's open time
 * is logged (not asserted as a time: the machine is shared), with the load.
 */
const PRESET = 'collapse-or-thrive-gaussians';

let tmp: string;
let api: LabApi;
let server: LabServer;
let context: BrowserContext;
let page: Page;
let studyId = '';
let runs = 0;
let cells = 0;

const load = () => `load ${os.loadavg()[0].toFixed(1)}`;

describe.skipIf(skipBrowserTests)('a 7,500-run study in the browser', () => {
  beforeAll(async () => {
    requireChromium();
    ensureRendererBuilt((m) => process.stderr.write(`e2e: ${m}\n`));
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-e2e-large-study-'));
    const workspace = path.join(tmp, 'workspace');
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
    // what the study's coordinator does when its runs end: the digest computed once and cached beside the study
    t = performance.now();
    new StudyManager(workspace, 'cpu').aggregate(studyId);
    console.log(`large study: its aggregate computed and cached in ${(performance.now() - t).toFixed(0)} ms (${load()})`);

    api = new LabApi({ workspace, backend: 'cpu', openPath: async () => ({ opened: false, reason: 'e2e' }) });
    server = await startServer({ api, port: 0 });
    context = await chromium.launchPersistentContext(path.join(tmp, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
      viewport: { width: 1440, height: 900 },
    });
    page = context.pages()[0] ?? (await context.newPage());
  }, 600_000);

  afterAll(async () => {
    await context?.close();
    await server?.close();
    await api?.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('opens the Studies page, the study and its comparison table; each open time is logged', async () => {
    expect(runs).toBe(7500);
    expect(cells).toBe(75);

    let t = performance.now();
    await page.goto(`${server.openUrl}#/studies`);
    const counts = page.locator(`tr[data-study="${studyId}"] [data-testid=counts]`);
    await expect.poll(() => counts.innerText(), { timeout: 120_000 }).toBe(`${runs}/${runs} done`);
    console.log(`large study: the Studies page listed it in ${(performance.now() - t).toFixed(0)} ms (${load()})`);

    t = performance.now();
    await page.click(`tr[data-study="${studyId}"] [data-testid=open-study]`);
    await expect.poll(() => page.locator('[data-testid=study-counts]').innerText(), { timeout: 120_000 }).toBe(`${runs}/${runs} done`);
    await page.locator('[data-testid=study-figures]').waitFor({ timeout: 120_000 });
    console.log(`large study: its page (runs, verdict, figures) opened in ${(performance.now() - t).toFixed(0)} ms (${load()})`);

    t = performance.now();
    await page.click('[data-testid=study-compare]');
    const table = page.locator('[data-testid=compare-table]');
    await expect.poll(() => table.locator('tbody tr[data-cell]').count(), { timeout: 120_000 }).toBe(cells);
    console.log(`large study: its comparison table (${cells} rows) opened in ${(performance.now() - t).toFixed(0)} ms (${load()})`);

    // again from a fresh page load: the engine serves the cached aggregate
    t = performance.now();
    await page.goto(`${server.openUrl}#/compare/study/${studyId}/table`);
    await page.reload();
    await expect.poll(() => page.locator('[data-testid=compare-table] tbody tr[data-cell]').count(), { timeout: 120_000 }).toBe(cells);
    console.log(`large study: the comparison table reloaded in ${(performance.now() - t).toFixed(0)} ms (${load()})`);

    // the engine's share of those times: each operation behind the views, in this process (no HTTP, no browser)
    for (const [op, req] of [
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
