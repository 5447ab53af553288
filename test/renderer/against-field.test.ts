// @vitest-environment happy-dom
import { mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MetricStat, StudyAggregate, StudyCellAggregate } from '../../main/contract/study-aggregate';
import { aggregateStudy } from '../../main/shared/aggregate';
import { setClient } from '../../renderer/src/api/client';
import {
  againstField,
  againstFieldCsv,
  defaultField,
  defaultFieldMetrics,
  defaultQualityMetric,
  defaultWhere,
  fieldChartOption,
  numericFields,
  valueKey,
} from '../../renderer/src/compare/against-field';
import { chartColors } from '../../renderer/src/charts/echarts';
import CompareView from '../../renderer/src/views/CompareView.vue';
import { fakeClient, flush, type FakeClient } from './fake-client';

const SOL = 'model.params.scoreError.solenoidal.magnitude';
const GRAD = 'model.params.scoreError.gradient.magnitude';
const stat = (mean: number, sd: number | null, n = 2): MetricStat => ({ mean, sd, n });

/** A hand-made cell: its fields, and its metrics at generation 0 and at the last (1). */
function cell(
  key: string,
  fields: Record<string, unknown>,
  g0: Record<string, MetricStat>,
  last: Record<string, MetricStat>,
): StudyCellAggregate {
  return {
    cellKey: key,
    fields,
    seeds: [0, 1],
    n: 2,
    generations: [
      { generation: 0, metrics: g0 },
      { generation: 1, metrics: last },
    ],
    last: { generations: [1], metrics: last },
    fits: {},
  };
}

/** score-geometry's zip: solenoidal 0, 1, 2 with gradient 0, then gradient 0.1, 0.2 with solenoidal 0; a string field. */
function zipAggregate(): StudyAggregate {
  const m = (l2: number, grad: number, e: number, sd: number | null = 0.1) => ({
    scoreErrorL2: stat(l2, sd),
    scoreErrorGradient: stat(grad, sd),
    energyToExact: stat(e, sd),
  });
  return {
    studyId: 'sg',
    fieldPaths: [SOL, GRAD, 'model.params.sampler'],
    metrics: ['scoreErrorL2', 'scoreErrorGradient', 'energyToExact', 'fid'],
    cells: [
      cell('c1', { [SOL]: 0, [GRAD]: 0, 'model.params.sampler': 'sde' }, m(0, 0, 0.004), m(0, 0, 0.005)),
      cell('c2', { [SOL]: 1, [GRAD]: 0, 'model.params.sampler': 'sde' }, m(10, 0, 0.004), m(11, 0.01, 0.006, 0.5)),
      cell('c3', { [SOL]: 2, [GRAD]: 0, 'model.params.sampler': 'sde' }, m(40, 0, 0.004), m(46.8, 0.02, 0.003, null)),
      cell('c4', { [SOL]: 0, [GRAD]: 0.1, 'model.params.sampler': 'sde' }, m(1, 1, 0.1), m(1.2, 1.1, 0.2)),
      // fid only in this cell, at its last generation
      cell('c5', { [SOL]: 0, [GRAD]: 0.2, 'model.params.sampler': 'sde' }, m(2, 2, 0.3), { ...m(2.5, 2.4, 0.5), fid: stat(3, 1) }),
    ],
  };
}

