import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DiffusionExactModel, mixtureFromSpec, truncationDelta } from '../../main/models/diffusion-exact';
import { mixtureMoments } from '../../main/models/mixture-distances';
import { erfcAccurate, w2BetweenMixtures1d } from '../../main/models/mixture-w2-1d';
import { constantScheduleLimit, idealRecursionLaw } from '../../main/models/truncation-recursion';

interface Truth {
  weights: number[];
  means: number[];
  vars: number[];
}
type Case =
  | { kind: 'recursion'; name: string; truth: Truth; deltas: number[]; lambda: number; mean: number; w2: number }
  | { kind: 'limit'; name: string; truth: Truth; delta: number; lambda: number; variance: number; w2: number };

const fixture = JSON.parse(readFileSync(join(__dirname, '../fixtures/models/truncation_recursion.json'), 'utf8')) as { cases: Case[] };
const spec = (t: Truth) => ({ weights: t.weights, means: t.means.map((m) => [m]), covs: t.vars });
const mixture = (t: Truth) => mixtureFromSpec(spec(t), 1);

describe('closed-form laws of the truncation recursion (against make_truncation_recursion.py: numpy + scipy quad)', () => {
  for (const c of fixture.cases) {
    it(c.name, () => {
      const p0 = mixture(c.truth);
      if (c.kind === 'recursion') {
        const law = idealRecursionLaw(p0, c.deltas, c.lambda);
        expect(mixtureMoments(law).mean[0]).toBeCloseTo(c.mean, 12);
        expect(w2BetweenMixtures1d(law, p0)).toBeCloseTo(c.w2, 7);
      } else {
        const law = constantScheduleLimit(p0, c.delta, c.lambda);
        expect(mixtureMoments(law).cov[0]).toBeCloseTo(c.variance, 8);
        expect(w2BetweenMixtures1d(law, p0)).toBeCloseTo(c.w2, 7);
      }
    });
  }

  it('erfc to near double precision on both sides of the series/continued-fraction switch (scipy.special.erfc)', () => {
    const scipy: [number, number][] = [
      [0, 1],
      [0.5, 0.4795001221869535],
      [1, 0.15729920705028516],
      [2.9999, 2.2104426482160917e-5],
      [3, 2.2090496998585445e-5],
      [4.5, 1.9661604415428878e-10],
      [5, 1.5374597944280347e-12],
      [8, 1.1224297172982928e-29],
    ];
    // relative 1e-11: 1 − series below x = 3 loses a few digits as erfc → 2e-5; above, the continued fraction keeps them
    for (const [x, v] of scipy) expect(Math.abs(erfcAccurate(x) - v) / v).toBeLessThan(1e-11);
  });

  it('W₂ of a mixture to itself is 0, and to a shifted copy is the shift', () => {
    const p0 = mixture(fixture.cases[0].truth);
    expect(w2BetweenMixtures1d(p0, p0)).toBe(0);
    const shifted = { ...p0, means: p0.means.map((m) => m + 0.3) };
    expect(w2BetweenMixtures1d(shifted, p0)).toBeCloseTo(0.3, 9);
  });

  it('the exact recursion under a constant schedule approaches the limit', () => {
    const c = fixture.cases.find((x) => x.kind === 'limit' && x.lambda === 0.2)!;
    const p0 = mixture(c.truth);
    const w2At = (g: number) => w2BetweenMixtures1d(idealRecursionLaw(p0, Array(g + 1).fill(0.1), 0.2), p0);
    expect(Math.abs(w2At(80) - c.w2)).toBeLessThan(1e-4);
    expect(Math.abs(w2At(5) - c.w2)).toBeGreaterThan(Math.abs(w2At(20) - c.w2));
  });

  it('names bad input', () => {
    const p0 = mixture(fixture.cases[0].truth);
    expect(() => idealRecursionLaw(p0, [0.1], 1.5)).toThrow(/λ must be in \[0, 1\]/);
    expect(() => idealRecursionLaw(p0, [], 0.2)).toThrow(/at least generation 0/);
    expect(() => constantScheduleLimit(p0, 0, 0.2)).toThrow(/must be > 0/);
  });
});

describe('DiffusionExactModel.describeSamples reports the closed-form references', () => {
  const c = fixture.cases.find((x) => x.kind === 'recursion' && x.name.startsWith('constant, generation 9'))!;
  const lim = fixture.cases.find((x) => x.kind === 'limit' && x.lambda === 0.2)!;
  const params = { components: 2, truncation: { kind: 'constant' as const, delta0: 0.1 }, truth: spec(c.truth), recursionRealShare: 0.2 };

  it('w2Recursion and w2Limit at generation 9 of a constant schedule, with λ = 0.2', () => {
    const m = new DiffusionExactModel(params, [1]);
    m.generation = 9;
    m.delta = truncationDelta(m.params.truncation, 9);
    const out = m.describeSamples(Float32Array.from([-2, -1, 0, 1, 2]), 5);
    expect(out.w2Recursion as number).toBeCloseTo(c.w2, 5);
    expect(out.w2Limit as number).toBeCloseTo(lim.w2, 5);
  });

  it('omits them without recursionRealShare', () => {
    const { recursionRealShare: _, ...rest } = params;
    const m = new DiffusionExactModel(rest, [1]);
    m.delta = 0.1;
    const out = m.describeSamples(Float32Array.from([-2, -1, 0, 1, 2]), 5);
    expect(out.w2Recursion).toBeUndefined();
    expect(out.w2Limit).toBeUndefined();
  });
});
