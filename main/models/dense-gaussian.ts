/**
 * Float64 building blocks for Gaussian densities: Cholesky factors, log-densities and draws. Hand-written (rather than
 * ml-matrix) because the EM, KDE and exact-score loops call them per sample and per component, where plain loops over
 * Float64Array avoid an object per row and are several times faster.
 * Matrices are row-major d×d Float64Arrays.
 */
import { choleskySimd, drawGaussianRowsSimd, scatterLowerSimd } from './gaussian-simd';

const LOG_2PI = Math.log(2 * Math.PI);

/** Lower-triangular L with L·Lᵀ = a. Throws if `a` is not positive definite (names `what`). */
export function cholesky(a: Float64Array, d: number, what = 'matrix'): Float64Array {
  // the same factor in wasm SIMD, where it runs (main/models/gaussian-simd.ts)
  const fast = choleskySimd(a, d, what);
  if (fast) return fast;
  const l = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * d + j];
      for (let k = 0; k < j; k++) s -= l[i * d + k] * l[j * d + k];
      if (i === j) {
        if (!(s > 0)) throw new RangeError(`${what} is not positive definite (pivot ${i} = ${s}); raise the ridge`);
        l[i * d + i] = Math.sqrt(s);
      } else {
        l[i * d + j] = s / l[j * d + j];
      }
    }
  }
  return l;
}

/** log det of L·Lᵀ from its Cholesky factor. */
export function logDetFromCholesky(l: Float64Array, d: number): number {
  let s = 0;
  for (let i = 0; i < d; i++) s += Math.log(l[i * d + i]);
  return 2 * s;
}

/** ‖L⁻¹(x − mu)‖² by forward substitution; `work` has length d. */
export function mahalanobisSq(
  l: Float64Array,
  d: number,
  x: ArrayLike<number>,
  xOff: number,
  mu: ArrayLike<number>,
  muOff: number,
  work: Float64Array,
): number {
  let q = 0;
  for (let i = 0; i < d; i++) {
    let s = x[xOff + i] - mu[muOff + i];
    for (let k = 0; k < i; k++) s -= l[i * d + k] * work[k];
    const y = s / l[i * d + i];
    work[i] = y;
    q += y * y;
  }
  return q;
}

/** Log-density constant −½(d·log 2π + log det Σ). */
export function gaussianLogNorm(d: number, logDet: number): number {
  return -0.5 * (d * LOG_2PI + logDet);
}

/** out[off..off+d) = mu + L·z with z standard normal from `normal`. */
export function drawGaussian(
  l: Float64Array,
  d: number,
  mu: ArrayLike<number>,
  muOff: number,
  normal: () => number,
  out: Float32Array | Float64Array,
  off: number,
  z: Float64Array,
): void {
  for (let i = 0; i < d; i++) z[i] = normal();
  for (let i = 0; i < d; i++) {
    let s = mu[muOff + i];
    for (let k = 0; k <= i; k++) s += l[i * d + k] * z[k];
    out[off + i] = s;
  }
}

/**
 * n rows of mean + L·z into out[0 .. n·d), each z d standard normals from `normal`, drawn row after row: the rows of
 * drawGaussian, exactly (the same draws and the same sums in the same order), four rows at a time so that each entry
 * of L is read once per four rows.
 */
export function drawGaussianRows(
  l: Float64Array,
  d: number,
  mu: ArrayLike<number>,
  normal: () => number,
  out: Float32Array | Float64Array,
  n: number,
  /** Fills z with the next z.length values of `normal` at once (Rng.fillNormal), where that is faster. */
  fill?: (z: Float64Array) => void,
): void {
  // the same rows in wasm SIMD, where it runs (main/models/gaussian-simd.ts)
  if (out instanceof Float32Array && drawGaussianRowsSimd(l, d, mu, normal, out, n, fill)) return;
  const z = new Float64Array(4 * d);
  let r = 0;
  for (; r + 4 <= n; r += 4) {
    if (fill) fill(z);
    else for (let i = 0; i < 4 * d; i++) z[i] = normal();
    const o = r * d;
    for (let i = 0; i < d; i++) {
      const m = mu[i];
      let s0 = m;
      let s1 = m;
      let s2 = m;
      let s3 = m;
      const li = i * d;
      for (let k = 0; k <= i; k++) {
        const lik = l[li + k];
        s0 += lik * z[k];
        s1 += lik * z[d + k];
        s2 += lik * z[2 * d + k];
        s3 += lik * z[3 * d + k];
      }
      out[o + i] = s0;
      out[o + d + i] = s1;
      out[o + 2 * d + i] = s2;
      out[o + 3 * d + i] = s3;
    }
  }
  const one = z.subarray(0, d);
  for (; r < n; r++) drawGaussian(l, d, mu, 0, normal, out, r * d, one);
}

/**
 * Count, mean and scatter (the sum of the centred outer products, Σ (x − mean)(x − mean)ᵀ, lower triangle and
 * mirrored) of the rows of x [n, d], in float64. Two passes, the rows summed in order; four rows at a time, so that
 * each entry of the scatter is loaded and stored once per four rows (its sums are those of one row at a time).
 */
export interface RowMoments {
  n: number;
  mean: Float64Array;
  /** Row-major d×d, symmetric. */
  scatter: Float64Array;
}

