import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { root } from '../../bin/build-if-stale.mjs';
import { runStates } from '../../main/contract/run-state';
import type { LabServer } from '../../main/server/server';
import { skipBrowserTests } from './chromium';
import { openApp, poll, type E2eApp } from './e2e-app';

/**
 * Issue 24's steps, end to end in Debian's headless Chromium through the server door: (1) a launched study shows
 * its waiting runs as queued, never interrupted, in the app and after a reload; (2) the runs list's ticks, highlight
 * and count are one selection, through a filter, a shift-click range, Clear and a reload; (3) a study a terminal's
 * `collapse-lab study run` coordinates, cancelled in the app, shows cancelled without a reload; (5) the study's
 * parallel coordinates (brushing selects runs for Compare), the curves' x axis choice and the scatter of two metrics;
 * (6) the run view at 1440 px, whose panels (the selection's decision among them) use their width.
 * Screenshots go to a temporary folder unless COLLAPSE_LAB_SCREENSHOTS names one (`npm run screenshots`).
 */
const bin = path.join(root, 'bin', 'collapse-lab.mjs');

const base = (generations: number) => ({
  dataset: { kind: 'gaussian', dim: 4, trainSize: 300, testSize: 200 },
  islands: { count: 2, split: 'iid' },
  model: { kind: 'gaussian' },
  loop: { generations, keep: 60, ratio: 3 },
  gridSamples: 16,
});

let app: E2eApp;
let tmp: string;
let workspace: string;
let server: LabServer;
let page: Page;
let problems: string[];
const children: ChildProcess[] = [];
const shot = (name: string) => app.shot(name);
const call = <T>(op: string, req: unknown) => app.call<T>(op, req);

/** The states of the rows a selector finds, as they are drawn (their badges' words) and as data-state says. */
async function rowStates(selector: string): Promise<string[]> {
  const rows = await page
    .locator(selector)
    .evaluateAll((els) => els.map((e) => [e.getAttribute('data-state'), e.querySelector('.badge')?.textContent?.trim()]));
  for (const [data, badge] of rows) expect(badge).toBe(data);
  return rows.map(([data]) => data!);
}

