import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GaussianModel } from '../../main/models/gaussian';
import { loadModel } from '../../main/models/registry';
import type { GenerativeModel } from '../../main/models/generative-model';
import { modelMoments } from '../../main/metrics/model-moments';
import { Rng } from '../../main/util/random';

/** Draws from N(mu, LLᵀ) with a fixed Rng, independent of the model's own sampler. */
function draws(mu: number[], l: number[][], n: number, seed: number): Float32Array {
  const d = mu.length;
  const r = new Rng(seed);
  const out = new Float32Array(n * d);
  const z = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < d; k++) z[k] = r.normal();
    for (let a = 0; a < d; a++) {
      let s = mu[a];
      for (let k = 0; k <= a; k++) s += l[a][k] * z[k];
      out[i * d + a] = s;
    }
  }
  return out;
}

const mu = [1, -2, 0.5];
const l = [
  [1, 0, 0],
  [0.6, 0.8, 0],
  [-0.3, 0.2, 0.5],
];
/** Σ = LLᵀ */
const sigma = l.map((ra) => l.map((rb) => ra.reduce((s, v, k) => s + v * rb[k], 0)));

describe('Gaussian (maximum likelihood)', () => {
  it('is the closed-form MLE: sample mean, covariance divided by n, plus ridge·I', async () => {
    const x = new Float32Array([0, 0, 2, 0, 0, 4, 2, 4]); // 4 points in 2-D: (0,0), (2,0), (0,4), (2,4)
    const m = new GaussianModel({ ridge: 0.25 }, [2]);
    const fit = await m.fit({ x, n: 4, dim: 2 }, { seed: 1 });
    expect(Array.from(m.mean!)).toEqual([1, 2]);
    // var(x₁) = 1, var(x₂) = 4 (divided by n = 4), uncorrelated; + 0.25 on the diagonal
    expect(Array.from(m.cov!)).toEqual([1.25, 0, 0, 4.25]);
    // mean NLL = ½(d log 2π + log det Σ + tr(Σ⁻¹S)) with S = diag(1, 4)
    const expected = 0.5 * (2 * Math.log(2 * Math.PI) + Math.log(1.25 * 4.25) + 1 / 1.25 + 4 / 4.25);
    expect(fit.epochLosses[0]).toBeCloseTo(expected, 12);
  });

  it('its loss is the mean negative log-likelihood of the training data', async () => {
    const n = 50;
    const x = draws(mu, l, n, 9);
    const m = new GaussianModel({ ridge: 0.1 }, [3]);
    const fit = await m.fit({ x, n, dim: 3 }, { seed: 1 });
    // direct: average of −log N(x_i; μ̂, Σ̂) with Σ̂⁻¹ and det by Cramer's rule (3×3)
    const c = Array.from(m.cov!);
    const [a, b, cc, d, e, f, g, h, i] = c;
    const det = a * (e * i - f * h) - b * (d * i - f * g) + cc * (d * h - e * g);
    const inv = [
      e * i - f * h,
      cc * h - b * i,
      b * f - cc * e,
      f * g - d * i,
      a * i - cc * g,
      cc * d - a * f,
      d * h - e * g,
      b * g - a * h,
      a * e - b * d,
    ].map((v) => v / det);
    let nll = 0;
    for (let r = 0; r < n; r++) {
      const dx = [0, 1, 2].map((k) => x[r * 3 + k] - m.mean![k]);
      let q = 0;
      for (let p = 0; p < 3; p++) for (let s = 0; s < 3; s++) q += dx[p] * inv[p * 3 + s] * dx[s];
      nll += 0.5 * (3 * Math.log(2 * Math.PI) + Math.log(det) + q);
    }
    expect(fit.epochLosses[0]).toBeCloseTo(nll / n, 5);
  });

  it('gives the log-determinant of its fitted covariance from its own factor: the modelCovarianceLogDet of a fresh one', async () => {
    const n = 40;
    const m = new GaussianModel({ ridge: 0.1 }, [3]);
    await m.fit({ x: draws(mu, l, n, 4), n, dim: 3 }, { seed: 1 });
    const c = Array.from(m.fittedCovariance());
    const [a, b, cc, d, e, f, g, h, i] = c;
    // Sarrus against the factor's product of squared pivots
    expect(m.fittedCovarianceLogDet()).toBeCloseTo(Math.log(a * (e * i - f * h) - b * (d * i - f * g) + cc * (d * h - e * g)), 12);
    // the metric reads the model's factor, and a model without one is factorised afresh: the same bits
    const own = modelMoments(m, undefined).modelCovarianceLogDet;
    const fresh = modelMoments({ kind: 'other', fittedCovariance: () => m.fittedCovariance() } as unknown as GenerativeModel, undefined);
    expect(own).toBe(fresh.modelCovarianceLogDet);
    expect(own).toBe(m.fittedCovarianceLogDet());
  });

  it('recovers known parameters from many samples', async () => {
    const n = 200_000;
    const m = new GaussianModel({}, [3]);
    await m.fit({ x: draws(mu, l, n, 1), n, dim: 3 }, { seed: 1 });
    for (let a = 0; a < 3; a++) {
      // standard errors: √(Σaa/n) ≈ 0.002 for the mean, ≈ √(2/n)·Σaa for the variance
      expect(Math.abs(m.mean![a] - mu[a])).toBeLessThan(0.01);
      for (let b = 0; b < 3; b++) expect(Math.abs(m.cov![a * 3 + b] - sigma[a][b])).toBeLessThan(0.015);
    }
  });

  it('samples reproducibly per seed, with the fitted mean and covariance', async () => {
    const m = new GaussianModel({ ridge: 0 }, [3]);
    m.setParameters(Float64Array.from(mu), Float64Array.from(sigma.flat()));
    const a = await m.sample(100_000, 5);
    const again = await m.sample(100_000, 5);
    expect(Buffer.from(again.buffer).equals(Buffer.from(a.buffer))).toBe(true);
    expect(await m.sample(10, 6)).not.toEqual(a.subarray(0, 30));
    const refit = new GaussianModel({ ridge: 0 }, [3]);
    await refit.fit({ x: a, n: 100_000, dim: 3 }, { seed: 1 });
    for (let k = 0; k < 3; k++) expect(Math.abs(refit.mean![k] - mu[k])).toBeLessThan(0.015);
    for (let k = 0; k < 9; k++) expect(Math.abs(refit.cov![k] - sigma.flat()[k])).toBeLessThan(0.02);
  });

  it('saves and loads as JSON through the registry, giving the same samples', async () => {
    const m = new GaussianModel({ ridge: 1e-3 }, [3]);
    await m.fit({ x: draws(mu, l, 500, 2), n: 500, dim: 3 }, { seed: 1 });
    const dir = mkdtempSync(join(tmpdir(), 'gaussian-test-'));
    try {
      await m.save(dir);
      const loaded = await loadModel(dir);
      expect(loaded.kind).toBe('gaussian');
      expect(await loaded.sample(20, 8)).toEqual(await m.sample(20, 8));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a wrong dimension and a singular covariance without ridge', async () => {
    const m = new GaussianModel({ ridge: 0 }, [2]);
    await expect(m.fit({ x: new Float32Array(6), n: 2, dim: 3 }, { seed: 1 })).rejects.toThrow(/dimension 3 differs from the model's 2/);
    await expect(m.fit({ x: new Float32Array([1, 1, 2, 2]), n: 2, dim: 2 }, { seed: 1 })).rejects.toThrow(/not positive definite.*ridge/);
  });
});
