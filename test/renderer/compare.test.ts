// @vitest-environment happy-dom
import { mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunDetailDto } from '../../main/contract/api';
import type { MetricsLine } from '../../main/contract/run-record';
import { sortTableRows, studyTableRows } from '../../main/shared/study-table';
import { setClient } from '../../renderer/src/api/client';
import { aggregateCells, compareRuns } from '../../renderer/src/compare/aggregate';
import { chartMetrics, curvesCsv, curvesOf } from '../../renderer/src/compare/curves';
import { overlayOption } from '../../renderer/src/compare/overlay-option';
import { chartColors } from '../../renderer/src/charts/echarts';
import CompareView from '../../renderer/src/views/CompareView.vue';
import { fakeClient, flush, smokeConfig, type FakeClient } from './fake-client';

/** Lines of a run: FID and Tr(Σ) falling like a power law, scaled by the scheme and the seed. */
function lines(scale: number, seed: number, generations = 4): MetricsLine[] {
  return Array.from({ length: generations }, (_, g) => ({
    generation: g,
    fid: scale * (10 + g) + seed,
    recall: 0.5 - 0.01 * g * scale + 0.001 * seed,
    varianceTrace: (scale * 100) / (g + 1) ** (0.5 * scale) + seed,
    selectionSeconds: 0.1 * scale,
    kept: 100,
    selection: { features: 'raw', accepted: 10 + seed },
  }));
}

function run(id: string, scheme: string, seed: number, scale: number): RunDetailDto {
  // ψ from t = 1: these runs are 4 generations long (the default window is t ∈ [10, T])
  const base = smokeConfig();
  const config = { ...base, name: id, seed, selection: { ...base.selection, scheme }, metrics: { ...base.metrics, psiFromT: 1 } };
  return {
    id,
    name: id,
    state: 'completed',
    lastGeneration: 3,
    generations: 4,
    startedAt: '',
    updatedAt: '',
    dataset: 'mnist',
    model: 'vae-mlp',
    scheme,
    active: false,
    dir: `/ws/${id}`,
    config,
    environment: null,
    islands: { split: 'iid', numClasses: 2, classNames: null, islands: [] },
    metrics: lines(scale, seed),
    files: { generations: [0, 1, 2, 3].map((g) => ({ generation: g, samples: `gen-00${g}/samples.png`, rejected: null })), islands: [] },
  };
}

const runs = [run('r0', 'random', 0, 1), run('r1', 'random', 1, 1), run('t0', 'topalpha', 0, 2), run('t1', 'topalpha', 1, 2)];

