import { shiftedGram } from '../ot/gemm';

export interface GaussianStats {
  /** Mean, length d. */
  mean: Float64Array;
  /** Unbiased covariance (n − 1 denominator, as numpy's `np.cov`), row-major [d, d]. */
  cov: Float64Array;
  n: number;
  d: number;
}

/** Mean of the rows of a row-major [n, d] array, in float64. */
export function rowMean(x: Float32Array | Float64Array, n: number, d: number): Float64Array {
  if (x.length !== n * d) throw new RangeError(`rowMean: array holds ${x.length} values, expected ${n} × ${d}`);
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const o = i * d;
    for (let k = 0; k < d; k++) mean[k] += x[o + k];
  }
  for (let k = 0; k < d; k++) mean[k] /= n;
  return mean;
}

/**
 * Mean and covariance of the rows of x ([n, d]), as pytorch-fid's `np.mean(act, axis=0)` and
 * `np.cov(act, rowvar=False)`, in float64.
 */
export function gaussianStats(
  x: Float32Array | Float64Array,
  n: number,
  d: number,
  /** `float32`: the Gram matrix's products summed in float32 chunks (main/ot/gemm.ts shiftedGram), twice as fast. */
  precision: 'float64' | 'float32' = 'float64',
): GaussianStats {
  if (n < 2) throw new RangeError(`covariance needs at least 2 samples, got ${n}`);
  if (x.length !== n * d) throw new RangeError(`covariance: array holds ${x.length} values, expected ${n} × ${d}`);
  // One pass over the data with a provisional centre (the mean of the first rows), then the exact correction:
  // Σ = (YᵀY − n·δ·δᵀ)/(n − 1) with Y = X − shift and δ = mean(Y). With the shift this close to the mean the
  // correction is small and nothing cancels (the textbook "shifted data" algorithm).
  const shift = rowMean(x.subarray(0, Math.min(n, 64) * d), Math.min(n, 64), d);
  const { gram, sums } = shiftedGram(x, n, d, shift, precision);
  const mean = new Float64Array(d);
  const delta = new Float64Array(d);
  for (let k = 0; k < d; k++) {
    delta[k] = sums[k] / n;
    mean[k] = shift[k] + delta[k];
  }
  const cov = gram;
  const s = 1 / (n - 1);
  for (let a = 0; a < d; a++) {
    const da = delta[a] * n;
    for (let b = 0; b < d; b++) cov[a * d + b] = (cov[a * d + b] - da * delta[b]) * s;
  }
  return { mean, cov, n, d };
}

/** Tr(Σ) of the rows of x (unbiased), without forming Σ. 0 when n < 2. */
export function varianceTrace(x: Float32Array | Float64Array, n: number, d: number): number {
  if (n < 2) return 0;
  const mean = rowMean(x, n, d);
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const o = i * d;
    for (let k = 0; k < d; k++) {
      const t = x[o + k] - mean[k];
      ss += t * t;
    }
  }
  return ss / (n - 1);
}
