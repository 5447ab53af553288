import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StudyAggregate } from '../../main/contract/study-aggregate';
import type { LabServer } from '../../main/server/server';
import { skipBrowserTests } from './chromium';
import { openApp, poll, type E2eApp } from './e2e-app';

/**
 * The comparison end to end: the real renderer in Debian's headless Chromium, through the server door. It makes a
 * study in the wizard ("vary a field": 2 schemes × 2 seeds of a tiny Gaussian config, seconds of work), watches it
 * finish on the Studies page, opens the comparison, checks the table against the study's aggregate, downloads it as
 * CSV, toggles a cell in the overlaid charts and downloads one as PNG, then steps the side-by-side galleries with the
 * keyboard. Screenshots go to a temporary folder unless COLLAPSE_LAB_SCREENSHOTS names one (`npm run screenshots`).
 */

const G = 5;
const config = {
  name: 'e2e schemes',
  seed: 0,
  dataset: { kind: 'gaussian', dim: 4, trainSize: 300, testSize: 200 },
  islands: { count: 2, split: 'iid' },
  model: { kind: 'gaussian' },
  loop: { generations: G, keep: 60, ratio: 3 },
  selection: { scheme: 'random' },
  // ψ from t = 1: these runs are 5 generations long (the default window is t ∈ [10, T])
  metrics: { psiFromT: 1 },
  gridSamples: 16,
};

let app: E2eApp;
let tmp: string;
let server: LabServer;
let page: Page;
let problems: string[];
const shot = (name: string) => app.shot(name);
const call = <T>(op: string, req: unknown) => app.call<T>(op, req);

