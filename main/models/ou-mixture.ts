import type { Rng } from '../util/random';
import { cholesky, logSumExp, mahalanobisSq } from './dense-gaussian';
import type { MixtureState } from './gmm-em';
import type { ScoreError } from './score-error';

/**
 * The Ornstein–Uhlenbeck forward process dX = −X dt + √2 dW applied to a Gaussian mixture, in closed form:
 * X_t = a·X_0 + √(1 − a²)·Z with a = e^(−t), so p_t = Σ_j w_j N(a μ_j, a² Σ_j + (1 − a²) I) and its score
 * ∇log p_t(x) = Σ_j r_j(x) C_j⁻¹ (m_j − x) (r_j the responsibilities). An empirical measure (Diracs at the data
 * points) is the special case Σ_j = 0, with one isotropic covariance (1 − a²) I for every component.
 * Samplers integrate the reverse-time SDE or the probability-flow ODE with this exact score from the horizon T
 * (started from N(0, I), the stationary law) down to the truncation time δ; `exact` draws from p_δ directly.
 */

/** A Gaussian mixture with full covariances, or an empirical measure (Diracs at `means`, covs absent). */
export interface OuSource {
  k: number;
  d: number;
  weights: Float64Array;
  means: Float64Array; // [k, d]
  /** [k, d, d]; absent for Diracs. */
  covs?: Float64Array;
}

export function sourceFromMixture(s: MixtureState): OuSource {
  const { k, d } = s;
  if (s.covariance === 'full') return { k, d, weights: s.weights, means: s.means, covs: s.covs };
  const covs = new Float64Array(k * d * d);
  for (let j = 0; j < k; j++) for (let a = 0; a < d; a++) covs[j * d * d + a * d + a] = s.covs[j * d + a];
  return { k, d, weights: s.weights, means: s.means, covs };
}

export function sourceFromData(x: ArrayLike<number>, n: number, d: number): OuSource {
  return { k: n, d, weights: new Float64Array(n).fill(1 / n), means: Float64Array.from(x as ArrayLike<number>), covs: undefined };
}

/** p_t as a full-covariance mixture (Diracs become Gaussians with covariance (1 − a²) I). */
export function noisedMixture(src: OuSource, t: number): MixtureState {
  const { k, d } = src;
  const a = Math.exp(-t);
  const means = new Float64Array(k * d);
  for (let i = 0; i < k * d; i++) means[i] = a * src.means[i];
  const covs = new Float64Array(k * d * d);
  for (let j = 0; j < k; j++) {
    for (let r = 0; r < d; r++) {
      for (let c = 0; c < d; c++) {
        const base = src.covs ? a * a * src.covs[j * d * d + r * d + c] : 0;
        covs[j * d * d + r * d + c] = base + (r === c ? 1 - a * a : 0);
      }
    }
  }
  return { k, d, covariance: 'full', weights: Float64Array.from(src.weights), means, covs };
}

/** Evaluates ∇log p_t at points for one fixed t (factorisations cached per t). */
export class OuScore {
  private readonly a: number;
  private readonly v: number; // 1 − a²
  private readonly chol: Float64Array[] = [];
  private readonly logNorm: Float64Array;
  private readonly lj: Float64Array;
  private readonly work: Float64Array;
  private readonly diff: Float64Array;

  constructor(
    private readonly src: OuSource,
    t: number,
  ) {
    const { k, d } = src;
    this.a = Math.exp(-t);
    this.v = -Math.expm1(-2 * t);
    this.logNorm = new Float64Array(k);
    this.lj = new Float64Array(k);
    this.work = new Float64Array(d);
    this.diff = new Float64Array(d);
    if (src.covs) {
      const p = noisedMixture(src, t);
      for (let j = 0; j < k; j++) {
        const l = cholesky(p.covs.subarray(j * d * d, (j + 1) * d * d), d, `noised component ${j} covariance`);
        this.chol.push(l);
        let ld = 0;
        for (let i = 0; i < d; i++) ld += Math.log(l[i * d + i]);
        this.logNorm[j] = Math.log(src.weights[j]) - ld;
      }
    } else {
      for (let j = 0; j < k; j++) this.logNorm[j] = Math.log(src.weights[j]);
    }
  }

