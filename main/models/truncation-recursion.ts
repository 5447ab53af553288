import type { MixtureState } from './gmm-em';

/**
 * The closed-form laws of seed 001's recursion, for a Gaussian-mixture truth p₀ and the exact score. Generation g
 * trains on T_g (T₀ = p₀; T_g = λ·p₀ + (1 − λ)·q_{g−1} under the loop's `mixed:λ`, λ = 0 under `replace`) and its
 * samples follow q_g = OU_{δ_g} T_g, where OU_t maps N(μ, Σ) to N(e^(−t)μ, e^(−2t)Σ + (1 − e^(−2t))I). Unrolled:
 *   q_g = Σ_{j<g} λ(1 − λ)^j · OU_{δ_g + … + δ_{g−j}} p₀ + (1 − λ)^g · OU_{δ_g + … + δ₀} p₀,
 * and with a constant δ the limit is q_∞ = Σ_{j≥0} λ(1 − λ)^j · OU_{(j+1)δ} p₀ (the training law's limit is
 * Σ_j λ(1 − λ)^j OU_{jδ} p₀, seed 001's "infinite mixture of increasingly Gaussian-smoothed versions"); with λ = 0 it is
 * N(0, I). These are the references the measured samples are drawn beside (no estimation or sampling error).
 */

/** OU_t applied to a full-covariance mixture, each component weighted by `scale` (weights are not renormalised). */
function ouComponents(p: MixtureState, t: number, scale: number): { weights: number[]; means: number[]; covs: number[] } {
  const { k, d } = p;
  const a = Math.exp(-t);
  const v = -Math.expm1(-2 * t);
  const weights: number[] = [];
  const means: number[] = [];
  const covs: number[] = [];
  for (let j = 0; j < k; j++) {
    weights.push(scale * p.weights[j]);
    for (let r = 0; r < d; r++) means.push(a * p.means[j * d + r]);
    for (let r = 0; r < d; r++) {
      for (let c = 0; c < d; c++) {
        const base = p.covariance === 'full' ? p.covs[j * d * d + r * d + c] : r === c ? p.covs[j * d + r] : 0;
        covs.push(a * a * base + (r === c ? v : 0));
      }
    }
  }
  return { weights, means, covs };
}

/** A mixture Σ_i w_i · OU_{t_i} p₀ from (w_i, t_i) pairs (weights summing to 1). */
function smoothedMixture(p0: MixtureState, terms: { weight: number; time: number }[]): MixtureState {
  const weights: number[] = [];
  const means: number[] = [];
  const covs: number[] = [];
  for (const { weight, time } of terms) {
    if (!(weight > 0)) continue;
    const c = ouComponents(p0, time, weight);
    weights.push(...c.weights);
    means.push(...c.means);
    covs.push(...c.covs);
  }
  let total = 0;
  for (const w of weights) total += w;
  return {
    k: weights.length,
    d: p0.d,
    covariance: 'full',
    weights: Float64Array.from(weights, (w) => w / total),
    means: Float64Array.from(means),
    covs: Float64Array.from(covs),
  };
}

function checkShare(lambda: number): void {
  if (!(lambda >= 0 && lambda <= 1)) throw new RangeError(`the share of fresh real data λ must be in [0, 1], got ${lambda}`);
}

/**
 * q_g of the exact recursion for the truncation times deltas[0..g] (δ of generations 0..g) and fresh-data share λ.
 */
export function idealRecursionLaw(p0: MixtureState, deltas: readonly number[], lambda: number): MixtureState {
  checkShare(lambda);
  const g = deltas.length - 1;
  if (g < 0) throw new RangeError('idealRecursionLaw needs the truncation time of at least generation 0');
  deltas.forEach((d, i) => {
    if (!(d >= 0)) throw new RangeError(`truncation time of generation ${i} must be ≥ 0, got ${d}`);
  });
  const terms: { weight: number; time: number }[] = [];
  let time = 0;
  for (let j = 0; j <= g; j++) {
    time += deltas[g - j];
    terms.push({ weight: j < g ? lambda * Math.pow(1 - lambda, j) : Math.pow(1 - lambda, g), time });
  }
  return smoothedMixture(p0, terms);
}

/**
 * q_∞ of the constant schedule δ with fresh-data share λ: Σ_{j≥0} λ(1 − λ)^j OU_{(j+1)δ} p₀, the series cut where
 * either the remaining weight (1 − λ)^J is below 1e-12 or OU_{(J+1)δ} is within e^(−(J+1)δ) < 1e-9 of N(0, I), the
 * remaining weight then put on the last term (so the total stays 1). λ = 0 gives N(0, I).
 */
export function constantScheduleLimit(p0: MixtureState, delta: number, lambda: number): MixtureState {
  checkShare(lambda);
  if (!(delta > 0)) throw new RangeError(`the constant truncation time must be > 0 for a limit, got ${delta}`);
  const d = p0.d;
  if (lambda === 0) {
    const covs = new Float64Array(d * d);
    for (let r = 0; r < d; r++) covs[r * d + r] = 1;
    return { k: 1, d, covariance: 'full', weights: Float64Array.of(1), means: new Float64Array(d), covs };
  }
  const byWeight = lambda === 1 ? 1 : Math.ceil(Math.log(1e-12) / Math.log(1 - lambda));
  const byMixing = Math.ceil(Math.log(1e9) / delta);
  const J = Math.max(1, Math.min(byWeight, byMixing));
  const terms: { weight: number; time: number }[] = [];
  for (let j = 0; j < J; j++) terms.push({ weight: lambda * Math.pow(1 - lambda, j), time: (j + 1) * delta });
  terms.push({ weight: Math.pow(1 - lambda, J), time: (J + 1) * delta });
  return smoothedMixture(p0, terms);
}
