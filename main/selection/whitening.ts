import { gemmABt } from '../ot/gemm';

/**
 * Squared Mahalanobis distances (x_i − μ)ᵀ (Σ + ridge·(tr Σ/d)·I)⁻¹ (x_i − μ) of the rows of x. Hand-written Cholesky on
 * a flat array (ml-matrix's works on nested arrays and is several times slower at d = 784); the whitened rows
 * L⁻¹(x_i − μ) come from one blocked product.
 */
export function mahalanobisSquared(
  x: Float32Array | Float64Array,
  n: number,
  d: number,
  mean: Float64Array,
  covariance: Float64Array,
  ridge: number,
): Float64Array {
  const W = inverseCholesky(covariance, d, ridge);
  const xc = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) xc[i * d + j] = x[i * d + j] - mean[j];
  const Y = gemmABt(xc, W, n, d, d);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += Y[i * d + j] ** 2;
    out[i] = s;
  }
  return out;
}

/** The lower-triangular L (row-major) with L·Lᵀ = Σ + ridge·(tr Σ/d)·I. */
export function cholesky(covariance: Float64Array, d: number, ridge: number): Float64Array {
  let tr = 0;
  for (let j = 0; j < d; j++) tr += covariance[j * d + j];
  const add = ridge * (tr > 0 ? tr / d : 1);
  const L = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = covariance[i * d + j] + (i === j ? add : 0);
      for (let k = 0; k < j; k++) s -= L[i * d + k] * L[j * d + k];
      if (i === j) {
        if (!(s > 0)) {
          throw new Error(`the reference covariance is not positive definite (pivot ${j} is ${s}); raise the ridge parameter`);
        }
        L[i * d + i] = Math.sqrt(s);
      } else {
        L[i * d + j] = s / L[j * d + j];
      }
    }
  }
  return L;
}

/** L⁻¹ (lower triangular, row-major) for Σ + ridge·(tr Σ/d)·I = L·Lᵀ. */
export function inverseCholesky(covariance: Float64Array, d: number, ridge: number): Float64Array {
  const L = cholesky(covariance, d, ridge);
  // invert the triangular factor column by column: L·W = I
  const W = new Float64Array(d * d);
  for (let c = 0; c < d; c++) {
    for (let i = c; i < d; i++) {
      let s = i === c ? 1 : 0;
      for (let k = c; k < i; k++) s -= L[i * d + k] * W[k * d + c];
      W[i * d + c] = s / L[i * d + i];
    }
  }
  return W;
}
