import { describe, expect, it } from 'vitest';
import {
  aggregateCsv,
  aggregateStudy,
  metricStat,
  numericMetricsOf,
  orderMetricKeys,
  type StudyAggregateInput,
} from '../../main/shared/aggregate';
import { csvField } from '../../main/shared/csv';

/**
 * Cell A (3 seeds, unequal lengths):
 *   seed 0: g0 fid 20, g1 fid 10            selection.accepted 5, 7
 *   seed 1: g0 fid 22, g1 fid 12            selection.accepted 9
 *   seed 2: g0 fid 24, g1 fid 14, g2 fid 17
 * Cell B (one seed with lines, one without): g0 fid 30, g1 fid 31.
 */
function input(): StudyAggregateInput {
  return {
    studyId: 'toy-study',
    fieldPaths: ['selection.scheme'],
    cells: [
      {
        cellKey: 'cellA',
        fields: { 'selection.scheme': 'random' },
        runs: [
          {
            key: 'a0',
            seed: 0,
            lines: [
              {
                generation: 0,
                fid: 20,
                varianceTrace: 8,
                zzz: 1,
                aaa: 2,
                epochLosses: [3, 2, 1],
                emConverged: true,
                w1: null,
                selection: { accepted: 5, scheme: 'top', detail: { deep: 1 }, list: [1, 2] },
              },
              { generation: 1, fid: 10, varianceTrace: 4, selection: { accepted: 7 } },
            ],
          },
          {
            key: 'a1',
            seed: 1,
            lines: [
              { generation: 0, fid: 22, varianceTrace: 6, selection: { accepted: 9 } },
              { generation: 1, fid: 12, varianceTrace: 2 },
            ],
          },
          {
            key: 'a2',
            seed: 2,
            lines: [
              { generation: 0, fid: 24 },
              { generation: 1, fid: 14 },
              { generation: 2, fid: 17 },
            ],
          },
        ],
      },
      {
        cellKey: 'cellB',
        fields: { 'selection.scheme': 'top-k' },
        runs: [
          {
            key: 'b0',
            seed: 0,
            lines: [
              { generation: 0, fid: 30 },
              { generation: 1, fid: 31 },
            ],
          },
          { key: 'b1', seed: 1, lines: [] },
        ],
      },
    ],
  };
}

/** ψ fit windows from generation 0 (the default is the asymptotic t ∈ [10, T]: main/shared/psi.ts). */
const FROM_START = { modelVarianceTrace: 0, varianceTrace: 0, traceFeatures: 0 };

describe('numericMetricsOf', () => {
  it('keeps finite top-level numbers and nested numbers one level down, skipping generation, arrays and the rest', () => {
    const m = numericMetricsOf({
      generation: 3,
      fid: 1.5,
      kept: 0,
      bad: Number.NaN,
      inf: Number.POSITIVE_INFINITY,
      flag: true,
      label: 'x',
      none: null,
      epochLosses: [1, 2],
      selection: { accepted: 4, threshold: -0.25, scheme: 'top', inner: { x: 1 }, arr: [1] },
    });
    expect([...m.entries()]).toEqual([
      ['fid', 1.5],
      ['kept', 0],
      ['selection.accepted', 4],
      ['selection.threshold', -0.25],
    ]);
  });
});

describe('metricStat', () => {
  it('mean, sample sd and n', () => {
    // 10, 12, 17: mean 39/3 = 13; squared deviations 9 + 1 + 16 = 26; sd = √(26/2) = √13
    expect(metricStat([10, 12, 17])).toEqual({ mean: 13, sd: Math.sqrt(13), n: 3 });
    expect(metricStat([10, 12, 17]).sd).toBeCloseTo(3.605551275463989, 15);
    expect(metricStat([4])).toEqual({ mean: 4, sd: null, n: 1 });
  });
});

describe('orderMetricKeys', () => {
  it('puts catalog keys in catalog order first, then the rest sorted', () => {
    expect(orderMetricKeys(['zeta', 'varianceTrace', 'selection.accepted', 'fid', 'alpha', 'precision'])).toEqual([
      'fid',
      'precision',
      'varianceTrace',
      'alpha',
      'selection.accepted',
      'zeta',
    ]);
  });
});

