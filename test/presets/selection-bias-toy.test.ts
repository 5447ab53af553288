import { describe, expect, it } from 'vitest';
import { findStudyPreset } from '../../main/presets/studies';
import { selectionBiasToyVerdict } from '../../main/presets/studies/selection-bias-toy';
import { aggregateStudy, type StudyCellResult } from '../../main/studies/aggregate';
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

function cell(paradigm: string, scheme: string, psis: number[], keptAt: (g: number) => number, toTarget?: (g: number) => number): StudyCellResult {
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
    cell('accumulate', 'none', [0.004, 0.005, 0.006], flat),
    cell(
      'accumulate',
      'topalpha',
      selectionWorks ? [0.05, 0.1, 0.2] : [0.004, 0.005, 0.006],
      selectionWorks ? (g) => 6 * (g + 1) ** -0.2 : flat,
      selectionWorks ? (g) => 6 / (g + 1) : () => 6,
    ),
  ];
  return aggregateStudy({ studyId: 's', fieldPaths: [PARADIGM, SCHEME], cells });
}

describe('the selection-bias-toy study preset', () => {
  it('expands to the 2 × 2 cells of the paper’s toy, 3 seeds each, with the biased verifier on the topalpha cells', () => {
    const preset = findStudyPreset('selection-bias-toy');
    const plan = expandStudy(preset.study);
    expect(plan.runs).toHaveLength(12);
    const top = plan.runs.find((r) => r.fields[SCHEME] === 'topalpha')!;
    expect(top.config.selection.target).toEqual({ kind: 'shifted-real', shiftSd: 3, fraction: 0.5, covScale: 0.3 });
    expect(top.config.dataset).toMatchObject({ kind: 'gaussian', dim: 10 });
    expect(top.config.loop).toMatchObject({ generations: 100, keep: 100, ratio: 10 });
    expect(preset.figures?.[0]).toMatchObject({ kind: 'loglog-trace', metric: 'modelVarianceTrace' });
  });

  it('says yes when the data show the theorems and match the re-run', () => {
    const v = selectionBiasToyVerdict(aggregate(true));
    expect(v.checks.filter((c) => !c.pass).map((c) => c.label)).toEqual([]);
    expect(v.reproduced).toBe('yes');
    expect(v.summary).toMatch(/replace 2\.5\d\d with the biased verifier against 0\.5\d\d without/);
  });

  it('does not say yes when selection changes nothing', () => {
    const v = selectionBiasToyVerdict(aggregate(false));
    expect(v.reproduced).toBe('partly');
    const failed = v.checks.filter((c) => !c.pass).map((c) => c.label);
    expect(failed.some((l) => l.startsWith('Biased selection at least doubles ψ'))).toBe(true);
    expect(failed.some((l) => l.startsWith('replace · topalpha: ψ'))).toBe(true);
  });

  it('is pending while a cell has no fit', () => {
    const a = aggregate(true);
    const v = selectionBiasToyVerdict({ ...a, cells: a.cells.slice(0, 3) });
    expect(v.reproduced).toBe('pending');
    expect(v.summary).toMatch(/accumulate · topalpha/);
  });
});
