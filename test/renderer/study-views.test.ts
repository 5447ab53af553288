import { describe, expect, it } from 'vitest';
import { chartColors } from '../../renderer/src/charts/echarts';
import { aggregateCells } from '../../renderer/src/compare/aggregate';
import { xOfLines } from '../../renderer/src/compare/curve-x';
import { curvesOf } from '../../renderer/src/compare/curves';
import { overlayOption } from '../../renderer/src/compare/overlay-option';
import { brushedRuns, parallelAxes, parallelOption } from '../../renderer/src/compare/parallel-coordinates';
import { runPointsOf } from '../../renderer/src/compare/run-points';
import { scatterOfCells, scatterOfRuns, scatterOption } from '../../renderer/src/compare/scatter';

/** Two cells (schemes) × two seeds, three generations each: seconds, candidates and a metric per line. */
const line = (g: number, seed: number, scheme: number) => ({
  generation: g,
  seconds: 1 + g + seed,
  candidates: 100 * (g + 1),
  fid: 10 - g + scheme + seed / 10,
  recall: 0.5 + scheme / 10 - g / 100,
});
const cells = [0, 1].map((s) => ({
  cellKey: `cell-${s}`,
  fields: { 'selection.scheme': s === 0 ? 'random' : 'topalpha', 'loop.keep': 40 * (s + 1) },
  runs: [0, 1].map((seed) => ({ seed, lines: [0, 1, 2].map((g) => line(g, seed, s)) })),
}));
const aggregate = aggregateCells('t', ['selection.scheme', 'loop.keep'], cells);
const runs = cells.flatMap((c) => c.runs.map((r) => ({ id: `${c.cellKey}-s${r.seed}`, seed: r.seed, metrics: r.lines })));
const runCells = Object.fromEntries(runs.map((r) => [r.id, r.id.slice(0, 6)]));
const cellFields = Object.fromEntries(cells.map((c) => [c.cellKey, c.fields]));
const points = runPointsOf(runs, runCells, cellFields, ['fid', 'recall'], 'last');

describe('the x axis of every curve', () => {
  it('counts generations, cumulative wall time or cumulative synthetic samples', () => {
    const lines = [0, 1, 2].map((g) => line(g, 1, 0));
    expect([...xOfLines(lines, 'generation').values()]).toEqual([0, 1, 2]);
    expect([...xOfLines(lines, 'wallTime').values()]).toEqual([2, 2 + 3, 2 + 3 + 4]);
    expect([...xOfLines(lines, 'syntheticSamples').values()]).toEqual([100, 300, 600]);
    // a line without the summed field ends the axis: no made-up x
    expect([...xOfLines([{ generation: 0, seconds: 1 }, { generation: 1 }, { generation: 2, seconds: 1 }], 'wallTime').values()]).toEqual([
      1,
      null,
      null,
    ]);
  });

  it('draws a cell mean against the mean cumulative wall time, from the aggregate alone', () => {
    const curves = curvesOf(aggregate, 'fid', 'wallTime');
    // seeds 0 and 1: seconds 1,2,3 and 2,3,4, so mean 1.5, 2.5, 3.5 and cumulative 1.5, 4, 7.5
    expect(curves[0].points.map((p) => p.x)).toEqual([1.5, 4, 7.5]);
    const option = overlayOption({
      title: 'FID',
      curves,
      labels: {},
      colors: {},
      hidden: [],
      logX: true,
      xAxis: 'wallTime',
      logY: false,
      showFit: true,
      colorsOfTheme: chartColors('light'),
      legend: false,
    });
    // log x and the power-law fit belong to the generation axis only
    expect(option.xAxis).toMatchObject({ type: 'value', name: 'wall time (s)' });
    const mean = option.series.find((s) => s.id === 'mean-cell-0')!.data as number[][];
    expect(mean.map((p) => p[0])).toEqual([1.5, 4, 7.5]);
    expect(curvesOf(aggregate, 'fid', 'syntheticSamples')[1].points.map((p) => p.x)).toEqual([100, 300, 600]);
  });
});

describe('parallel coordinates', () => {
  it('has an axis per varied field, the seed, then the metric', () => {
    const axes = parallelAxes(['selection.scheme', 'loop.keep'], points, 'fid');
    expect(axes.map((a) => [a.key, a.kind])).toEqual([
      ['selection.scheme', 'category'],
      ['loop.keep', 'value'],
      ['seed', 'value'],
      ['fid', 'value'],
    ]);
    expect(axes[0].categories).toEqual(['random', 'topalpha']);
    const option = parallelOption({ points, axes, metric: 'fid', colors: chartColors('light') });
    expect(option.series[0].data[0].value).toEqual(['random', 40, 0, 8]);
    expect(option.visualMap).toMatchObject({ dimension: 3, min: 8, max: 9.1 });
  });

  it('selects the runs inside every brushed interval', () => {
    const axes = parallelAxes(['selection.scheme', 'loop.keep'], points, 'fid');
    expect(brushedRuns(points, axes, 'fid', {})).toEqual([]);
    // the category "topalpha" (index 1), then also fid ≤ 9.05: seed 0 of topalpha only
    expect(brushedRuns(points, axes, 'fid', { 0: [[0.5, 1.5]] })).toEqual(['cell-1-s0', 'cell-1-s1']);
    expect(brushedRuns(points, axes, 'fid', { 0: [[0.5, 1.5]], 3: [[0, 9.05]] })).toEqual(['cell-1-s0']);
    // two intervals on one axis: either; an axis whose brush was cleared counts for nothing
    expect(
      brushedRuns(points, axes, 'fid', {
        3: [
          [7.9, 8.05],
          [9.09, 9.2],
        ],
        2: [],
      }),
    ).toEqual(['cell-0-s0', 'cell-1-s1']);
  });
});

describe('scatter of two metrics', () => {
  it('puts each run at its two values, coloured by a field or the seed', () => {
    const byScheme = scatterOfRuns(points, 'fid', 'recall', 'selection.scheme', (k) => k);
    expect(byScheme.map((p) => [p.id, p.x, p.y, p.group])).toEqual([
      ['cell-0-s0', 8, 0.48, 'random'],
      ['cell-0-s1', 8.1, 0.48, 'random'],
      ['cell-1-s0', 9, 0.58, 'topalpha'],
      ['cell-1-s1', 9.1, 0.58, 'topalpha'],
    ]);
    expect(scatterOfRuns(points, 'fid', 'recall', 'seed', (k) => k).map((p) => p.group)).toEqual(['0', '1', '0', '1']);
    const option = scatterOption({ points: byScheme, x: 'fid', y: 'recall', colors: chartColors('light'), logX: false, logY: false });
    expect(option.series.map((s) => [s.name, s.data.length])).toEqual([
      ['random', 2],
      ['topalpha', 2],
    ]);
  });

  it('puts each cell at its means, at the last or a chosen generation', () => {
    const last = scatterOfCells(aggregate, 'fid', 'recall', 'last', 'loop.keep', (k) => k);
    expect(last.map((p) => [p.id, p.x, p.group])).toEqual([
      ['cell-0', 8.05, '40'],
      ['cell-1', 9.05, '80'],
    ]);
    expect(scatterOfCells(aggregate, 'fid', 'recall', 0, 'cell', (k) => `label ${k}`)[0]).toMatchObject({
      x: 10.05,
      group: 'label cell-0',
    });
  });
});
