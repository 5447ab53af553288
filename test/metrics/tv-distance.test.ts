import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DeclaredTruthConfig } from '../../main/contract/declared-truth';
import { declaredTruthLogDensity, resolveDeclaredTruth, sampleDeclaredTruth, type DeclaredTruth } from '../../main/data/declared-truth';
import { boxAround, divergencesOnGrid, tvByImportanceSampling, tvToDeclaredTruth, type LogDensityFn } from '../../main/metrics/tv-distance';
import { GaussianModel } from '../../main/models/gaussian';
import { GmmModel } from '../../main/models/gmm';
import { KdeModel } from '../../main/models/kde';
import { rngFor } from '../../main/util/random';

/** Reference values: test/fixtures/metrics/make_tv_distance.py (closed forms; scipy quadrature at breakpoints). */
const fx = JSON.parse(readFileSync(join(__dirname, '../fixtures/metrics/tv_distance.json'), 'utf8'));

interface MixtureJson {
  weights: number[];
  means: number[][];
  covs: number[][][];
}

const truthOf = (m: MixtureJson, dim: number): DeclaredTruth =>
  resolveDeclaredTruth({ kind: 'gaussian-mixture', weights: m.weights, means: m.means, covs: m.covs } as DeclaredTruthConfig, dim, {
    kind: 'gaussian',
    components: [],
  });
const logOf =
  (t: DeclaredTruth): LogDensityFn =>
  (x, n) =>
    declaredTruthLogDensity(t, x, n);
const gauss1d =
  (m: number, s: number): LogDensityFn =>
  (x, n) =>
    Float64Array.from({ length: n }, (_, i) => -0.5 * Math.log(2 * Math.PI * s * s) - (x[i] - m) ** 2 / (2 * s * s));

describe('TV distance on a grid (trapezoid rule, Richardson error)', () => {
  it('matches the closed form for Gaussian pairs in one dimension, within its own error estimate', () => {
    for (const c of fx.gaussian1d as { m1: number; s1: number; m2: number; s2: number; tv: number }[]) {
      const box = boxAround(
        [
          { mean: [c.m1], sd: [c.s1] },
          { mean: [c.m2], sd: [c.s2] },
        ],
        8,
      );
      const g = divergencesOnGrid(gauss1d(c.m1, c.s1), gauss1d(c.m2, c.s2), box, 2049);
      expect(Math.abs(g.tv - c.tv)).toBeLessThanOrEqual(g.tvError + 1e-9);
      expect(Math.abs(g.tv - c.tv)).toBeLessThan(2e-5);
      expect(g.massP).toBeCloseTo(1, 8);
    }
  });

  it('matches high-precision quadrature for mixtures in one and two dimensions; the error estimate is honest', () => {
    const p1 = truthOf(fx.mixture1d.p, 1);
    const q1 = truthOf(fx.mixture1d.q, 1);
    const g1 = divergencesOnGrid(logOf(p1), logOf(q1), { lo: [-12], hi: [12] }, 2049);
    expect(Math.abs(g1.tv - fx.mixture1d.tv)).toBeLessThanOrEqual(g1.tvError + 1e-9);
    expect(Math.abs(g1.tv - fx.mixture1d.tv)).toBeLessThan(1e-5);

    const p2 = truthOf(fx.mixture2d.p, 2);
    const q2 = truthOf(fx.mixture2d.q, 2);
    const box = { lo: [-9, -8], hi: [9, 10] };
    const coarse = divergencesOnGrid(logOf(p2), logOf(q2), box, 129);
    const fine = divergencesOnGrid(logOf(p2), logOf(q2), box, 257);
    for (const g of [coarse, fine]) expect(Math.abs(g.tv - fx.mixture2d.tv)).toBeLessThanOrEqual(g.tvError + 1e-9);
    expect(Math.abs(coarse.tv - fx.mixture2d.tv)).toBeLessThan(2e-3);
    expect(Math.abs(fine.tv - fx.mixture2d.tv)).toBeLessThan(Math.abs(coarse.tv - fx.mixture2d.tv) + 1e-9);
    // KL(q ‖ p) of identical densities is 0, TV 0
    const same = divergencesOnGrid(logOf(p2), logOf(p2), box, 65);
    expect(same.tv).toBe(0);
    expect(same.kl).toBe(0);
  });

  it('a box that misses mass reports it in the error', () => {
    const g = divergencesOnGrid(gauss1d(0, 1), gauss1d(0.5, 1), { lo: [-1], hi: [1] }, 257);
    expect(g.tvError).toBeGreaterThan(0.3);
    expect(() => divergencesOnGrid(gauss1d(0, 1), gauss1d(0, 1), { lo: [0], hi: [1] }, 64)).toThrow(/odd/);
  });
});