  /** out[outOff..] = ∇log p_t(x[xOff..]). */
  score(x: ArrayLike<number>, xOff: number, out: Float64Array, outOff: number): void {
    const { k, d } = this.src;
    const a = this.a;
    const m = this.src.means;
    const lj = this.lj;
    for (let i = 0; i < d; i++) out[outOff + i] = 0;
    if (!this.src.covs) {
      // Diracs: one isotropic covariance v·I, score = (Σ r_j a x_j − x) / v
      for (let j = 0; j < k; j++) {
        let q = 0;
        for (let i = 0; i < d; i++) {
          const t = x[xOff + i] - a * m[j * d + i];
          q += t * t;
        }
        lj[j] = this.logNorm[j] - (0.5 * q) / this.v;
      }
      const lse = logSumExp(lj, k);
      for (let j = 0; j < k; j++) {
        const r = Math.exp(lj[j] - lse);
        if (r < 1e-300) continue;
        for (let i = 0; i < d; i++) out[outOff + i] += r * a * m[j * d + i];
      }
      for (let i = 0; i < d; i++) out[outOff + i] = (out[outOff + i] - x[xOff + i]) / this.v;
      return;
    }
    const am = this.diff;
    for (let j = 0; j < k; j++) {
      for (let i = 0; i < d; i++) am[i] = a * m[j * d + i];
      lj[j] = this.logNorm[j] - 0.5 * mahalanobisSq(this.chol[j], d, x, xOff, am, 0, this.work);
    }
    const lse = logSumExp(lj, k);
    for (let j = 0; j < k; j++) {
      const r = Math.exp(lj[j] - lse);
      if (r < 1e-300) continue;
      // C⁻¹(a μ − x) = −L⁻ᵀ L⁻¹ (x − a μ)
      const l = this.chol[j];
      for (let i = 0; i < d; i++) am[i] = a * m[j * d + i];
      mahalanobisSq(l, d, x, xOff, am, 0, this.work); // work = L⁻¹(x − aμ)
      for (let i = d - 1; i >= 0; i--) {
        let s = this.work[i];
        for (let c = i + 1; c < d; c++) s -= l[c * d + i] * this.diff[c];
        this.diff[i] = s / l[i * d + i];
      }
      for (let i = 0; i < d; i++) out[outOff + i] -= r * this.diff[i];
    }
  }
}

export type OuSampler = 'sde' | 'ode' | 'exact';

export interface OuSampleOptions {
  sampler: OuSampler;
  /** Truncation time δ > 0. */
  delta: number;
  /** Horizon T > δ. */
  horizon: number;
  steps: number;
  rng: Rng;
  /** Called between time steps (e.g. to check an abort signal). */
  onStep?: (step: number) => void;
  /** The reverse SDE's integrator: exponential Euler–Maruyama (default) or stochastic Heun. */
  integrator?: 'euler' | 'heun';
  /** Sample with the perturbed score ∇log p_t + e_t instead of the exact one (score-error.ts); sde and ode only. */
  scoreError?: ScoreError;
}

/** Geometric time grid T = t_0 > … > t_S = δ (dense near δ, where the score changes fastest). */
export function timeGrid(horizon: number, delta: number, steps: number): Float64Array {
  const g = new Float64Array(steps + 1);
  for (let i = 0; i <= steps; i++) g[i] = horizon * Math.pow(delta / horizon, i / steps);
  g[steps] = delta;
  return g;
}

/**
 * n draws approximately from p_δ. sde: exponential-integrator Euler–Maruyama of the reverse SDE
 * dY = [Y + 2∇log p] dτ + √2 dW; ode: Heun's method in exponential-integrator form for dY = [Y + ∇log p] dτ.
 */
