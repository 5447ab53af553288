import { describe, expect, it } from 'vitest';
import { metricInfo } from '../../main/contract/metric-catalog';
import type { StudyAggregate, StudyCellResult } from '../../main/contract/study-aggregate';
import { covarianceMatchingVerdict } from '../../main/presets/studies/covariance-matching';
import {
  constantSchedule,
  diffusionTruncationVerdict,
  geometricSchedule,
  powerSchedule,
} from '../../main/presets/studies/diffusion-truncation';
import { findStudyPreset, studyPresets } from '../../main/presets/studies/index';
import { selectionBiasIslandsVerdict } from '../../main/presets/studies/selection-bias-islands';
import { selfConsumingPhaseVerdict } from '../../main/presets/studies/self-consuming-phase';
import { vaeCollapseVerdict } from '../../main/presets/studies/vae-collapse';
import { wganDriftVerdict } from '../../main/presets/studies/wgan-drift';
import { aggregateStudy } from '../../main/shared/aggregate';
import { canonicalJson, expandStudy } from '../../main/studies/expand-study';

/** A catalog metric, or a scheme's / model's nested diagnostic as the aggregate flattens it (`selection.covarianceGap`). */
const known = (key: string) => metricInfo(key) !== undefined || /^[A-Za-z]+\.[A-Za-z0-9_-]+$/.test(key);

interface HandCell {
  fields: Record<string, unknown>;
  /** Metrics of generation g of seed s. */
  line: (g: number, seed: number) => Record<string, number>;
}

/** A study aggregate made by the real aggregator from hand-made metrics lines: `generations` lines per seed. */
function handAggregate(cells: HandCell[], generations: number, seeds = 2): StudyAggregate {
  const fieldPaths = [...new Set(cells.flatMap((c) => Object.keys(c.fields)))];
  const results: StudyCellResult[] = cells.map((c, i) => ({
    cellKey: `cell-${i}`,
    fields: c.fields,
    runs: Array.from({ length: seeds }, (_, seed) => ({
      key: `run-${i}-${seed}`,
      seed,
      lines: Array.from({ length: generations }, (_, g) => ({ generation: g, ...c.line(g, seed) })),
    })),
  }));
  return aggregateStudy({ studyId: 'hand-made', fieldPaths, cells: results });
}

/** A little seed noise that never changes a comparison. */
const jitter = (seed: number) => (seed === 0 ? 1 : -1) * 1e-3;
const empty = (fieldPaths: string[] = []): StudyAggregate => ({ studyId: 'empty', fieldPaths, metrics: [], cells: [] });

describe('built-in study presets', () => {
  it('have distinct names, and findStudyPreset finds each', () => {
    const names = studyPresets.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) expect(findStudyPreset(n).name).toBe(n);
    for (const n of ['selection-bias-islands', 'vae-collapse', 'covariance-matching', 'diffusion-truncation', 'wgan-drift'])
      expect(names).toContain(n);
  });

  for (const preset of studyPresets) {
    describe(preset.name, () => {
      it('expands into valid run configs', () => {
        const plan = expandStudy(preset.study, `study preset ${preset.name}`);
        expect(plan.runs.length).toBeGreaterThan(0);
        expect(preset.expectedMinutes).toBeGreaterThan(0);
      });

      it('a claim comes with figures and a verdict, whose numbers name real metrics and cells', () => {
        if (!preset.claim) return;
        expect(preset.verdict).toBeTypeOf('function');
        expect(preset.figures?.length ?? 0).toBeGreaterThan(0);
        expect(preset.claim.statement.length).toBeGreaterThan(20);
        expect(preset.claim.figures.length).toBeGreaterThan(0);
        const plan = expandStudy(preset.study);
        const cellValues = plan.runs.map((r) => r.fields);
        for (const f of preset.claim.figures) {
          if (!f.ours) continue;
          expect(known(f.ours.metric), `${f.quantity}: metric ${f.ours.metric}`).toBe(true);
          if (f.ours.cell) {
            const match = cellValues.some((fields) =>
              Object.entries(f.ours!.cell!).every(([p, v]) => canonicalJson(fields[p]) === canonicalJson(v)),
            );
            expect(match, `${f.quantity}: no cell has ${canonicalJson(f.ours.cell)}`).toBe(true);
          }
        }
        for (const fig of preset.figures ?? []) {
          if ('metric' in fig) expect(known(fig.metric), `${fig.title}: metric ${fig.metric}`).toBe(true);
          if (fig.kind === 'metric-vs-generation' && fig.reference) expect(known(fig.reference.metric)).toBe(true);
        }
      });

      it('gives a pending verdict on an empty aggregate', () => {
        if (!preset.verdict) return;
        expect(preset.verdict(empty()).reproduced).toBe('pending');
      });
    });
  }
});

