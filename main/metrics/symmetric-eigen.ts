import { simdKernels } from '../ot/wasm-simd';
import { householderTridiagonal } from './householder-tridiagonal';

/**
 * Eigenvalues (and optionally eigenvectors) of a real symmetric matrix: Householder tridiagonalisation followed by
 * the implicit QL algorithm (the classic tred2/tql2 pair of EISPACK, as in JAMA). Hand-written on one flat
 * Float64Array with contiguous inner loops because ml-matrix's EVD (the same algorithm on nested arrays, always with
 * eigenvectors) took 6.8 s for a 784 × 784 covariance here; this takes well under a second, and less again without
 * eigenvectors.
 *
 * Layout: the working array W holds the transpose of JAMA's V, so that JAMA's column loops run along W's rows; on
 * return row j of W is the eigenvector of eigenvalue j.
 */
export interface SymmetricEigen {
  /** Eigenvalues in ascending order. */
  values: Float64Array;
  /** Row-major [n, n]: row j is the unit eigenvector of values[j] (only when vectors were asked for). */
  vectors?: Float64Array;
}

/** Eigen-decomposition of the symmetric n × n matrix A (row-major; only its values are read, A is not modified). */
export function symmetricEigen(A: Float64Array, n: number, wantVectors = false): SymmetricEigen {
  if (A.length !== n * n) throw new RangeError(`symmetricEigen: matrix holds ${A.length} values, expected ${n} × ${n}`);
  if (n === 0) return { values: new Float64Array(0), vectors: wantVectors ? new Float64Array(0) : undefined };
  for (let k = 0; k < A.length; k++) {
    if (!Number.isFinite(A[k])) throw new RangeError(`symmetricEigen: entry ${k} is ${A[k]}`);
  }
  // symmetrise (A is symmetric up to rounding; the algorithm reads the lower triangle of V = upper of W)
  const W = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const v = 0.5 * (A[i * n + j] + A[j * n + i]);
      W[i * n + j] = v;
      W[j * n + i] = v;
    }
  }
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  tridiagonalise(W, n, d, e, wantVectors);
  // e[i] couples i − 1 and i here; ql wants it coupling i and i + 1
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  e[n - 1] = 0;
  ql(d, e, { scaled: false, vectors: wantVectors ? W : undefined });
  // sort ascending
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => d[x] - d[y]);
  const values = new Float64Array(n);
  for (let k = 0; k < n; k++) values[k] = d[order[k]];
  if (!wantVectors) return { values };
  const vectors = new Float64Array(n * n);
  for (let k = 0; k < n; k++) vectors.set(W.subarray(order[k] * n, order[k] * n + n), k * n);
  return { values, vectors };
}

/** Below this size the JS reduction is as fast as the SIMD one (it skips the copy into the arena). */
const SIMD_MIN_N = 24;

/**
 * Eigenvalues only (ascending). From n = 24 up, with the SIMD kernels, the tridiagonal form comes from
 * householder-tridiagonal.ts (3–4× faster than tridiagonalise below at n = 128); the same QL iteration follows.
 */
export function symmetricEigenvalues(A: Float64Array, n: number): Float64Array {
  if (A.length !== n * n) throw new RangeError(`symmetricEigen: matrix holds ${A.length} values, expected ${n} × ${n}`);
  const K = n >= SIMD_MIN_N ? simdKernels() : null;
  if (K) {
    for (let k = 0; k < A.length; k++) {
      if (!Number.isFinite(A[k])) throw new RangeError(`symmetricEigen: entry ${k} is ${A[k]}`);
    }
    const t = householderTridiagonal(K, A, n);
    if (t) return tridiagonalEigenvalues(t.diag, t.off);
  }
  return symmetricEigen(A, n, false).values;
}

/** Eigenvalues (ascending) of the symmetric tridiagonal matrix with diagonal `diag` and off-diagonal `off` (n − 1). */
export function tridiagonalEigenvalues(diag: Float64Array, off: Float64Array): Float64Array {
  const n = diag.length;
  if (off.length !== Math.max(0, n - 1)) throw new RangeError(`tridiagonalEigenvalues: ${off.length} off-diagonal entries for ${n}`);
  // scaled to a largest entry of 1 (see ql's `scaled`); e[i] couples i and i + 1
  let scale = 0;
  for (let i = 0; i < n; i++) scale = Math.max(scale, Math.abs(diag[i]), i + 1 < n ? Math.abs(off[i]) : 0);
  if (!Number.isFinite(scale)) throw new RangeError(`tridiagonalEigenvalues: a non-finite entry`);
  if (scale === 0) return new Float64Array(n);
  const d = diag.map((v) => v / scale);
  const e = new Float64Array(n);
  for (let i = 0; i + 1 < n; i++) e[i] = off[i] / scale;
  ql(d, e, { scaled: true });
  for (let i = 0; i < n; i++) d[i] *= scale;
  return d.sort();
}

