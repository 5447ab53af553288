import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scoreErrorSpec } from '../../main/contract/models/catalog';
import { mixtureFactors, rowLogJoint, type MixtureState } from '../../main/models/gmm-em';
import { noisedMixture, OuScore, sampleOu, type OuSource } from '../../main/models/ou-mixture';
import { ScoreError } from '../../main/models/score-error';
import { distanceToTruth, energyDistance, measureScoreError, scoreErrorAt } from '../../main/models/score-error-metrics';
import { Rng } from '../../main/util/random';

/** Reference values from test/fixtures/models/make_score_error.py (NumPy/SciPy: finite differences and quadrature). */
const ref = JSON.parse(fs.readFileSync(path.join(__dirname, '../fixtures/models/score-error.json'), 'utf8')) as {
  weights: number[];
  means: number[][];
  covs: number[][][];
  s: number;
  g: number;
  c: number[];
  times: {
    t: number;
    points: number[][];
    pdf: number[];
    score: number[][];
    solenoidal: number[][];
    divergence: number[];
    fieldScale: number;
    solenoidalL2: number;
    gradientL2: number;
  }[];
};
const src: OuSource = {
  k: 2,
  d: 2,
  weights: Float64Array.from(ref.weights),
  means: Float64Array.from(ref.means.flat()),
  covs: Float64Array.from(ref.covs.flat(2)),
};
const spec = (g: number, s: number) => scoreErrorSpec.parse({ gradient: { magnitude: g, center: ref.c }, solenoidal: { magnitude: s } });

function pdfAt(p: MixtureState, x: Float64Array): number {
  return Math.exp(rowLogJoint(p, mixtureFactors(p), x, 0, new Float64Array(p.k), new Float64Array(p.d)));
}

describe('score error: the fields', () => {
  it('the solenoidal field s·J∇log p_t equals the reference, and ∇·(p_t r) = 0 by finite differences', () => {
    const err = new ScoreError(spec(0, ref.s), 2);
    for (const at of ref.times) {
      const score = new OuScore(src, at.t);
      const p = noisedMixture(src, at.t);
      const field = (x: Float64Array) => {
        const s = new Float64Array(2);
        score.score(x, 0, s, 0);
        const r = new Float64Array(2);
        err.solenoidalPart(s, 0, r, 0);
        return { s, r };
      };
      at.points.forEach((pt, i) => {
        const x = Float64Array.from(pt);
        const { s, r } = field(x);
        expect(pdfAt(p, x)).toBeCloseTo(at.pdf[i], 12);
        for (let c = 0; c < 2; c++) {
          expect(s[c]).toBeCloseTo(at.score[i][c], 9);
          expect(r[c]).toBeCloseTo(at.solenoidal[i][c], 9);
        }
        // our own divergence of p·r, as the reference computes it: zero up to the finite differences' error
        const h = 1e-4;
        let div = 0;
        for (let c = 0; c < 2; c++) {
          const xp = Float64Array.from(x);
          const xm = Float64Array.from(x);
          xp[c] += h;
          xm[c] -= h;
          div += (pdfAt(p, xp) * field(xp).r[c] - pdfAt(p, xm) * field(xm).r[c]) / (2 * h);
        }
        expect(Math.abs(div)).toBeLessThan(1e-6 * at.fieldScale);
        expect(Math.abs(at.divergence[i])).toBeLessThan(1e-6 * at.fieldScale);
      });
    }
  });

  it('refuses a solenoidal error in one dimension and a centre of the wrong size', () => {
    expect(() => new ScoreError(spec(0, 1), 1)).toThrow(/at least 2 dimensions/);
    expect(() => new ScoreError(scoreErrorSpec.parse({ gradient: { magnitude: 1, center: [1, 2, 3] } }), 2)).toThrow(
      /3 entries for 2 dimensions/,
    );
  });
});

describe('score error: the measures', () => {
  it('E‖e‖² matches the quadrature, and the gradient component is all of a gradient error and none of a solenoidal one', () => {
    const rng = new Rng(3);
    for (const at of ref.times) {
      const sol = scoreErrorAt(src, new ScoreError(spec(0, ref.s), 2), at.t, 16_000, rng);
      expect(Math.abs(sol.l2 - at.solenoidalL2)).toBeLessThan(4 * sol.l2Stderr);
      expect(Math.abs(sol.gradient)).toBeLessThan(4 * sol.gradientStderr);
      expect(Math.abs(sol.gradient)).toBeLessThan(0.01 * sol.l2);

      const grad = scoreErrorAt(src, new ScoreError(spec(ref.g, 0), 2), at.t, 16_000, rng);
      expect(Math.abs(grad.l2 - at.gradientL2)).toBeLessThan(4 * grad.l2Stderr);
      expect(Math.abs(grad.gradient - at.gradientL2)).toBeLessThan(4 * grad.gradientStderr + 1e-12);

      // both together: the gradient component sees only the gradient part
      const both = scoreErrorAt(src, new ScoreError(spec(ref.g, ref.s), 2), at.t, 16_000, rng);
      expect(Math.abs(both.gradient - at.gradientL2)).toBeLessThan(4 * both.gradientStderr);
      expect(both.l2).toBeGreaterThan(at.gradientL2 + 0.5 * at.solenoidalL2);
    }
  });
});