describe('selection-bias-islands verdict', () => {
  const G = 3;
  const scheme = (s: string, m: (g: number) => Record<string, number>): HandCell => ({
    fields: { 'selection.scheme': s },
    line: (g, seed) => map(m(g), jitter(seed)),
  });
  const map = (m: Record<string, number>, j: number) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, v + j]));
  const base = { precision: 0.5, coverage: 0.5, downstreamAccuracy: 0.7, selectionSeconds: 1 };
  const cells = (good: boolean) => [
    scheme('random', () => ({ ...base, fid: 50, recall: 0.5, classesCovered: 8 })),
    scheme('kmeans', () => ({ ...base, fid: 48, recall: 0.45, classesCovered: 8 })),
    scheme('center', () => ({ ...base, fid: good ? 60 : 40, recall: 0.4, classesCovered: 6 })),
    scheme('covmatch', () => ({ ...base, fid: good ? 58 : 45, recall: 0.45, classesCovered: 7 })),
    scheme('topalpha', () => ({ ...base, fid: 70, recall: 0.3, classesCovered: good ? 3 : 9 })),
    scheme('ot-proxy', () => ({ ...base, fid: good ? 40 : 60, recall: good ? 0.6 : 0.4, classesCovered: 9 })),
    scheme('ot-barycenter', () => ({ ...base, fid: good ? 42 : 62, recall: good ? 0.58 : 0.45, classesCovered: 9 })),
  ];

  it('yes when biased references lose to random and the proxies beat it', () => {
    const v = selectionBiasIslandsVerdict(handAggregate(cells(true), G, 3));
    expect(v.reproduced).toBe('yes');
    expect(v.checks).toHaveLength(7);
    expect(v.summary).toMatch(/random 50\.0/);
  });
  it('no when every comparison goes the other way', () => {
    expect(selectionBiasIslandsVerdict(handAggregate(cells(false), G, 3)).reproduced).toBe('no');
  });
  it('pending when the last generation is not there yet', () => {
    const v = selectionBiasIslandsVerdict(handAggregate(cells(true), G - 1, 3));
    expect(v.reproduced).toBe('pending');
    expect(v.checks.every((c) => c.ours === null)).toBe(true);
  });
});

describe('vae-collapse verdict', () => {
  const G = 20;
  const collapse = (g: number) => ({
    classEntropy: 2.2 - (1.8 * g) / (G - 1),
    classesCovered: Math.round(10 - (8 * g) / (G - 1)),
    fid: 10 + 2 * g,
  });
  const steady = () => ({ classEntropy: 2.2, classesCovered: 10, fid: 10 });
  it('yes when entropy and classes halve and FID grows', () => {
    const v = vaeCollapseVerdict(handAggregate([{ fields: {}, line: (g) => collapse(g) }], G));
    expect(v.reproduced).toBe('yes');
    expect(v.summary).toMatch(/classes covered 10\.0 → 2\.00/);
  });
  it('no when nothing moves', () => {
    expect(vaeCollapseVerdict(handAggregate([{ fields: {}, line: steady }], G)).reproduced).toBe('no');
  });
  it('partly when only the FID grows', () => {
    expect(vaeCollapseVerdict(handAggregate([{ fields: {}, line: (g) => ({ ...steady(), fid: 10 + g }) }], G)).reproduced).toBe('partly');
  });
  it('pending on an empty study and on runs stopped before generation 20', () => {
    expect(vaeCollapseVerdict(empty()).reproduced).toBe('pending');
    expect(vaeCollapseVerdict(handAggregate([{ fields: {}, line: (g) => collapse(g) }], 12)).reproduced).toBe('pending');
  });
});

describe('diffusion-truncation verdict', () => {
  const G = 20;
  const path = 'model.params.truncation';
  const limit = 0.664;
  const cells = (good: boolean): HandCell[] => [
    {
      fields: { [path]: constantSchedule },
      line: (g, s) => ({ w2: good ? limit - 0.44 * Math.exp(-g / 3) + jitter(s) : 0.23, w2Limit: limit }),
    },
    { fields: { [path]: powerSchedule }, line: (g, s) => ({ w2: good ? 0.15 + jitter(s) : 0.4, w2Limit: limit }) },
    { fields: { [path]: geometricSchedule }, line: (g, s) => ({ w2: good ? 0.12 + jitter(s) : 0.45, w2Limit: limit }) },
  ];
  it('yes when the constant schedule drifts to its closed-form limit and the annealed ones stay low', () => {
    const v = diffusionTruncationVerdict(handAggregate(cells(true), G));
    expect(v.reproduced).toBe('yes');
    expect(v.checks).toHaveLength(4);
  });
  it('no when W₂ does not drift and annealing does not help', () => {
    expect(diffusionTruncationVerdict(handAggregate(cells(false), G)).reproduced).toBe('no');
  });
  it("pending without the schedules' cells", () => {
    expect(diffusionTruncationVerdict(empty([path])).reproduced).toBe('pending');
    expect(diffusionTruncationVerdict(handAggregate(cells(true).slice(0, 1), G)).reproduced).toBe('pending');
  });
});

