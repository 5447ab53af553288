import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { gaussianChiSquare, gaussianKl } from '../../main/models/mixture-distances';

/**
 * χ² and KL between Gaussians (the accumulated divergence of khelifa-discounted-drift) against SciPy's numerical
 * integration of p1²/p0 − 1 and p1·log(p1/p0) (test/fixtures/models/make_gaussian_divergences.py: quad in 1-D,
 * dblquad in 2-D, not the closed forms), χ² infinite where its integral diverges.
 */
const ref = JSON.parse(fs.readFileSync(path.join(__dirname, '../fixtures/models/gaussian_divergences.json'), 'utf8')) as {
  cases: { m1: number[]; c1: number[][]; m0: number[]; c0: number[][]; chiSquare: number | null; kl: number }[];
};
const args = (c: (typeof ref.cases)[number]) =>
  [Float64Array.from(c.m1), Float64Array.from(c.c1.flat()), Float64Array.from(c.m0), Float64Array.from(c.c0.flat())] as const;

describe('gaussianChiSquare', () => {
  it('matches SciPy’s quadrature in one and two dimensions, and is infinite when 2Σ1⁻¹ − Σ0⁻¹ is not positive definite', () => {
    expect(ref.cases.length).toBeGreaterThanOrEqual(5);
    for (const c of ref.cases) {
      const v = gaussianChiSquare(
        Float64Array.from(c.m1),
        Float64Array.from(c.c1.flat()),
        Float64Array.from(c.m0),
        Float64Array.from(c.c0.flat()),
      );
      if (c.chiSquare === null) expect(v).toBe(Infinity);
      else expect(Math.abs(v - c.chiSquare), JSON.stringify(c)).toBeLessThan(1e-7 * (1 + c.chiSquare));
    }
  });

  it('KL matches SciPy’s quadrature, finite where χ² is not', () => {
    for (const c of ref.cases) expect(Math.abs(gaussianKl(...args(c)) - c.kl), JSON.stringify(c)).toBeLessThan(1e-7 * (1 + c.kl));
  });

  it('is 0 for equal Gaussians and about twice the KL divergence for a small perturbation', () => {
    const m = Float64Array.from([0.1, -0.3]);
    const c = Float64Array.from([1, 0.2, 0.2, 0.5]);
    expect(Math.abs(gaussianChiSquare(m, c, m, c))).toBeLessThan(1e-12);
    // 1-D: variance 1 + ε against 1: KL = (ε − log(1 + ε))/2 ≈ ε²/4, χ² ≈ ε²/2
    const eps = 0.01;
    const chi2 = gaussianChiSquare(Float64Array.of(0), Float64Array.of(1 + eps), Float64Array.of(0), Float64Array.of(1));
    expect(chi2 / ((eps - Math.log(1 + eps)) / 2)).toBeCloseTo(2, 1);
  });
});