describe('score error: sampling', () => {
  const delta = 0.05;
  const n = 600;
  const draw = (err: ScoreError | undefined, seed: number) =>
    sampleOu(src, n, {
      sampler: 'sde',
      integrator: 'heun',
      delta,
      horizon: 6,
      steps: 200,
      rng: new Rng(seed),
      ...(err ? { scoreError: err } : {}),
    });

  /** Permutation p-value of the energy distance between two samples (the two-sample test). */
  function energyTest(x: Float64Array, y: Float64Array, perms: number, rng: Rng): { stat: number; p: number } {
    const all = new Float64Array(x.length + y.length);
    all.set(x);
    all.set(y, x.length);
    const N = 2 * n;
    const dist = new Float64Array(N * N);
    for (let i = 0; i < N; i++)
      for (let j = 0; j < i; j++) dist[i * N + j] = dist[j * N + i] = Math.hypot(all[2 * i] - all[2 * j], all[2 * i + 1] - all[2 * j + 1]);
    const stat = (idx: Int32Array) => {
      let xy = 0;
      let xx = 0;
      let yy = 0;
      for (let a = 0; a < N; a++) {
        for (let b = 0; b < N; b++) {
          const v = dist[idx[a] * N + idx[b]];
          if (a < n && b < n) xx += v;
          else if (a >= n && b >= n) yy += v;
          else xy += v;
        }
      }
      return xy / (n * n) - xx / (n * n) - yy / (n * n);
    };
    const idx = Int32Array.from({ length: N }, (_, i) => i);
    const observed = stat(idx);
    let atLeast = 0;
    for (let p = 0; p < perms; p++) {
      for (let i = N - 1; i > 0; i--) {
        const j = Math.floor(rng.uniform() * (i + 1));
        [idx[i], idx[j]] = [idx[j], idx[i]];
      }
      if (stat(idx) >= observed) atLeast++;
    }
    return { stat: observed, p: (atLeast + 1) / (perms + 1) };
  }

  it('a solenoidal error leaves the marginal exact; a gradient error of the same L² size moves it', () => {
    const exact = Float64Array.from(sampleOu(src, n, { sampler: 'exact', delta, horizon: 6, steps: 1, rng: new Rng(11) }));
    const solErr = new ScoreError(spec(0, 0.5), 2);
    const o = { delta, horizon: 6, times: 16, samples: 4000, rng: new Rng(5) };
    const solL2 = measureScoreError(src, solErr, o).scoreErrorL2;
    const unitGrad = measureScoreError(src, new ScoreError(spec(1, 0), 2), o).scoreErrorL2;
    const g = Math.sqrt(solL2 / unitGrad); // the gradient error's magnitude with the same ∫E‖e‖²
    const gradErr = new ScoreError(spec(g, 0), 2);
    const gradL2 = measureScoreError(src, gradErr, o).scoreErrorL2;
    expect(gradL2 / solL2).toBeGreaterThan(0.97);
    expect(gradL2 / solL2).toBeLessThan(1.03);

    const withSol = energyTest(draw(solErr, 21), exact, 199, new Rng(1));
    const withGrad = energyTest(draw(gradErr, 21), exact, 199, new Rng(1));
    const none = energyTest(draw(undefined, 21), exact, 199, new Rng(1));
    expect(withSol.p).toBeGreaterThan(0.01);
    expect(none.p).toBeGreaterThan(0.01);
    expect(withGrad.p).toBeLessThanOrEqual(0.005);
    expect(withGrad.stat).toBeGreaterThan(10 * Math.max(withSol.stat, none.stat));
    expect(energyDistance(exact, n, exact, n, 2)).toBe(0);
  });
});

describe('score error: distance to the truth', () => {
  it('TV and KL of the samples to the true mixture: small for its own draws, large for shifted ones', () => {
    const truth = noisedMixture(src, 1e-9);
    const draws = Float64Array.from(sampleOu(src, 2000, { sampler: 'exact', delta: 1e-9, horizon: 1, steps: 1, rng: new Rng(2) }));
    const own = distanceToTruth(draws, 2000, truth);
    const shifted = distanceToTruth(
      draws.map((v, i) => (i % 2 === 0 ? v + 1.5 : v)),
      2000,
      truth,
    );
    expect(own.tvToTruth).toBeLessThan(0.15);
    expect(shifted.tvToTruth).toBeGreaterThan(3 * own.tvToTruth);
    expect(shifted.klToTruth).toBeGreaterThan(3 * own.klToTruth);
    expect(distanceToTruth(draws, 2000, { ...truth, d: 3 })).toEqual({});
  });
});