describe('covariance-matching verdict', () => {
  const G = 4;
  const cell = (s: string, acc: number, gap: number): HandCell => ({
    fields: { 'selection.scheme': s },
    line: (g, seed) => ({ downstreamAccuracy: acc + jitter(seed), covarianceGap: gap }),
  });
  it('yes when covmatch has the best accuracy and the smallest gap', () => {
    const v = covarianceMatchingVerdict(
      handAggregate([cell('covmatch', 0.8, 0.2), cell('center', 0.7, 0.5), cell('random', 0.75, 0.4)], G),
    );
    expect(v.reproduced).toBe('yes');
  });
  it('no when it has the worst of both', () => {
    expect(
      covarianceMatchingVerdict(handAggregate([cell('covmatch', 0.6, 0.7), cell('center', 0.7, 0.5), cell('random', 0.75, 0.4)], G))
        .reproduced,
    ).toBe('no');
  });
  it('pending on an empty study', () => {
    expect(covarianceMatchingVerdict(empty(['selection.scheme'])).reproduced).toBe('pending');
  });
});

describe('wgan-drift verdict', () => {
  const G = 20;
  const cells = (good: boolean): HandCell[] =>
    [5, 2].map((critic) => ({
      fields: { 'model.params.criticSteps': critic, 'model.params.epochs': critic === 5 ? 100 : 300 },
      line: (g) =>
        good
          ? { fid: 10 + g, criticAccuracy: 0.9 - 0.01 * g, classesCovered: g === G - 1 ? 9 : 10 }
          : { fid: 40 - g, criticAccuracy: 0.6 + 0.01 * g, classesCovered: g === G - 1 ? 3 : 10 },
    }));
  it('yes when quality falls but the modes stay', () => {
    expect(wganDriftVerdict(handAggregate(cells(true), G, 1)).reproduced).toBe('yes');
  });
  it('no otherwise', () => {
    expect(wganDriftVerdict(handAggregate(cells(false), G, 1)).reproduced).toBe('no');
  });
  it('pending on an empty study', () => {
    expect(wganDriftVerdict(empty()).reproduced).toBe('pending');
  });
});

describe('self-consuming-phase verdict', () => {
  const path = 'loop.syntheticPerReal';
  const amounts = [0, 1, 4, 16, 64, 256];
  // TV = generation-0 TV (0.07) plus the loop's rise from generation 1 on: `rise(amount)` with a little seed noise
  const cells = (rise: (a: number) => number): HandCell[] =>
    amounts.map((a) => ({
      fields: { [path]: a },
      line: (g, s) => {
        const r = g === 0 ? 0 : rise(a) + (a === 0 ? 0 : jitter(s));
        return { tvToTruth: 0.07 + r, tvToTruthRise: r };
      },
    }));
  it('yes when the rise peaks at an interior amount and falls back', () => {
    const v = selfConsumingPhaseVerdict(
      handAggregate(
        cells((a) => (a === 0 ? 0 : a <= 16 ? 0.015 + a / 1e4 : 0.02 / Math.log2(a))),
        8,
      ),
    );
    expect(v.reproduced).toBe('yes');
    expect(v.checks).toHaveLength(3);
    expect(v.summary).toContain('m/n');
  });
  it('partly when TV only grows with the synthetic amount; no when nothing moves', () => {
    expect(
      selfConsumingPhaseVerdict(
        handAggregate(
          cells((a) => a / 1e4),
          8,
        ),
      ).reproduced,
    ).toBe('partly');
    const flat: HandCell[] = amounts.map((a) => ({ fields: { [path]: a }, line: () => ({ tvToTruth: 0.07, tvToTruthRise: 0 }) }));
    expect(selfConsumingPhaseVerdict(handAggregate(flat, 8)).reproduced).toBe('no');
  });
  it('pending when a cell or the later generations are missing', () => {
    expect(selfConsumingPhaseVerdict(empty([path])).reproduced).toBe('pending');
    expect(
      selfConsumingPhaseVerdict(
        handAggregate(
          cells(() => 0.01),
          4,
        ),
      ).reproduced,
    ).toBe('pending');
  });
});
