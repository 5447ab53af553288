import type { Rng } from '../util/random';
import { boxAround, divergencesOnGrid, sampleKdeLogDensity, type LogDensityFn } from '../metrics/tv-distance';
import { cholesky } from './dense-gaussian';
import { mixtureFactors, rowLogJoint, type MixtureState } from './gmm-em';
import { gaussianW2, mixtureMoments, sampleMoments } from './mixture-distances';
import { OuScore, sampleOu, timeGrid, type OuSource } from './ou-mixture';
import type { ScoreError } from './score-error';

/**
 * Measures of a score error e_t = ŝ_t − ∇log p_t along the reverse process, and of how far its samples are from the
 * exact ones (issue: score-error geometry).
 *
 * - scoreErrorL2 = ∫_δ^T E_{p_t}‖e_t‖² dt, by Monte Carlo at each time of a geometric grid and the trapezoid rule in
 *   t. By Girsanov this bounds KL(p_δ ‖ law of the samples) for the reverse SDE dY = [Y + 2ŝ] dτ + √2 dW (drift error
 *   2e, diffusion √2: KL ≤ ½∫E‖2e/√2‖² = ∫E‖e‖²): the naive bound.
 * - scoreErrorGradient = ∫_δ^T ‖Π e_t‖² dt, the size of the gradient (Helmholtz–Hodge) component with respect to p_t,
 *   estimated from samples without knowing the decomposition: by the dual Sobolev form sup_f E[e·∇f]² / E‖∇f‖² over
 *   f in a polynomial basis (degree ≤ 3 in up to 3 dimensions, ≤ 2 above), i.e. bᵀG⁻¹b with G_kl = E[∇f_k·∇f_l],
 *   b_k = E[e·∇f_k] — the least-squares projection of e on the gradients of the basis. A solenoidal e has
 *   E[e·∇f] = −∫f ∇·(p e) = 0 for every f, so it reports ≈ 0; only this part enters the Fokker–Planck equation, so
 *   it is the paper's bound on the KL. Standard errors from 8 independent batches at each time.
 */
export interface ScoreErrorMeasures {
  scoreErrorL2: number;
  scoreErrorL2Stderr: number;
  scoreErrorGradient: number;
  scoreErrorGradientStderr: number;
}

export function measureScoreError(
  src: OuSource,
  err: ScoreError,
  o: { delta: number; horizon: number; times: number; samples: number; rng: Rng },
): ScoreErrorMeasures {
  const grid = timeGrid(o.horizon, o.delta, o.times - 1); // T … δ
  const at = Array.from(grid, (t) => scoreErrorAt(src, err, t, o.samples, o.rng));
  const pick = (f: (m: ScoreErrorAtTime) => number) => Float64Array.from(at, f);
  return {
    scoreErrorL2: trapezoid(
      grid,
      pick((m) => m.l2),
    ),
    scoreErrorL2Stderr: trapezoidStderr(
      grid,
      pick((m) => m.l2Stderr),
    ),
    scoreErrorGradient: trapezoid(
      grid,
      pick((m) => m.gradient),
    ),
    scoreErrorGradientStderr: trapezoidStderr(
      grid,
      pick((m) => m.gradientStderr),
    ),
  };
}

/** E_{p_t}‖e_t‖² and the gradient component's size ‖Πe_t‖² at one time, with standard errors from 8 batches. */
export interface ScoreErrorAtTime {
  l2: number;
  l2Stderr: number;
  gradient: number;
  gradientStderr: number;
}

