import { afterAll, describe, expect, it } from 'vitest';
import { gemmABt, gemmABtJs, paddedStride, shiftedGram } from '../../main/ot/gemm';
import { sqeuclideanCost } from '../../main/ot/cost-matrix';
import { sinkhornLog } from '../../main/ot/sinkhorn-log';
import { setSimdEnabled, setSimdThreads, simdKernels } from '../../main/ot/wasm-simd';
import { Rng } from '../../main/util/random';

afterAll(() => {
  setSimdEnabled(true);
  setSimdThreads(true);
});

function naive(A: Float64Array, B: Float64Array, n: number, m: number, d: number): Float64Array {
  const C = new Float64Array(n * m);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) for (let k = 0; k < d; k++) C[i * m + j] += A[i * d + k] * B[j * d + k];
  return C;
}

describe('dense products', () => {
  it.skipIf(Boolean(process.env.COLLAPSE_LAB_NO_SIMD))('WebAssembly SIMD is available on this Node', () => {
    expect(simdKernels()).not.toBeNull();
  });

  it('SIMD and JS paths equal a naive triple loop for awkward sizes, full and upper-triangular', () => {
    const rng = new Rng(5);
    for (const [n, m, d] of [
      [1, 1, 1],
      [3, 5, 7],
      [9, 6, 130],
      [37, 41, 300],
      [70, 70, 513],
    ]) {
      const A = rng.fillNormal(new Float64Array(n * d)) as Float64Array;
      const B = rng.fillNormal(new Float64Array(m * d)) as Float64Array;
      const ref = naive(A, B, n, m, d);
      const a = gemmABt(A, B, n, m, d);
      const b = gemmABtJs(A, B, n, m, d);
      for (let q = 0; q < ref.length; q++) {
        expect(Math.abs(a[q] - ref[q])).toBeLessThan(1e-12 * d);
        expect(Math.abs(b[q] - ref[q])).toBeLessThan(1e-12 * d);
      }
      // a Gram matrix with a row stride: only the upper blocks are computed, then mirrored
      const ldc = n + 3;
      const G = gemmABt(A, A, n, n, d, new Float64Array(n * ldc), ldc, true);
      const g = naive(A, A, n, n, d);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(Math.abs(G[i * ldc + j] - g[i * n + j])).toBeLessThan(1e-12 * d);
    }
  });

  it('shiftedGram is the Gram matrix and column sums of the shifted data, with and without SIMD', () => {
    const rng = new Rng(6);
    const n = 301;
    const d = 23;
    const x = rng.fillNormal(new Float32Array(n * d)) as Float32Array;
    const mean = new Float64Array(d).map((_, k) => 0.1 * k);
    const check = ({ gram: G, sums }: { gram: Float64Array; sums: Float64Array }) => {
      for (let a = 0; a < d; a++) {
        let sa = 0;
        for (let i = 0; i < n; i++) sa += x[i * d + a] - mean[a];
        expect(sums[a]).toBeCloseTo(sa, 9);
        for (let b = 0; b < d; b++) {
          let s = 0;
          for (let i = 0; i < n; i++) s += (x[i * d + a] - mean[a]) * (x[i * d + b] - mean[b]);
          expect(G[a * d + b]).toBeCloseTo(s, 9);
        }
      }
    };
    check(shiftedGram(x, n, d, mean));
    setSimdEnabled(false);
    check(shiftedGram(x, n, d, mean));
    setSimdEnabled(true);
  });

  it("shiftedGram's SIMD copy gives the JS loop's shifted values exactly: float32 and float64 input and sums, odd d, several blocks of rows", () => {
    const rng = new Rng(11);
    const n = 1100; // more than one block of rows copied into the arena
    const d = 37; // odd: the last column takes the scalar path; ld pads 3 (float64) or 11 (float32) columns
    const x64 = rng.fillNormal(new Float64Array(n * d)) as Float64Array;
    for (let q = 0; q < x64.length; q++) x64[q] = 3 + 1e-3 * q + x64[q];
    const x32 = Float32Array.from(x64);
    const shift = new Float64Array(d).map((_, k) => 3 + 0.7 * k + 1 / 3);
    for (const x of [x64, x32]) {
      for (const precision of ['float64', 'float32'] as const) {
        const round = precision === 'float32' ? Math.fround : (v: number) => v;
        const sums = new Float64Array(d);
        for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) sums[k] += round(x[i * d + k] - shift[k]);
        const got = shiftedGram(x, n, d, shift, precision);
        expect(Array.from(got.sums), `${x.constructor.name} → ${precision}`).toEqual(Array.from(sums));
        // one entry of the Gram matrix from the same rounded values (float32 sums: a relative error of order 32·2⁻²⁴)
        let g = 0;
        let abs = 0;
        for (let i = 0; i < n; i++) {
          const p = round(x[i * d + 2] - shift[2]) * round(x[i * d + d - 1] - shift[d - 1]);
          g += p;
          abs += Math.abs(p);
        }
        const tol = precision === 'float32' ? 32 * 2 ** -24 * abs : 1e-13 * abs;
        expect(Math.abs(got.gram[2 * d + d - 1] - g)).toBeLessThanOrEqual(tol);
        expect(got.gram[(d - 1) * d + 2]).toBe(got.gram[2 * d + d - 1]);
      }
    }
  });

  it('the float64 Gram matrix of 512 columns (rows padded off a 4 KB stride) is each entry’s 64-row chunk sums added in order, bit for bit', async () => {
    simdKernels();
    await new Promise((r) => setTimeout(r, 300)); // the helper thread comes up on an event-loop turn
    const rng = new Rng(12);
    const n = 150;
    const d = 512;
    const x = rng.fillNormal(new Float64Array(n * d)) as Float64Array;
    const shift = new Float64Array(d).fill(0.125);
    const want = (a: number, b: number) => {
      let c = 0;
      for (let r0 = 0; r0 < n; r0 += 64) {
        let s = 0;
        for (let i = r0; i < Math.min(n, r0 + 64); i++) s += (x[i * d + a] - shift[a]) * (x[i * d + b] - shift[b]);
        c += s;
      }
      return c;
    };
    expect(paddedStride(d, 8, 8)).toBe(520);
    expect(paddedStride(130, 8, 8)).toBe(136);
    expect(paddedStride(1024, 16, 4)).toBe(1040);
    for (const helper of [false, true]) {
      setSimdThreads(helper);
      const { gram } = shiftedGram(x, n, d, shift);
      for (const [a, b] of [
        [0, 0],
        [0, 511],
        [7, 260],
        [255, 256],
        [256, 503],
        [511, 511],
        [130, 17],
      ]) {
        expect(gram[a * d + b], `(${a}, ${b}), helper ${helper}`).toBe(want(Math.min(a, b), Math.max(a, b)));
      }
    }
    setSimdThreads(true);
  });

  it('Sinkhorn gives the same result on its SIMD and JS paths', () => {
    const rng = new Rng(7);
    const x = rng.fillNormal(new Float64Array(90 * 3)) as Float64Array;
    const y = rng.fillNormal(new Float64Array(37 * 3)) as Float64Array;
    const M = sqeuclideanCost(x, y, 90, 37, 3);
    const a = sinkhornLog(null, null, M, 90, 37, 0.01, { maxIter: 300 });
    setSimdEnabled(false);
    const b = sinkhornLog(null, null, M, 90, 37, 0.01, { maxIter: 300 });
    setSimdEnabled(true);
    expect(a.iterations).toBe(b.iterations);
    expect(a.cost).toBeCloseTo(b.cost, 12);
    for (let i = 0; i < 90; i++) expect(a.f[i] - a.f[0]).toBeCloseTo(b.f[i] - b.f[0], 9);
  });

  it('the helper thread changes nothing: products and Sinkhorn are bit-identical with and without it', async () => {
    simdKernels();
    await new Promise((r) => setTimeout(r, 300)); // the helper comes up on an event-loop turn
    const rng = new Rng(9);
    const A = rng.fillNormal(new Float64Array(300 * 200)) as Float64Array;
    const B = rng.fillNormal(new Float64Array(180 * 200)) as Float64Array;
    const M = sqeuclideanCost(A.subarray(0, 300 * 10), B.subarray(0, 180 * 10), 300, 180, 10);
    const X = rng.fillNormal(new Float64Array(2000 * 130)) as Float64Array;
    const shift = new Float64Array(130).fill(0.25);
    const run = () => ({
      syrk: shiftedGram(X, 2000, 130, shift).gram,
      full: gemmABt(A, B, 300, 180, 200),
      gram: gemmABt(A, A, 300, 300, 200, undefined, 300, true),
      sk: sinkhornLog(null, null, M, 300, 180, 0.5, { maxIter: 40, tol: 0 }),
    });
    setSimdThreads(true);
    const a = run();
    setSimdThreads(false);
    const b = run();
    setSimdThreads(true);
    expect(Array.from(a.full)).toEqual(Array.from(b.full));
    expect(Array.from(a.syrk)).toEqual(Array.from(b.syrk));
    // and the Gram matrix is right
    let g01 = 0;
    for (let i = 0; i < 2000; i++) g01 += (X[i * 130] - 0.25) * (X[i * 130 + 129] - 0.25);
    expect(a.syrk[129]).toBeCloseTo(g01, 9);
    expect(a.syrk[129 * 130]).toBe(a.syrk[129]);
    expect(Array.from(a.gram)).toEqual(Array.from(b.gram));
    expect(a.sk.cost).toBe(b.sk.cost);
    expect(Array.from(a.sk.f)).toEqual(Array.from(b.sk.f));
  });
});