describe.skipIf(skipBrowserTests)('true states, one selection and the study views, in a browser', () => {
  beforeAll(async () => {
    app = await openApp({ name: 'lab-e2e-state-', backend: 'cpu', viewport: { width: 1440, height: 900 }, failedResponses: true });
    ({ tmp, workspace, server, page, problems } = app);
  }, 300_000);

  afterAll(async () => {
    for (const c of children) c.kill('SIGKILL');
    await app?.close();
  });

  beforeEach(() => {
    problems.length = 0;
  });

  it('1: a launched study shows its waiting runs as queued, not interrupted, live and after a reload', async () => {
    // one run at a time: three of the four wait in the queue while the first trains
    await call('studies.start', {
      study: { name: 'waiting', base: base(6), axes: [{ path: 'selection.scheme', values: ['random', 'topalpha'] }], seeds: 2 },
      parallel: 1,
    });
    await page.goto(`${server.openUrl}#/study/waiting`);
    await page.locator('tr[data-study-run]').first().waitFor();
    const seen = new Set<string>();
    const look = async () => {
      const states = await rowStates('tr[data-study-run]');
      for (const s of states) seen.add(s);
      expect(await page.locator('[data-testid=study-counts]').innerText()).not.toMatch(/interrupted/);
      expect(await page.locator('tr[data-study-run] .err').count()).toBe(0);
      return states;
    };
    expect((await look()).filter((s) => s === 'queued').length).toBeGreaterThanOrEqual(2);
    await shot('study-queued');
    await page.reload();
    await page.locator('tr[data-study-run]').first().waitFor();
    await look();
    // the runs list, while the study runs: no run reads interrupted
    await page.click('[data-nav=runs]');
    await poll(() => page.locator('tr[data-run]').count()).toBe(4);
    expect(await page.locator('[data-state-filter=interrupted]').count()).toBe(0);
    for (const s of await rowStates('tr[data-run]')) expect(['queued', 'starting', 'running', 'completed']).toContain(s);
    await page.goto(`${server.openUrl}#/study/waiting`);
    await page.locator('tr[data-study-run]').first().waitFor();
    // to the end, looking as it goes: no state but the machine's live ones and completed
    await poll(
      async () => {
        await look();
        return page.locator('[data-testid=study-state]').innerText();
      },
      { timeout: 240_000, interval: 300 },
    ).toMatch(/completed/i);
    await poll(() => page.locator('[data-testid=study-counts]').innerText()).toBe('4/4 done');
    for (const s of seen) expect(['queued', 'starting', 'running', 'completed']).toContain(s);
    // the runs list says the same
    await page.click('[data-nav=runs]');
    await page.locator('tr[data-run]').first().waitFor();
    const chips = await page.locator('[data-state-filter]').evaluateAll((els) => els.map((e) => e.getAttribute('data-state-filter')));
    expect(chips).toEqual(['completed']);
    for (const s of runStates) if (s !== 'completed') expect(await page.locator(`tr[data-run][data-state=${s}]`).count()).toBe(0);
    expect(problems).toEqual([]);
  }, 360_000);

  it('2: ticks, highlight and count are one selection, through a filter, a shift-click range, Clear and a reload', async () => {
    await page.goto(`${server.openUrl}#/runs`);
    await poll(() => page.locator('tr[data-run]').count()).toBe(4);
    await page.fill('[data-testid=runs-filter]', 'random');
    await poll(() => page.locator('tr[data-run]').count()).toBe(2);
    await page.fill('[data-testid=runs-filter]', '');
    // sorted by name then filtered to nothing: the visible order is the shift-click range's
    await page.click('[data-sort=name]');
    await poll(() => page.locator('tr[data-run]').count()).toBe(4);
    const boxes = page.locator('tr[data-run] [data-testid=select]');
    const ticked = () => boxes.evaluateAll((els) => els.map((e) => (e as HTMLInputElement).checked));
    const lit = () => page.locator('tr[data-run]').evaluateAll((els) => els.map((e) => e.classList.contains('selected')));
    await boxes.nth(0).click();
    await boxes.nth(2).click({ modifiers: ['Shift'] });
    await poll(() => page.locator('[data-testid=selected-count]').innerText()).toBe('3 selected');
    expect(await ticked()).toEqual([true, true, true, false]);
    expect(await lit()).toEqual([true, true, true, false]);
    // a shift-click on a ticked box unticks the range from the anchor
    await boxes.nth(1).click({ modifiers: ['Shift'] });
    await poll(() => page.locator('[data-testid=selected-count]').innerText()).toBe('1 selected');
    expect(await ticked()).toEqual([true, false, false, false]);
    expect(await lit()).toEqual([true, false, false, false]);
    await page.click('button:has-text("Clear")');
    expect(await page.locator('[data-testid=selected-count]').count()).toBe(0);
    expect(await ticked()).toEqual([false, false, false, false]);
    await boxes.nth(1).click();
    await boxes.nth(3).click();
    await page.reload();
    await poll(() => page.locator('tr[data-run]').count()).toBe(4);
    await page.click('[data-sort=name]');
    await poll(() => page.locator('[data-testid=selected-count]').innerText()).toBe('2 selected');
    await poll(() => ticked()).toEqual([false, true, false, true]);
    expect(await lit()).toEqual([false, true, false, true]);
    // Compare reads the same set
    await page.click('[data-testid=compare]');
    await poll(() => page.locator('[data-testid=compare-summary]').innerText()).toMatch(/2 runs/);
    expect(problems).toEqual([]);
  }, 120_000);

  it('3: a study a terminal coordinates, cancelled in the app, shows cancelled without a reload', async () => {
    const file = path.join(tmp, 'terminal.json');
    fs.writeFileSync(
      file,
      JSON.stringify({
        name: 'terminal',
        base: base(2000),
        axes: [{ path: 'selection.scheme', values: ['random', 'topalpha'] }],
        seeds: 1,
      }),
    );
    const child = spawn(process.execPath, [bin, 'study', 'run', file, '--out', workspace, '--parallel', '2', '--backend', 'cpu'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    children.push(child);
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += String(d)));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    // the terminal's study exists (its coordinator has written it), then the app opens it
    await poll(async () => (await call<{ studies: { id: string }[] }>('studies.list', {})).studies.map((s) => s.id), {
      timeout: 120_000,
    }).toContain('terminal');
    await page.goto(`${server.openUrl}#/study/terminal`);
    await poll(() => page.locator('[data-testid=study-counts]').innerText(), { timeout: 120_000 }).toMatch(/2 running/);
    await poll(() => page.locator('tr[data-study-run][data-state=running]').count(), { timeout: 120_000 }).toBe(2);
    await shot('study-terminal-running');
    const asked = Date.now();
    await page.click('[data-testid=study-cancel]');
    await poll(() => page.locator('[data-testid=study-state]').innerText(), { timeout: 30_000, interval: 100 }).toMatch(/cancel/i);
    const cancelling = Date.now() - asked;
    await poll(() => page.locator('[data-testid=study-state]').innerText(), { timeout: 30_000, interval: 100 }).toMatch(/^cancelled$/i);
    await poll(() => page.locator('tr[data-study-run][data-state=cancelled]').count(), { timeout: 30_000, interval: 100 }).toBe(2);
    const shown = Date.now() - asked;
    process.stderr.write(
      `e2e: a cancel from the app to the terminal's study: shown as cancelling after ${cancelling} ms, cancelled after ${shown} ms (load ${os.loadavg()[0].toFixed(1)})\n`,
    );
    expect(await page.locator('[data-testid=study-counts]').innerText()).not.toMatch(/running/);
    expect(await exited).toBe(1); // a cancelled study ends its `study run` with 1, as Ctrl-C does
    expect(stderr).toMatch(/cancelled/);
    await page.reload();
    await poll(() => page.locator('[data-testid=study-state]').innerText()).toMatch(/^cancelled$/i);
    expect(await page.locator('tr[data-study-run][data-state=cancelled]').count()).toBe(2);
    expect(problems).toEqual([]);
  }, 300_000);

  it('5: parallel coordinates brush runs for Compare, every curve has an x axis choice, and two metrics scatter', async () => {
    // ── the curves: generation, wall time, cumulative synthetic samples ──────────────────────────────────────────
    await page.goto(`${server.openUrl}#/compare/study/waiting/curves`);
    const chart = page.locator('[data-overlay=varianceTrace]');
    await chart.waitFor();
    expect(await chart.getAttribute('data-last-x')).toBe('5');
    await page.selectOption('[data-testid=curve-x]', 'syntheticSamples');
    const aggregate = await call<{ cells: { generations: { metrics: Record<string, { mean: number }> }[] }[] }>('studies.aggregate', {
      studyId: 'waiting',
    });
    const candidates = aggregate.cells[0].generations.reduce((s, g) => s + g.metrics.candidates.mean, 0);
    await poll(() => chart.getAttribute('data-x-axis')).toBe('syntheticSamples');
    expect(Number(await chart.getAttribute('data-last-x'))).toBe(candidates);
    await page.selectOption('[data-testid=curve-x]', 'wallTime');
    await poll(() => chart.getAttribute('data-x-axis')).toBe('wallTime');
    expect(Number(await chart.getAttribute('data-last-x'))).toBeGreaterThan(0);
    await shot('compare-curves-wall-time');

    // ── parallel coordinates: brush the scheme axis on "topalpha", compare those runs ───────────────────────────
    await page.click('[data-tab=parallel]');
    const pc = page.locator('[data-testid=compare-parallel]');
    await poll(() => pc.getAttribute('data-runs')).toBe('4');
    await shot('compare-parallel');
    const box = (await pc.locator('.plot').boundingBox())!;
    // the first axis (selection.scheme, categories random at the bottom, topalpha at the top) sits at the plot's left
    // margin (parallel.left = 60); drag along it over its upper half
    const x = box.x + 60;
    await page.mouse.move(x, box.y + 20);
    await page.mouse.down();
    await page.mouse.move(x, box.y + box.height * 0.4, { steps: 8 });
    await page.mouse.up();
    await poll(() => pc.getAttribute('data-selected')).toBe('2');
    expect(await page.locator('[data-testid=parallel-selected]').innerText()).toBe('2 of 4 runs brushed');
    await shot('compare-parallel-brushed');
    await page.click('[data-testid=parallel-compare]');
    await poll(() => page.locator('[data-testid=compare-summary]').innerText()).toMatch(/1 cell · 2 runs/);

    // ── scatter: runs, then cells, coloured by the scheme ────────────────────────────────────────────────────────
    await page.goto(`${server.openUrl}#/compare/study/waiting/scatter`);
    const sc = page.locator('[data-testid=compare-scatter]');
    await poll(() => sc.getAttribute('data-points')).toBe('4');
    await shot('compare-scatter');
    await page.selectOption('[data-testid=scatter-of]', 'cells');
    await poll(() => sc.getAttribute('data-points')).toBe('2');
    expect(problems).toEqual([]);
  }, 180_000);

  it('6: the run view at 1440 px: no panel leaves a third of its width empty, the selection’s decision included', async () => {
    const status = await call<{ runs: { runId: string; fields: Record<string, unknown> }[] }>('studies.get', { studyId: 'waiting' });
    const runId = status.runs.find((r) => r.fields['selection.scheme'] === 'topalpha')!.runId;
    await page.goto(`${server.openUrl}#/run/${encodeURIComponent(runId)}`);
    const decision = page.locator('[data-testid=decision]');
    await decision.waitFor();
    const loaded = () =>
      decision.locator('img').evaluateAll((imgs) => imgs.length === 2 && imgs.every((i) => (i as HTMLImageElement).naturalWidth > 0));
    await poll(loaded).toBe(true);
    await shot('run-view-1440');
    // each panel with a picture or a chart: the room right of its rightmost one, as a share of the panel's width (the
    // filmstrip, one thumbnail per generation, is as long as the run: 6 here)
    const panels = await page.locator('.panel').evaluateAll((els) =>
      els
        .filter(
          (p) => p.getBoundingClientRect().width > 0 && p.querySelector('img, canvas') && p.getAttribute('data-testid') !== 'filmstrip',
        )
        .map((p) => {
          const box = p.getBoundingClientRect();
          const right = Math.max(...Array.from(p.querySelectorAll('img, canvas')).map((e) => e.getBoundingClientRect().right));
          return { panel: p.getAttribute('data-testid') ?? p.className, empty: (box.right - right) / box.width, right: box.right };
        }),
    );
    expect(panels.map((p) => p.panel)).toContain('decision');
    for (const p of panels) expect(p.empty, p.panel).toBeLessThan(1 / 3);
    // and the decision panel spans the page: its right edge in the window's last third
    expect(panels.find((p) => p.panel === 'decision')!.right).toBeGreaterThan((1440 * 2) / 3);
    expect(problems).toEqual([]);
  }, 120_000);
});
