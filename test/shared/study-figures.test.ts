import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildStudyFigure, cellLabelOf, figureCsvText, powerLawValue, withAxisFormatters } from '../../main/shared/study-figures';
import type { ChartOption } from '../../main/contract/study-figure';
import type { StudyAggregate, StudyAggregateInput, StudyPowerLawFit } from '../../main/contract/study-aggregate';
import { aggregateStudy } from '../../main/shared/aggregate';
import { aggregateStudyVectors } from '../../main/shared/vector-aggregate';

/**
 * The figure builders against an independent reference: test/fixtures/studies/make_study_figures.py computes, with
 * numpy/scipy, the element-wise mean and sd of the class histograms and mode energies over seeds, the class shares,
 * and a power-law fit (linregress on the logs) with its line at the window's ends.
 */
const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, '../fixtures/studies/study_figures.json'), 'utf8')) as {
  input: StudyAggregateInput;
  expected: {
    cellKey: string;
    generations: {
      generation: number;
      classMean: number[];
      classSd: number[];
      classShares: number[];
      energyMean: number[];
      energySd: number[];
    }[];
    fit: { psi: number; stderr: number; intercept: number; firstGeneration: number; lastGeneration: number; lineAtEnds: [number, number] };
  }[];
};

type Series = { name: string; type: string; data: unknown[]; stack?: string; xAxisIndex?: number; lineStyle?: { type?: string } };
const seriesOf = (o: ChartOption) => o.series as Series[];

/** The fixture's aggregate with the Python fit as the cells' varianceTrace fit (the figure must draw exactly it). */
function fixtureAggregate(): StudyAggregate {
  const aggregate = aggregateStudy({ ...fixture.input, powerLawFrom: { modelVarianceTrace: 0, varianceTrace: 0, traceFeatures: 0 } });
  aggregate.cells.forEach((cell, i) => {
    const f = fixture.expected[i].fit;
    const fit: StudyPowerLawFit = {
      metric: 'varianceTrace',
      psi: f.psi,
      stderr: f.stderr,
      intercept: f.intercept,
      points: 3,
      from: f.firstGeneration,
      firstGeneration: f.firstGeneration,
      lastGeneration: f.lastGeneration,
      seeds: [],
      seedPsi: null,
    };
    cell.fits = { varianceTrace: fit };
  });
  return aggregate;
}

describe('vector aggregate (class histograms, mode energies) against numpy', () => {
  it('element-wise mean and sample sd over seeds per cell and generation', () => {
    const v = aggregateStudyVectors(fixture.input);
    expect(v.keys).toEqual(['classHistogram', 'hermiteEnergy']);
    v.cells.forEach((cell, i) => {
      const exp = fixture.expected[i];
      expect(cell.cellKey).toBe(exp.cellKey);
      expect(cell.generations.map((g) => g.generation)).toEqual([0, 1, 2, 3]);
      cell.generations.forEach((g, j) => {
        const e = exp.generations[j];
        g.vectors.classHistogram.mean.forEach((x, k) => expect(x).toBeCloseTo(e.classMean[k], 10));
        g.vectors.classHistogram.sd.forEach((x, k) => expect(x!).toBeCloseTo(e.classSd[k], 10));
        g.vectors.hermiteEnergy.mean.forEach((x, k) => expect(x).toBeCloseTo(e.energyMean[k], 12));
        g.vectors.hermiteEnergy.sd.forEach((x, k) => expect(x!).toBeCloseTo(e.energySd[k], 12));
        expect(g.vectors.classHistogram.n).toBe(fixture.input.cells[i].runs.length);
      });
    });
  });
});

