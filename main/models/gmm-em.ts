import { Rng } from '../util/random';
import { cholesky, gaussianLogNorm, logDetFromCholesky, logSumExp, mahalanobisSq } from './dense-gaussian';

/**
 * Expectation–maximisation for a Gaussian mixture in plain Float64 math (sklearn's GaussianMixture, by description):
 * k-means++ seeding refined by Lloyd iterations, log-sum-exp responsibilities, covariances plus `ridge`·I
 * (sklearn's reg_covar), stop when the mean log-likelihood gains less than `tol`.
 */

export type CovarianceType = 'full' | 'diag';

export interface MixtureState {
  k: number;
  d: number;
  covariance: CovarianceType;
  weights: Float64Array; // [k]
  means: Float64Array; // [k, d]
  /** full: [k, d, d]; diag: [k, d] variances. */
  covs: Float64Array;
}

export interface EmOptions {
  k: number;
  covariance: CovarianceType;
  maxIter: number;
  tol: number;
  ridge: number;
  kmeansIter: number;
  rng: Rng;
  /** Called after each EM iteration with the mean negative log-likelihood; may throw to abort. */
  onIteration?: (iter: number, meanNll: number) => void;
}

export interface EmResult {
  state: MixtureState;
  /** Mean negative log-likelihood per sample after each iteration. */
  nll: number[];
  converged: boolean;
}

/** Per-component Cholesky factors (full) or standard deviations (diag), with log-normalising constants. */
export interface MixtureFactors {
  chol: Float64Array[]; // full: d×d lower; diag: d standard deviations
  logNorm: Float64Array; // log w_j − ½(d log 2π + log det Σ_j)
}

export function mixtureFactors(s: MixtureState, what = 'mixture component'): MixtureFactors {
  const { k, d } = s;
  const chol: Float64Array[] = [];
  const logNorm = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    if (s.covariance === 'full') {
      const l = cholesky(s.covs.subarray(j * d * d, (j + 1) * d * d), d, `${what} ${j} covariance`);
      chol.push(l);
      logNorm[j] = Math.log(s.weights[j]) + gaussianLogNorm(d, logDetFromCholesky(l, d));
    } else {
      const sd = new Float64Array(d);
      let ld = 0;
      for (let i = 0; i < d; i++) {
        const v = s.covs[j * d + i];
        if (!(v > 0)) throw new RangeError(`${what} ${j} variance ${i} is ${v}; raise the ridge`);
        sd[i] = Math.sqrt(v);
        ld += Math.log(v);
      }
      chol.push(sd);
      logNorm[j] = Math.log(s.weights[j]) + gaussianLogNorm(d, ld);
    }
  }
  return { chol, logNorm };
}

/**
 * Log joint densities log(w_j N(x_i | μ_j, Σ_j)) for one row into out[k]; returns log p(x_i).
 */
export function rowLogJoint(
  s: MixtureState,
  f: MixtureFactors,
  x: ArrayLike<number>,
  off: number,
  out: Float64Array,
  work: Float64Array,
): number {
  const { k, d } = s;
  for (let j = 0; j < k; j++) {
    let q: number;
    if (s.covariance === 'full') {
      q = mahalanobisSq(f.chol[j], d, x, off, s.means, j * d, work);
    } else {
      q = 0;
      const sd = f.chol[j];
      for (let i = 0; i < d; i++) {
        const z = (x[off + i] - s.means[j * d + i]) / sd[i];
        q += z * z;
      }
    }
    out[j] = f.logNorm[j] - 0.5 * q;
  }
  return logSumExp(out, k);
}

/** Mean log-likelihood of rows of x under the mixture. */
export function mixtureMeanLogLik(s: MixtureState, x: ArrayLike<number>, n: number): number {
  const f = mixtureFactors(s);
  const lj = new Float64Array(s.k);
  const work = new Float64Array(s.d);
  let t = 0;
  for (let i = 0; i < n; i++) t += rowLogJoint(s, f, x, i * s.d, lj, work);
  return t / n;
}

/** k-means++ seeding (Arthur & Vassilvitskii 2007) then Lloyd iterations; returns hard labels. */
export function kmeansLabels(x: ArrayLike<number>, n: number, d: number, k: number, iters: number, rng: Rng): Int32Array {
  const centers = new Float64Array(k * d);
  const dist = new Float64Array(n).fill(Infinity);
  const sq = (i: number, c: Float64Array, j: number) => {
    let s = 0;
    for (let a = 0; a < d; a++) {
      const t = x[i * d + a] - c[j * d + a];
      s += t * t;
    }
    return s;
  };
  let pick = rng.int(n);
  for (let j = 0; j < k; j++) {
    for (let a = 0; a < d; a++) centers[j * d + a] = x[pick * d + a];
    let total = 0;
    for (let i = 0; i < n; i++) {
      const v = sq(i, centers, j);
      if (v < dist[i]) dist[i] = v;
      total += dist[i];
    }
    if (j === k - 1) break;
    if (total <= 0) {
      pick = rng.int(n);
      continue;
    }
    let u = rng.uniform() * total;
    pick = n - 1;
    for (let i = 0; i < n; i++) {
      u -= dist[i];
      if (u < 0) {
        pick = i;
        break;
      }
    }
  }
  const labels = new Int32Array(n);
  const counts = new Float64Array(k);
  for (let it = 0; it <= iters; it++) {
    let changed = 0;
    for (let i = 0; i < n; i++) {
      let best = 0;
      let bd = Infinity;
      for (let j = 0; j < k; j++) {
        const v = sq(i, centers, j);
        if (v < bd) {
          bd = v;
          best = j;
        }
      }
      if (labels[i] !== best || it === 0) changed++;
      labels[i] = best;
    }
    if (it === iters || changed === 0) break;
    centers.fill(0);
    counts.fill(0);
    for (let i = 0; i < n; i++) {
      const j = labels[i];
      counts[j]++;
      for (let a = 0; a < d; a++) centers[j * d + a] += x[i * d + a];
    }
    for (let j = 0; j < k; j++) {
      if (counts[j] === 0) {
        // an empty cluster restarts at a random point
        const r = rng.int(n);
        for (let a = 0; a < d; a++) centers[j * d + a] = x[r * d + a];
      } else {
        for (let a = 0; a < d; a++) centers[j * d + a] /= counts[j];
      }
    }
  }
  return labels;
}