export function rowMoments(x: ArrayLike<number>, n: number, d: number): RowMoments {
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const o = i * d;
    for (let j = 0; j < d; j++) mean[j] += x[o + j];
  }
  for (let j = 0; j < d; j++) mean[j] /= n;
  const m = new Float64Array(d * d);
  // the same sums in wasm SIMD, where it runs (main/models/gaussian-simd.ts)
  if (scatterLowerSimd(x, n, d, mean, m)) {
    for (let a = 0; a < d; a++) for (let b = 0; b < a; b++) m[b * d + a] = m[a * d + b];
    return { n, mean, scatter: m };
  }
  const c = new Float64Array(4 * d);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = i * d;
    for (let r = 0; r < 4; r++) for (let j = 0; j < d; j++) c[r * d + j] = x[o + r * d + j] - mean[j];
    for (let a = 0; a < d; a++) {
      const c0 = c[a];
      const c1 = c[d + a];
      const c2 = c[2 * d + a];
      const c3 = c[3 * d + a];
      const row = a * d;
      for (let b = 0; b <= a; b++) {
        let v = m[row + b];
        v += c0 * c[b];
        v += c1 * c[d + b];
        v += c2 * c[2 * d + b];
        v += c3 * c[3 * d + b];
        m[row + b] = v;
      }
    }
  }
  for (; i < n; i++) {
    const o = i * d;
    for (let j = 0; j < d; j++) c[j] = x[o + j] - mean[j];
    for (let a = 0; a < d; a++) {
      const ca = c[a];
      const row = a * d;
      for (let b = 0; b <= a; b++) m[row + b] += ca * c[b];
    }
  }
  for (let a = 0; a < d; a++) for (let b = 0; b < a; b++) m[b * d + a] = m[a * d + b];
  return { n, mean, scatter: m };
}

/**
 * The moments of two row sets together from each one's (Chan, Golub and LeVeque's pairwise update): the mean moves by
 * δ·n_b/n and the scatter gains δδᵀ·n_a·n_b/n, δ = mean_b − mean_a. Exact in real arithmetic; no pass over the rows.
 */
export function mergeRowMoments(a: RowMoments, b: RowMoments): RowMoments {
  if (a.n === 0) return b;
  if (b.n === 0) return a;
  const d = a.mean.length;
  const n = a.n + b.n;
  const delta = new Float64Array(d);
  const mean = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    delta[j] = b.mean[j] - a.mean[j];
    mean[j] = a.mean[j] + (delta[j] * b.n) / n;
  }
  const f = (a.n * b.n) / n;
  const scatter = new Float64Array(d * d);
  for (let r = 0; r < d; r++) {
    for (let c = 0; c < d; c++) scatter[r * d + c] = a.scatter[r * d + c] + b.scatter[r * d + c] + delta[r] * delta[c] * f;
  }
  return { n, mean, scatter };
}

/** log Σ exp(v[i]) for i < n, stable. */
export function logSumExp(v: ArrayLike<number>, n = v.length): number {
  let m = -Infinity;
  for (let i = 0; i < n; i++) if (v[i] > m) m = v[i];
  if (m === -Infinity) return -Infinity;
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.exp(v[i] - m);
  return m + Math.log(s);
}

/** Weighted mean and (biased, weights summing to 1 after normalisation) covariance of rows of x [n, d]. */
export function weightedMoments(
  x: ArrayLike<number>,
  n: number,
  d: number,
  w?: ArrayLike<number>,
): { mean: Float64Array; cov: Float64Array; weightSum: number } {
  if (!w) {
    // unweighted: the same sums in the same order, four rows at a time (rowMoments)
    const { mean, scatter } = rowMoments(x, n, d);
    for (let k = 0; k < d * d; k++) scatter[k] /= n;
    return { mean, cov: scatter, weightSum: n };
  }
  const mean = new Float64Array(d);
  let ws = 0;
  for (let i = 0; i < n; i++) {
    const wi = w ? w[i] : 1;
    ws += wi;
    for (let j = 0; j < d; j++) mean[j] += wi * x[i * d + j];
  }
  for (let j = 0; j < d; j++) mean[j] /= ws;
  const cov = new Float64Array(d * d);
  const c = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const wi = w ? w[i] : 1;
    if (wi === 0) continue;
    for (let j = 0; j < d; j++) c[j] = x[i * d + j] - mean[j];
    for (let a = 0; a < d; a++) {
      const ca = wi * c[a];
      for (let b = 0; b <= a; b++) cov[a * d + b] += ca * c[b];
    }
  }
  for (let a = 0; a < d; a++) {
    for (let b = 0; b <= a; b++) {
      cov[a * d + b] /= ws;
      cov[b * d + a] = cov[a * d + b];
    }
  }
  return { mean, cov, weightSum: ws };
}

/** A covariance given as a full matrix, a diagonal of variances, or one variance, as a d×d matrix. */
export function covarianceMatrix(c: number | number[] | number[][], d: number, what = 'covariance'): Float64Array {
  const m = new Float64Array(d * d);
  if (typeof c === 'number') {
    for (let i = 0; i < d; i++) m[i * d + i] = c;
  } else if (c.length > 0 && Array.isArray(c[0])) {
    const rows = c as number[][];
    if (rows.length !== d || rows.some((r) => r.length !== d)) throw new RangeError(`${what} must be ${d}×${d}`);
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) {
        if (Math.abs(rows[i][j] - rows[j][i]) > 1e-9 * (1 + Math.abs(rows[i][j]))) {
          throw new RangeError(`${what} is not symmetric at (${i}, ${j})`);
        }
        m[i * d + j] = rows[i][j];
      }
    }
  } else {
    const diag = c as number[];
    if (diag.length !== d) throw new RangeError(`${what} diagonal must have ${d} entries, got ${diag.length}`);
    for (let i = 0; i < d; i++) m[i * d + i] = diag[i];
  }
  return m;
}