describe('study figures', () => {
  it('log-log trace: a series per cell with the aggregate means at t = g + 1, and the ψ line from the fit', () => {
    const aggregate = fixtureAggregate();
    const f = buildStudyFigure({ kind: 'loglog-trace', title: 'Tr', metric: 'varianceTrace' }, { aggregate });
    expect(f.missing).toBeUndefined();
    expect((f.option.xAxis as { type: string }).type).toBe('log');
    expect((f.option.yAxis as { type: string }).type).toBe('log');
    const s = seriesOf(f.option);
    expect(s).toHaveLength(4);
    aggregate.cells.forEach((cell, i) => {
      const data = s[2 * i].data as [number, number][];
      expect(s[2 * i].name).toBe(cell.fields['loop.paradigm']);
      expect(data).toEqual(cell.generations.map((g) => [g.generation + 1, g.metrics.varianceTrace.mean]));
      const line = s[2 * i + 1];
      const e = fixture.expected[i].fit;
      expect(line.lineStyle?.type).toBe('dashed');
      expect(line.name).toMatch(/ψ of the cell mean, t ∈ \[\d+, \d+\] = /);
      const [[t0, y0], [t1, y1]] = line.data as [number, number][];
      expect([t0, t1]).toEqual([2, 4]);
      expect(y0).toBeCloseTo(e.lineAtEnds[0], 10);
      expect(y1).toBeCloseTo(e.lineAtEnds[1], 10);
    });
    // the CSV: one row per cell × generation, the fit's value only inside its window
    expect(f.csv.header).toEqual([
      'loop.paradigm',
      'cell',
      'generation',
      't',
      'varianceTrace_mean',
      'varianceTrace_sd',
      'varianceTrace_n',
      'fit_value',
      'psi_of_mean',
      'psi_of_mean_stderr',
      'psi_window_first_t',
      'psi_window_last_t',
      'psi_per_seed_mean',
      'psi_per_seed_sd',
      'intercept',
    ]);
    expect(f.csv.rows).toHaveLength(8);
    expect(f.csv.rows[0][7]).toBeNull();
    expect(f.csv.rows[3][7] as number).toBeCloseTo(fixture.expected[0].fit.lineAtEnds[1], 10);
    expect(f.csv.rows[3][4]).toBe(aggregate.cells[0].generations[3].metrics.varianceTrace.mean);
  });

  it('class histogram: a panel per cell, stacked bars of the class shares (the normalised mean histogram)', () => {
    const aggregate = fixtureAggregate();
    const vectors = aggregateStudyVectors(fixture.input);
    const f = buildStudyFigure({ kind: 'class-histogram', title: 'Classes' }, { aggregate, vectors });
    expect(f.missing).toBeUndefined();
    expect(f.option.grid as unknown[]).toHaveLength(2);
    const s = seriesOf(f.option);
    expect(s).toHaveLength(2 * 5);
    fixture.expected.forEach((e, i) => {
      for (let k = 0; k < 5; k++) {
        const series = s[i * 5 + k];
        expect(series).toMatchObject({ type: 'bar', name: `class ${k}`, stack: `cell-${i}`, xAxisIndex: i });
        (series.data as number[]).forEach((v, g) => expect(v).toBeCloseTo(e.generations[g].classShares[k], 12));
      }
    });
    expect(f.csv.rows).toHaveLength(2 * 4 * 5);
    expect(f.csv.rows[0][4] as number).toBeCloseTo(fixture.expected[0].generations[0].classShares[0], 12);
  });

  it('mode energies: a panel per cell, a line per Hermite mode on a log axis', () => {
    const aggregate = fixtureAggregate();
    const vectors = aggregateStudyVectors(fixture.input);
    const f = buildStudyFigure({ kind: 'mode-energies', title: 'Modes' }, { aggregate, vectors });
    const s = seriesOf(f.option);
    expect(s).toHaveLength(2 * 6);
    expect((f.option.yAxis as { type: string }[]).every((a) => a.type === 'log')).toBe(true);
    fixture.expected.forEach((e, i) => {
      for (let k = 0; k < 6; k++) {
        expect(s[i * 6 + k].name).toBe(`k = ${k}`);
        (s[i * 6 + k].data as number[]).forEach((v, g) => expect(v).toBeCloseTo(e.generations[g].energyMean[k], 12));
      }
    });
  });

  /** Two axes (scheme × amount), 2 generations, w2 with an sd and a closed-form limit w2Limit. */
  const handMade: StudyAggregate = {
    studyId: 'hand',
    fieldPaths: ['selection.scheme', 'loop.amount'],
    metrics: ['w2', 'w2Limit'],
    cells: (
      [
        ['random', 1, [0.5, 0.4], 0.3],
        ['random', 4, [0.7, 0.6], 0.3],
        ['covmatch', 1, [0.2, 0.25], 0.1],
        ['covmatch', 4, [0.3, 0.35], 0.1],
      ] as [string, number, number[], number][]
    ).map(([scheme, amount, w2, limit], i) => ({
      cellKey: `c${i}`,
      fields: { 'selection.scheme': scheme, 'loop.amount': amount },
      seeds: [0, 1],
      n: 2,
      generations: w2.map((m, g) => ({
        generation: g,
        metrics: { w2: { mean: m, sd: 0.05 * (g + 1), n: 2 }, w2Limit: { mean: limit, sd: 0, n: 2 } },
      })),
      last: { generations: [1], metrics: { w2: { mean: w2[1], sd: 0.1, n: 2 } } },
      fits: {},
    })),
  };

  it('metric against generation: mean line, a ± sd band as two stacked series, the reference dashed', () => {
    const f = buildStudyFigure(
      { kind: 'metric-vs-generation', title: 'W2', metric: 'w2', reference: { label: 'closed-form limit', metric: 'w2Limit' } },
      { aggregate: handMade },
    );
    const s = seriesOf(f.option);
    expect(s).toHaveLength(4 * 3 + 4);
    handMade.cells.forEach((cell, i) => {
      const [line, lower, band] = s.slice(3 * i, 3 * i + 3);
      const ref = s[12 + i];
      expect(line.data).toEqual(cell.generations.map((g) => g.metrics.w2.mean));
      expect(lower.stack).toBe(`band-${i}`);
      expect(band.stack).toBe(`band-${i}`);
      (lower.data as number[]).forEach((v, g) => expect(v).toBeCloseTo(cell.generations[g].metrics.w2.mean - 0.05 * (g + 1), 14));
      (band.data as number[]).forEach((v, g) => expect(v).toBeCloseTo(2 * 0.05 * (g + 1), 14));
      expect(ref.lineStyle?.type).toBe('dashed');
      expect(ref.name).toMatch(/closed-form limit/);
      expect(ref.data).toEqual([cell.generations[0].metrics.w2Limit.mean, cell.generations[1].metrics.w2Limit.mean]);
    });
    expect(f.csv.header).toEqual(['selection.scheme', 'loop.amount', 'cell', 'generation', 'w2_mean', 'w2_sd', 'w2_n', 'w2Limit_mean']);
    expect(f.csv.rows[1]).toEqual(['random', 1, cellLabelOf(handMade.fieldPaths, handMade.cells[0].fields), 1, 0.4, 0.1, 2, 0.3]);
  });

  it('one grey reference line when every cell has the same reference; labels of object values', () => {
    const same: StudyAggregate = {
      ...handMade,
      cells: handMade.cells.map((c) => ({
        ...c,
        generations: c.generations.map((g) => ({ ...g, metrics: { ...g.metrics, w2Limit: { mean: 0.2, sd: 0, n: 2 } } })),
      })),
    };
    const f = buildStudyFigure(
      { kind: 'metric-vs-generation', title: 'W2', metric: 'w2', reference: { label: 'limit', metric: 'w2Limit' } },
      { aggregate: same },
    );
    const refs = seriesOf(f.option).filter((x) => x.lineStyle?.type === 'dashed');
    expect(refs).toHaveLength(1);
    expect(refs[0]).toMatchObject({ name: 'limit', data: [0.2, 0.2] });
    expect(
      cellLabelOf(['model.params.truncation', 'seed.x'], { 'model.params.truncation': { kind: 'power', delta0: 0.1, p: 1 }, 'seed.x': 3 }),
    ).toBe('power (delta0=0.1, p=1) · x=3');
    const formatted = withAxisFormatters({ yAxis: [{ type: 'log' }, { type: 'category' }], xAxis: { type: 'value' } });
    const y = formatted.yAxis as { axisLabel?: { formatter: (v: number) => string } }[];
    expect(y[0].axisLabel!.formatter(0.00009999999999999999)).toBe('1e-4');
    expect(y[1].axisLabel).toBeUndefined();
    expect((formatted.xAxis as { axisLabel: { formatter: (v: number) => string } }).axisLabel.formatter(0.25)).toBe('0.25');
  });

  it('metric against a field: a numeric x axis, a line per value of the other axes, the last generation by default', () => {
    const f = buildStudyFigure(
      { kind: 'metric-vs-field', title: 'W2 vs amount', metric: 'w2', field: 'loop.amount' },
      { aggregate: handMade },
    );
    expect((f.option.xAxis as { type: string }).type).toBe('value');
    const s = seriesOf(f.option);
    expect(s.map((x) => x.name)).toEqual(['random', 'covmatch']);
    expect(s[0].data).toEqual([
      [1, 0.4],
      [4, 0.6],
    ]);
    expect(s[1].data).toEqual([
      [1, 0.25],
      [4, 0.35],
    ]);
    const at0 = buildStudyFigure(
      { kind: 'metric-vs-field', title: 'g0', metric: 'w2', field: 'loop.amount', generation: 0 },
      { aggregate: handMade },
    );
    expect(seriesOf(at0.option)[0].data).toEqual([
      [1, 0.5],
      [4, 0.7],
    ]);
    expect(f.csv.rows[0]).toEqual(['random', 1, 1, 0.4, 0.1, 2]);
  });

  it('legendPaths name the lines by the axes they list; a marker draws the field’s threshold as a dotted line', () => {
    const f = buildStudyFigure(
      {
        kind: 'metric-vs-field',
        title: 'W2 vs scheme',
        metric: 'w2',
        field: 'selection.scheme',
        legendPaths: ['loop.amount'],
        marker: { label: 'threshold', value: 'covmatch' },
      },
      { aggregate: handMade },
    );
    const s = seriesOf(f.option) as (Series & { markLine?: { data: unknown[]; label: { formatter: string } } })[];
    expect(s.map((x) => x.name)).toEqual(['amount=1', 'amount=4']);
    expect(s[0].markLine?.data).toEqual([{ xAxis: 'covmatch' }]);
    expect(s[0].markLine?.label.formatter).toBe('threshold');
    expect(s[1].markLine).toBeUndefined();
    expect((f.option.title as { subtext: string }).subtext).toMatch(/dotted: threshold/);
    const g = buildStudyFigure(
      { kind: 'metric-vs-generation', title: 'W2', metric: 'w2', legendPaths: ['selection.scheme'] },
      { aggregate: handMade },
    );
    expect([...new Set(seriesOf(g.option).map((x) => x.name))]).toEqual(['random', 'covmatch']);
  });

  it('says what is missing instead of drawing nothing silently', () => {
    const aggregate = fixtureAggregate();
    const a = buildStudyFigure({ kind: 'loglog-trace', title: 'x', metric: 'modelVarianceTrace' }, { aggregate });
    expect(a.missing).toMatch(/modelVarianceTrace/);
    expect(seriesOf(a.option)).toEqual([]);
    expect(buildStudyFigure({ kind: 'class-histogram', title: 'c' }, { aggregate }).missing).toMatch(/class histogram/);
    expect(
      buildStudyFigure({ kind: 'metric-vs-field', title: 'f', metric: 'w2', field: 'nope.field' }, { aggregate: handMade }).missing,
    ).toMatch(/does not vary nope\.field/);
  });

  it('options are plain JSON (they cross the IPC boundary) and the CSV text quotes where needed', () => {
    const aggregate = fixtureAggregate();
    const vectors = aggregateStudyVectors(fixture.input);
    for (const spec of [
      { kind: 'loglog-trace', title: 't', metric: 'varianceTrace' },
      { kind: 'class-histogram', title: 'c' },
      { kind: 'mode-energies', title: 'm' },
      { kind: 'metric-vs-generation', title: 'g', metric: 'varianceTrace', logY: true },
    ] as const) {
      const f = buildStudyFigure(spec, { aggregate, vectors });
      expect(JSON.parse(JSON.stringify(f.option))).toEqual(f.option);
    }
    expect(
      figureCsvText({
        header: ['a', 'b'],
        rows: [
          ['x,y', null],
          ['say "hi"', 1.5],
        ],
      }),
    ).toBe('a,b\n"x,y",\n"say ""hi""",1.5\n');
    expect(powerLawValue({ psi: 2, intercept: Math.log(8) }, 2)).toBeCloseTo(2, 14);
  });
});
