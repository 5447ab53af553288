import { describe, expect, it } from 'vitest';
import { denseGemmKernels, padTo } from '../../main/models/dense-gemm-simd';
import { Rng } from '../../main/util/random';

/**
 * main/models/dense-gemm-simd.ts: the three products of a dense layer (forward with bias and LeakyReLU, the input
 * gradient through LeakyReLU's derivative, the weight gradient with the bias gradient) against plain float64 loops, on
 * shapes that need padding on every side.
 */

const LEAK = 0.2;

describe('dense layer products in WebAssembly SIMD', () => {
  for (const [M, K, N] of [
    [3, 5, 7],
    [13, 20, 9],
    [64, 40, 24],
  ]) {
    it(`X·W + b, dY·Wᵀ ⊙ LeakyReLU′, Xᵀ·dY and the bias gradient match float64 (${M}×${K}·${K}×${N})`, () => {
      const memory = new WebAssembly.Memory({ initial: 16, maximum: 1024, shared: true });
      const k = denseGemmKernels(memory);
      expect(k).not.toBeNull();
      const f = new Float32Array(memory.buffer);
      const [Mp, Kp, Np] = [padTo(M, 4), padTo(K, 8), padTo(N, 8)];
      let top = 64;
      const alloc = (floats: number) => {
        const at = top;
        top += padTo(4 * floats, 16);
        return at;
      };
      const [X, W, b, Wp, WTp, Y, dX, dYp, dW, db] = [Mp * Kp, K * N, N, Kp * Np, Kp * Np, Mp * Np, Mp * Kp, Mp * Np, Kp * Np, Np].map(
        alloc,
      );
      const rng = new Rng(M + K + N);
      const r = () => 2 * rng.uniform() - 1;
      const at = (p: number, i: number, ld: number, j: number) => f[p / 4 + i * ld + j];
      for (let i = 0; i < M; i++) for (let j = 0; j < K; j++) f[X / 4 + i * Kp + j] = r();
      for (let i = 0; i < K * N; i++) f[W / 4 + i] = r();
      for (let j = 0; j < N; j++) f[b / 4 + j] = r();
      const tol = 1e-5 * Math.max(K, N, M);
      let worst = 0;
      const near = (a: number, b: number) => (worst = Math.max(worst, Math.abs(a - b)));

      k!.pack(W, 4 * N, K, N, Wp, Kp, Np, 0);
      k!.gemm(X, 4 * Kp, Wp, Y, 4 * Np, Mp, Np, Kp, b, 1, 0);
      for (let i = 0; i < M; i++)
        for (let j = 0; j < N; j++) {
          let s = at(b, 0, 0, j);
          for (let q = 0; q < K; q++) s += at(X, i, Kp, q) * at(W, q, N, j);
          near(at(Y, i, Np, j), s > 0 ? s : LEAK * s);
        }

      // dX = (Y·Wᵀ) ⊙ (X > 0 ? 1 : 0.2), Y standing in for dY
      k!.packT(W, 4 * N, K, N, WTp, Np, Kp);
      k!.gemm(Y, 4 * Np, WTp, dX, 4 * Kp, Mp, Kp, Np, 0, 0, X);
      for (let i = 0; i < M; i++)
        for (let j = 0; j < K; j++) {
          let s = 0;
          for (let q = 0; q < N; q++) s += at(Y, i, Np, q) * at(W, j, N, q);
          near(at(dX, i, Kp, j), at(X, i, Kp, j) > 0 ? s : LEAK * s);
        }

      // dW = Xᵀ·Y over the M real rows (padded rows packed as zeros) and the column sums of Y
      k!.pack(Y, 4 * Np, M, N, dYp, Mp, Np, db);
      k!.gemmT(X, 4 * Kp, dYp, dW, 4 * Np, Kp, Np, Mp, 0, 0, 0);
      for (let j = 0; j < N; j++) {
        let s = 0;
        for (let q = 0; q < M; q++) s += at(Y, q, Np, j);
        near(at(db, 0, 0, j), s);
        for (let i = 0; i < K; i++) {
          let w = 0;
          for (let q = 0; q < M; q++) w += at(X, q, Kp, i) * at(Y, q, Np, j);
          near(at(dW, i, Np, j), w);
        }
      }
      expect(worst).toBeLessThan(tol);
      // padding: packed columns and rows beyond the matrix are zero
      const padding: number[] = [];
      for (let j = N; j < Np; j++) for (let q = 0; q < Kp; q++) padding.push(f[Wp / 4 + Math.floor(j / 8) * Kp * 8 + q * 8 + (j % 8)]);
      for (let q = M; q < Mp; q++) for (let j = 0; j < Np; j++) padding.push(f[dYp / 4 + Math.floor(j / 8) * Mp * 8 + q * 8 + (j % 8)]);
      expect(padding.every((v) => v === 0)).toBe(true);
    });
  }
});