/** M-step: mixture parameters from responsibilities resp [n, k]. */
export function mStep(
  x: ArrayLike<number>,
  n: number,
  d: number,
  resp: Float64Array,
  k: number,
  covariance: CovarianceType,
  ridge: number,
): MixtureState {
  const nk = new Float64Array(k);
  const means = new Float64Array(k * d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) {
      const r = resp[i * k + j];
      if (r === 0) continue;
      nk[j] += r;
      for (let a = 0; a < d; a++) means[j * d + a] += r * x[i * d + a];
    }
  }
  const tiny = 10 * Number.EPSILON;
  for (let j = 0; j < k; j++) {
    nk[j] += tiny; // as sklearn: keeps empty components finite
    for (let a = 0; a < d; a++) means[j * d + a] /= nk[j];
  }
  const covs = new Float64Array(covariance === 'full' ? k * d * d : k * d);
  const c = new Float64Array(d);
  for (let j = 0; j < k; j++) {
    const base = covariance === 'full' ? j * d * d : j * d;
    for (let i = 0; i < n; i++) {
      const r = resp[i * k + j];
      if (r === 0) continue;
      for (let a = 0; a < d; a++) c[a] = x[i * d + a] - means[j * d + a];
      if (covariance === 'full') {
        for (let a = 0; a < d; a++) {
          const ca = r * c[a];
          for (let b = 0; b <= a; b++) covs[base + a * d + b] += ca * c[b];
        }
      } else {
        for (let a = 0; a < d; a++) covs[base + a] += r * c[a] * c[a];
      }
    }
    if (covariance === 'full') {
      for (let a = 0; a < d; a++) {
        for (let b = 0; b <= a; b++) {
          const v = covs[base + a * d + b] / nk[j];
          covs[base + a * d + b] = v;
          covs[base + b * d + a] = v;
        }
        covs[base + a * d + a] += ridge;
      }
    } else {
      for (let a = 0; a < d; a++) covs[base + a] = covs[base + a] / nk[j] + ridge;
    }
  }
  const weights = new Float64Array(k);
  for (let j = 0; j < k; j++) weights[j] = nk[j] / n;
  return { k, d, covariance, weights, means, covs };
}

/** E-step: fills resp [n, k] and returns the mean log-likelihood. */
export function eStep(s: MixtureState, x: ArrayLike<number>, n: number, resp: Float64Array): number {
  const f = mixtureFactors(s);
  const lj = new Float64Array(s.k);
  const work = new Float64Array(s.d);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const lse = rowLogJoint(s, f, x, i * s.d, lj, work);
    total += lse;
    for (let j = 0; j < s.k; j++) resp[i * s.k + j] = Math.exp(lj[j] - lse);
  }
  return total / n;
}

export function fitMixtureEm(x: ArrayLike<number>, n: number, d: number, o: EmOptions): EmResult {
  if (n < o.k) throw new RangeError(`gmm: ${n} samples cannot fit ${o.k} components`);
  const labels = kmeansLabels(x, n, d, o.k, o.kmeansIter, o.rng);
  const resp = new Float64Array(n * o.k);
  for (let i = 0; i < n; i++) resp[i * o.k + labels[i]] = 1;
  let state = mStep(x, n, d, resp, o.k, o.covariance, o.ridge);
  const nll: number[] = [];
  let prev = -Infinity;
  let converged = false;
  for (let it = 1; it <= o.maxIter; it++) {
    const ll = eStep(state, x, n, resp);
    state = mStep(x, n, d, resp, o.k, o.covariance, o.ridge);
    nll.push(-ll);
    o.onIteration?.(it, -ll);
    if (Math.abs(ll - prev) < o.tol) {
      converged = true;
      break;
    }
    prev = ll;
  }
  return { state, nll, converged };
}

/** n draws from the mixture, row-major [n, d]. */
export function sampleMixture(s: MixtureState, n: number, rng: Rng): Float32Array {
  const { k, d } = s;
  const f = mixtureFactors(s);
  const out = new Float32Array(n * d);
  const z = new Float64Array(d);
  const cum = new Float64Array(k);
  let acc = 0;
  for (let j = 0; j < k; j++) cum[j] = acc += s.weights[j];
  const normal = () => rng.normal();
  for (let i = 0; i < n; i++) {
    const u = rng.uniform() * acc;
    let j = 0;
    while (j < k - 1 && u >= cum[j]) j++;
    if (s.covariance === 'full') {
      const l = f.chol[j];
      for (let a = 0; a < d; a++) z[a] = normal();
      for (let a = 0; a < d; a++) {
        let v = s.means[j * d + a];
        for (let b = 0; b <= a; b++) v += l[a * d + b] * z[b];
        out[i * d + a] = v;
      }
    } else {
      const sd = f.chol[j];
      for (let a = 0; a < d; a++) out[i * d + a] = s.means[j * d + a] + sd[a] * normal();
    }
  }
  return out;
}