describe('metrics against a field', () => {
  it('offers only the numeric axis fields and defaults the zip study to the other field at 0', () => {
    const agg = zipAggregate();
    expect(numericFields(agg)).toEqual([SOL, GRAD]);
    expect(defaultField(agg)).toBe(SOL);
    expect(defaultWhere(agg, SOL)).toEqual({ [GRAD]: '0' });
    expect(defaultWhere(agg, GRAD)).toEqual({ [SOL]: '0' });
    // a grid (every x at every value of the other field): nothing held
    const grid: StudyAggregate = {
      ...agg,
      fieldPaths: ['a', 'b'],
      cells: [0, 1].flatMap((a) => [0, 1].map((b) => cell(`g${a}${b}`, { a, b }, {}, {}))),
    };
    expect(defaultWhere(grid, 'a')).toEqual({});
    expect(defaultFieldMetrics(agg)).toEqual(['scoreErrorL2', 'scoreErrorGradient', 'energyToExact']);
    expect(defaultFieldMetrics({ ...agg, metrics: ['w1', 'fid', 'varianceTrace'] })).toEqual(['fid', 'varianceTrace']);
    expect(defaultQualityMetric(agg)).toBe('energyToExact');
    expect(defaultQualityMetric({ ...agg, metrics: ['recall', 'fid'] })).toBe('fid');
  });

  it('computes each cell’s mean ± sd against x, filtered by where, at the last or a chosen generation', () => {
    const agg = zipAggregate();
    const sweep = againstField(agg, { field: SOL, metric: 'scoreErrorL2', where: defaultWhere(agg, SOL), generation: 'last' });
    expect(sweep).toHaveLength(1);
    expect(sweep[0].label).toBe('model.params.sampler = sde');
    expect(sweep[0].points).toEqual([
      { cellKey: 'c1', x: 0, mean: 0, sd: 0.1, n: 2 },
      { cellKey: 'c2', x: 1, mean: 11, sd: 0.5, n: 2 },
      { cellKey: 'c3', x: 2, mean: 46.8, sd: null, n: 2 },
    ]);
    // generation 0, the sampler held too: no free field
    const g0 = againstField(agg, {
      field: SOL,
      metric: 'scoreErrorL2',
      where: { [GRAD]: '0', 'model.params.sampler': valueKey('sde') },
      generation: 0,
    });
    expect(g0.map((s) => [s.key, s.label, s.points.map((p) => p.mean)])).toEqual([['', '', [0, 10, 40]]]);
    // the other field free: one series per gradient value; a hidden cell left out
    const free = againstField(agg, { field: SOL, metric: 'energyToExact', where: { [GRAD]: 'any' }, generation: 'last', hidden: ['c4'] });
    expect(free.map((s) => [s.key, s.points.map((p) => p.cellKey)])).toEqual([
      ['0 · "sde"', ['c1', 'c2', 'c3']],
      ['0.2 · "sde"', ['c5']],
    ]);
    // the gradient sweep; a metric only one cell has
    const grad = againstField(agg, { field: GRAD, metric: 'scoreErrorGradient', where: defaultWhere(agg, GRAD), generation: 'last' });
    expect(grad[0].points.map((p) => [p.x, p.mean])).toEqual([
      [0, 0],
      [0.1, 1.1],
      [0.2, 2.4],
    ]);
    expect(againstField(agg, { field: GRAD, metric: 'fid', where: {}, generation: 'last' })[0].points.map((p) => p.cellKey)).toEqual([
      'c5',
    ]);
    // a non-numeric field gives no point
    expect(againstField(agg, { field: 'model.params.sampler', metric: 'fid', where: {}, generation: 'last' })).toEqual([]);
  });

  it('draws means with ±sd error bars and writes the CSV', () => {
    const agg = zipAggregate();
    const series = againstField(agg, { field: SOL, metric: 'scoreErrorL2', where: defaultWhere(agg, SOL), generation: 'last' });
    const option = fieldChartOption({
      metric: 'scoreErrorL2',
      field: SOL,
      series,
      colors: ['#111'],
      logY: false,
      colorsOfTheme: chartColors('light'),
      legend: false,
    });
    expect(option.title.text).toBe('∫E‖e‖² dt');
    expect(option.xAxis.name).toBe('solenoidal.magnitude');
    expect(option.yAxis.name).toBe('∫E‖e‖² dt');
    expect(option.series.map((s) => s.id)).toEqual(['sd-0', 'mean-0']);
    // c3 has no sd: bars for c1 and c2 only, each broken from the next
    expect(option.series[0].data).toEqual([
      [0, -0.1],
      [0, 0.1],
      [0, '-'],
      [1, 10.5],
      [1, 11.5],
      [1, '-'],
    ]);
    expect(option.series[1].data).toEqual([
      [0, 0],
      [1, 11],
      [2, 46.8],
    ]);
    const csv = againstFieldCsv(agg, SOL, 'scoreErrorL2', series).split('\n');
    expect(csv[0]).toBe(`${SOL},${GRAD},model.params.sampler,cell,${SOL},scoreErrorL2_mean,scoreErrorL2_sd,scoreErrorL2_n`);
    expect(csv[3]).toBe('2,0,sde,c3,2,46.8,,2');
  });
});

