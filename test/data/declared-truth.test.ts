import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../main/contract/config';
import { declaredTruthLogDensity, declaredTruthMixture, resolveDeclaredTruth, sampleDeclaredTruth } from '../../main/data/declared-truth';
import { makeGaussianMixtureToy } from '../../main/data/gaussian-mixture-toy';
import { makeGaussianToy } from '../../main/data/gaussian-toy';
import { loadDataset } from '../../main/data/load-dataset';
import { findPreset } from '../../main/presets';
import { rngFor } from '../../main/util/random';

/** Log-densities of scipy.stats.multivariate_normal: test/fixtures/metrics/make_tv_distance.py. */
const fx = JSON.parse(readFileSync(join(__dirname, '../fixtures/metrics/tv_distance.json'), 'utf8')).truth_metrics;
const none = { kind: 'gaussian' as const, components: [] };

describe('a dataset’s declared truth', () => {
  it('resolves a Gaussian and a mixture: exact moments and log-densities as scipy computes them', () => {
    const g = resolveDeclaredTruth({ kind: 'gaussian', mean: fx.truth.mean, cov: fx.truth.cov }, 3, none);
    expect(g.kind).toBe('gaussian');
    expect(Array.from(g.mean)).toEqual(fx.truth.mean);
    fx.truth.cov.flat().forEach((v: number, i: number) => expect(g.cov[i]).toBeCloseTo(v, 12));
    const pts = Float64Array.from(fx.points.flat());
    declaredTruthLogDensity(g, pts, 6).forEach((v, i) => expect(v).toBeCloseTo(fx.logpdfGaussian[i], 10));

    const m = resolveDeclaredTruth({ kind: 'gaussian-mixture', ...fx.mixture }, 3, none);
    expect(m.components.map((c) => c.weight)).toEqual([0.2, 0.8]);
    declaredTruthLogDensity(m, pts, 6).forEach((v, i) => expect(v).toBeCloseTo(fx.logpdfMixture[i], 10));
    // mixture moments: Σ w_j (Σ_j + (μ_j − μ)(μ_j − μ)ᵀ)
    expect(m.mean[0]).toBeCloseTo(0.2 * 1 + 0.8 * -1, 12);
    expect(m.cov[0]).toBeCloseTo(0.2 * 1 + 0.8 * 0.5 + 0.2 * (1 + 0.6) ** 2 + 0.8 * (-1 + 0.6) ** 2, 12);
    expect(declaredTruthMixture(m).covs.length).toBe(2 * 9);
  });

  it('draws are seeded and follow the truth', () => {
    const g = resolveDeclaredTruth({ kind: 'gaussian', mean: [1, -2], cov: [4, 0.25] }, 2, none);
    const a = sampleDeclaredTruth(g, 20_000, rngFor(3, 't'));
    const b = sampleDeclaredTruth(g, 20_000, rngFor(3, 't'));
    expect(Array.from(a.x)).toEqual(Array.from(b.x));
    expect(a.labels).toBeUndefined();
    let m0 = 0;
    let v1 = 0;
    for (let i = 0; i < a.n; i++) m0 += a.x[2 * i] / a.n;
    for (let i = 0; i < a.n; i++) v1 += (a.x[2 * i + 1] + 2) ** 2 / a.n;
    expect(m0).toBeCloseTo(1, 1);
    expect(v1).toBeCloseTo(0.25, 1);
  });

  it('the toy datasets carry it: "generating" is their own distribution; absent, there is none', () => {
    const gaussian = makeGaussianToy({ dim: 2, mean: [1, 2], cov: [2, 3], trainSize: 10, testSize: 10, truth: 'generating' }, 0);
    expect(Array.from(gaussian.truth!.mean)).toEqual([1, 2]);
    [2, 0, 0, 3].forEach((v, i) => expect(gaussian.truth!.cov[i]).toBeCloseTo(v, 12));
    expect(makeGaussianToy({ dim: 2, trainSize: 10, testSize: 10 }, 0).truth).toBeUndefined();

    const spec = { dim: 1, weights: [1, 3], means: [[-2], [2]], covs: [0.5, 1], trainSize: 10, testSize: 10 };
    const mixture = makeGaussianMixtureToy({ ...spec, truth: 'generating' }, 0);
    expect(mixture.truth!.kind).toBe('gaussian-mixture');
    expect(mixture.truth!.mean[0]).toBeCloseTo(0.25 * -2 + 0.75 * 2, 12);
    // a declared truth other than the data's own, e.g. the islands' barycenter
    const bary = makeGaussianMixtureToy({ ...spec, truth: { kind: 'gaussian' } }, 0);
    expect(bary.truth!.kind).toBe('gaussian');
    expect(Array.from(bary.truth!.cov)).toEqual([1]);
    // the train and test draws do not depend on the truth
    expect(Array.from(bary.train.x)).toEqual(Array.from(makeGaussianMixtureToy(spec, 0).train.x));
  });

  it('the config validates it and loadDataset resolves it; a wrong size names the field', async () => {
    const cfg = validateConfig({
      dataset: {
        kind: 'gaussian',
        dim: 2,
        trainSize: 20,
        testSize: 20,
        truth: {
          kind: 'gaussian-mixture',
          weights: [1, 1],
          means: [
            [-1, 0],
            [1, 0],
          ],
          covs: [1, 1],
        },
      },
      model: { kind: 'gaussian' },
      loop: { generations: 2, keep: 10 },
    });
    const ds = await loadDataset(cfg.dataset, 0);
    expect(ds.truth!.components).toHaveLength(2);
    expect(() =>
      validateConfig({
        dataset: { kind: 'gaussian', dim: 2, truth: { kind: 'gaussian', sd: 1 } },
        model: { kind: 'gaussian' },
        loop: { generations: 2, keep: 10 },
      }),
    ).toThrow(/dataset\.truth/);
    const bad = validateConfig({
      dataset: { kind: 'gaussian', dim: 2, truth: { kind: 'gaussian', mean: [0, 0, 0] } },
      model: { kind: 'gaussian' },
      loop: { generations: 2, keep: 10 },
    });
    await expect(loadDataset(bad.dataset, 0)).rejects.toThrow(/dataset\.truth\.mean has 3 entries but dataset\.dim is 2/);
  });

  it('the gaussian-islands-selection preset declares N(0, I), the islands’ barycenter', async () => {
    const p = findPreset('gaussian-islands-selection');
    const ds = await loadDataset(validateConfig(p.config).dataset, 3);
    expect(ds.truth!.kind).toBe('gaussian');
    expect(Array.from(ds.truth!.mean)).toEqual(new Array(10).fill(0));
    expect(Array.from(ds.truth!.cov)).toEqual(Array.from({ length: 100 }, (_, i) => (i % 11 === 0 ? 1 : 0)));
  });
});