describe('TV distance by importance sampling', () => {
  it('matches the closed form of two 3-D Gaussians with one covariance, within 4 standard errors', () => {
    const c = fx.gaussian3d_equal_cov;
    const a = resolveDeclaredTruth({ kind: 'gaussian', mean: c.mean1, cov: c.cov }, 3, { kind: 'gaussian', components: [] });
    const b = resolveDeclaredTruth({ kind: 'gaussian', mean: c.mean2, cov: c.cov }, 3, { kind: 'gaussian', components: [] });
    const n = 20_000;
    const da = sampleDeclaredTruth(a, n, rngFor(1, 'a'));
    const db = sampleDeclaredTruth(b, n, rngFor(1, 'b'));
    const r = tvByImportanceSampling(logOf(a), logOf(b), { x: Float64Array.from(da.x), n }, { x: Float64Array.from(db.x), n });
    expect(r.stderr).toBeGreaterThan(0);
    expect(r.stderr).toBeLessThan(0.004);
    expect(Math.abs(r.tv - c.tv)).toBeLessThan(4 * r.stderr);
  });
});

describe('TV of a fitted model to a declared truth (tvToDeclaredTruth)', () => {
  const mix = (m: MixtureJson, d: number) => truthOf(m, d);

  it('KDE in 1-D and 2-D (scipy.stats.gaussian_kde, Scott)', async () => {
    const k1 = fx.models.kde1d;
    const kde1 = new KdeModel({ ridge: 0 }, [1]);
    await kde1.fit({ x: Float32Array.from(k1.points), n: k1.points.length, dim: 1 }, { seed: 0 });
    const r1 = (await tvToDeclaredTruth(kde1, mix(k1.truth, 1), { seed: 0 }))!;
    expect(r1.method).toBe('grid');
    expect(Math.abs(r1.tv - k1.tv)).toBeLessThanOrEqual(r1.error + 1e-7);
    expect(Math.abs(r1.tv - k1.tv)).toBeLessThan(1e-4);

    const k2 = fx.models.kde2d;
    const kde2 = new KdeModel({ ridge: 0 }, [2]);
    await kde2.fit({ x: Float32Array.from(k2.points.flat()), n: k2.points.length, dim: 2 }, { seed: 0 });
    const r2 = (await tvToDeclaredTruth(kde2, mix(k2.truth, 2), { seed: 0 }))!;
    expect(Math.abs(r2.tv - k2.tv)).toBeLessThanOrEqual(r2.error + 1e-7);
    expect(Math.abs(r2.tv - k2.tv)).toBeLessThan(2e-3);
  });

  it('a GMM and the ML Gaussian in 2-D', async () => {
    const g = fx.models.gmm2d;
    const gmm = new GmmModel({ k: 3, covariance: 'full' }, [2]);
    gmm.state = {
      k: 3,
      d: 2,
      covariance: 'full',
      weights: Float64Array.from(g.gmm.weights),
      means: Float64Array.from(g.gmm.means.flat()),
      covs: Float64Array.from(g.gmm.covs.flat(2)),
    };
    const rg = (await tvToDeclaredTruth(gmm, mix(g.truth, 2), { seed: 0 }))!;
    expect(Math.abs(rg.tv - g.tv)).toBeLessThanOrEqual(rg.error + 1e-7);
    expect(Math.abs(rg.tv - g.tv)).toBeLessThan(2e-3);

    const m = fx.models.gaussian2d;
    const gauss = new GaussianModel({}, [2]);
    await gauss.fit({ x: Float32Array.from(m.points.flat()), n: m.points.length, dim: 2 }, { seed: 0 });
    const rm = (await tvToDeclaredTruth(gauss, mix(m.truth, 2), { seed: 0 }))!;
    expect(Math.abs(rm.tv - m.tv)).toBeLessThanOrEqual(rm.error + 1e-7);
    expect(Math.abs(rm.tv - m.tv)).toBeLessThan(2e-3);
  });

  it('3-D by importance sampling with its standard error; undefined above 3 dimensions', async () => {
    const c = fx.gaussian3d_equal_cov;
    const truth = resolveDeclaredTruth({ kind: 'gaussian', mean: c.mean1, cov: c.cov }, 3, { kind: 'gaussian', components: [] });
    const model = new GaussianModel({ ridge: 0 }, [3]);
    model.setParameters(Float64Array.from(c.mean2), Float64Array.from(c.cov.flat()));
    const r = (await tvToDeclaredTruth(model, truth, { seed: 4, draws: 8000 }))!;
    expect(r.method).toBe('importance-sampling');
    expect(Math.abs(r.tv - c.tv)).toBeLessThan(4 * r.error);
    const d4 = resolveDeclaredTruth({ kind: 'gaussian' }, 4, { kind: 'gaussian', components: [] });
    const m4 = new GaussianModel({}, [4]);
    m4.setParameters(
      new Float64Array(4),
      Float64Array.from({ length: 16 }, (_, i) => (i % 5 === 0 ? 1 : 0)),
    );
    expect(await tvToDeclaredTruth(m4, d4, { seed: 0 })).toBeUndefined();
  });
});