// V[r][c] of JAMA is W[c * n + r] here.
function tridiagonalise(W: Float64Array, n: number, d: Float64Array, e: Float64Array, accumulate: boolean): void {
  for (let j = 0; j < n; j++) d[j] = W[j * n + n - 1]; // V[n-1][j]
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]);
    if (scale === 0) {
      e[i] = d[i - 1];
      for (let j = 0; j < i; j++) {
        d[j] = W[j * n + i - 1]; // V[i-1][j]
        W[j * n + i] = 0; // V[i][j]
        W[i * n + j] = 0; // V[j][i]
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k] /= scale;
        h += d[k] * d[k];
      }
      let f = d[i - 1];
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        f = d[j];
        W[i * n + j] = f; // V[j][i] = f
        const row = j * n; // V[k][j] = W[row + k]
        g = e[j] + W[row + j] * f;
        for (let k = j + 1; k <= i - 1; k++) {
          const vkj = W[row + k];
          g += vkj * d[k];
          e[k] += vkj * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] /= h;
        f += e[j] * d[j];
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] -= hh * d[j];
      for (let j = 0; j < i; j++) {
        f = d[j];
        g = e[j];
        const row = j * n;
        for (let k = j; k <= i - 1; k++) W[row + k] -= f * e[k] + g * d[k];
        d[j] = W[row + i - 1]; // V[i-1][j]
        W[row + i] = 0; // V[i][j]
      }
    }
    d[i] = h;
  }

  if (accumulate) {
    for (let i = 0; i < n - 1; i++) {
      W[i * n + n - 1] = W[i * n + i]; // V[n-1][i] = V[i][i]
      W[i * n + i] = 1;
      const h = d[i + 1];
      const rowNext = (i + 1) * n; // V[k][i+1] = W[rowNext + k]
      if (h !== 0) {
        for (let k = 0; k <= i; k++) d[k] = W[rowNext + k] / h;
        for (let j = 0; j <= i; j++) {
          const row = j * n;
          let g = 0;
          for (let k = 0; k <= i; k++) g += W[rowNext + k] * W[row + k];
          for (let k = 0; k <= i; k++) W[row + k] -= g * d[k];
        }
      }
      for (let k = 0; k <= i; k++) W[rowNext + k] = 0;
    }
    for (let j = 0; j < n; j++) {
      d[j] = W[j * n + n - 1];
      W[j * n + n - 1] = 0;
    }
    W[(n - 1) * n + n - 1] = 1;
  } else {
    // the diagonal of the tridiagonal form is V[i][i] (held in W's diagonal), exactly as the accumulation reads it
    for (let i = 0; i < n - 1; i++) W[i * n + n - 1] = W[i * n + i];
    for (let j = 0; j < n; j++) d[j] = W[j * n + n - 1];
  }
  e[0] = 0;
}

/**
 * The implicit QL iteration (JAMA's tql2) on the symmetric tridiagonal matrix with diagonal d and off-diagonal e
 * (e[i] couples i and i + 1, e[n − 1] = 0): d becomes its eigenvalues (unsorted), e is overwritten. With `vectors`
 * (n × n, row j the vector of d[j]) each rotation is applied to its rows. `scaled`: the matrix has a largest entry of
 * about 1, so the rotations use √(p² + q²) instead of Math.hypot (which guards against overflow and took most of the
 * time).
 */
function ql(d: Float64Array, e: Float64Array, options: { scaled: boolean; vectors?: Float64Array }): void {
  const n = d.length;
  const { scaled, vectors: W } = options;
  let f = 0;
  let tst1 = 0;
  const eps = 2 ** -52;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n) {
      if (Math.abs(e[m]) <= eps * tst1) break;
      m++;
    }
    if (m === n) m = n - 1;
    if (m > l) {
      let iter = 0;
      do {
        if (++iter > 200) throw new Error('symmetricEigen: QL iteration did not converge');
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = Math.sqrt(p * p + 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;
        p = d[m];
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1];
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = scaled ? Math.sqrt(p * p + e[i] * e[i]) : Math.hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          if (W) {
            const ri = i * n;
            const ri1 = (i + 1) * n;
            for (let k = 0; k < n; k++) {
              const hk = W[ri1 + k];
              const wk = W[ri + k];
              W[ri1 + k] = s * wk + c * hk;
              W[ri + k] = c * wk - s * hk;
            }
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]) > eps * tst1);
    }
    d[l] += f;
    e[l] = 0;
  }
}
