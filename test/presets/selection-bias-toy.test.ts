import { describe, expect, it } from 'vitest';
import { findStudyPreset } from '../../main/presets/studies';
import fs from 'node:fs';
import path from 'node:path';
import {
  SELECTION_BIAS_TOY_RERUN,
  SELECTION_BIAS_TOY_RERUN_ACCUMULATE_WITH_REAL,
  selectionBiasToyVerdict,
} from '../../main/presets/studies/selection-bias-toy';
import { aggregateStudy, type StudyCellResult } from '../../main/shared/aggregate';
import { expandStudy } from '../../main/studies/expand-study';

const PARADIGM = 'loop.paradigm';
const SCHEME = 'selection.scheme';

/**
 * Metrics lines of one run: the fitted model's trace 10 at generation 0, then 10·t^−ψ (t = generation + 1); the kept
 * samples' trace `keptAt(g)`; and the kept mean's distance to u* `toTarget(g)` for topalpha.
 */
function lines(psi: number, keptAt: (g: number) => number, toTarget?: (g: number) => number, gens = 100) {
  return Array.from({ length: gens }, (_, g) => ({
    generation: g,
    modelVarianceTrace: 10 * (g + 1) ** -psi,
    varianceTrace: keptAt(g),
    ...(toTarget ? { selection: { keptMeanToTarget: toTarget(g) } } : {}),
  }));
}

function cell(
  paradigm: string,
  scheme: string,
  psis: number[],
  keptAt: (g: number) => number,
  toTarget?: (g: number) => number,
): StudyCellResult {
  return {
    cellKey: `${paradigm}-${scheme}`,
    fields: { [PARADIGM]: paradigm, [SCHEME]: scheme },
    runs: psis.map((psi, seed) => ({ key: `${paradigm}-${scheme}-${seed}`, seed, lines: lines(psi, keptAt, toTarget) })),
  };
}

/** The four cells with the re-run's behaviour (ψ near its numbers), or with selection doing nothing. */
function aggregate(selectionWorks: boolean) {
  const flat = () => 10;
  const cells = [
    cell('replace', 'none', [0.5, 0.6, 0.7], flat),
    cell('replace', 'topalpha', selectionWorks ? [2.5, 2.55, 2.6] : [0.5, 0.6, 0.7], flat, (g) => 6 / (g + 1)),
    cell('accumulate-synthetic', 'none', [0.004, 0.005, 0.006], flat),
    cell(
      'accumulate-synthetic',
      'topalpha',
      selectionWorks ? [0.2, 0.3, 0.4] : [0.004, 0.005, 0.006],
      selectionWorks ? (g) => 6 * (g + 1) ** -0.2 : flat,
      selectionWorks ? (g) => 6 / (g + 1) : () => 6,
    ),
  ];
  return aggregateStudy({ studyId: 's', fieldPaths: [PARADIGM, SCHEME], cells });
}

describe('the selection-bias-toy study preset', () => {
  it('expands to the 2 × 2 cells of the paper’s toy, 5 seeds each, with the biased verifier on the topalpha cells', () => {
    const preset = findStudyPreset('selection-bias-toy');
    const plan = expandStudy(preset.study);
    expect(plan.runs).toHaveLength(20);
    // the paper's accumulate: synthetic samples only
    expect([...new Set(plan.runs.map((r) => r.config.loop.paradigm))]).toEqual(['replace', 'accumulate-synthetic']);
    const top = plan.runs.find((r) => r.fields[SCHEME] === 'topalpha')!;
    expect(top.config.selection.target).toEqual({ kind: 'shifted-real', shiftSd: 3, fraction: 0.5, covScale: 0.3 });
    expect(top.config.dataset).toMatchObject({ kind: 'gaussian', dim: 10 });
    expect(top.config.loop).toMatchObject({ generations: 100, keep: 100, ratio: 10 });
    expect(preset.figures?.[0]).toMatchObject({ kind: 'loglog-trace', metric: 'modelVarianceTrace' });
  });

  it('fits ψ on the asymptotic window t ∈ [10, 100] (metrics.psiFromT) in its runs and its aggregate', () => {
    const plan = expandStudy(findStudyPreset('selection-bias-toy').study);
    expect(plan.runs.every((r) => r.config.metrics.psiFromT === 10)).toBe(true);
  });

  it('holds the re-run’s numbers as the numpy script wrote them (selection_bias_toy_simulation.json)', () => {
    const file = path.join(__dirname, '../fixtures/selection/selection_bias_toy_simulation.json');
    const sim = JSON.parse(fs.readFileSync(file, 'utf8')) as {
      sizes: { seeds: number[]; psiFrom: number };
      cells: Record<
        string,
        {
          modelTrace: Record<string, number>;
          modelTraceSeedSd: Record<string, number>;
          keptTrace: Record<string, number>;
          seedPsiMean: number;
          seedPsiSd: number;
          psi: number;
        }
      >;
    };
    expect(sim.sizes.seeds).toHaveLength(20);
    // ψ on the asymptotic window t ∈ [10, 100]: generations ≥ 9
    expect(sim.sizes.psiFrom).toBe(9);
    const simKey = (name: string) => {
      const [paradigm, scheme] = name.split(' · ');
      return `${paradigm} / ${scheme === 'topalpha' ? 'biased verifier' : 'none'}`;
    };
    // the copies are rounded to 3 or 4 significant digits
    const close = (ours: number, theirs: number) => expect(Math.abs(ours - theirs)).toBeLessThanOrEqual(0.005 * Math.abs(theirs));
    for (const [name, ref] of Object.entries(SELECTION_BIAS_TOY_RERUN)) {
      const c = sim.cells[simKey(name)];
      expect(c, name).toBeDefined();
      for (const t of [1, 10, 100] as const) close(ref.trace[t], c.modelTrace[String(t)]);
      close(ref.traceSd100, c.modelTraceSeedSd['100']);
      close(ref.psi, c.seedPsiMean);
      close(ref.psiSd, c.seedPsiSd);
      close(ref.psiOfMean, c.psi);
      for (const t of [1, 100] as const) close(ref.kept[t], c.keptTrace[String(t)]);
    }
    const withReal = sim.cells['accumulate / biased verifier'];
    close(SELECTION_BIAS_TOY_RERUN_ACCUMULATE_WITH_REAL.trace100, withReal.modelTrace['100']);
    close(SELECTION_BIAS_TOY_RERUN_ACCUMULATE_WITH_REAL.psi, withReal.seedPsiMean);
  });

  it('is pending while a cell has no fit', () => {
    const a = aggregate(true);
    const v = selectionBiasToyVerdict({ ...a, cells: a.cells.slice(0, 3) });
    expect(v.reproduced).toBe('pending');
    expect(v.summary).toMatch(/accumulate-synthetic · topalpha/);
  });
});
