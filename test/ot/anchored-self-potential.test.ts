import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { anchorIndices, anchoredSelfPotential } from '../../main/ot/anchored-self-potential';
import { calibrate, calibratedGradient, calibratedSelfPotential } from '../../main/ot/calibrated-gradient';
import { Rng } from '../../main/util/random';

/** Fixture: test/fixtures/selection/make_ot_selection.py (POT 0.8). */
const fx = JSON.parse(readFileSync(new URL('../fixtures/selection/ot_selection.json', import.meta.url), 'utf8')) as {
  blur: number;
  X: number[][];
  Y: number[][];
  scoreDebiased: number[];
};

/** n points of a 10-cluster mixture in d dimensions (30 % in the first cluster) and the blur·RMS-radius ε. */
function mixture(n: number, d: number, blurRel: number, seed: number) {
  const rng = new Rng(seed);
  const centres = Array.from({ length: 10 }, () => Float64Array.from({ length: d }, () => rng.normal()));
  const x = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const c = centres[rng.uniform() < 0.3 ? 0 : rng.int(10)];
    for (let j = 0; j < d; j++) x[i * d + j] = c[j] + 0.5 * rng.normal();
  }
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += x[i * d + j] / n;
  let trace = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) trace += (x[i * d + j] - mean[j]) ** 2 / n;
  return { x, epsilon: blurRel ** 2 * trace };
}

function correlation(a: Float64Array, b: Float64Array): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i] / n;
    mb += b[i] / n;
  }
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < n; i++) {
    ab += (a[i] - ma) * (b[i] - mb);
    aa += (a[i] - ma) ** 2;
    bb += (b[i] - mb) ** 2;
  }
  return ab / Math.sqrt(aa * bb);
}

describe('anchored self-transport potential (the debiasing term in O(n·k))', () => {
  it('anchors: k distinct indices, ascending, the same every call, spread over an ordered pool', () => {
    const a = anchorIndices(10_000, 500);
    expect(a.length).toBe(500);
    expect(new Set(a).size).toBe(500);
    for (let i = 1; i < a.length; i++) expect(a[i]).toBeGreaterThan(a[i - 1]);
    expect(Array.from(anchorIndices(10_000, 500))).toEqual(Array.from(a));
    // a pool sorted into 10 blocks (e.g. by class): every block gets about k/10 anchors
    const perBlock = new Array(10).fill(0);
    for (const i of a) perBlock[Math.floor(i / 1000)]++;
    for (const c of perBlock) expect(c).toBeGreaterThan(25);
    expect(Array.from(anchorIndices(5, 9))).toEqual([0, 1, 2, 3, 4]);
    expect(() => anchorIndices(10, 1)).toThrow(/anchors/);
  });

  it('with every point an anchor it is the exact symmetric fixed point: the debiased scores match POT', () => {
    const X = Float64Array.from(fx.X.flat());
    const n = fx.X.length;
    const d = fx.X[0].length;
    const settings = { epsilon: fx.blur ** 2, tol: 1e-11, maxIter: 200_000 };
    const grad = calibratedGradient(X, n, Float64Array.from(fx.Y.flat()), fx.Y.length, d, settings);
    const self = calibratedSelfPotential(X, n, d, { ...settings, tol: 1e-10, anchors: n });
    for (let i = 0; i < n; i++) expect(grad.scores[i] - self.scores[i]).toBeCloseTo(fx.scoreDebiased[i], 5);
  });

  it('with fewer anchors it keeps the shape of the exact potential where points are within ε of each other', () => {
    const n = 1500;
    const d = 8;
    const { x, epsilon } = mixture(n, d, 0.2, 7);
    const s = { epsilon, ratio: 0.25, itersPerStage: 3, tol: 1e-4, truncation: 20, startFraction: 0.05 };
    const exact = calibratedSelfPotential(x, n, d, { ...s, anchors: n }).scores;
    const anchored = calibratedSelfPotential(x, n, d, { ...s, anchors: 500 }).scores;
    expect(correlation(exact, anchored)).toBeGreaterThan(0.97);
  });

  it('keeps every point’s own atom: where points are far apart beside ε the potential stays flat for anchors and non-anchors alike', () => {
    // 64 dimensions, blur 5 % of the radius: every point's plan is its own atom, the exact potential is constant. A
    // plain subsample would give the non-anchors their distance to the nearest anchor, of the order of the radius².
    const n = 1200;
    const d = 64;
    const { x, epsilon } = mixture(n, d, 0.05, 3);
    const r = anchoredSelfPotential(x, n, d, epsilon, 300, { tol: 1e-4, startFraction: 0.05 });
    const s = calibrate(r.h);
    let spread = 0;
    for (const v of s) spread = Math.max(spread, Math.abs(v));
    expect(spread).toBeLessThan(1e-3 * epsilon);
    expect(r.anchors.length).toBe(300);
    expect(r.marginalError).toBeLessThan(1e-4);
  });
});