export function scoreErrorAt(src: OuSource, err: ScoreError, t: number, samples: number, rng: Rng): ScoreErrorAtTime {
  const d = src.d;
  const batches = 8;
  const perBatch = Math.max(8, Math.floor(samples / batches));
  const basis = polynomialBasis(d);
  const m = basis.count;
  const e = new Float64Array(d);
  const s = new Float64Array(d);
  const work = new Float64Array(2 * d);
  const grads = new Float64Array(m * d);
  const score = new OuScore(src, t);
  const x = sampleOu(src, perBatch * batches, { sampler: 'exact', delta: t, horizon: t + 1, steps: 1, rng });
  const perBatchL2: number[] = [];
  const perBatchGr: number[] = [];
  // per batch, the Gram matrix G and b = E[e·∇f] of each half, for the cross-fitted dual Sobolev form
  const G = [new Float64Array(m * m), new Float64Array(m * m)];
  const b = [new Float64Array(m), new Float64Array(m)];
  for (let bi = 0; bi < batches; bi++) {
    for (const a of [...G, ...b]) a.fill(0);
    let sq = 0;
    const first = bi * perBatch;
    const half = first + Math.floor(perBatch / 2);
    for (let r = first; r < first + perBatch; r++) {
      score.score(x, r * d, s, 0);
      err.error(x, r * d, s, 0, e, work);
      for (let i = 0; i < d; i++) sq += e[i] * e[i];
      basis.gradients(x, r * d, grads);
      const h = r < half ? 0 : 1;
      for (let k = 0; k < m; k++) {
        let eg = 0;
        for (let i = 0; i < d; i++) eg += e[i] * grads[k * d + i];
        b[h][k] += eg;
        for (let l = 0; l <= k; l++) {
          let gg = 0;
          for (let i = 0; i < d; i++) gg += grads[k * d + i] * grads[l * d + i];
          G[h][k * m + l] += gg;
        }
      }
    }
    const sizes = [half - first, first + perBatch - half];
    for (let h = 0; h < 2; h++) {
      for (let k = 0; k < m; k++) {
        b[h][k] /= sizes[h];
        for (let l = 0; l <= k; l++) G[h][l * m + k] = G[h][k * m + l] /= sizes[h];
      }
    }
    perBatchL2.push(sq / perBatch);
    perBatchGr.push(0.5 * (crossFitted(G[0], b[0], b[1], m) + crossFitted(G[1], b[1], b[0], m)));
  }
  const [l2, l2Stderr] = meanAndStderr(perBatchL2);
  const [gradient, gradientStderr] = meanAndStderr(perBatchGr);
  return { l2, l2Stderr, gradient, gradientStderr };
}

/**
 * The dual Sobolev form sup over f in the basis's span of E[e·∇f]² / E‖∇f‖² = bᵀG⁻¹b, cross-fitted: the
 * least-squares coefficients c = G⁻¹b of one half of the sample, scored on the other half's b' (c·b'). Plain bᵀG⁻¹b
 * is biased upwards by about (basis size / n)·E‖e‖², which would make a solenoidal error look like a gradient one;
 * the cross-fitted value is unbiased for a field in the span and has mean 0 for one orthogonal to every gradient. A
 * tiny ridge keeps G invertible.
 */
function crossFitted(G: Float64Array, b: Float64Array, bOther: Float64Array, m: number): number {
  let tr = 0;
  for (let k = 0; k < m; k++) tr += G[k * m + k];
  const a = Float64Array.from(G);
  for (let k = 0; k < m; k++) a[k * m + k] += 1e-10 * (tr / m) + 1e-300;
  const l = cholesky(a, m, 'Gram matrix of the basis gradients');
  // c = G⁻¹b by forward then back substitution, then c·b'
  const y = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let v = b[i];
    for (let k = 0; k < i; k++) v -= l[i * m + k] * y[k];
    y[i] = v / l[i * m + i];
  }
  const c = new Float64Array(m);
  for (let i = m - 1; i >= 0; i--) {
    let v = y[i];
    for (let k = i + 1; k < m; k++) v -= l[k * m + i] * c[k];
    c[i] = v / l[i * m + i];
  }
  let q = 0;
  for (let i = 0; i < m; i++) q += c[i] * bOther[i];
  return q;
}

/** The monomials of degree 1 … D in d variables (D = 3 for d ≤ 3, else 2), as gradients at a point. */
export function polynomialBasis(d: number): { count: number; gradients: (x: ArrayLike<number>, off: number, out: Float64Array) => void } {
  const degree = d <= 3 ? 3 : 2;
  const exps: number[][] = [];
  const walk = (i: number, left: number, cur: number[]) => {
    if (i === d) {
      if (cur.some((v) => v > 0)) exps.push([...cur]);
      return;
    }
    for (let p = 0; p <= left; p++) {
      cur[i] = p;
      walk(i + 1, left - p, cur);
    }
    cur[i] = 0;
  };
  walk(0, degree, new Array(d).fill(0));
  return {
    count: exps.length,
    gradients(x, off, out) {
      for (let k = 0; k < exps.length; k++) {
        const ex = exps[k];
        for (let i = 0; i < d; i++) {
          if (ex[i] === 0) {
            out[k * d + i] = 0;
            continue;
          }
          let v = ex[i] * Math.pow(x[off + i], ex[i] - 1);
          for (let j = 0; j < d; j++) if (j !== i && ex[j] > 0) v *= Math.pow(x[off + j], ex[j]);
          out[k * d + i] = v;
        }
      }
    },
  };
}

