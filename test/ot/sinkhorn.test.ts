import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sqeuclideanCost } from '../../main/ot/cost-matrix';
import { sinkhornLog } from '../../main/ot/sinkhorn-log';

interface SinkhornCase {
  name: string;
  n: number;
  m: number;
  d: number;
  reg: number;
  maxIter: number;
  tol: number;
  x: number[];
  y: number[];
  a: number[] | null;
  cost: number;
  iterations: number;
  f: number[];
  g: number[];
  rowSums: number[];
  colSums: number[];
}
const cases = JSON.parse(readFileSync(new URL('../fixtures/ot/sinkhorn.json', import.meta.url), 'utf8')) as SinkhornCase[];

const mean = (v: ArrayLike<number>) => Array.from(v).reduce((s, x) => s + x, 0) / v.length;

describe('sinkhornLog against POT ot.bregman.sinkhorn_log', () => {
  for (const c of cases) {
    it(c.name, () => {
      const M = sqeuclideanCost(Float64Array.from(c.x), Float64Array.from(c.y), c.n, c.m, c.d);
      const res = sinkhornLog(c.a ? Float64Array.from(c.a) : null, null, M, c.n, c.m, c.reg, {
        maxIter: c.maxIter,
        tol: c.tol,
        plan: true,
      });
      expect(res.iterations).toBe(c.iterations);
      expect(Math.abs(res.cost - c.cost) / c.cost).toBeLessThan(1e-10);
      // potentials are defined up to f + κ, g − κ: compare after removing the mean shift
      const shift = mean(res.f) - mean(c.f);
      const scale = Math.max(...M);
      for (let i = 0; i < c.n; i++) expect(Math.abs(res.f[i] - c.f[i] - shift)).toBeLessThan(1e-9 * scale);
      for (let j = 0; j < c.m; j++) expect(Math.abs(res.g[j] - c.g[j] + shift)).toBeLessThan(1e-9 * scale);
      // marginals of the plan
      const P = res.plan!;
      for (let i = 0; i < c.n; i++) {
        let s = 0;
        for (let j = 0; j < c.m; j++) s += P[i * c.m + j];
        expect(s).toBeCloseTo(c.rowSums[i], 12);
      }
      for (let j = 0; j < c.m; j++) {
        let s = 0;
        for (let i = 0; i < c.n; i++) s += P[i * c.m + j];
        expect(s).toBeCloseTo(c.colSums[j], 10);
      }
    });
  }

  it('the plan is exp((f ⊕ g − M)/reg) and the potentials give the entropic dual', () => {
    const c = cases[0];
    const M = sqeuclideanCost(Float64Array.from(c.x), Float64Array.from(c.y), c.n, c.m, c.d);
    const res = sinkhornLog(null, null, M, c.n, c.m, 0.5, { plan: true, tol: 1e-12 });
    expect(res.converged).toBe(true);
    for (let i = 0; i < c.n; i++) {
      for (let j = 0; j < c.m; j++) {
        const p = Math.exp((res.f[i] + res.g[j] - M[i * c.m + j]) / 0.5);
        expect(Math.abs(res.plan![i * c.m + j] - p)).toBeLessThan(1e-14 + 1e-10 * p);
      }
    }
  });

  it('validates its arguments', () => {
    const M = new Float64Array(6).fill(1);
    expect(() => sinkhornLog(null, null, M, 2, 3, 0)).toThrow(/reg must be a positive number/);
    expect(() => sinkhornLog(null, null, M, 2, 3, 1, { maxIter: 0 })).toThrow(/maxIter/);
    expect(() => sinkhornLog(null, null, M, 3, 3, 1)).toThrow(/expected 3 × 3/);
  });
});
