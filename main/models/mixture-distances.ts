import { CholeskyDecomposition, EigenvalueDecomposition, Matrix } from 'ml-matrix';
import type { MixtureState } from './gmm-em';

/**
 * Wasserstein-2 distances from a sample to a known Gaussian mixture: exact in one dimension (by quantiles), and in
 * general between the moment-matched Gaussians (the Fréchet / Bures formula), for describeSamples of the exact
 * diffusion model.
 */

/** erfc(x) with fractional error below 1.2e-7 everywhere (Numerical Recipes' Chebyshev fit). */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

/** CDF of a one-dimensional mixture (d = 1; full or diag covariances are both variances). */
export function mixtureCdf1d(m: MixtureState, x: number): number {
  let s = 0;
  for (let j = 0; j < m.k; j++) s += m.weights[j] * normalCdf((x - m.means[j]) / Math.sqrt(m.covs[j]));
  return s;
}

/** Density of a one-dimensional mixture. */
export function mixturePdf1d(m: MixtureState, x: number): number {
  let s = 0;
  for (let j = 0; j < m.k; j++) {
    const v = m.covs[j];
    s += (m.weights[j] * Math.exp((-0.5 * (x - m.means[j]) ** 2) / v)) / Math.sqrt(2 * Math.PI * v);
  }
  return s;
}

function mixtureBracket(m: MixtureState): [number, number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  let total = 0;
  for (let j = 0; j < m.k; j++) {
    const sd = Math.sqrt(m.covs[j]);
    lo = Math.min(lo, m.means[j] - 40 * sd);
    hi = Math.max(hi, m.means[j] + 40 * sd);
    total += m.weights[j];
  }
  return [lo, hi, total];
}

/**
 * Quantile of a one-dimensional mixture: safeguarded Newton (bisection whenever a Newton step leaves the bracket),
 * optionally started from a lower bound `from` (quantiles of increasing u reuse the previous one).
 */
export function mixtureQuantile1d(m: MixtureState, u: number, from?: number): number {
  const bracket = mixtureBracket(m);
  let [lo, hi] = bracket;
  const total = bracket[2];
  const target = u * total;
  if (from !== undefined && from > lo && mixtureCdf1d(m, from) <= target) lo = from;
  let x = from !== undefined && from > lo ? from : 0.5 * (lo + hi);
  for (let it = 0; it < 200; it++) {
    const f = mixtureCdf1d(m, x) - target;
    if (f < 0) lo = x;
    else hi = x;
    if (hi - lo <= 1e-12 * (1 + Math.abs(lo) + Math.abs(hi))) break;
    const p = mixturePdf1d(m, x);
    let nx = p > 0 ? x - f / p : NaN;
    if (!(nx > lo && nx < hi)) nx = 0.5 * (lo + hi);
    if (Math.abs(nx - x) <= 1e-13 * (1 + Math.abs(x))) {
      x = nx;
      break;
    }
    x = nx;
  }
  return x;
}

/**
 * W2 between the empirical measure of x[0..n) (one dimension) and the mixture: √(∫₀¹ (F_n⁻¹(u) − F⁻¹(u))² du), the
 * integral taken at the midpoints u_i = (i − ½)/n of the n quantile cells.
 */
export function w2ToMixture1d(x: ArrayLike<number>, n: number, m: MixtureState): number {
  if (m.d !== 1) throw new RangeError('w2ToMixture1d needs a one-dimensional mixture');
  const s = Float64Array.from({ length: n }, (_, i) => x[i]).sort();
  let acc = 0;
  let q: number | undefined;
  for (let i = 0; i < n; i++) {
    q = mixtureQuantile1d(m, (i + 0.5) / n, q);
    acc += (s[i] - q) ** 2;
  }
  return Math.sqrt(acc / n);
}

/** Mean and covariance of a mixture (full or diag). */
export function mixtureMoments(m: MixtureState): { mean: Float64Array; cov: Float64Array } {
  const { k, d } = m;
  let wsum = 0;
  for (let j = 0; j < k; j++) wsum += m.weights[j];
  const mean = new Float64Array(d);
  for (let j = 0; j < k; j++) for (let a = 0; a < d; a++) mean[a] += (m.weights[j] / wsum) * m.means[j * d + a];
  const cov = new Float64Array(d * d);
  for (let j = 0; j < k; j++) {
    const w = m.weights[j] / wsum;
    for (let a = 0; a < d; a++) {
      for (let b = 0; b < d; b++) {
        const cj = m.covariance === 'full' ? m.covs[j * d * d + a * d + b] : a === b ? m.covs[j * d + a] : 0;
        cov[a * d + b] += w * (cj + (m.means[j * d + a] - mean[a]) * (m.means[j * d + b] - mean[b]));
      }
    }
  }
  return { mean, cov };
}

/** Sample mean and (biased) covariance of rows of x [n, d]. */
export function sampleMoments(x: ArrayLike<number>, n: number, d: number): { mean: Float64Array; cov: Float64Array } {
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let a = 0; a < d; a++) mean[a] += x[i * d + a];
  for (let a = 0; a < d; a++) mean[a] /= n;
  const cov = new Float64Array(d * d);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < d; a++) {
      const ca = x[i * d + a] - mean[a];
      for (let b = 0; b <= a; b++) cov[a * d + b] += ca * (x[i * d + b] - mean[b]);
    }
  }
  for (let a = 0; a < d; a++) {
    for (let b = 0; b <= a; b++) {
      cov[a * d + b] /= n;
      cov[b * d + a] = cov[a * d + b];
    }
  }
  return { mean, cov };
}

