import { afterAll, describe, expect, it } from 'vitest';
import { cholesky, drawGaussianRows, rowMoments } from '../../main/models/dense-gaussian';
import {
  CHOLESKY_SIMD_MIN_D,
  choleskySimd,
  drawGaussianRowsSimd,
  GAUSSIAN_SIMD_MIN_D,
  scatterLowerSimd,
  traceInverseSimd,
} from '../../main/models/gaussian-simd';
import { setSimdEnabled } from '../../main/ot/wasm-simd';
import { Rng } from '../../main/util/random';

afterAll(() => setSimdEnabled(true));

function rows(n: number, d: number, seed: number): Float32Array {
  const r = new Rng(seed);
  const x = new Float32Array(n * d);
  for (let i = 0; i < x.length; i++) x[i] = r.normal() * (1 + (i % d) / d) + 0.5 * (i % 3);
  return x;
}

/** The row-by-row loops the kernels must equal bit for bit: the scatter's lower triangle and the draw. */
function plainScatterLower(x: Float32Array, n: number, d: number, mean: Float64Array): Float64Array {
  const m = new Float64Array(d * d);
  const c = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) c[j] = x[i * d + j] - mean[j];
    for (let a = 0; a < d; a++) for (let b = 0; b <= a; b++) m[a * d + b] += c[a] * c[b];
  }
  return m;
}

function plainDraw(l: Float64Array, d: number, mu: Float64Array, rng: Rng, n: number): Float32Array {
  const out = new Float32Array(n * d);
  const z = new Float64Array(d);
  for (let r = 0; r < n; r++) {
    for (let k = 0; k < d; k++) z[k] = rng.normal();
    for (let i = 0; i < d; i++) {
      let s = mu[i];
      for (let k = 0; k <= i; k++) s += l[i * d + k] * z[k];
      out[r * d + i] = s;
    }
  }
  return out;
}

const bits = (v: ArrayLike<number>) => Array.from(v, (x) => (Object.is(x, -0) ? '-0' : x));

