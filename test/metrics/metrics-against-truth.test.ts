import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveDeclaredTruth } from '../../main/data/declared-truth';
import { makeGaussianMixtureToy } from '../../main/data/gaussian-mixture-toy';
import type { Samples } from '../../main/data/samples';
import { selectedComputations } from '../../main/contract/metric-selection';
import { computeGenerationMetrics } from '../../main/metrics/generation-metrics';
import { GaussianModel } from '../../main/models/gaussian';

/** W₂, raw FID, mean distance and Tr(Σ) against a Gaussian truth, by numpy/scipy: make_tv_distance.py. */
const fx = JSON.parse(readFileSync(join(__dirname, '../fixtures/metrics/tv_distance.json'), 'utf8')).truth_metrics;

describe('metrics against a declared truth', () => {
  const truth = resolveDeclaredTruth({ kind: 'gaussian', mean: fx.truth.mean, cov: fx.truth.cov }, 3, { kind: 'gaussian', components: [] });
  const sample: Samples = { x: Float32Array.from(fx.sample.flat()), n: fx.sample.length, dim: 3 };
  // a test split that is not the truth: the metrics must not look at its rows when a truth is declared
  const test: Samples = { x: Float32Array.from({ length: 3 * 500 }, (_, i) => 10 + (i % 7)), n: 500, dim: 3 };
  const base = {
    generated: sample,
    test,
    shape: [3] as [number],
    numClasses: 0,
    datasetName: 'gaussian',
    features: 'raw' as const,
    w1MaxPoints: 200,
  };

  it('scores against the truth: closed forms as numpy/scipy compute them, draws as many as the test split', async () => {
    const m = await computeGenerationMetrics({ ...base, truth });
    expect(m.scoredAgainst).toBe('truth');
    expect(m.w2ToTruth!).toBeCloseTo(fx.w2ToTruth, 5);
    expect(m.fid).toBeCloseTo(fx.fidRaw, 5);
    expect(m.meanDistance).toBeCloseTo(fx.meanDistance, 5);
    expect(m.tracePixelsTest).toBeCloseTo(fx.traceTruth, 12);
    expect(m.nTest).toBe(500);
    // the test split (values 10 … 16) would put W₁ near 14; the truth's draws near the sample
    expect(m.w1).toBeLessThan(2);
    expect(m.tvToTruth).toBeUndefined(); // no model given
    // seeded: the same truth draws on every call
    expect({ ...(await computeGenerationMetrics({ ...base, truth })), seconds: 0 }).toEqual({ ...m, seconds: 0 });
  });

  it('W₂ to the truth only when a metric selection lists it (a Gaussian grid that never reads it skips its matrix root)', async () => {
    const all = await computeGenerationMetrics({ ...base, truth });
    const listed = await computeGenerationMetrics({ ...base, truth, compute: selectedComputations(['w2ToTruth', 'meanDistance']) });
    expect(listed.w2ToTruth).toBe(all.w2ToTruth);
    const unlisted = await computeGenerationMetrics({
      ...base,
      truth,
      compute: selectedComputations(['modelMeanSqError', 'meanDistance']),
    });
    expect(unlisted.w2ToTruth).toBeUndefined();
    expect(unlisted.meanDistance).toBe(all.meanDistance);
  });

  it('without a truth, the test split as before', async () => {
    const m = await computeGenerationMetrics(base);
    expect(m.scoredAgainst).toBe('test');
    expect(m.w2ToTruth).toBeUndefined();
    expect(m.w1).toBeGreaterThan(10);
  });

  it('with a model that has a density, its TV to the truth and the error estimate', async () => {
    const model = new GaussianModel({ ridge: 0 }, [3]);
    model.setParameters(Float64Array.from(fx.truth.mean), Float64Array.from(fx.truth.cov.flat()));
    const exact = await computeGenerationMetrics({ ...base, truth, model });
    expect(exact.tvToTruth!).toBeLessThan(4 * exact.tvToTruthError! + 1e-12);
    const shifted = new GaussianModel({ ridge: 0 }, [3]);
    shifted.setParameters(Float64Array.from(fx.truth.mean.map((v: number) => v + 1)), Float64Array.from(fx.truth.cov.flat()));
    const off = await computeGenerationMetrics({ ...base, truth, model: shifted });
    expect(off.tvToTruth!).toBeGreaterThan(0.3);
  });

  it('the islands toy: a draw of the two-island mixture is far from its declared truth N(0, I)', async () => {
    const delta = [
      [-1.16, 2.98, -1.65, 2.1, 0.01, 0, 0, 0, 0, 0],
      [1.16, -2.98, 1.65, -2.1, -0.01, 0, 0, 0, 0, 0],
    ];
    const ds = makeGaussianMixtureToy(
      { dim: 10, weights: [1, 1], means: delta, covs: [1, 1], trainSize: 400, testSize: 400, truth: { kind: 'gaussian' } },
      3,
    );
    const input = {
      generated: ds.train,
      test: ds.test,
      shape: ds.shape,
      numClasses: 0,
      datasetName: 'gaussian-mixture',
      features: 'raw' as const,
      w1MaxPoints: 200,
    };
    const againstTest = await computeGenerationMetrics(input);
    const againstTruth = await computeGenerationMetrics({ ...input, truth: ds.truth });
    // the mixture matches its own test split, not the barycenter: Tr(Σ) is 10 + Σ‖δ‖²/2 ≈ 27.6 against 10
    expect(againstTruth.fid).toBeGreaterThan(5 * againstTest.fid!);
    expect(againstTruth.tracePixelsTest).toBeCloseTo(10, 12);
  });
});
