import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { modelVarianceTrace } from '../../main/metrics/model-variance-trace';
import { fitPowerLawWindow } from '../../main/shared/power-law';
import { DEFAULT_PSI_FROM_T, psiFromGeneration } from '../../main/shared/psi';
import type { GenerativeModel } from '../../main/models/generative-model';
import { GaussianModel } from '../../main/models/gaussian';

/** Reference values from test/fixtures/selection/make_selection_bias_toy.py (numpy / scipy.stats.linregress). */
const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, '../fixtures/selection/selection_bias_toy.json'), 'utf8'));

describe('Tr(Σ̄) of the fitted model (modelVarianceTrace)', () => {
  const { dim, n, x, ridge, mlTracePlusRidge, unbiasedTrace } = fixture.modelTrace;
  const data = { x: Float32Array.from(x as number[]), n, dim };

  it('is the trace of the Gaussian’s maximum-likelihood covariance plus ridge·I, exactly', async () => {
    const model = new GaussianModel({ ridge }, [dim]);
    await model.fit(data, { seed: 0 });
    const candidates = { x: await model.sample(50, 3), n: 50, dim };
    const r = modelVarianceTrace(model, candidates);
    expect(r.modelVarianceTrace).toBeCloseTo(mlTracePlusRidge, 10);
    expect(r.modelVarianceTraceCandidates).toBeUndefined();
    // not the trace of the 50 candidates, nor the unbiased trace of the data
    expect(Math.abs(r.modelVarianceTrace - unbiasedTrace)).toBeGreaterThan(0.01);
  });

  it('falls back to the unbiased trace of the candidates for a model that does not expose its covariance', () => {
    const opaque = { kind: 'opaque' } as unknown as GenerativeModel;
    const r = modelVarianceTrace(opaque, data);
    expect(r.modelVarianceTrace).toBeCloseTo(unbiasedTrace, 10);
    expect(r.modelVarianceTraceCandidates).toBe(n);
  });
});

describe('ψ over a fitting window (fitPowerLawWindow) against scipy.stats.linregress on the logs', () => {
  const { generations, values, fits } = fixture.powerLaw;

  it.each(['0', '1', '5'])('from generation %s', (from) => {
    const f = fitPowerLawWindow(generations, values, Number(from))!;
    const ref = fits[from];
    expect(f.psi).toBeCloseTo(ref.psi, 10);
    expect(f.stderr).toBeCloseTo(ref.stderr, 10);
    expect(f.intercept).toBeCloseTo(ref.intercept, 10);
    expect(f.points).toBe(ref.points);
    expect(f.from).toBe(Number(from));
  });

  it('the window matters: generation 0 (the real-data fit) is off the power law; the default window is t ∈ [10, T]', () => {
    expect(DEFAULT_PSI_FROM_T).toBe(10);
    expect(psiFromGeneration()).toBe(9);
    expect(Math.abs(fits['0'].psi - fits['1'].psi)).toBeGreaterThan(0.02);
  });

  it('is null with fewer than 3 points in the window or a non-positive value', () => {
    expect(fitPowerLawWindow([0, 1, 2, 3], [4, 3, 2, 1], 2)).toBeNull();
    expect(fitPowerLawWindow([0, 1, 2, 3], [4, 3, 0, 1], 0)).toBeNull();
    expect(() => fitPowerLawWindow([0, 1], [1], 0)).toThrow(/2 generations but 1 values/);
  });
});
