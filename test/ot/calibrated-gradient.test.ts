import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startIslands } from '../../main/islands/start-islands';
import { calibrate, calibratedGradient, calibratedGradientGeodesic, calibratedSelfPotential } from '../../main/ot/calibrated-gradient';
import { federatedBarycenter } from '../../main/selection/ot-barycenter';

/** Fixture: test/fixtures/selection/make_ot_selection.py (POT 0.8). */
const fx = JSON.parse(readFileSync(new URL('../fixtures/selection/ot_selection.json', import.meta.url), 'utf8')) as {
  blur: number;
  X: number[][];
  Y: number[][];
  score: number[];
  scoreDebiased: number[];
  t: number;
  scoreGeodesic: number[];
  barycenter: { clouds: number[][][]; init: number[][]; support: number[][] };
};

const flat = (rows: number[][]) => Float64Array.from(rows.flat());
const tight = { epsilon: fx.blur ** 2, tol: 1e-11, maxIter: 200_000 };

describe('calibrated OT gradient', () => {
  const X = flat(fx.X);
  const Y = flat(fx.Y);
  const n = fx.X.length;
  const m = fx.Y.length;
  const d = fx.X[0].length;

  it('S(x_i) = f(x_i) − mean_{j≠i} f(x_j)', () => {
    const f = [3, -1, 4, 1.5];
    const s = calibrate(f);
    for (let i = 0; i < f.length; i++) {
      const others = f.filter((_, j) => j !== i);
      expect(s[i]).toBeCloseTo(f[i] - others.reduce((a, b) => a + b, 0) / others.length, 12);
    }
  });

  it('matches POT (sinkhorn_log, reg = 2·blur² on the squared distance, potentials halved)', () => {
    const r = calibratedGradient(X, n, Y, m, d, tight);
    for (let i = 0; i < n; i++) expect(r.scores[i]).toBeCloseTo(fx.score[i], 6);
  });

  it('debiased: minus the calibrated self-potential of the candidates (the symmetric fixed point)', () => {
    const r = calibratedGradient(X, n, Y, m, d, tight);
    const self = calibratedSelfPotential(X, n, d, { ...tight, tol: 1e-8 });
    for (let i = 0; i < n; i++) expect(r.scores[i] - self.scores[i]).toBeCloseTo(fx.scoreDebiased[i], 5);
  });

  it('against the geodesic proxy (1−t)·X + t·T(X), T the barycentric map of the plan', () => {
    const r = calibratedGradientGeodesic(X, n, Y, m, d, fx.t, tight);
    for (let i = 0; i < n; i++) expect(r.scores[i]).toBeCloseTo(fx.scoreGeodesic[i], 4);
  });

  it('a looser tolerance (the schemes’ default) ranks the candidates almost the same', () => {
    const exact = calibratedGradient(X, n, Y, m, d, tight).scores;
    const loose = calibratedGradient(X, n, Y, m, d, { epsilon: fx.blur ** 2, ratio: 0.5, itersPerStage: 2, tol: 1e-2 }).scores;
    const low = (s: Float64Array) =>
      new Set(
        Array.from(s.keys())
          .sort((a, b) => s[a] - s[b])
          .slice(0, 20),
      );
    const a = low(exact);
    let common = 0;
    for (const i of low(loose)) if (a.has(i)) common++;
    expect(common).toBeGreaterThanOrEqual(18);
  });
});

describe('federated barycenter (Scheme II)', () => {
  it('with t = 1 and a small blur, reaches POT free_support_barycenter (exact OT) from the same start', async () => {
    const clouds = fx.barycenter.clouds.map((c) => ({ x: Float32Array.from(c.flat()), n: c.length, dim: 2 }));
    const fleet = startIslands(clouds, 0, { mode: 'in-process' });
    const S = fx.barycenter.init.length;
    const r = await federatedBarycenter(fleet.channels, { kind: 'raw' }, Float32Array.from(fx.barycenter.init.flat()), S, 2, {
      t: 1,
      rounds: 12,
      ot: { epsilon: 1e-4, ratio: 0.5, itersPerStage: 5, maxIter: 20_000, tol: 1e-9 },
    });
    const ref = fx.barycenter.support;
    let worst = 0;
    for (let s = 0; s < S; s++) worst = Math.max(worst, Math.hypot(r.support[2 * s] - ref[s][0], r.support[2 * s + 1] - ref[s][1]));
    expect(worst).toBeLessThan(0.02);
    expect(r.displacement[r.displacement.length - 1]).toBeLessThan(1e-8);
  });
});