describe('the "Against a field" tab', () => {
  let client: FakeClient;
  let pinia: Pinia;
  let wrapper: VueWrapper;
  /** score-geometry's runs: the L² error grows with either magnitude, the distance only with the gradient one. */
  const sol = [0, 0.5, 1, 0, 0];
  const grad = [0, 0, 0, 0.1, 0.2];
  const cells = sol.map((s, i) => ({
    cellKey: `cell-${i + 1}`,
    fields: { [SOL]: s, [GRAD]: grad[i] },
    runs: [0, 1].map((seed) => ({
      key: `r${i}-${seed}`,
      seed,
      lines: [0, 1].map((g) => ({
        generation: g,
        scoreErrorL2: 10 * s + grad[i] + seed * 0.1,
        scoreErrorGradient: grad[i] + seed * 0.01,
        energyToExact: 0.004 + grad[i] + seed * 0.001,
      })),
    })),
  }));
  const aggregate = aggregateStudy({ studyId: 'sg', fieldPaths: [SOL, GRAD], cells });

  beforeEach(() => {
    client = fakeClient({
      'studies.aggregate': () => aggregate as never,
      'studies.get': () =>
        ({
          name: 'score-geometry',
          runs: cells.flatMap((c) => c.runs.map((r) => ({ runId: r.key, seed: r.seed, cellKey: c.cellKey }))),
        }) as never,
      'studies.correlate': ({ x, y }) => ({
        correlations: x.flatMap((xm) =>
          y.map((ym) => ({
            x: xm,
            y: ym,
            n: 10,
            pearson: xm === 'scoreErrorL2' ? 0.0123 : 0.95,
            spearman: xm === 'scoreErrorL2' ? null : 0.82,
          })),
        ),
      }),
    });
    setClient(client);
    pinia = createPinia();
    setActivePinia(pinia);
  });
  afterEach(() => wrapper.unmount());

  it('renders one chart per metric against the solenoidal magnitude and the correlation table', async () => {
    wrapper = mount(CompareView, {
      props: { route: { name: 'compare', studyId: 'sg', tab: 'field' } },
      global: { plugins: [pinia], stubs: { VChart: true, echarts: true } },
      attachTo: document.body,
    });
    await flush();
    await flush();
    await flush();
    expect(wrapper.find('[data-tab=field]').text()).toBe('Against a field');
    expect((wrapper.find('[data-testid=field-x]').element as HTMLSelectElement).value).toBe(SOL);
    expect((wrapper.find(`[data-where="${GRAD}"]`).element as HTMLSelectElement).value).toBe('0');
    const charts = wrapper.findAll('[data-field-chart]');
    expect(charts.map((c) => c.attributes('data-field-chart'))).toEqual(['scoreErrorL2', 'scoreErrorGradient', 'energyToExact']);
    // the solenoidal sweep: three cells (the gradient cells held out)
    expect(charts.map((c) => c.attributes('data-points'))).toEqual(['3', '3', '3']);
    // the gradient free: its cells join as their own series
    await wrapper.find(`[data-where="${GRAD}"]`).setValue('any');
    expect(wrapper.find('[data-field-chart=scoreErrorL2]').attributes('data-points')).toBe('5');
    expect(wrapper.find('[data-field-chart=scoreErrorL2]').attributes('data-series')).toBe('3');
    // a metric off, log y on
    await wrapper.find('[data-field-metric=scoreErrorGradient]').trigger('click');
    expect(wrapper.findAll('[data-field-chart]').map((c) => c.attributes('data-field-chart'))).toEqual(['scoreErrorL2', 'energyToExact']);
    await wrapper.find('[data-testid=field-log-y]').setValue(true);
    expect(wrapper.find('[data-field-chart=energyToExact]').attributes('data-log')).toBe('y');
    // the correlation: y = energyToExact, x = the charts' other metrics
    await flush();
    const corr = client.calls.filter((c) => c.op === 'studies.correlate');
    expect(corr[0].request).toEqual({ studyId: 'sg', x: ['scoreErrorL2', 'scoreErrorGradient'], y: ['energyToExact'], generation: 'last' });
    expect(corr[corr.length - 1].request).toEqual({ studyId: 'sg', x: ['scoreErrorL2'], y: ['energyToExact'], generation: 'last' });
    await wrapper.find('[data-corr-x=scoreErrorGradient]').trigger('click');
    await flush();
    const rows = wrapper.findAll('[data-testid=corr-table] tbody tr');
    expect(rows.map((r) => r.findAll('td').map((td) => td.text()))).toEqual([
      ['∫E‖e‖² dt', 'Energy distance to exact', '0.012', '—', '10'],
      ['∫‖Πe‖² dt', 'Energy distance to exact', '0.95', '0.82', '10'],
    ]);
  });
});