function symmetricSqrt(a: Matrix): Matrix {
  const e = new EigenvalueDecomposition(a, { assumeSymmetric: true });
  const v = e.eigenvectorMatrix;
  const vals = e.realEigenvalues.map((x) => Math.sqrt(Math.max(0, x)));
  return v.mmul(Matrix.diag(vals)).mmul(v.transpose());
}

/** W2 between N(m1, c1) and N(m2, c2): ‖m1 − m2‖² + tr(c1 + c2 − 2 (c2^½ c1 c2^½)^½). */
export function gaussianW2(m1: Float64Array, c1: Float64Array, m2: Float64Array, c2: Float64Array): number {
  const d = m1.length;
  let s = 0;
  for (let a = 0; a < d; a++) s += (m1[a] - m2[a]) ** 2;
  const toM = (c: Float64Array) => new Matrix(Array.from({ length: d }, (_, r) => Array.from(c.subarray(r * d, (r + 1) * d))));
  const C1 = toM(c1);
  const C2 = toM(c2);
  const r2 = symmetricSqrt(C2);
  const mid = symmetricSqrt(r2.mmul(C1).mmul(r2));
  const tr = (m: Matrix) => m.trace();
  return Math.sqrt(Math.max(0, s + tr(C1) + tr(C2) - 2 * tr(mid)));
}

/**
 * χ²(N(m1, S1) ‖ N(m0, S0)) = ∫ p1²/p0 − 1 = |S0|^½ |S1|⁻¹ |A|^−½ exp(½ bᵀA⁻¹b − m1ᵀS1⁻¹m1 + ½ m0ᵀS0⁻¹m0) − 1 with
 * A = 2S1⁻¹ − S0⁻¹ and b = 2S1⁻¹m1 − S0⁻¹m0 (covariances row-major d × d); infinite when A is not positive definite
 * (p1²/p0 is then not integrable). In one dimension v0/√(v1(2v0 − v1))·exp((m1 − m0)²/(2v0 − v1)) − 1; perturbatively
 * twice the KL divergence.
 */
export function gaussianChiSquare(m1: Float64Array, c1: Float64Array, m0: Float64Array, c0: Float64Array): number {
  const d = m1.length;
  const toM = (c: Float64Array) => new Matrix(Array.from({ length: d }, (_, r) => Array.from(c.subarray(r * d, (r + 1) * d))));
  const s1 = new CholeskyDecomposition(toM(c1));
  const s0 = new CholeskyDecomposition(toM(c0));
  if (!s1.isPositiveDefinite() || !s0.isPositiveDefinite()) return Infinity;
  const eye = Matrix.eye(d);
  // the inverses symmetrised (the solves leave rounding asymmetries that the Cholesky of A would refuse)
  const symmetric = (m: Matrix) => Matrix.add(m, m.transpose()).mul(0.5);
  const s1Inv = symmetric(s1.solve(eye));
  const s0Inv = symmetric(s0.solve(eye));
  const a = new CholeskyDecomposition(Matrix.sub(s1Inv.clone().mul(2), s0Inv));
  if (!a.isPositiveDefinite()) return Infinity;
  const logDet = (c: CholeskyDecomposition) => {
    const l = c.lowerTriangularMatrix;
    let v = 0;
    for (let i = 0; i < d; i++) v += 2 * Math.log(l.get(i, i));
    return v;
  };
  const col = (v: Float64Array) => Matrix.columnVector(Array.from(v));
  const quad = (x: Matrix, m: Matrix) => x.transpose().mmul(m).mmul(x).get(0, 0);
  const b = Matrix.sub(s1Inv.mmul(col(m1)).mul(2), s0Inv.mmul(col(m0)));
  const exponent = 0.5 * b.transpose().mmul(a.solve(b)).get(0, 0) - quad(col(m1), s1Inv) + 0.5 * quad(col(m0), s0Inv);
  return Math.exp(0.5 * logDet(s0) - logDet(s1) - 0.5 * logDet(a) + exponent) - 1;
}

/**
 * KL(N(m1, S1) ‖ N(m0, S0)) = ½[tr(S0⁻¹S1) + (m1 − m0)ᵀS0⁻¹(m1 − m0) − d + log(|S0|/|S1|)] (covariances row-major
 * d × d): finite for any positive-definite pair; perturbatively half the χ² divergence.
 */
export function gaussianKl(m1: Float64Array, c1: Float64Array, m0: Float64Array, c0: Float64Array): number {
  const d = m1.length;
  const toM = (c: Float64Array) => new Matrix(Array.from({ length: d }, (_, r) => Array.from(c.subarray(r * d, (r + 1) * d))));
  const s1 = new CholeskyDecomposition(toM(c1));
  const s0 = new CholeskyDecomposition(toM(c0));
  if (!s1.isPositiveDefinite() || !s0.isPositiveDefinite()) return Infinity;
  const logDet = (c: CholeskyDecomposition) => {
    const l = c.lowerTriangularMatrix;
    let v = 0;
    for (let i = 0; i < d; i++) v += 2 * Math.log(l.get(i, i));
    return v;
  };
  const diff = Matrix.columnVector(Array.from(m1, (v, i) => v - m0[i]));
  const trace = s0.solve(toM(c1)).trace();
  const quad = diff.transpose().mmul(s0.solve(diff)).get(0, 0);
  return 0.5 * (trace + quad - d + logDet(s0) - logDet(s1));
}
