import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { slicedWasserstein1, wasserstein1Exact, wasserstein1OneDim } from '../../main/metrics/wasserstein-1';

interface W1Fixture {
  exact: { n: number; m: number; d: number; x: number[]; y: number[]; w1: number; projections: number[]; sliced: number }[];
  oneDim: { u: number[]; v: number[]; w1: number }[];
}
const fx = JSON.parse(readFileSync(new URL('../fixtures/metrics/wasserstein.json', import.meta.url), 'utf8')) as W1Fixture;

describe('Wasserstein-1 against POT', () => {
  for (const c of fx.exact) {
    it(`exact, ${c.n} × ${c.m} in ${c.d} dimensions`, () => {
      expect(wasserstein1Exact(Float64Array.from(c.x), c.n, Float64Array.from(c.y), c.m, c.d)).toBeCloseTo(c.w1, 12);
    });
    it(`sliced with POT's projections, ${c.n} × ${c.m}`, () => {
      // average of 1-D W1 over the fixture's directions = POT's sliced_wasserstein_distance(p=1, projections=...)
      let s = 0;
      const P = c.projections.length / c.d;
      for (let p = 0; p < P; p++) {
        const th = c.projections.slice(p * c.d, (p + 1) * c.d);
        const proj = (arr: number[], n: number) =>
          Float64Array.from({ length: n }, (_, i) => th.reduce((acc, t, k) => acc + t * arr[i * c.d + k], 0));
        s += wasserstein1OneDim(proj(c.x, c.n), proj(c.y, c.m));
      }
      expect(s / P).toBeCloseTo(c.sliced, 12);
    });
  }
  for (const o of fx.oneDim) {
    it(`one-dimensional, ${o.u.length} vs ${o.v.length} points`, () => {
      expect(wasserstein1OneDim(Float64Array.from(o.u), Float64Array.from(o.v))).toBeCloseTo(o.w1, 12);
    });
  }

  it('sliced W1 is seeded, below exact W1, and zero between a set and itself', () => {
    const c = fx.exact[0];
    const x = Float64Array.from(c.x);
    const y = Float64Array.from(c.y);
    const a = slicedWasserstein1(x, c.n, y, c.m, c.d, 64, 5);
    expect(slicedWasserstein1(x, c.n, y, c.m, c.d, 64, 5)).toBe(a);
    expect(a).toBeLessThan(c.w1);
    expect(slicedWasserstein1(x, c.n, x, c.n, c.d, 16, 1)).toBe(0);
  });
});