describe.skipIf(skipBrowserTests)('studies and the comparison in a browser, through the server door', () => {
  beforeAll(async () => {
    app = await openApp({ name: 'lab-e2e-compare-', backend: 'cpu', viewport: { width: 1280, height: 860 }, acceptDownloads: true });
    ({ tmp, server, page, problems } = app);
  }, 300_000);

  afterAll(() => app?.close());

  it('makes a study in the wizard, watches it, and compares its cells', async () => {
    // ── wizard: paste the base config, then "vary a field" on the review step ───────────────────────────────────
    await page.goto(server.openUrl);
    await page.locator('[data-testid=preset]').waitFor();
    // defect 1 of issue 11: α typed key by key keeps the split's kind and the text
    await page.click('[data-step=islands]');
    await page.selectOption('#is-kind', 'dirichlet');
    await page.fill('#is-alpha', '');
    await page.locator('#is-alpha').pressSequentially('0.05');
    expect(await page.locator('#is-kind').inputValue()).toBe('dirichlet');
    expect(await page.locator('#is-alpha').inputValue()).toBe('0.05');
    await poll(() => page.locator('.spec').innerText()).toBe('split = "dirichlet:0.05"');
    await page.click('[data-step=review]');
    await page.click('text=Paste JSON');
    await page.fill('[data-testid=paste]', JSON.stringify(config));
    await page.click('button:has-text("Load")');
    await poll(() => page.locator('#rv-name').inputValue()).toBe(config.name);
    await page.locator('[data-testid=study-enabled]').check();
    await page.click('[data-choice=random]');
    await page.click('[data-choice=topalpha]');
    expect(await page.locator('[data-testid=axis-values]').inputValue()).toBe('random, topalpha');
    await page.fill('[data-testid=study-seeds]', '2');
    await page.fill('[data-testid=study-parallel]', '2');
    await poll(() => page.locator('[data-testid=study-plan]').innerText()).toMatch(/4 runs in 2 cells × 2 seeds, 2 at once: ≈ /);
    expect(await page.locator('[data-testid=launch]').innerText()).toBe('Launch study (4 runs)');
    // defect 8: the draft (and the study) survive a reload
    await page.waitForTimeout(300);
    await page.reload();
    await poll(() => page.locator('#rv-name').inputValue()).toBe(config.name);
    expect(await page.locator('[data-testid=axis-values]').inputValue()).toBe('random, topalpha');
    await poll(() => page.locator('[data-testid=study-plan]').innerText()).toMatch(/4 runs in 2 cells × 2 seeds, 2 at once: ≈ /);
    await shot('wizard-study');
    await page.click('[data-testid=launch]');

    // ── the study's page: its runs cell by cell, to the end ───────────────────────────────────────────────────────
    await poll(() => page.evaluate(() => location.hash)).toBe('#/study/e2e-schemes');
    await poll(() => page.locator('[data-testid=study-state]').innerText(), { timeout: 240_000, interval: 500 }).toMatch(/completed/i);
    await poll(() => page.locator('[data-testid=study-counts]').innerText()).toBe('4/4 done');
    expect(await page.locator('tbody[data-cell]').count()).toBe(2);
    expect(await page.locator('tr[data-study-run][data-state=completed]').count()).toBe(4);
    await shot('study');
    await page.click('[data-nav=studies]');
    await poll(() => page.locator('tr[data-study=e2e-schemes] [data-testid=counts]').innerText()).toBe('4/4 done');
    await shot('studies');

    // ── the comparison table: 4 runs folded into 2 rows of mean ± sd (n), equal to the aggregate ─────────────────
    await page.click('tr[data-study=e2e-schemes] [data-testid=open-study]');
    await page.click('[data-testid=study-compare]');
    const table = page.locator('[data-testid=compare-table]');
    await poll(() => table.locator('tbody tr[data-cell]').count()).toBe(2);
    const aggregate = await call<StudyAggregate>('studies.aggregate', { studyId: 'e2e-schemes' });
    expect(aggregate.cells).toHaveLength(2);
    const metrics = await table
      .locator('thead [data-sort-metric]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-sort-metric')!));
    expect(metrics.length).toBeGreaterThan(1);
    for (const cell of aggregate.cells) {
      const row = table.locator(`tbody tr[data-cell="${cell.cellKey}"]`);
      expect(await row.locator('td').first().innerText()).toBe(String(cell.fields['selection.scheme']));
      for (const m of metrics) {
        const td = row.locator(`td[data-metric="${m}"]`);
        const s = cell.last.metrics[m];
        if (!s) continue;
        expect(Number(await td.getAttribute('data-mean'))).toBe(s.mean);
        expect(await td.getAttribute('data-n')).toBe('2');
        expect(await td.innerText()).toMatch(/^\S+ ± \S+ \(2\)$/);
      }
    }
    // the engine's markdown table says the same
    const md = (await call<{ text: string }>('studies.table', { studyId: 'e2e-schemes', metrics, format: 'md' })).text;
    const uiRows = await table
      .locator('tbody tr[data-cell]')
      .evaluateAll((rows) => rows.map((r) => Array.from(r.querySelectorAll('td'), (td) => td.textContent!.trim())));
    // the table's rows: the lines after the header and its rule, up to the note on the feature spaces below it
    const mdLines = md.trim().split('\n');
    const tableEnd = mdLines.findIndex((l) => !l.startsWith('|'));
    const mdRows = mdLines.slice(2, tableEnd < 0 ? undefined : tableEnd).map((l) =>
      l
        .slice(2, -2)
        .split(' | ')
        .map((c) => c.replace(/\*\*/g, '')),
    );
    expect(uiRows).toEqual(mdRows);
    expect(await table.locator('td.best').count()).toBeGreaterThan(0);
    await shot('compare-table');

    // downloaded as CSV: the engine's CSV of the same table
    const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.click('[data-download=csv]')]);
    const csvFile = path.join(tmp, 'table.csv');
    await csvDownload.saveAs(csvFile);
    const csv = fs.readFileSync(csvFile, 'utf8');
    expect(csv).toBe((await call<{ text: string }>('studies.table', { studyId: 'e2e-schemes', metrics, format: 'csv' })).text);
    expect(csv.trim().split('\n')).toHaveLength(3);

    // ── overlaid curves: sections, log-log Tr(Σ) with ψ, a cell toggled from the legend, a PNG ───────────────────
    await page.click('[data-tab=curves]');
    const trace = page.locator('[data-overlay=varianceTrace]');
    await trace.locator('canvas').first().waitFor();
    expect(await trace.getAttribute('data-cells')).toBe('2');
    expect(await trace.getAttribute('data-points')).toBe(String(2 * G));
    expect(await trace.getAttribute('data-log')).toBe('xy');
    expect(await trace.locator('[data-testid=fits]').innerText()).toMatch(/ψ of the cell mean, t ∈ \[1, 5\] = /);
    expect(await page.locator('[data-section=quality] [data-overlay=fid]').count()).toBe(1);
    await shot('compare-curves');
    const second = aggregate.cells[1].cellKey;
    await page.click(`[data-legend-cell="${second}"]`);
    await poll(() => trace.getAttribute('data-cells')).toBe('1');
    expect(await page.locator('[data-overlay=fid]').getAttribute('data-cells')).toBe('1');
    await page.click(`[data-legend-cell="${second}"]`);
    await poll(() => trace.getAttribute('data-cells')).toBe('2');
    const [pngDownload] = await Promise.all([page.waitForEvent('download'), trace.locator('[data-download-chart=png]').click()]);
    const pngFile = path.join(tmp, 'chart.png');
    await pngDownload.saveAs(pngFile);
    const png = fs.readFileSync(pngFile);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(1440); // 720 px wide at pixel ratio 2
    expect(pngDownload.suggestedFilename()).toMatch(/varianceTrace\.png$/);

    await page.locator('[data-section=diversity]').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await shot('compare-curves-diversity');

    // ── side-by-side galleries: one run per cell, one generation for all, keyboard and typed ─────────────────────
    await page.locator('.content').evaluate((el) => el.scrollTo(0, 0));
    await page.click('[data-tab=gallery]');
    const columns = page.locator('[data-gallery-run]');
    await poll(() => columns.count()).toBe(2);
    const imgs = page.locator('[data-gallery-run] img');
    await poll(() => imgs.count()).toBe(2);
    await poll(() =>
      imgs.evaluateAll((els) => els.every((i) => (i as HTMLImageElement).complete && (i as HTMLImageElement).naturalWidth > 0)),
    ).toBe(true);
    const last = String(G - 1);
    expect(await page.locator('[data-testid=gallery-generation]').innerText()).toBe(last);
    // true pixel size × the shared zoom
    const sizes = await imgs.evaluateAll((els) => els.map((i) => [(i as HTMLImageElement).naturalWidth, i.getBoundingClientRect().width]));
    for (const [natural, shown] of sizes) expect(shown).toBe(natural * 2);
    await page.locator('body').click({ position: { x: 5, y: 500 } });
    await page.keyboard.press('Home');
    await poll(() => page.locator('[data-testid=gallery-generation]').innerText()).toBe('0');
    expect(await imgs.evaluateAll((els) => els.map((i) => i.getAttribute('src')!).every((s) => s.includes('gen-000/samples.png')))).toBe(
      true,
    );
    await page.keyboard.press('ArrowRight');
    await poll(() => page.locator('[data-testid=gallery-generation]').innerText()).toBe('1');
    expect(await imgs.evaluateAll((els) => els.map((i) => i.getAttribute('src')!).every((s) => s.includes('gen-001/samples.png')))).toBe(
      true,
    );
    await page.fill('[data-testid=gallery-generation-input]', '3');
    await page.press('[data-testid=gallery-generation-input]', 'Enter');
    await poll(() => page.locator('[data-testid=gallery-generation]').innerText()).toBe('3');
    await page.selectOption('[data-testid=gallery-zoom]', '3');
    await poll(() => imgs.first().evaluate((i) => i.getBoundingClientRect().width / (i as HTMLImageElement).naturalWidth)).toBe(3);
    await shot('compare-gallery');
    // the pixel difference between the two runs
    await page.click('[data-mode=difference]');
    await poll(() => page.locator('[data-testid=difference-info]').innerText()).toMatch(/mean \|A − B\| = 0\.\d+/);
    await shot('compare-gallery-difference');

    // ── the runs list: filter, group by a config field, tick the four runs with a shift-click, compare them ─────
    await page.click('[data-nav=runs]');
    await page.fill('[data-testid=runs-filter]', 'e2e');
    await poll(() => page.locator('tr[data-run]').count()).toBe(4);
    await page.selectOption('[data-testid=group-by]', 'loop.paradigm');
    await poll(() => page.locator('tbody[data-group]').evaluateAll((els) => els.map((e) => e.getAttribute('data-group')))).toEqual([
      'replace',
    ]);
    await page.selectOption('[data-testid=group-by]', 'selection.scheme');
    await poll(() => page.locator('tbody[data-group]').count()).toBe(2);
    await page.locator('[data-testid=select]').first().click();
    await page
      .locator('[data-testid=select]')
      .last()
      .click({ modifiers: ['Shift'] });
    expect(await page.locator('[data-testid=selected-count]').innerText()).toBe('4 selected');
    await shot('runs-select');
    await page.click('[data-testid=compare]');
    const runsTable = page.locator('[data-testid=compare-table]');
    await poll(() => runsTable.locator('tbody tr[data-cell]').count()).toBe(2);
    expect(await page.locator('[data-testid=compare-summary]').innerText()).toBe('2 cells · 4 runs');
    // the same runs folded in the renderer: the same means as the study's aggregate
    for (const cell of aggregate.cells) {
      const scheme = String(cell.fields['selection.scheme']);
      const row = runsTable.locator('tbody tr[data-cell]', { hasText: scheme }).first();
      const fid = row.locator('td[data-metric=fid]');
      expect(Number(await fid.getAttribute('data-mean'))).toBeCloseTo(cell.last.metrics.fid.mean, 9);
      expect(await fid.getAttribute('data-n')).toBe('2');
    }

    expect(problems).toEqual([]);
  }, 600_000);
});
