import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import type { DeclaredTruthConfig } from '../contract/declared-truth';
import { rngFor, type Rng } from '../util/random';
import { resolveDeclaredTruth } from './declared-truth';
import type { Dataset, Samples } from './samples';

/**
 * The Gaussian toy: samples of N(mean, cov) in d dimensions, drawn as mean + L·z with L the Cholesky factor of cov
 * (ml-matrix) and z standard normal from the seeded generator. Train and test sets come from independent streams.
 */

export interface GaussianToySpec {
  dim: number;
  /** Zeros when absent. */
  mean?: number[];
  /** A full symmetric positive definite matrix, or the diagonal of variances; identity when absent. */
  cov?: number[][] | number[];
  trainSize: number;
  testSize: number;
  /** The declared truth the metrics score against (main/contract/declared-truth.ts); the test split when absent. */
  truth?: DeclaredTruthConfig;
}

export interface GaussianParams {
  mean: Float64Array;
  /** Lower-triangular Cholesky factor, row-major [dim, dim]. */
  cholesky: Float64Array;
  dim: number;
}

/**
 * Check mean and covariance and factor the covariance. Errors name the config field at fault (`field`, and `dimField`
 * for the dimension: a declared truth's is the dataset's).
 */
export function gaussianParams(
  spec: Pick<GaussianToySpec, 'dim' | 'mean' | 'cov'>,
  field = 'dataset',
  dimField = `${field}.dim`,
): GaussianParams {
  const d = spec.dim;
  if (!Number.isInteger(d) || d < 1) throw new Error(`${dimField} must be a positive integer, got ${d}`);
  const mean = new Float64Array(d);
  if (spec.mean) {
    if (spec.mean.length !== d) {
      throw new Error(`${field}.mean has ${spec.mean.length} entries but ${dimField} is ${d}`);
    }
    spec.mean.forEach((v, i) => {
      if (!Number.isFinite(v)) throw new Error(`${field}.mean[${i}] is not a finite number`);
      mean[i] = v;
    });
  }
  const L = new Float64Array(d * d);
  const cov = spec.cov;
  if (!cov) {
    for (let i = 0; i < d; i++) L[i * d + i] = 1;
  } else if (cov.every((v) => typeof v === 'number')) {
    const diag = cov as number[];
    if (diag.length !== d) throw new Error(`${field}.cov (a diagonal) has ${diag.length} entries but ${dimField} is ${d}`);
    diag.forEach((v, i) => {
      if (!(Number.isFinite(v) && v > 0)) {
        throw new Error(`${field}.cov[${i}] = ${v}: variances must be positive for a positive definite covariance`);
      }
      L[i * d + i] = Math.sqrt(v);
    });
  } else {
    const rows = cov as number[][];
    if (rows.length !== d || rows.some((r) => !Array.isArray(r) || r.length !== d)) {
      throw new Error(`${field}.cov must be a ${d}×${d} matrix (or a diagonal of ${d} variances)`);
    }
    let scale = 0;
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) {
        const v = rows[i][j];
        if (!Number.isFinite(v)) throw new Error(`${field}.cov[${i}][${j}] is not a finite number`);
        scale = Math.max(scale, Math.abs(v));
      }
    }
    const sym = new Matrix(d, d);
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) {
        if (Math.abs(rows[i][j] - rows[j][i]) > 1e-9 * scale) {
          throw new Error(`${field}.cov is not symmetric: cov[${i}][${j}] = ${rows[i][j]} but cov[${j}][${i}] = ${rows[j][i]}`);
        }
        sym.set(i, j, (rows[i][j] + rows[j][i]) / 2);
      }
    }
    const chol = new CholeskyDecomposition(sym);
    if (!chol.isPositiveDefinite()) throw new Error(`${field}.cov is not positive definite (its Cholesky factorisation fails)`);
    const low = chol.lowerTriangularMatrix;
    for (let i = 0; i < d; i++) for (let j = 0; j <= i; j++) L[i * d + j] = low.get(i, j);
  }
  return { mean, cholesky: L, dim: d };
}

/** n draws of N(mean, LLᵀ). */
export function sampleGaussian(p: GaussianParams, n: number, rng: Rng): Samples {
  const d = p.dim;
  const x = new Float32Array(n * d);
  const z = new Float64Array(d);
  const L = p.cholesky;
  for (let s = 0; s < n; s++) {
    for (let k = 0; k < d; k++) z[k] = rng.normal();
    const o = s * d;
    for (let i = 0; i < d; i++) {
      let v = p.mean[i];
      const row = i * d;
      for (let k = 0; k <= i; k++) v += L[row + k] * z[k];
      x[o + i] = v;
    }
  }
  return { x, n, dim: d };
}

/** The Gaussian toy dataset: independent seeded train and test draws, no labels; its declared truth when given. */
export function makeGaussianToy(spec: GaussianToySpec, seed: number): Dataset {
  const params = gaussianParams(spec);
  const truth = spec.truth && resolveDeclaredTruth(spec.truth, spec.dim, { kind: 'gaussian', components: [{ ...params, weight: 1 }] });
  return {
    name: 'gaussian',
    shape: [spec.dim],
    numClasses: 0,
    train: sampleGaussian(params, spec.trainSize, rngFor(seed, 'dataset', 'gaussian', 'train')),
    test: sampleGaussian(params, spec.testSize, rngFor(seed, 'dataset', 'gaussian', 'test')),
    ...(truth ? { truth } : {}),
  };
}
