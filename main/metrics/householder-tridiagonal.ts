import { MAX_ARENA_BYTES, type SimdKernels } from '../ot/wasm-simd';

/**
 * Householder reduction of a symmetric matrix to tridiagonal form T = QᵀAQ (Q not formed), for its eigenvalues only:
 * step k reflects row and column k of the trailing block onto one entry (LAPACK's dlarfg), then updates the block as
 * M ← M − v·wᵀ − w·vᵀ with p = τ·M·v and w = p − (τ/2)(pᵀv)·v (dsytd2). The block is held in full rows (both
 * triangles) in the SIMD arena, so that both the product M·v and the rank-2 update run over contiguous rows in
 * WebAssembly SIMD (wasm-simd.ts symvRows, rank2Rows): 2n³ flops against the n³·4/3 of the one-triangle tred2 in
 * symmetric-eigen.ts, but several times faster than that JS loop. Backward stable like it: the eigenvalues agree with
 * tred2 + QL to a few ε·‖A‖ (test/metrics/symmetric-eigen.test.ts).
 *
 * Returns the diagonal (length n) and the off-diagonal (length n − 1, off[k] = T[k, k+1]), or null when the arena
 * cannot hold the matrix.
 */
export function householderTridiagonal(K: SimdKernels, A: Float64Array, n: number): { diag: Float64Array; off: Float64Array } | null {
  if (A.length !== n * n) throw new RangeError(`householderTridiagonal: matrix holds ${A.length} values, expected ${n} × ${n}`);
  // rows padded to a multiple of 4 with at least 3 zero columns, so that every trailing row can be read 4-wide
  const stride = Math.ceil((n + 3) / 4) * 4;
  const vOff = n * stride * 8;
  const wOff = vOff + stride * 8;
  const pOff = wOff + stride * 8;
  const total = pOff + stride * 8;
  if (total > MAX_ARENA_BYTES) return null;
  K.reserve(total);
  const M = K.view(0, n * stride);
  const v = K.view(vOff, stride);
  const w = K.view(wOff, stride);
  const p = K.view(pOff, stride);
  M.fill(0);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const s = 0.5 * (A[i * n + j] + A[j * n + i]);
      M[i * stride + j] = s;
      M[j * stride + i] = s;
    }
  }
  const diag = new Float64Array(n);
  const off = new Float64Array(Math.max(0, n - 1));
  for (let k = 0; k + 2 < n; k++) {
    const r = k * stride + k;
    diag[k] = M[r];
    const m = n - k - 1; // the trailing block is [m, m], its top-left at (k + 1, k + 1)
    const m4 = Math.ceil(m / 4) * 4;
    // x = M[k, k+1 .. n−1]; the reflection H = I − τ·v·vᵀ with v[0] = 1 maps x to (β, 0, …, 0)
    const alpha = M[r + 1];
    let scale = 0;
    for (let t = 1; t < m; t++) scale = Math.max(scale, Math.abs(M[r + 1 + t]));
    if (scale === 0) {
      off[k] = alpha;
      continue;
    }
    let ss = 0;
    for (let t = 1; t < m; t++) ss += (M[r + 1 + t] / scale) ** 2;
    const xnorm = scale * Math.sqrt(ss);
    const beta = -(alpha >= 0 ? 1 : -1) * Math.hypot(alpha, xnorm);
    const tau = (beta - alpha) / beta;
    const inv = 1 / (alpha - beta);
    v[0] = 1;
    for (let t = 1; t < m; t++) v[t] = M[r + 1 + t] * inv;
    v.fill(0, m, m4);
    off[k] = beta;
    const block = ((k + 1) * stride + k + 1) * 8;
    K.symvRows(block, vOff, pOff, m, m4, stride);
    let pv = 0;
    for (let t = 0; t < m; t++) {
      p[t] *= tau;
      pv += p[t] * v[t];
    }
    const half = 0.5 * tau * pv;
    for (let t = 0; t < m; t++) w[t] = p[t] - half * v[t];
    w.fill(0, m, m4);
    K.rank2Rows(block, vOff, wOff, m, m4, stride);
  }
  if (n >= 2) {
    diag[n - 2] = M[(n - 2) * stride + n - 2];
    off[n - 2] = M[(n - 2) * stride + n - 1];
  }
  if (n >= 1) diag[n - 1] = M[(n - 1) * stride + n - 1];
  return { diag, off };
}
