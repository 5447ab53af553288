import { afterAll, describe, expect, it } from 'vitest';
import { symmetricEigen, symmetricEigenvalues, tridiagonalEigenvalues } from '../../main/metrics/symmetric-eigen';
import { pivotedCholesky } from '../../main/metrics/matrix-sqrt-trace';
import { setSimdEnabled } from '../../main/ot/wasm-simd';
import { Rng } from '../../main/util/random';

function randomSymmetric(rng: Rng, n: number, rank = n): Float64Array {
  const F = rng.fillNormal(new Float64Array(rank * n));
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let q = 0; q < rank; q++) A[i * n + j] += F[q * n + i] * F[q * n + j];
  return A;
}

afterAll(() => setSimdEnabled(true));

describe('symmetricEigen', () => {
  it('A·v = λ·v with orthonormal vectors and the trace preserved, for sizes 1 to 60', () => {
    const rng = new Rng(2);
    for (const n of [1, 2, 3, 7, 31, 60]) {
      const A = randomSymmetric(rng, n);
      for (let k = 0; k < A.length; k++) A[k] -= 0.5 * (k % 3); // make it indefinite
      for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) A[i * n + j] = A[j * n + i];
      const { values, vectors } = symmetricEigen(A, n, true);
      const only = symmetricEigen(A, n, false).values;
      let trace = 0;
      for (let i = 0; i < n; i++) trace += A[i * n + i];
      expect(values.reduce((s, v) => s + v, 0)).toBeCloseTo(trace, 9);
      const scale = Math.max(...values.map(Math.abs));
      for (let q = 0; q < n; q++) {
        expect(only[q]).toBeCloseTo(values[q], 9);
        if (q > 0) expect(values[q]).toBeGreaterThanOrEqual(values[q - 1]);
        for (let i = 0; i < n; i++) {
          let s = 0;
          for (let k = 0; k < n; k++) s += A[i * n + k] * vectors![q * n + k];
          expect(Math.abs(s - values[q] * vectors![q * n + i])).toBeLessThan(1e-10 * scale);
        }
        for (let r = 0; r <= q; r++) {
          let dot = 0;
          for (let k = 0; k < n; k++) dot += vectors![q * n + k] * vectors![r * n + k];
          expect(dot).toBeCloseTo(q === r ? 1 : 0, 10);
        }
      }
    }
  });

  it('eigenvalues only (SIMD Householder reduction + scaled QL) agree with tred2 + QL to a few ε·‖A‖, sizes 24 to 131', () => {
    const rng = new Rng(8);
    for (const [n, rank, indefinite] of [
      [24, 24, false],
      [37, 37, true],
      [64, 20, false],
      [128, 128, false],
      [131, 60, true],
    ] as const) {
      const A = randomSymmetric(rng, n, rank);
      if (indefinite) for (let i = 0; i < n; i++) A[i * n + i] -= n;
      const ref = symmetricEigen(A, n, false).values;
      const got = symmetricEigenvalues(A, n);
      const scale = Math.max(...ref.map(Math.abs));
      for (let q = 0; q < n; q++) expect(Math.abs(got[q] - ref[q]), `n ${n}, λ${q}`).toBeLessThan(50 * 2 ** -52 * scale);
      setSimdEnabled(false);
      expect(Array.from(symmetricEigenvalues(A, n))).toEqual(Array.from(ref)); // the JS path is tred2 + QL itself
      setSimdEnabled(true);
    }
  });

  it('tridiagonal eigenvalues match the closed form a + 2b·cos(kπ/(n+1)), at any scale', () => {
    for (const [n, a, b] of [
      [1, 3, 0],
      [2, 1, -1],
      [50, 2, 1],
      [97, -0.5, 1e-3],
      [40, 3e200, 1e200],
      [40, 3e-200, -1e-200],
    ]) {
      const got = tridiagonalEigenvalues(new Float64Array(n).fill(a), new Float64Array(n - 1).fill(b));
      const want = Array.from({ length: n }, (_, k) => a + 2 * b * Math.cos(((k + 1) * Math.PI) / (n + 1))).sort((x, y) => x - y);
      const scale = Math.abs(a) + 2 * Math.abs(b);
      for (let k = 0; k < n; k++) expect(Math.abs(got[k] - want[k]), `n ${n}, a ${a}`).toBeLessThanOrEqual(1e-14 * n * scale);
    }
    expect(Array.from(tridiagonalEigenvalues(new Float64Array(3), new Float64Array(2)))).toEqual([0, 0, 0]);
  });

  it('pivoted Cholesky gives the same factor bit for bit on its SIMD path (d ≥ 32) and its JS path', () => {
    const rng = new Rng(9);
    for (const [n, rank] of [
      [45, 45],
      [70, 23],
    ]) {
      const A = randomSymmetric(rng, n, rank);
      const a = pivotedCholesky(A, n);
      setSimdEnabled(false);
      const b = pivotedCholesky(A, n);
      setSimdEnabled(true);
      expect(a.rank).toBe(rank);
      expect(b.rank).toBe(rank);
      expect(Array.from(a.L)).toEqual(Array.from(b.L));
      let err = 0;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let c = 0; c < rank; c++) s += a.L[c * n + i] * a.L[c * n + j];
          err = Math.max(err, Math.abs(s - A[i * n + j]));
        }
      }
      expect(err).toBeLessThan(1e-12 * n * n);
    }
  });

  it('pivoted Cholesky finds the numerical rank and reproduces the matrix', () => {
    const rng = new Rng(6);
    const n = 15;
    const A = randomSymmetric(rng, n, 6);
    const { L, rank } = pivotedCholesky(A, n);
    expect(rank).toBe(6);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let c = 0; c < rank; c++) s += L[c * n + i] * L[c * n + j];
        expect(s).toBeCloseTo(A[i * n + j], 9);
      }
    }
  });
});
