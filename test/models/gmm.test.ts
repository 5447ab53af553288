import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GmmModel } from '../../main/models/gmm';
import fixture from '../fixtures/models/gmm.json';

const x = Float32Array.from(fixture.x.flat());
const data = { x, n: fixture.n, dim: fixture.d };

function ordered(m: GmmModel) {
  const s = m.state!;
  const idx = [...Array(s.k).keys()].sort(
    (a, b) => s.means[a * 2] + 0.01 * s.means[a * 2 + 1] - (s.means[b * 2] + 0.01 * s.means[b * 2 + 1]),
  );
  return idx;
}

describe('gmm (EM) against sklearn GaussianMixture', () => {
  for (const cov of ['full', 'diag'] as const) {
    it(`recovers sklearn's ${cov}-covariance fit`, async () => {
      const ref = fixture.fits[cov];
      const m = new GmmModel({ k: 3, covariance: cov, tol: 1e-9, maxIter: 2000 }, [2]);
      const res = await m.fit(data, { seed: 3 });
      // EM never decreases the likelihood
      for (let i = 1; i < res.epochLosses.length; i++) expect(res.epochLosses[i]).toBeLessThanOrEqual(res.epochLosses[i - 1] + 1e-9);
      expect(m.meanLogLikelihood(data)).toBeCloseTo(ref.meanLogLik, 5);
      const s = m.state!;
      const idx = ordered(m);
      idx.forEach((j, r) => {
        expect(s.weights[j]).toBeCloseTo(ref.weights[r], 4);
        expect(s.means[j * 2]).toBeCloseTo(ref.means[r][0], 3);
        expect(s.means[j * 2 + 1]).toBeCloseTo(ref.means[r][1], 3);
        if (cov === 'full') {
          const c = ref.covs[r] as number[][];
          for (let a = 0; a < 2; a++) for (let b = 0; b < 2; b++) expect(s.covs[j * 4 + a * 2 + b]).toBeCloseTo(c[a][b], 3);
        } else {
          const c = ref.covs[r] as number[];
          for (let a = 0; a < 2; a++) expect(s.covs[j * 2 + a]).toBeCloseTo(c[a], 3);
        }
      });
    });
  }

  it('samples reproduce the fitted moments and are seeded; save → load gives the same samples', async () => {
    const m = new GmmModel({ k: 3 }, [2]);
    await m.fit(data, { seed: 1 });
    const a = await m.sample(20_000, 5);
    const b = await m.sample(20_000, 5);
    expect(b).toEqual(a);
    expect(await m.sample(10, 6)).not.toEqual(a.subarray(0, 20));
    // sample mean ≈ mixture mean
    const s = m.state!;
    for (let dim = 0; dim < 2; dim++) {
      let mean = 0;
      for (let j = 0; j < 3; j++) mean += s.weights[j] * s.means[j * 2 + dim];
      let sm = 0;
      for (let i = 0; i < 20_000; i++) sm += a[i * 2 + dim];
      expect(sm / 20_000).toBeCloseTo(mean, 1);
    }
    const dir = mkdtempSync(join(tmpdir(), 'gmm-'));
    try {
      await m.save(dir);
      const l = await GmmModel.load(dir);
      expect(await l.sample(100, 5)).toEqual(await m.sample(100, 5));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('cancels through the abort signal', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(new GmmModel({ k: 3 }, [2]).fit(data, { seed: 0, signal: ac.signal })).rejects.toThrow('cancelled');
  });
});
