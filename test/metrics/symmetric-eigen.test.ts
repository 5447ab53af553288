import { describe, expect, it } from 'vitest';
import { symmetricEigen } from '../../main/metrics/symmetric-eigen';
import { pivotedCholesky } from '../../main/metrics/matrix-sqrt-trace';
import { Rng } from '../../main/util/random';

function randomSymmetric(rng: Rng, n: number, rank = n): Float64Array {
  const F = rng.fillNormal(new Float64Array(rank * n));
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let q = 0; q < rank; q++) A[i * n + j] += F[q * n + i] * F[q * n + j];
  return A;
}

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
