/**
 * W₂ in feature space between the Gaussians of two sample sets' moments (the kept samples' features against the test
 * split's), from their Fréchet distance (main/metrics/fid.ts: W₂² = ‖μ1 − μ2‖² + tr Σ1 + tr Σ2 − 2·tr (Σ1Σ2)^½, the
 * FID formula) and their means: `w2` = √FID, and its covariance part alone, `spread` = √(W₂² − ‖μ1 − μ2‖²) (the Bures
 * distance of the covariances), a diversity measure: how far the set's spread is from the real one's, whatever its
 * centre — what a selection that keeps too few modes, or too narrow a cloud, moves. Both clamped at 0 against rounding.
 */
export function featureW2(frechet: number, meanA: ArrayLike<number>, meanB: ArrayLike<number>, d: number): { w2: number; spread: number } {
  if (meanA.length !== d || meanB.length !== d) throw new RangeError(`featureW2: means must have length ${d}`);
  if (!Number.isFinite(frechet)) throw new RangeError(`featureW2: the Fréchet distance is ${frechet}`);
  let mean2 = 0;
  for (let k = 0; k < d; k++) mean2 += (meanA[k] - meanB[k]) ** 2;
  return { w2: Math.sqrt(Math.max(0, frechet)), spread: Math.sqrt(Math.max(0, frechet - mean2)) };
}