function meanAndStderr(v: number[]): [number, number] {
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  const s2 = v.reduce((a, b) => a + (b - m) * (b - m), 0) / (v.length - 1);
  return [m, Math.sqrt(s2 / v.length)];
}

/** ∫ over a decreasing grid T … δ by the trapezoid rule. */
function trapezoid(t: Float64Array, y: Float64Array): number {
  let s = 0;
  for (let i = 0; i + 1 < t.length; i++) s += 0.5 * (t[i] - t[i + 1]) * (y[i] + y[i + 1]);
  return s;
}

function trapezoidStderr(t: Float64Array, se: Float64Array): number {
  let v = 0;
  for (let i = 0; i < t.length; i++) {
    const w = 0.5 * ((i > 0 ? t[i - 1] - t[i] : 0) + (i + 1 < t.length ? t[i] - t[i + 1] : 0));
    v += w * w * se[i] * se[i];
  }
  return Math.sqrt(v);
}

/**
 * How far samples are from the exact law p_δ (a full mixture): W2 between moment-matched Gaussians, the energy
 * distance to as many exact draws, and in one or two dimensions the total variation and KL(q̂ ‖ p_δ) of a Gaussian
 * kernel density estimate q̂ of the samples (Scott's bandwidth) on a grid. The KDE smooths, so TV and KL of exact
 * samples are small but not zero: compare against a run without error.
 */
export function distanceToExact(samples: ArrayLike<number>, n: number, exact: MixtureState, rng: Rng): Record<string, number> {
  const d = exact.d;
  const m = Math.min(n, 2000);
  const sm = sampleMoments(samples, n, d);
  const tm = mixtureMoments(exact);
  const out: Record<string, number> = { w2GaussianToExact: gaussianW2(sm.mean, sm.cov, tm.mean, tm.cov) };
  const draws = sampleOu({ k: exact.k, d, weights: exact.weights, means: exact.means, covs: exact.covs }, m, {
    sampler: 'exact',
    delta: 1e-12,
    horizon: 1,
    steps: 1,
    rng,
  });
  out.energyToExact = energyDistance(samples, m, draws, m, d);
  if (d <= 2) {
    const k = kdeDivergences(samples, n, exact, tm);
    Object.assign(out, { tvToExact: k.tv, klToExact: k.kl });
  }
  return out;
}

/** Energy distance 2E‖X−Y‖ − E‖X−X'‖ − E‖Y−Y'‖ (V-statistics; 0 for equal laws as n grows). */
export function energyDistance(x: ArrayLike<number>, n: number, y: ArrayLike<number>, m: number, d: number): number {
  const mean = (a: ArrayLike<number>, na: number, b: ArrayLike<number>, nb: number) => {
    let s = 0;
    for (let i = 0; i < na; i++) {
      for (let j = 0; j < nb; j++) {
        let q = 0;
        for (let c = 0; c < d; c++) {
          const t = a[i * d + c] - b[j * d + c];
          q += t * t;
        }
        s += Math.sqrt(q);
      }
    }
    return s / (na * nb);
  };
  return 2 * mean(x, n, y, m) - mean(x, n, x, n) - mean(y, m, y, m);
}

/**
 * TV and KL(q̂ ‖ p) of the samples' kernel density estimate q̂ to the mixture p, on a grid (d ≤ 2) around p's
 * moments (main/metrics/tv-distance.ts); also for the samples against the true data distribution (distanceToTruth).
 */
export function distanceToTruth(samples: ArrayLike<number>, n: number, truth: MixtureState): Record<string, number> {
  if (truth.d > 2) return {};
  const k = kdeDivergences(samples, n, truth, mixtureMoments(truth));
  return { tvToTruth: k.tv, klToTruth: k.kl };
}

function kdeDivergences(
  samples: ArrayLike<number>,
  n: number,
  p: MixtureState,
  moments: { mean: Float64Array; cov: Float64Array },
): { tv: number; kl: number } {
  const d = p.d;
  const sd = Array.from({ length: d }, (_, i) => Math.sqrt(moments.cov[i * d + i]));
  const f = mixtureFactors(p);
  const joint = new Float64Array(p.k);
  const work = new Float64Array(d);
  const logP: LogDensityFn = (x, m) => Float64Array.from({ length: m }, (_, r) => rowLogJoint(p, f, x, r * d, joint, work));
  const g = divergencesOnGrid(logP, sampleKdeLogDensity(samples, n, d), boxAround([{ mean: moments.mean, sd }], 5), d === 1 ? 513 : 97);
  return { tv: g.tv, kl: g.kl };
}
