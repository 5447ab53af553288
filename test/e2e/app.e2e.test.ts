import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPreset } from '../../main/presets';
import { findStudyPreset } from '../../main/presets/studies';
import type { LabServer } from '../../main/server/server';
import { skipBrowserTests } from './chromium';
import { openApp, type E2eApp } from './e2e-app';

/**
 * THE end-to-end test: the real renderer in Debian's headless Chromium, through the server door (in this process, on
 * a random port, over a temporary workspace). It walks the wizard, launches the smoke preset, watches the run reach
 * its end, opens the gallery, steps generations with the keyboard, checks the charts hold data, and saves a
 * screenshot of each screen to a temporary folder (`npm run screenshots` writes them to docs/screenshots/ for the
 * README instead, through COLLAPSE_LAB_SCREENSHOTS). It builds the renderer first when out/renderer is missing or stale.
 */

// the smoke preset as it is defined today (its sizes may be tuned; the test follows them)
const smoke = findPreset('smoke').config as unknown as {
  dataset: { subset: number; testSubset: number };
  islands: { count: number };
  selection: { scheme: string };
  model: { params: { epochs: number; latent: number } };
  loop: { generations: number };
};
const G = smoke.loop.generations;
const fmt = (n: number) => n.toLocaleString('en-US');

let app: E2eApp;
let server: LabServer;
let page: Page;
let problems: string[];
const shot = (name: string) => app.shot(name);

const text = (selector: string) => page.locator(selector).first().innerText();