describe('aggregateStudy', () => {
  const agg = aggregateStudy(input());

  it('lists every metric key found, catalog first', () => {
    expect(agg.studyId).toBe('toy-study');
    expect(agg.fieldPaths).toEqual(['selection.scheme']);
    expect(agg.metrics).toEqual(['fid', 'varianceTrace', 'aaa', 'selection.accepted', 'zzz']);
  });

  it('folds the seeds of a cell per generation, with runs of unequal length and nested numbers', () => {
    const a = agg.cells[0];
    expect(a.cellKey).toBe('cellA');
    expect(a.fields).toEqual({ 'selection.scheme': 'random' });
    expect(a.seeds).toEqual([0, 1, 2]);
    expect(a.n).toBe(3);
    expect(a.generations).toEqual([
      {
        generation: 0,
        metrics: {
          // 20, 22, 24: mean 22, deviations −2, 0, 2, sd √(8/2) = 2
          fid: { mean: 22, sd: 2, n: 3 },
          // 8, 6: mean 7, sd √((1 + 1)/1) = √2
          varianceTrace: { mean: 7, sd: Math.SQRT2, n: 2 },
          aaa: { mean: 2, sd: null, n: 1 },
          // 5, 9: mean 7, sd √((4 + 4)/1) = √8
          'selection.accepted': { mean: 7, sd: Math.sqrt(8), n: 2 },
          zzz: { mean: 1, sd: null, n: 1 },
        },
      },
      {
        generation: 1,
        metrics: {
          // 10, 12, 14: mean 12, sd 2
          fid: { mean: 12, sd: 2, n: 3 },
          // 4, 2: mean 3, sd √2
          varianceTrace: { mean: 3, sd: Math.SQRT2, n: 2 },
          'selection.accepted': { mean: 7, sd: null, n: 1 },
        },
      },
      // only seed 2 got this far
      { generation: 2, metrics: { fid: { mean: 17, sd: null, n: 1 } } },
    ]);
  });

  it('takes each run’s last line for `last`, whatever its generation', () => {
    const a = agg.cells[0];
    // last lines: seed 0 g1 fid 10, seed 1 g1 fid 12, seed 2 g2 fid 17 → mean 13, sd √13
    expect(a.last).toEqual({
      generations: [1, 2],
      metrics: {
        fid: { mean: 13, sd: Math.sqrt(13), n: 3 },
        varianceTrace: { mean: 3, sd: Math.SQRT2, n: 2 },
        'selection.accepted': { mean: 7, sd: null, n: 1 },
      },
    });
  });

  it('gives a one-seed cell sd null and skips runs without lines', () => {
    const b = agg.cells[1];
    expect(b.seeds).toEqual([0]);
    expect(b.n).toBe(1);
    expect(b.generations).toEqual([
      { generation: 0, metrics: { fid: { mean: 30, sd: null, n: 1 } } },
      { generation: 1, metrics: { fid: { mean: 31, sd: null, n: 1 } } },
    ]);
    expect(b.last).toEqual({ generations: [1], metrics: { fid: { mean: 31, sd: null, n: 1 } } });
  });

  it('omits the fits with fewer than 3 generations', () => {
    expect(agg.cells[0].fits).toEqual({});
    expect(agg.cells[1].fits).toEqual({});
  });

  it('is plain JSON', () => {
    expect(JSON.parse(JSON.stringify(agg))).toEqual(agg);
  });

  it('lets a later line of the same generation replace an earlier one', () => {
    const r = aggregateStudy({
      studyId: 's',
      fieldPaths: [],
      cells: [
        {
          cellKey: 'c',
          fields: {},
          runs: [
            {
              key: 'k',
              seed: 0,
              lines: [
                { generation: 0, fid: 1 },
                { generation: 0, fid: 2 },
              ],
            },
          ],
        },
      ],
    });
    expect(r.cells[0].generations).toEqual([{ generation: 0, metrics: { fid: { mean: 2, sd: null, n: 1 } } }]);
    expect(r.cells[0].last).toEqual({ generations: [0], metrics: { fid: { mean: 2, sd: null, n: 1 } } });
  });
});