export function sampleOu(src: OuSource, n: number, o: OuSampleOptions): Float64Array {
  const d = src.d;
  if (!(o.delta > 0)) throw new RangeError(`truncation time δ must be > 0, got ${o.delta}`);
  const pe = o.scoreError?.active ? o.scoreError : undefined;
  if (pe && o.sampler === 'exact') throw new RangeError('a score error needs a sampler that uses the score (sde or ode), not exact');
  if (o.sampler === 'exact') {
    const p = noisedMixture(src, o.delta);
    const out = new Float64Array(n * d);
    const chol: Float64Array[] = [];
    for (let j = 0; j < p.k; j++) chol.push(cholesky(p.covs.subarray(j * d * d, (j + 1) * d * d), d));
    const z = new Float64Array(d);
    for (let r = 0; r < n; r++) {
      const j = pickIndex(p.weights, o.rng);
      for (let i = 0; i < d; i++) z[i] = o.rng.normal();
      const l = chol[j];
      for (let i = 0; i < d; i++) {
        let v = p.means[j * d + i];
        for (let c = 0; c <= i; c++) v += l[i * d + c] * z[c];
        out[r * d + i] = v;
      }
    }
    return out;
  }
  if (!(o.horizon > o.delta)) throw new RangeError(`horizon ${o.horizon} must exceed δ = ${o.delta}`);
  const y = new Float64Array(n * d);
  for (let i = 0; i < y.length; i++) y[i] = o.rng.normal();
  const grid = timeGrid(o.horizon, o.delta, o.steps);
  const s1 = new Float64Array(d);
  const s2 = new Float64Array(d);
  const pred = new Float64Array(d);
  const work = new Float64Array(2 * d);
  const zeta = new Float64Array(d);
  let current = new OuScore(src, grid[0]);
  for (let step = 0; step < o.steps; step++) {
    o.onStep?.(step);
    const t = grid[step];
    const tNext = grid[step + 1];
    const h = t - tNext;
    const eh = Math.exp(h);
    const em1 = Math.expm1(h);
    const next = new OuScore(src, tNext);
    if (o.sampler === 'sde' && o.integrator === 'heun') {
      // stochastic Heun (additive noise): the drift averaged at both ends with one noise draw; stable for the
      // rotation-like drifts of a solenoidal score error, where Euler inflates the samples step by step
      const noise = Math.sqrt(Math.expm1(2 * h));
      for (let r = 0; r < n; r++) {
        current.score(y, r * d, s1, 0);
        pe?.perturb(y, r * d, s1, 0, work);
        for (let i = 0; i < d; i++) {
          zeta[i] = noise * o.rng.normal();
          pred[i] = eh * y[r * d + i] + 2 * em1 * s1[i] + zeta[i];
        }
        next.score(pred, 0, s2, 0);
        pe?.perturb(pred, 0, s2, 0, work);
        for (let i = 0; i < d; i++) y[r * d + i] = eh * y[r * d + i] + em1 * (s1[i] + s2[i]) + zeta[i];
      }
    } else if (o.sampler === 'sde') {
      const noise = Math.sqrt(Math.expm1(2 * h));
      for (let r = 0; r < n; r++) {
        current.score(y, r * d, s1, 0);
        pe?.perturb(y, r * d, s1, 0, work);
        for (let i = 0; i < d; i++) y[r * d + i] = eh * y[r * d + i] + 2 * em1 * s1[i] + noise * o.rng.normal();
      }
    } else {
      for (let r = 0; r < n; r++) {
        current.score(y, r * d, s1, 0);
        pe?.perturb(y, r * d, s1, 0, work);
        for (let i = 0; i < d; i++) pred[i] = eh * y[r * d + i] + em1 * s1[i];
        next.score(pred, 0, s2, 0);
        pe?.perturb(pred, 0, s2, 0, work);
        for (let i = 0; i < d; i++) y[r * d + i] = eh * y[r * d + i] + em1 * 0.5 * (s1[i] + s2[i]);
      }
    }
    current = next;
  }
  return y;
}

function pickIndex(w: Float64Array, rng: Rng): number {
  let total = 0;
  for (let j = 0; j < w.length; j++) total += w[j];
  let u = rng.uniform() * total;
  for (let j = 0; j < w.length; j++) {
    u -= w[j];
    if (u < 0) return j;
  }
  return w.length - 1;
}
