import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DiffusionExactModel, mixtureFromSpec, truncationDelta } from '../../main/models/diffusion-exact';
import { sampleMixture } from '../../main/models/gmm-em';
import { hermiteMoments } from '../../main/models/hermite-modes';
import { gaussianW2, mixtureMoments, sampleMoments, w2ToMixture1d } from '../../main/models/mixture-distances';
import { Rng } from '../../main/util/random';

const truth = { weights: [0.3, 0.7], means: [[-2], [1.5]], covs: [0.25, 0.5] };
const truthMix = mixtureFromSpec(truth, 1);

function draw(n: number, seed: number) {
  return { x: sampleMixture(truthMix, n, new Rng(seed)), n, dim: 1 };
}

describe('diffusion-exact', () => {
  it('truncation schedules', () => {
    expect(truncationDelta({ kind: 'constant', delta0: 0.1, p: 1, gamma: 0.5 }, 7)).toBe(0.1);
    expect(truncationDelta({ kind: 'power', delta0: 0.2, p: 2, gamma: 0.5 }, 0)).toBeCloseTo(0.2, 12);
    expect(truncationDelta({ kind: 'power', delta0: 0.2, p: 2, gamma: 0.5 }, 3)).toBeCloseTo(0.2 / 16, 12);
    expect(truncationDelta({ kind: 'geometric', delta0: 0.2, p: 2, gamma: 0.5 }, 3)).toBeCloseTo(0.025, 12);
  });

  it('W2 quantile distance and Hermite moments are right on closed forms', () => {
    // exact W2 between N(0,1) and N(0.3, 1) is 0.3; the sample's own error is O(n^-1/2)
    const rng = new Rng(1);
    const n = 20_000;
    const x = Float64Array.from({ length: n }, () => rng.normal() + 0.3);
    const std = mixtureFromSpec({ weights: [1], means: [[0]], covs: [1] }, 1);
    expect(w2ToMixture1d(x, n, std)).toBeCloseTo(0.3, 1.5);
    // E[He_k(X)] = μ^k for X ~ N(μ, 1)
    const m = hermiteMoments(x, n, 4);
    [1, 0.3, 0.09, 0.027, 0.0081].forEach((v, k) => expect(m[k]).toBeCloseTo(v, 1));
    expect(gaussianW2(Float64Array.of(0, 0), Float64Array.of(1, 0, 0, 1), Float64Array.of(3, 4), Float64Array.of(4, 0, 0, 9))).toBeCloseTo(
      Math.sqrt(25 + 1 + 4),
      10,
    );
  });

  for (const sampler of ['sde', 'ode'] as const) {
    it(`${sampler} sampler with the exact score lands on p_δ (W2 small)`, async () => {
      const m = new DiffusionExactModel(
        { components: 2, sampler, steps: sampler === 'ode' ? 100 : 200, truncation: { delta0: 0.05 } },
        [1],
      );
      await m.fit(draw(4000, 2), { seed: 0, generation: 0 });
      const pd = m.noisedEstimate();
      // W2 of a finite sample is noisy (an exact draw of 20,000 gives 0.01 to 0.03 here)
      const n = 20_000;
      const s = await m.sample(n, 3);
      expect(w2ToMixture1d(s, n, pd)).toBeLessThan(0.06);
    });
  }

  it('2-D, correlated components: the SDE sample has the moments of p_δ', async () => {
    const spec = {
      weights: [0.5, 0.5],
      means: [
        [-1.5, 0],
        [1.5, 1],
      ],
      covs: [
        [
          [0.5, 0.3],
          [0.3, 0.4],
        ],
        [
          [0.3, -0.2],
          [-0.2, 0.6],
        ],
      ],
    };
    const mix = mixtureFromSpec(spec, 2);
    const m = new DiffusionExactModel({ components: 2, sampler: 'sde', steps: 150, truncation: { delta0: 0.1 }, truth: spec }, [2]);
    await m.fit({ x: sampleMixture(mix, 3000, new Rng(21)), n: 3000, dim: 2 }, { seed: 0 });
    const n = 10_000;
    const s = await m.sample(n, 22);
    const sm = sampleMoments(s, n, 2);
    const tm = mixtureMoments(m.noisedEstimate());
    expect(gaussianW2(sm.mean, sm.cov, tm.mean, tm.cov)).toBeLessThan(0.05);
    const desc = m.describeSamples(s, n);
    expect(desc.w2Gaussian as number).toBeGreaterThan(0);
    expect(desc.hermiteEnergy).toBeUndefined();
  });

  it('the empirical estimator samples the smoothed empirical measure', async () => {
    const m = new DiffusionExactModel({ estimator: 'empirical', sampler: 'sde', steps: 100, truncation: { delta0: 0.02 } }, [1]);
    const data = draw(60, 5);
    await m.fit(data, { seed: 0 });
    const n = 4000;
    const s = await m.sample(n, 6);
    const pd = m.noisedEstimate();
    expect(pd.k).toBe(60);
    // a spiky target: finite-sample W2 is noisy (exact draws of 4,000 give 0.02 to 0.1)
    expect(w2ToMixture1d(s, n, pd)).toBeLessThan(0.12);
    const sm = sampleMoments(s, n, 1);
    const tm = mixtureMoments(pd);
    expect(sm.mean[0]).toBeCloseTo(tm.mean[0], 1);
    expect(sm.cov[0] / tm.cov[0]).toBeCloseTo(1, 1);
  });

  it('one truncated step damps Hermite mode k by e^(−kδ) (the low-pass filter)', async () => {
    const delta = 0.3;
    const m = new DiffusionExactModel({ components: 2, sampler: 'exact', truncation: { delta0: delta } }, [1]);
    await m.fit(draw(4000, 7), { seed: 0 });
    const n = 400_000;
    const before = hermiteMoments(sampleMixture(m.mixture!, n, new Rng(8)), n, 4);
    const after = hermiteMoments(await m.sample(n, 9), n, 4);
    for (let k = 1; k <= 4; k++) expect(after[k] / before[k]).toBeCloseTo(Math.exp(-k * delta), 1);
    const desc = m.describeSamples(await m.sample(2000, 10), 2000);
    expect((desc.hermiteEnergy as number[]).length).toBe(9);
    expect(desc.truncationDelta).toBe(delta);
  });

  it('recursion drifts from the truth under a constant δ, much less under an annealed schedule', async () => {
    async function run(truncation: object) {
      let data = draw(3000, 11);
      let w2 = 0;
      for (let g = 0; g < 8; g++) {
        const m = new DiffusionExactModel({ components: 2, sampler: 'exact', truncation, truth }, [1]);
        await m.fit(data, { seed: g, generation: g });
        const x = await m.sample(3000, 100 + g);
        w2 = m.describeSamples(x, 3000).w2 as number;
        data = { x, n: 3000, dim: 1 };
      }
      return w2;
    }
    const constant = await run({ kind: 'constant', delta0: 0.1 });
    const annealed = await run({ kind: 'power', delta0: 0.1, p: 2 });
    expect(constant).toBeGreaterThan(0.25);
    expect(annealed).toBeLessThan(constant / 2);
  });

  it('save → load gives the same samples (mixture and empirical)', async () => {
    for (const estimator of ['gmm', 'empirical'] as const) {
      const m = new DiffusionExactModel({ estimator, steps: 20, truncation: { kind: 'geometric', delta0: 0.2, gamma: 0.5 } }, [1]);
      await m.fit(draw(300, 12), { seed: 1, generation: 2 });
      expect(m.delta).toBeCloseTo(0.05, 12);
      const dir = mkdtempSync(join(tmpdir(), 'dex-'));
      try {
        await m.save(dir);
        const l = await DiffusionExactModel.load(dir);
        expect(l.delta).toBe(m.delta);
        expect(await l.sample(64, 3)).toEqual(await m.sample(64, 3));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  });
});
