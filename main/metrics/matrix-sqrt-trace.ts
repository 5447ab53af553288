import { gemmABt } from '../ot/gemm';
import { MAX_ARENA_BYTES, simdKernels } from '../ot/wasm-simd';
import { symmetricEigenvalues } from './symmetric-eigen';

/**
 * tr sqrtm(A·B) for symmetric positive semi-definite A and B ([d, d], row-major): the sum of the square roots of the
 * eigenvalues of A·B, which equal those of the symmetric matrix L·B·Lᵀ for any factor A = Lᵀ·L. L comes from a
 * pivoted Cholesky factorisation that stops at A's numerical rank, so singular A (fewer samples than dimensions, dead
 * features) is handled without regularisation; eigenvalues below 0 (rounding) count as 0.
 *
 * This is the stable form of what pytorch-fid computes with SciPy's general `sqrtm(sigma1.dot(sigma2))` and the real
 * part of its trace; both agree to about 1e-8 relative on full-rank and rank-deficient fixtures.
 */
export function traceSqrtProduct(A: Float64Array, B: Float64Array, d: number): number {
  // tr sqrtm(AB) = tr sqrtm(BA): factor whichever has the lower rank (fewer eigenvalues that are zero up to noise)
  let fa = pivotedCholesky(A, d);
  let other = B;
  if (fa.rank > 0 && fa.rank < d) {
    const fb = pivotedCholesky(B, d);
    if (fb.rank < fa.rank) {
      fa = fb;
      other = A;
    }
  }
  const { L, rank } = fa;
  if (rank === 0) return 0;
  // A = Lᵀ·L with L [rank, d]: the non-zero eigenvalues of A·B are those of C = L·B·Lᵀ [rank, rank]
  const Wt = gemmABt(L, other, rank, d, d); // Wt[c, i] = Σ_k L[c, k]·B[i, k] = (L·B)[c, i] (B symmetric)
  const C = gemmABt(L, Wt, rank, rank, d);
  const ev = symmetricEigenvalues(C, rank);
  // eigenvalues below rank·ε·λmax are rounding noise around 0 (their square roots would add up to ~1e-8·√λmax each)
  const floor = rank * 2.220446049250313e-16 * Math.max(0, ev[rank - 1]);
  let s = 0;
  for (let k = 0; k < rank; k++) if (ev[k] > floor) s += Math.sqrt(ev[k]);
  return s;
}

/** From this size on the column updates of pivotedCholesky run in WebAssembly SIMD. */
const SIMD_MIN_D = 32;

/**
 * Pivoted Cholesky factor of a symmetric positive semi-definite A: L is [rank, d] (row c is the c-th Cholesky
 * column), A ≈ Lᵀ·L = Σ_c L_c·L_cᵀ. Diagonal pivoting; stops when the largest remaining pivot is below
 * d·ε·max diag(A), i.e. at A's numerical rank.
 */
export function pivotedCholesky(A: Float64Array, d: number): { L: Float64Array; rank: number } {
  if (A.length !== d * d) throw new RangeError(`pivotedCholesky: matrix holds ${A.length} values, expected ${d} × ${d}`);
  const resid = new Float64Array(d);
  let maxDiag = 0;
  for (let i = 0; i < d; i++) {
    resid[i] = A[i * d + i];
    if (!Number.isFinite(resid[i])) throw new RangeError(`pivotedCholesky: diagonal entry ${i} is ${resid[i]}`);
    if (resid[i] > maxDiag) maxDiag = resid[i];
  }
  const tol = d * 2.220446049250313e-16 * maxDiag;
  // from d = 32 on, L's rows live in the SIMD arena (row stride ld) and each column's update runs there
  const ld4 = Math.ceil(d / 4) * 4;
  const K = d >= SIMD_MIN_D && (d + 1) * ld4 * 8 <= MAX_ARENA_BYTES ? simdKernels() : null;
  const ld = K ? ld4 : d;
  const vOff = d * ld * 8;
  if (K) K.reserve(vOff + ld * 8);
  const L = K ? K.view(0, d * ld) : new Float64Array(d * d);
  const col = K ? K.view(vOff, ld) : null;
  const used = new Uint8Array(d);
  const free = new Int32Array(d);
  let rank = 0;
  for (let c = 0; c < d; c++) {
    let p = -1;
    let best = tol;
    for (let i = 0; i < d; i++) {
      if (!used[i] && resid[i] > best) {
        best = resid[i];
        p = i;
      }
    }
    if (p < 0) break;
    used[p] = 1;
    const piv = Math.sqrt(best);
    const row = c * ld;
    if (K && col) {
      // the same sums as the JS loop below, over every row i (the pivoted ones then set to 0)
      for (let i = 0; i < d; i++) col[i] = A[i * d + p];
      col.fill(0, d);
      K.cholUpdate(0, vOff, p * 8, c, ld * 8, ld * 8);
      for (let i = 0; i < d; i++) L[row + i] = used[i] ? 0 : col[i] / piv;
      L.fill(0, row + d, row + ld);
    } else {
      // L_c[i] = (A[i, p] − Σ_{c' < c} L_c'[i] L_c'[p]) / piv for the rows i not yet pivoted (0 for the others), the
      // sum taken in the order c' = 0, 1, … for each i; four rows at a time so that their partial sums stay in registers
      let m = 0;
      for (let i = 0; i < d; i++) {
        L[row + i] = 0;
        if (!used[i]) free[m++] = i;
      }
      let q = 0;
      for (; q + 4 <= m; q += 4) {
        const i0 = free[q];
        const i1 = free[q + 1];
        const i2 = free[q + 2];
        const i3 = free[q + 3];
        let v0 = A[i0 * d + p];
        let v1 = A[i1 * d + p];
        let v2 = A[i2 * d + p];
        let v3 = A[i3 * d + p];
        for (let r2 = 0; r2 < row; r2 += d) {
          const lp = L[r2 + p];
          if (lp === 0) continue;
          v0 -= L[r2 + i0] * lp;
          v1 -= L[r2 + i1] * lp;
          v2 -= L[r2 + i2] * lp;
          v3 -= L[r2 + i3] * lp;
        }
        L[row + i0] = v0 / piv;
        L[row + i1] = v1 / piv;
        L[row + i2] = v2 / piv;
        L[row + i3] = v3 / piv;
      }
      for (; q < m; q++) {
        const i = free[q];
        let v = A[i * d + p];
        for (let r2 = 0; r2 < row; r2 += d) {
          const lp = L[r2 + p];
          if (lp !== 0) v -= L[r2 + i] * lp;
        }
        L[row + i] = v / piv;
      }
    }
    L[row + p] = piv;
    for (let i = 0; i < d; i++) if (!used[i]) resid[i] -= L[row + i] * L[row + i];
    rank++;
  }
  if (!K) return { L: L.subarray(0, rank * d), rank };
  const out = new Float64Array(rank * d);
  for (let c = 0; c < rank; c++) out.set(L.subarray(c * ld, c * ld + d), c * d);
  return { L: out, rank };
}