describe('comparison of runs, computed in the renderer', () => {
  it('folds the runs that differ only by seed into cells whose fields are what differs', () => {
    const { aggregate, runCells } = compareRuns(runs.map((r) => ({ id: r.id, config: r.config as never, metrics: r.metrics })));
    expect(aggregate.fieldPaths).toEqual(['selection.scheme']);
    expect(aggregate.cells.map((c) => [c.fields, c.seeds, c.n])).toEqual([
      [{ 'selection.scheme': 'random' }, [0, 1], 2],
      [{ 'selection.scheme': 'topalpha' }, [0, 1], 2],
    ]);
    expect(runCells).toEqual({ r0: 'cell-1', r1: 'cell-1', t0: 'cell-2', t1: 'cell-2' });
  });

  it("aggregates its cells with the engine's own computation: each cell its seeds, means over them, power-law fits", () => {
    const cells = [
      {
        cellKey: 'a',
        fields: { 'selection.scheme': 'random' },
        runs: [0, 1].map((s) => ({ key: `a${s}`, seed: s, lines: lines(1, s) as Record<string, unknown>[] })),
      },
      {
        cellKey: 'b',
        fields: { 'selection.scheme': 'topalpha' },
        runs: [0, 1, 2].map((s) => ({ key: `b${s}`, seed: s, lines: lines(2, s, 3 + s) as Record<string, unknown>[] })),
      },
    ];
    const ours = aggregateCells('s', ['selection.scheme'], cells, 1);
    expect(ours.cells.map((c) => [c.fields['selection.scheme'], c.seeds, c.n])).toEqual([
      ['random', [0, 1], 2],
      ['topalpha', [0, 1, 2], 3],
    ]);
    // the last generation's mean FID of a cell is the mean of its runs' last lines
    for (const [i, c] of cells.entries()) {
      const last = c.runs.map((r) => Number(r.lines[r.lines.length - 1].fid));
      expect(ours.cells[i].last.metrics.fid.mean).toBeCloseTo(last.reduce((a, b) => a + b, 0) / last.length, 12);
    }
    expect(ours.cells[1].fits.varianceTrace?.psi).toBeGreaterThan(0);
  });

  it("makes the table with the study's rules: rows, best marks, sorting", () => {
    const { aggregate } = compareRuns(runs.map((r) => ({ id: r.id, config: r.config as never, metrics: r.metrics })));
    const metrics = ['fid', 'recall', 'varianceTrace', 'selection.accepted'];
    const rows = studyTableRows(aggregate, metrics, 'last');
    expect(rows.map((r) => r.best)).toEqual([
      [true, true, false, false],
      [false, false, false, false],
    ]);
    expect(sortTableRows(rows, { kind: 'metric', index: 0 }, 'desc').map((r) => r.cellKey)).toEqual(['cell-2', 'cell-1']);
    expect(sortTableRows(rows, { kind: 'field', index: 0 }, 'asc').map((r) => r.cellKey)).toEqual(['cell-1', 'cell-2']);
  });

  it('makes the curves: sections, mean ± sd bands, the fitted power law named with ψ, and the CSV', () => {
    const { aggregate } = compareRuns(runs.map((r) => ({ id: r.id, config: r.config as never, metrics: r.metrics })));
    const sections = chartMetrics(aggregate);
    expect(sections.map((s) => [s.id, s.metrics])).toEqual([
      ['quality', ['fid', 'recall']],
      ['diversity', ['varianceTrace']],
      ['cost', ['selectionSeconds']],
    ]);
    const curves = curvesOf(aggregate, 'varianceTrace');
    expect(curves[0].points[0]).toMatchObject({ generation: 0, n: 2 });
    expect(curves[0].fit?.psi).toBeGreaterThan(0);
    const option = overlayOption({
      title: 'Tr(Σ)',
      curves,
      labels: { 'cell-1': 'random', 'cell-2': 'topalpha' },
      colors: {},
      hidden: ['cell-2'],
      logX: true,
      xAxis: 'generation',
      logY: true,
      showFit: true,
      colorsOfTheme: chartColors('light'),
      legend: true,
    });
    const ids = option.series.map((s) => s.id);
    expect(ids).toEqual([
      'band-low-cell-1',
      'band-cell-1',
      'mean-cell-1',
      'fit-cell-1',
      'band-low-cell-2',
      'band-cell-2',
      'mean-cell-2',
      'fit-cell-2',
    ]);
    expect(option.xAxis.type).toBe('log');
    expect(option.yAxis.type).toBe('log');
    expect(option.legend.data[0]).toMatch(/^random \(ψ of the cell mean, t ∈ \[1, 4\] = [\d.]+ ± [\d.e-]+ s\.e\.\)$/);
    expect(Object.values(option.legend.selected)).toEqual([true, false]);
    // the mean ± sd: the band's top is mean + sd
    const mean = option.series[2].data as number[][];
    const low = option.series[0].data as number[][];
    const band = option.series[1].data as number[][];
    const p = curves[0].points[1];
    expect(mean[1]).toEqual([2, p.mean]);
    expect(low[1][1] + band[1][1]).toBeCloseTo(p.mean + p.sd!, 9);
    const csv = curvesCsv(aggregate, 'fid').split('\n');
    expect(csv[0]).toBe('selection.scheme,cell,generation,fid_mean,fid_sd,fid_n');
    expect(csv[1]).toBe(
      `random,cell-1,0,${aggregate.cells[0].generations[0].metrics.fid.mean},${aggregate.cells[0].generations[0].metrics.fid.sd},2`,
    );
  });
});

