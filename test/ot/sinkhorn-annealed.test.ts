import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sqeuclideanCost } from '../../main/ot/cost-matrix';
import { sinkhornAnnealed } from '../../main/ot/sinkhorn-annealed';

const fx = JSON.parse(readFileSync(new URL('../fixtures/selection/ot_selection.json', import.meta.url), 'utf8')) as {
  blur: number;
  X: number[][];
  Y: number[][];
  f: number[];
  g: number[];
  map: number[][];
  cost: number;
};

const flat = (rows: number[][]) => Float64Array.from(rows.flat());
const centred = (v: ArrayLike<number>) => {
  const m = Array.from(v).reduce((s, x) => s + x, 0) / v.length;
  return Array.from(v, (x) => x - m);
};
const half = (C: Float64Array) => C.map((c) => c / 2);

describe('sinkhornAnnealed (ε-scaling Sinkhorn, POT potentials)', () => {
  const X = flat(fx.X);
  const Y = flat(fx.Y);
  const n = fx.X.length;
  const m = fx.Y.length;
  const d = fx.X[0].length;
  const C = half(sqeuclideanCost(X, Y, n, m, d));
  const eps = fx.blur ** 2;

  it('matches POT sinkhorn_log potentials (up to the constant shift) and the barycentric map', () => {
    const r = sinkhornAnnealed(C, n, m, eps, { tol: 1e-12, maxIter: 100000 });
    expect(r.converged).toBe(true);
    const f = centred(r.f);
    const fRef = centred(fx.f);
    for (let i = 0; i < n; i++) expect(f[i]).toBeCloseTo(fRef[i], 6);
    const g = centred(r.g);
    const gRef = centred(fx.g);
    for (let j = 0; j < m; j++) expect(g[j]).toBeCloseTo(gRef[j], 6);
    const T = r.barycentricMap(Y, d);
    for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) expect(T[i * d + k]).toBeCloseTo(fx.map[i][k], 6);
    expect(r.transportCost()).toBeCloseTo(fx.cost, 6);
  });

  it('a warm start (a short annealing from 16·ε) converges to the same potentials', () => {
    const r = sinkhornAnnealed(C, n, m, eps, { tol: 1e-12, maxIter: 100000 });
    const w = sinkhornAnnealed(C, n, m, eps, { tol: 1e-10, maxIter: 100000, initG: r.g });
    expect(w.converged).toBe(true);
    expect(w.stages).toBeLessThanOrEqual(3);
    const a = centred(w.f);
    const b = centred(r.f);
    for (let i = 0; i < n; i++) expect(a[i]).toBeCloseTo(b[i], 8);
  });

  it('a truncated kernel (entries below e^−20 dropped) gives the same potentials to the tolerance asked', () => {
    const full = sinkhornAnnealed(C, n, m, eps, { tol: 1e-9, maxIter: 100000, truncation: Infinity });
    const cut = sinkhornAnnealed(C, n, m, eps / 20, { tol: 1e-9, maxIter: 100000, truncation: 20 });
    const ref = sinkhornAnnealed(C, n, m, eps / 20, { tol: 1e-9, maxIter: 100000, truncation: Infinity });
    expect(cut.density).toBeLessThan(0.6);
    expect(full.density).toBe(1);
    const a = centred(cut.f);
    const b = centred(ref.f);
    for (let i = 0; i < n; i++) expect(a[i]).toBeCloseTo(b[i], 5);
  });

  it('stays finite at a tiny ε (costs 10⁴ times ε), where plain kernels underflow', () => {
    const r = sinkhornAnnealed(C, n, m, 1e-4 * Math.max(...C), { tol: 1e-6, maxIter: 20000 });
    expect(r.f.every(Number.isFinite)).toBe(true);
    expect(r.g.every(Number.isFinite)).toBe(true);
    expect(r.marginalError).toBeLessThan(1e-3);
  });
});
