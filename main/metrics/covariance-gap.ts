/**
 * The covariance gap of seed 002 (covariance matching): how far a set's covariance is from the real data's, as the
 * relative Frobenius distance ‖Σ_S − Σ_real‖_F / ‖Σ_real‖_F of the two covariance matrices (row-major [d, d], the same
 * estimator on both sides). 0 when the set matches the real covariance, 1 when its covariance is 0 (a collapsed set).
 * Computed by computeGenerationMetrics for every scheme in the metrics' feature space, against the test split; the
 * covmatch scheme's own `selection.covarianceGap` is its objective in its reference's top-p subspace instead.
 */
export function covarianceGap(sigma: ArrayLike<number>, sigmaReal: ArrayLike<number>, d: number): number {
  if (!(d >= 1) || !Number.isInteger(d)) throw new RangeError(`covarianceGap: dimension must be an integer ≥ 1, got ${d}`);
  if (sigma.length !== d * d)
    throw new RangeError(`covarianceGap: the set's covariance holds ${sigma.length} values, expected ${d} × ${d}`);
  if (sigmaReal.length !== d * d)
    throw new RangeError(`covarianceGap: the real covariance holds ${sigmaReal.length} values, expected ${d} × ${d}`);
  let diff = 0;
  let ref = 0;
  for (let i = 0; i < d * d; i++) {
    const r = sigmaReal[i];
    diff += (sigma[i] - r) ** 2;
    ref += r * r;
  }
  if (!(ref > 0)) throw new RangeError('covarianceGap: the real covariance is zero (a constant real set): the relative gap is undefined');
  return Math.sqrt(diff / ref);
}