describe('aggregateStudy power-law fits', () => {
  /** Lines of an exact power law c·t^(−psi), t = generation + 1, for generations 0 … gens − 1. */
  const lines = (c: number, psi: number, gens: number, key = 'varianceTrace') =>
    Array.from({ length: gens }, (_, g) => ({ generation: g, [key]: c * (g + 1) ** -psi }));

  it('recovers ψ of an exact power law from the cell mean and per seed', () => {
    // seeds 4·t^−0.8 and 2·t^−0.8: their mean is 3·t^−0.8, so ψ = 0.8, log C = log 3, stderr 0
    const r = aggregateStudy({
      studyId: 's',
      fieldPaths: [],
      powerLawFrom: FROM_START, // these series are power laws from t = 1
      cells: [
        {
          cellKey: 'c',
          fields: {},
          runs: [
            { key: 'k0', seed: 0, lines: lines(4, 0.8, 6) },
            { key: 'k1', seed: 1, lines: lines(2, 0.8, 6) },
          ],
        },
      ],
    });
    const fit = r.cells[0].fits.varianceTrace!;
    expect(fit.metric).toBe('varianceTrace');
    expect(fit.psi).toBeCloseTo(0.8, 12);
    expect(fit.intercept).toBeCloseTo(Math.log(3), 12);
    expect(fit.stderr).not.toBeNull();
    expect(fit.stderr!).toBeLessThan(1e-12);
    expect(fit.points).toBe(6);
    expect(fit.firstGeneration).toBe(0);
    expect(fit.lastGeneration).toBe(5);
    expect(fit.seeds.map((s) => s.seed)).toEqual([0, 1]);
    expect(fit.seeds[0].psi).toBeCloseTo(0.8, 12);
    expect(fit.seeds[1].psi).toBeCloseTo(0.8, 12);
    expect(fit.seedPsi!.mean).toBeCloseTo(0.8, 12);
    expect(fit.seedPsi!.sd!).toBeLessThan(1e-12);
    expect(fit.seedPsi!.n).toBe(2);
    expect(r.cells[0].fits.traceFeatures).toBeUndefined();
  });

  it('gives ψ per seed with mean ± sd, and fits traceFeatures when present', () => {
    // seed ψ 0.7 and 0.5: mean 0.6, sd √((0.1² + 0.1²)/1) = √0.02
    const r = aggregateStudy({
      studyId: 's',
      fieldPaths: [],
      powerLawFrom: FROM_START, // these series are power laws from t = 1
      cells: [
        {
          cellKey: 'c',
          fields: {},
          runs: [
            { key: 'k0', seed: 3, lines: lines(5, 0.7, 5, 'traceFeatures') },
            { key: 'k1', seed: 9, lines: lines(5, 0.5, 5, 'traceFeatures') },
            // two generations only: in the mean, but no ψ of its own
            { key: 'k2', seed: 11, lines: lines(5, 0.6, 2, 'traceFeatures') },
          ],
        },
      ],
    });
    const fit = r.cells[0].fits.traceFeatures!;
    expect(fit.metric).toBe('traceFeatures');
    expect(fit.seeds.map((s) => s.seed)).toEqual([3, 9]);
    expect(fit.seeds[0].psi).toBeCloseTo(0.7, 12);
    expect(fit.seeds[1].psi).toBeCloseTo(0.5, 12);
    expect(fit.seedPsi!.mean).toBeCloseTo(0.6, 12);
    expect(fit.seedPsi!.sd!).toBeCloseTo(Math.sqrt(0.02), 12);
    expect(fit.seedPsi!.n).toBe(2);
    expect(fit.points).toBe(5);
    expect(r.cells[0].fits.varianceTrace).toBeUndefined();
  });

  it('omits the fit with a non-positive mean value', () => {
    const r = aggregateStudy({
      studyId: 's',
      fieldPaths: [],
      cells: [
        {
          cellKey: 'c',
          fields: {},
          runs: [{ key: 'k', seed: 0, lines: [4, 2, 0, 1].map((v, g) => ({ generation: g, varianceTrace: v })) }],
        },
      ],
    });
    expect(r.cells[0].fits).toEqual({});
  });

  it('fits over the asymptotic window t ∈ [10, T] by default, and over any asked window', () => {
    // generation 0 (the real-data fit) at 10, off the law; generations ≥ 1 exactly 6·t^−0.9, t = generation + 1
    const model = (c: number) =>
      Array.from({ length: 8 }, (_, g) => ({
        generation: g,
        modelVarianceTrace: g === 0 ? 10 : c * (g + 1) ** -0.9,
        varianceTrace: 5 * (g + 1) ** -0.3,
      }));
    const input: StudyAggregateInput = {
      studyId: 's',
      fieldPaths: [],
      cells: [
        {
          cellKey: 'c',
          fields: {},
          runs: [
            { key: 'k0', seed: 0, lines: model(6) },
            { key: 'k1', seed: 1, lines: model(6) },
          ],
        },
      ],
    };
    // the default window is t ∈ [10, T]: these 8 generations give no fit
    expect(aggregateStudy(input).cells[0].fits.modelVarianceTrace).toBeUndefined();
    const fit = aggregateStudy({ ...input, powerLawFrom: { modelVarianceTrace: 1 } }).cells[0].fits.modelVarianceTrace!;
    expect(fit.metric).toBe('modelVarianceTrace');
    expect(fit.from).toBe(1);
    expect(fit.firstGeneration).toBe(1);
    expect(fit.points).toBe(7);
    expect(fit.psi).toBeCloseTo(0.9, 12);
    expect(fit.intercept).toBeCloseTo(Math.log(6), 12);
    expect(fit.seeds.map((s) => s.psi)).toEqual([expect.closeTo(0.9, 12), expect.closeTo(0.9, 12)]);
    // the kept samples' trace is still fitted, from generation 0
    const kept = aggregateStudy({ ...input, powerLawFrom: { varianceTrace: 0 } }).cells[0].fits.varianceTrace!;
    expect(kept.from).toBe(0);
    expect(kept.psi).toBeCloseTo(0.3, 12);
    // from 0 takes in the off-law generation 0
    const all = aggregateStudy({ ...input, powerLawFrom: { modelVarianceTrace: 0 } }).cells[0].fits.modelVarianceTrace!;
    expect(all.from).toBe(0);
    expect(all.points).toBe(8);
    expect(Math.abs(all.psi - 0.9)).toBeGreaterThan(0.1);
    const late = aggregateStudy({ ...input, powerLawFrom: { modelVarianceTrace: 5 } }).cells[0].fits.modelVarianceTrace!;
    expect([late.firstGeneration, late.points]).toEqual([5, 3]);
  });
});

