import { gaussianStats } from './covariance';
import { symmetricEigen } from './symmetric-eigen';

/** The principal components of seed 002's greedy (and of the covmatch scheme's default): the subspace the gap is measured in. */
export const CLASS_GAP_COMPONENTS = 32;

/**
 * Seed 002's per-class objective as a metric: the relative Frobenius gap ‖V(Σ_S − Σ_c)Vᵀ‖_F / ‖VΣ_cVᵀ‖_F between the
 * covariance of a class's selected rows (Σ_S) and of that class's real rows (Σ_c), both projected on the top-p
 * principal axes V of Σ_c (p = min(components, d)), the subspace the covariance-matching greedy matches in. Both
 * covariances unbiased (np.cov). Unlike the pooled covarianceGap it ignores the set's mean, as the paper's objective
 * does. x: the selected rows, row-major [n, d]; realCovariance: row-major [d, d].
 */
export function subspaceCovarianceGap(
  x: Float32Array | Float64Array,
  n: number,
  d: number,
  realCovariance: Float64Array,
  components = CLASS_GAP_COMPONENTS,
): number {
  if (!(d >= 1) || !Number.isInteger(d)) throw new RangeError(`subspaceCovarianceGap: dimension must be an integer ≥ 1, got ${d}`);
  if (realCovariance.length !== d * d) {
    throw new RangeError(`subspaceCovarianceGap: the real covariance holds ${realCovariance.length} values, expected ${d} × ${d}`);
  }
  if (n < 2) throw new RangeError(`subspaceCovarianceGap: the selected set needs at least 2 rows for a covariance, got ${n}`);
  const p = Math.min(components, d);
  const { vectors } = symmetricEigen(realCovariance, d, true);
  // rows of V: the top-p eigenvectors (symmetricEigen sorts ascending)
  const V = new Float64Array(p * d);
  for (let k = 0; k < p; k++) V.set(vectors!.subarray((d - 1 - k) * d, (d - k) * d), k * d);
  const selected = project(gaussianStats(x, n, d).cov, V, p, d);
  const real = project(realCovariance, V, p, d);
  let diff = 0;
  let ref = 0;
  for (let k = 0; k < p * p; k++) {
    diff += (selected[k] - real[k]) ** 2;
    ref += real[k] ** 2;
  }
  if (!(ref > 0))
    throw new RangeError('subspaceCovarianceGap: the real covariance is zero (a constant class): the relative gap is undefined');
  return Math.sqrt(diff / ref);
}

/** V·A·Vᵀ for V [p, d] and A [d, d] (row-major). */
function project(A: Float64Array, V: Float64Array, p: number, d: number): Float64Array {
  const AV = new Float64Array(d * p); // A·Vᵀ, [d, p]
  for (let i = 0; i < d; i++) {
    for (let k = 0; k < p; k++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += A[i * d + j] * V[k * d + j];
      AV[i * p + k] = s;
    }
  }
  const out = new Float64Array(p * p);
  for (let k = 0; k < p; k++) {
    for (let l = 0; l < p; l++) {
      let s = 0;
      for (let i = 0; i < d; i++) s += V[k * d + i] * AV[i * p + l];
      out[k * p + l] = s;
    }
  }
  return out;
}