describe.skipIf(skipBrowserTests)('the app in a browser, through the server door', () => {
  beforeAll(async () => {
    app = await openApp({ name: 'lab-e2e-', viewport: { width: 1280, height: 800 } });
    ({ server, page, problems } = app);
  }, 300_000);

  afterAll(() => app?.close());

  it('walks the wizard, launches the smoke preset, follows it to the end, and browses its generations', async () => {
    expect(G, 'the smoke preset needs at least 3 generations for the stepping checks').toBeGreaterThanOrEqual(3);
    // ── wizard: dataset ────────────────────────────────────────────────────────────────────────────────────────────
    await page.goto(server.openUrl);
    await expect.poll(() => page.locator('[data-testid=preset]').inputValue()).toBe('smoke');
    const datasetGrid = page.locator('[data-testid=dataset-preview] img');
    await datasetGrid.waitFor();
    await expect.poll(() => datasetGrid.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(100);
    expect(await text('[data-testid=dataset-preview]')).toContain(`${fmt(smoke.dataset.subset)} / ${fmt(smoke.dataset.testSubset)}`);
    await shot('wizard-dataset');

    // ── islands: the live chart and each island's samples ──────────────────────────────────────────────────────────
    await page.click('[data-testid=next]');
    await page.locator('[data-chart=islands] canvas').first().waitFor();
    const K = smoke.islands.count;
    expect(await page.locator('[data-chart=islands]').getAttribute('data-points')).toBe(String(K));
    await page.locator(`[data-island="${K - 1}"] img`).waitFor();
    // the chart follows the fields: one island more, then back
    await page.fill('#is-count', String(K + 1));
    await expect.poll(() => page.locator('[data-chart=islands]').getAttribute('data-points')).toBe(String(K + 1));
    await page.fill('#is-count', String(K));
    await expect.poll(() => page.locator('[data-chart=islands]').getAttribute('data-points')).toBe(String(K));
    await page.locator(`[data-island="${K - 1}"] img`).waitFor();
    await shot('wizard-islands');

    // ── scheme & paradigm: an invalid value is shown at its field before launch ───────────────────────────────────
    await page.click('[data-testid=next]');
    await page.fill('#lp-gen', '0');
    const genField = page.locator('.field', { has: page.locator('#lp-gen') });
    await expect.poll(() => genField.getAttribute('data-invalid')).toBe('true');
    expect(await genField.locator('.error').innerText()).not.toBe('');
    expect(await text('[data-step=scheme] .count')).toBe('1');
    await shot('wizard-invalid-field');
    await page.fill('#lp-gen', String(G));
    await expect.poll(() => genField.getAttribute('data-invalid')).toBeNull();
    // a reference-based baseline with the pooled oracle: the privacy note and the badge, then back to the preset's scheme
    await page.selectOption('#sc-scheme', 'covmatch');
    await page.selectOption('#sc-ref', 'pooled');
    await page.locator('[data-testid=oracle-badge]').waitFor();
    expect(await text('[data-testid=scheme-privacy]')).toMatch(/means and covariances/);
    await shot('wizard-scheme');
    await page.selectOption('#sc-ref', 'local');
    await page.selectOption('#sc-scheme', smoke.selection.scheme);

    // ── model: hyper-parameters from the catalog, values from the preset ──────────────────────────────────────────
    await page.click('[data-testid=next]');
    expect(await page.locator('[id="model.params.epochs"]').inputValue()).toBe(String(smoke.model.params.epochs));
    expect(await page.locator('[id="model.params.latent"]').inputValue()).toBe(String(smoke.model.params.latent));
    await shot('wizard-model');

    // ── review and launch ────────────────────────────────────────────────────────────────────────────────────────
    await page.click('[data-testid=next]');
    await expect.poll(() => text('[data-testid=estimate]')).toContain('≈');
    await shot('wizard-review');
    await page.click('[data-testid=launch]');

    // ── runs: live progress to the end ───────────────────────────────────────────────────────────────────────────
    const row = page.locator('tr[data-run]').first();
    await row.waitFor();
    const runId = (await row.getAttribute('data-run'))!;
    expect(runId).toMatch(/smoke/);
    // catch it while it trains: the epoch bar appears with the live progress
    const epochBar = row.locator('[data-testid=epoch-progress]');
    await epochBar.waitFor({ timeout: 120_000 }).catch(() => undefined);
    if (await epochBar.isVisible()) {
      expect(await row.locator('[data-testid=state]').innerText()).toMatch(/running/i);
      await shot('runs-live');
    }
    await expect.poll(() => row.getAttribute('data-state'), { timeout: 480_000, interval: 500 }).toBe('completed');
    expect(await row.locator('[data-testid=generation-progress]').innerText()).toContain(`${G}/${G}`);
    await shot('runs');

    // ── run view: gallery with one generation for every panel ────────────────────────────────────────────────────
    await row.locator('[data-testid=open]').click();
    const synthetic = page.locator('[data-testid=synthetic] img');
    await synthetic.waitFor();
    await expect.poll(() => synthetic.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(50);
    const last = String(G - 1);
    expect(await text('[data-testid=shown-generation]')).toBe(last);
    expect(await synthetic.getAttribute('src')).toContain(`gen-${last.padStart(3, '0')}/samples.png`);
    // true pixel size × zoom, nearest-neighbour
    const { natural, shown, rendering } = await synthetic.evaluate((img: HTMLImageElement) => ({
      natural: img.naturalWidth,
      shown: img.getBoundingClientRect().width,
      rendering: getComputedStyle(img).imageRendering,
    }));
    expect(shown).toBe(natural * 2);
    expect(rendering).toBe('pixelated');
    expect(await page.locator('[data-testid=filmstrip] .frame').count()).toBe(G);
    await page.locator('[data-chart=islands], .islands img').first().waitFor();

    // keyboard stepping: Home, →, End, ←
    await page.locator('body').click({ position: { x: 5, y: 300 } });
    await page.keyboard.press('Home');
    await expect.poll(() => text('[data-testid=shown-generation]')).toBe('0');
    expect(await synthetic.getAttribute('src')).toContain('gen-000/samples.png');
    expect(await page.locator('[data-testid=generation-slider]').inputValue()).toBe('0');
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => text('[data-testid=shown-generation]')).toBe('1');
    expect(await page.locator('[data-testid=generation-input]').inputValue()).toBe('1');
    expect(await page.locator('[data-testid=filmstrip] .frame.current').innerText()).toContain('1');
    await page.keyboard.press('End');
    await expect.poll(() => text('[data-testid=shown-generation]')).toBe(last);
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => text('[data-testid=shown-generation]')).toBe(String(G - 2));
    // a typed generation
    await page.fill('[data-testid=generation-input]', '0');
    await page.press('[data-testid=generation-input]', 'Enter');
    await expect.poll(() => text('[data-testid=shown-generation]')).toBe('0');
    await page.locator('[data-testid=generation-input]').blur();
    await page.keyboard.press('End');
    await expect.poll(() => text('[data-testid=shown-generation]')).toBe(last);
    await page.locator('.content').evaluate((el) => el.scrollTo(0, 0));
    await shot('run-gallery');

    // charts with data, one point per generation
    const charts = page.locator('[data-testid=charts] [data-metric]');
    expect(await charts.count()).toBeGreaterThan(3);
    for (const key of ['trainLoss', 'varianceTrace']) {
      const chart = page.locator(`[data-metric="${key}"]`);
      expect(await chart.getAttribute('data-points')).toBe(String(G));
      const canvas = chart.locator('canvas').first();
      await canvas.waitFor();
      expect(await canvas.evaluate((c: HTMLCanvasElement) => c.width * c.height)).toBeGreaterThan(0);
    }
    expect(await page.locator('[data-chart=epoch-losses]').getAttribute('data-points')).toBe(String(G));
    // a tooltip on hover
    const plot = page.locator('[data-metric="trainLoss"] canvas').first();
    const box = (await plot.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await expect.poll(() => page.locator('[data-metric="trainLoss"]').innerText()).toMatch(/Training loss/); // the chart's title (its tooltip is drawn in the canvas)
    await page.locator('[data-testid=filmstrip]').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await page.locator('.content').evaluate((el) => el.scrollBy(0, -60)); // below the sticky generation bar
    await shot('run-charts');

    // dark theme
    await page.click('[data-testid=theme]'); // system → light
    await page.click('[data-testid=theme]'); // light → dark
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await page.locator('.content').evaluate((el) => el.scrollTo(0, 0));
    await shot('run-gallery-dark');
    // the run is over: no Cancel, no "running" count
    expect(await page.locator('[data-nav=runs]').innerText()).not.toMatch(/running/);
    expect(await text('[data-testid=run-state]')).toMatch(/completed/i);

    expect(problems).toEqual([]);
  }, 900_000);

  it('offers the built-in studies with their papers, launches one and shows its paper while it runs', async () => {
    const toy = findStudyPreset('selection-bias-toy');
    await page.goto(`${server.openUrl}#/studies`);
    const card = page.locator('[data-study-preset="selection-bias-toy"]');
    await expect.poll(() => card.locator('[data-testid=preset-paper]').innerText()).toContain(toy.claim!.paper);
    await page.fill('[aria-label="runs at once"]', '1'); // one run at a time: it is cancelled below
    await card.locator('button').click();
    await expect.poll(() => page.evaluate(() => window.location.hash)).toMatch(/^#\/study\//);
    const panel = page.locator('[data-testid=paper-panel]');
    await panel.waitFor();
    expect(await panel.locator('[data-testid=paper-name]').innerText()).toBe(toy.claim!.paper);
    // no run has finished: the verdict waits, the paper's numbers are listed beside ours, the figures say what they lack
    expect(await panel.locator('[data-testid=verdict-badge]').innerText()).toMatch(/pending/i);
    expect(await panel.locator('[data-testid=paper-vs-ours] tbody tr').count()).toBe(toy.claim!.figures.length);
    expect(await page.locator('[data-study-figure]').count()).toBe(toy.figures!.length);
    await page.locator('.content').evaluate((el) => el.scrollTo(0, 0));
    await shot('study-paper');
    await page.click('[data-testid=study-cancel]');
    await expect.poll(() => page.locator('[data-testid=study-state]').innerText(), { timeout: 60_000 }).toMatch(/cancelled/i);
    expect(problems).toEqual([]);
  }, 180_000);
});
