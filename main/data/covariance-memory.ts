/** A generated Gaussian toy's d × d covariance and its Cholesky factor, float64: its memory beside the samples. */
export function covarianceMemory(dim: number): { what: string; bytes: number; values: number } {
  return { what: `the generator's ${dim} × ${dim} covariance and Cholesky factor`, bytes: 2 * dim * dim * 8, values: dim * dim };
}