describe('aggregateCsv', () => {
  it('writes the long format: one row per run × generation × metric, quoted as CSV needs', () => {
    const csv = aggregateCsv({
      studyId: 's',
      fieldPaths: ['selection.scheme', 'model.params.layers'],
      cells: [
        {
          cellKey: 'c1',
          fields: { 'selection.scheme': 'a,b', 'model.params.layers': [1, 2] },
          runs: [
            {
              key: 'k1',
              seed: 7,
              lines: [
                { generation: 0, varianceTrace: 2.5, fid: 0.1234567890123, selection: { accepted: 3, scheme: 'top' }, epochLosses: [1, 2] },
                { generation: 1, fid: 1e-7 },
              ],
            },
          ],
        },
        {
          cellKey: 'c2',
          fields: { 'selection.scheme': 'say "hi"\nthere', 'model.params.layers': 3 },
          runs: [{ key: 'k2', seed: 0, lines: [{ generation: 0, fid: 2 }] }],
        },
      ],
    });
    expect(csv).toBe(
      [
        'selection.scheme,model.params.layers,cell,seed,generation,metric,value',
        '"a,b","[1,2]",c1,7,0,fid,0.1234567890123',
        '"a,b","[1,2]",c1,7,0,varianceTrace,2.5',
        '"a,b","[1,2]",c1,7,0,selection.accepted,3',
        '"a,b","[1,2]",c1,7,1,fid,1e-7',
        '"say ""hi""\nthere",3,c2,0,0,fid,2',
        '',
      ].join('\n'),
    );
  });

  it('quotes fields with a comma, a quote or a line break only', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('x"y')).toBe('"x""y"');
    expect(csvField('x\ny')).toBe('"x\ny"');
    expect(csvField(true)).toBe('true');
    expect(csvField(12.5)).toBe('12.5');
    expect(csvField(null)).toBe('null');
    expect(csvField({ a: 1, b: 2 })).toBe('"{""a"":1,""b"":2}"');
    expect(csvField(undefined)).toBe('');
  });
});
