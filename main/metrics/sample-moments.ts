/** Mean and variance trace Tr(Σ) of a row-major [n, dim] sample, in float64 (unbiased, n − 1). */
export function sampleMoments(x: Float32Array, n: number, dim: number): { mean: Float64Array; varianceTrace: number } {
  const mean = new Float64Array(dim);
  for (let i = 0; i < n; i++) {
    const o = i * dim;
    for (let j = 0; j < dim; j++) mean[j] += x[o + j];
  }
  for (let j = 0; j < dim; j++) mean[j] /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const o = i * dim;
    for (let j = 0; j < dim; j++) {
      const d = x[o + j] - mean[j];
      ss += d * d;
    }
  }
  return { mean, varianceTrace: n > 1 ? ss / (n - 1) : 0 };
}
