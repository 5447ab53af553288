import { describe, expect, it } from 'vitest';
import type { StudyCellResult } from '../../main/contract/study-aggregate';
import { aggregateStudy } from '../../main/shared/aggregate';
import { findStudyPreset } from '../../main/presets/studies';
import { compareCheck, matchCheck, pairedOver, statOver } from '../../main/presets/studies/verdict-helpers';
import type { StudyPlan } from '../../main/studies/expand-study';
import { windowsOf } from '../../main/studies/study-digest';

/** A seed's value at a generation: a seed level plus noise that differs by generation (runs far from perfectly correlated). */
const value = (cell: number, seed: number, g: number) => cell + 0.3 * Math.sin(seed * 1.7 + 0.4) + 0.5 * Math.cos(seed * 3.1 + g * 2.3);

function aggregate(windows?: { metric: string; from: number; to: number }[]) {
  const cells: StudyCellResult[] = [0, 1].map((cell) => ({
    cellKey: `c${cell}`,
    fields: { a: cell },
    runs: Array.from({ length: 7 }, (_, seed) => ({
      key: `r${cell}-${seed}`,
      seed,
      lines: Array.from({ length: 10 }, (_, g) => ({ generation: g, m: value(cell, seed, g) })),
    })),
  }));
  return aggregateStudy({ studyId: 's', fieldPaths: ['a'], cells, windows });
}

/** Mean and sample sd of some values, directly. */
function direct(values: number[]) {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1));
  return { mean, sd };
}
const windowMean = (cell: number, seed: number) => [4, 5, 6, 7, 8, 9].reduce((s, g) => s + value(cell, seed, g), 0) / 6;

describe('windowed statistics over seeds', () => {
  it('statOver gives the sd over seeds of each seed’s window mean when the aggregate kept the window', () => {
    const a = aggregate([{ metric: 'm', from: 4, to: 9 }]);
    const want = direct(Array.from({ length: 7 }, (_, s) => windowMean(1, s)));
    const got = statOver(a.cells[1], 'm', 4, 9)!;
    expect(got.n).toBe(7);
    expect(got.mean).toBeCloseTo(want.mean, 12);
    expect(got.sd!).toBeCloseTo(want.sd, 12);
    // without the window: the mean is the same, the sd only the mean of the per-generation sds (a bound, wider here)
    const bound = statOver(aggregate().cells[1], 'm', 4, 9)!;
    expect(bound.mean).toBeCloseTo(want.mean, 12);
    expect(bound.sd!).toBeGreaterThan(1.3 * want.sd);
    // another window than the one kept falls back to the bound
    expect(statOver(a.cells[1], 'm', 3, 9)!.sd).toBeCloseTo(statOver(aggregate().cells[1], 'm', 3, 9)!.sd!, 12);
  });

  it('a study started from a preset is aggregated over the windows its verdict reads; one of one’s own over none', () => {
    const plan = (preset?: string) => ({ spec: { preset } }) as unknown as StudyPlan;
    expect(windowsOf(plan('self-consuming-phase'))).toEqual(findStudyPreset('self-consuming-phase').windows);
    expect(windowsOf(plan('self-consuming-phase'))).toContainEqual({ metric: 'tvToTruthRise', from: 25, to: 49 });
    expect(windowsOf(plan())).toBeUndefined();
  });

  it('pairedOver gives the mean and sd of each seed’s difference between two cells', () => {
    const a = aggregate([{ metric: 'm', from: 4, to: 9 }]);
    const want = direct(Array.from({ length: 7 }, (_, s) => windowMean(1, s) - windowMean(0, s)));
    const got = pairedOver(a.cells[1], a.cells[0], 'm', 4, 9)!;
    expect(got.mean).toBeCloseTo(want.mean, 12);
    expect(got.sd!).toBeCloseTo(want.sd, 12);
    expect(pairedOver(aggregate().cells[1], aggregate().cells[0], 'm', 4, 9)).toBeNull();
  });
});

describe('a check’s text says what was tested and what was seen', () => {
  const base = {
    label: 'x',
    quantity: 'q',
    reference: { kind: 'closed-form' as const, text: 'none: 0', stat: 0 },
    effect: 1,
    effectText: 'e',
  };
  it('compareCheck: passed, short of the line, and on the wrong side', () => {
    const passed = compareCheck({ ...base, ours: { mean: 1, sd: 0.5, n: 16 }, direction: 'above' });
    expect(passed.outcome).toBe('pass');
    expect(passed.tolerance).toBe(
      'tested: ours above 0 by more than 2 s.e. = 0.250; seen: 1.00 above it, more than 2 s.e. = 0.250: passes',
    );
    const short = compareCheck({ ...base, ours: { mean: 0.1, sd: 0.5, n: 16 }, direction: 'above' });
    expect(short.outcome).toBe('fail');
    expect(short.tolerance).toBe(
      'tested: ours above 0 by more than 2 s.e. = 0.250; seen: 0.100 above it, not more than 2 s.e. = 0.250: fails, the check having 100 % power',
    );
    const wrong = compareCheck({ ...base, ours: { mean: -1, sd: 0.5, n: 16 }, direction: 'above' });
    expect(wrong.outcome).toBe('fail');
    expect(wrong.tolerance).toBe(
      'tested: ours above 0 by more than 2 s.e. = 0.250; seen: 1.00 below it, on the wrong side by more than 2 s.e. = 0.250: fails whatever the power',
    );
    const below = compareCheck({ ...base, ours: { mean: 0.3, sd: 0.5, n: 16 }, direction: 'below' });
    expect(below.tolerance).toContain('seen: 0.300 above it, on the wrong side');
  });
  it('matchCheck: within or beyond the tolerance, and on which side', () => {
    const ref = { kind: 'rerun' as const, text: 'r', mean: 1, sd: 0.4, n: 100 };
    const c = matchCheck({ label: 'm', quantity: 'q', ours: { mean: 1.5, sd: 0.4, n: 16 }, reference: ref });
    expect(c.outcome).toBe('fail');
    expect(c.tolerance).toMatch(/^tested: within 3 s\.e\. = 0\.32\d .* of 1\.00; seen: 0\.500 above it, beyond$/);
  });
});