describe('the comparison view', () => {
  let client: FakeClient;
  let pinia: Pinia;
  let wrapper: VueWrapper;
  beforeEach(() => {
    client = fakeClient({ 'runs.get': ({ runId }) => runs.find((r) => r.id === runId)! });
    setClient(client);
    pinia = createPinia();
    setActivePinia(pinia);
  });
  afterEach(() => wrapper.unmount());

  it('shows the table of selected runs (seeds folded, best marked, sortable) and copies it', async () => {
    wrapper = mount(CompareView, {
      props: { route: { name: 'compare', runs: ['r0', 'r1', 't0', 't1'], tab: 'table' } },
      global: { plugins: [pinia], stubs: { VChart: true, echarts: true } },
      attachTo: document.body,
    });
    await flush();
    await flush();
    expect(wrapper.find('[data-testid=compare-summary]').text()).toBe('2 cells · 4 runs');
    const rows = wrapper.findAll('[data-testid=compare-table] tbody tr[data-cell]');
    expect(rows.map((r) => r.find('td').text())).toEqual(['random', 'topalpha']);
    const fid = rows[0].find('td[data-metric=fid]');
    // random at its last generation: fid = 13 + seed over seeds 0, 1
    expect(fid.text()).toBe('13.5 ± 0.7071 (2)');
    expect(fid.classes()).toContain('best');
    expect(rows[1].find('td[data-metric=fid]').classes()).not.toContain('best');
    await wrapper.find('[data-sort-metric=fid]').trigger('click');
    await wrapper.find('[data-sort-metric=fid]').trigger('click');
    expect(wrapper.findAll('tbody tr[data-cell]').map((r) => r.find('td').text())).toEqual(['topalpha', 'random']);
    // the generation of the table
    await wrapper.find('[data-testid=table-generation]').setValue('0');
    expect(wrapper.find('tbody tr[data-cell=cell-1] td[data-metric=fid]').text()).toBe('10.5 ± 0.7071 (2)');
    // metric picker
    await wrapper.find('[data-testid=pick-metrics]').trigger('click');
    await wrapper.find('[data-pick=recall]').trigger('click');
    expect(wrapper.findAll('thead [data-sort-metric]').map((h) => h.attributes('data-sort-metric'))).not.toContain('recall');
    let copied = '';
    Object.defineProperty(navigator, 'clipboard', { value: { writeText: async (t: string) => void (copied = t) }, configurable: true });
    await wrapper.find('[data-copy=md]').trigger('click');
    await flush();
    expect(copied.split('\n')[0]).toBe('| selection.scheme | FID | Tr(Σ) of the kept samples | Selection s |');
    expect(wrapper.find('[data-testid=table-notice]').text()).toBe('Markdown copied');
  });

  it('overlays the curves in sections and toggles a cell in every chart from the legend', async () => {
    wrapper = mount(CompareView, {
      props: { route: { name: 'compare', runs: ['r0', 'r1', 't0', 't1'], tab: 'curves' } },
      global: { plugins: [pinia], stubs: { VChart: true, echarts: true } },
      attachTo: document.body,
    });
    await flush();
    await flush();
    expect(wrapper.findAll('[data-section]').map((s) => s.attributes('data-section'))).toEqual(['quality', 'diversity', 'cost']);
    const trace = wrapper.find('[data-overlay=varianceTrace]');
    expect(trace.attributes('data-log')).toBe('xy');
    expect(trace.attributes('data-cells')).toBe('2');
    expect(trace.find('[data-testid=fits]').text()).toMatch(
      /random \(ψ of the cell mean, t ∈ \[1, 4\] = .*\); topalpha \(ψ of the cell mean/,
    );
    await wrapper.find('[data-legend-cell=cell-2]').trigger('click');
    expect(wrapper.find('[data-overlay=varianceTrace]').attributes('data-cells')).toBe('1');
    expect(wrapper.find('[data-overlay=fid]').attributes('data-cells')).toBe('1');
    await wrapper.find('[data-overlay=fid] [data-testid=log-y]').setValue(true);
    expect(wrapper.find('[data-overlay=fid]').attributes('data-log')).toBe('y');
  });
});