describe('the Gaussian model’s SIMD kernels', () => {
  it.each([
    [GAUSSIAN_SIMD_MIN_D, 5],
    [13, 64],
    [31, 67],
    [100, 130],
  ])('the scatter at d %i over %i rows is the row-by-row loop’s, bit for bit, and so is rowMoments with or without SIMD', (d, n) => {
    const x = rows(n, d, d + n);
    const mean = new Float64Array(d);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += x[i * d + j];
    for (let j = 0; j < d; j++) mean[j] /= n;
    const m = new Float64Array(d * d);
    expect(scatterLowerSimd(x, n, d, mean, m)).toBe(true);
    expect(bits(m)).toEqual(bits(plainScatterLower(x, n, d, mean)));
    // added to what m holds, in order: two calls over two halves are one call over all rows
    const halves = new Float64Array(d * d);
    const h = Math.floor(n / 2);
    scatterLowerSimd(x.subarray(0, h * d), h, d, mean, halves);
    scatterLowerSimd(x.subarray(h * d), n - h, d, mean, halves);
    expect(bits(halves)).toEqual(bits(m));

    const withSimd = rowMoments(x, n, d);
    setSimdEnabled(false);
    const without = rowMoments(x, n, d);
    setSimdEnabled(true);
    expect(bits(withSimd.scatter)).toEqual(bits(without.scatter));
    expect(bits(withSimd.mean)).toEqual(bits(without.mean));
  });

  it.each([
    [GAUSSIAN_SIMD_MIN_D, 3],
    [10, 65],
    [31, 130],
    [100, 257],
  ])('the draw at d %i of %i rows is the row-by-row loop’s, bit for bit (the same normals in the same order)', (d, n) => {
    const x = rows(4 * d, d, d);
    const { mean, scatter } = rowMoments(x, 4 * d, d);
    const cov = scatter.map((v) => v / (4 * d));
    for (let i = 0; i < d; i++) cov[i * d + i] += 1e-6;
    const l = cholesky(cov, d);
    const want = plainDraw(l, d, mean, new Rng(9), n);
    const rng = new Rng(9);
    const out = new Float32Array(n * d);
    expect(drawGaussianRowsSimd(l, d, mean, () => rng.normal(), out, n)).toBe(true);
    expect(bits(out)).toEqual(bits(want));
    // the normals filled a block at a time (Rng.fillNormal): the same rows
    const filled = new Float32Array(n * d);
    const r3 = new Rng(9);
    drawGaussianRows(
      l,
      d,
      mean,
      () => r3.normal(),
      filled,
      n,
      (z) => r3.fillNormal(z),
    );
    expect(bits(filled)).toEqual(bits(want));
    // the stream is left where the loop leaves it
    const after = new Rng(9);
    for (let i = 0; i < n * d; i++) after.normal();
    expect(rng.normal()).toBe(after.normal());

    setSimdEnabled(false);
    const js = new Float32Array(n * d);
    const r2 = new Rng(9);
    drawGaussianRows(l, d, mean, () => r2.normal(), js, n);
    const jsFilled = new Float32Array(n * d);
    const r4 = new Rng(9);
    drawGaussianRows(
      l,
      d,
      mean,
      () => r4.normal(),
      jsFilled,
      n,
      (z) => r4.fillNormal(z),
    );
    setSimdEnabled(true);
    expect(bits(js)).toEqual(bits(want));
    expect(bits(jsFilled)).toEqual(bits(want));
  });

  it.each([CHOLESKY_SIMD_MIN_D, 31, 100])(
    'the Cholesky factor at d %i is the row-by-row loop’s, bit for bit, and fails at the same pivot',
    (d) => {
      const n = 2 * d;
      const x = rows(n, d, 3 * d);
      const { scatter } = rowMoments(x, n, d);
      const cov = scatter.map((v) => v / n);
      for (let i = 0; i < d; i++) cov[i * d + i] += 1e-6;
      const simd = choleskySimd(cov, d, 'cov');
      setSimdEnabled(false);
      const js = cholesky(cov, d, 'cov');
      setSimdEnabled(true);
      expect(simd).not.toBeNull();
      expect(bits(simd!)).toEqual(bits(js));
      // a matrix that is not positive definite: the same message from both
      const bad = Float64Array.from(cov);
      bad[(d - 2) * d + d - 2] = -1;
      const message = (f: () => unknown) => {
        try {
          f();
        } catch (e) {
          return (e as Error).message;
        }
        return 'no error';
      };
      const simdMessage = message(() => cholesky(bad, d, 'the fit'));
      setSimdEnabled(false);
      const jsMessage = message(() => cholesky(bad, d, 'the fit'));
      setSimdEnabled(true);
      expect(simdMessage).toMatch(/^the fit is not positive definite \(pivot \d+ = /);
      expect(simdMessage).toBe(jsMessage);
    },
  );

  it.each([CHOLESKY_SIMD_MIN_D, 31, 100])('‖L⁻¹‖²_F at d %i is the row-by-row forward substitution’s, bit for bit', (d) => {
    const n = 3 * d;
    const { scatter } = rowMoments(rows(n, d, 5 * d), n, d);
    const cov = scatter.map((v) => v / n);
    for (let i = 0; i < d; i++) cov[i * d + i] += 1e-6;
    const l = cholesky(cov, d);
    // the loop of GaussianModel's training NLL: column j of L⁻¹ by forward substitution on e_j
    let want = 0;
    const col = new Float64Array(d);
    for (let j = 0; j < d; j++) {
      col.fill(0);
      for (let i = j; i < d; i++) {
        let s = i === j ? 1 : 0;
        for (let k = j; k < i; k++) s -= l[i * d + k] * col[k];
        col[i] = s / l[i * d + i];
        want += col[i] * col[i];
      }
    }
    expect(Object.is(traceInverseSimd(l, d), want)).toBe(true);
  });

  it('leaves small dimensions and SIMD turned off to the JS loops', () => {
    const m = new Float64Array(9);
    expect(scatterLowerSimd(rows(4, 3, 1), 4, 3, new Float64Array(3), m)).toBe(false);
    setSimdEnabled(false);
    expect(drawGaussianRowsSimd(new Float64Array(100 * 100), 100, new Float64Array(100), () => 0, new Float32Array(100), 1)).toBe(false);
    setSimdEnabled(true);
  });
});
