import { declaredTruthLogDensity, sampleDeclaredTruth, type DeclaredTruth } from '../data/declared-truth';
import { logSumExp } from '../models/dense-gaussian';
import { rngFor } from '../util/random';

/**
 * Total variation TV(p, q) = ½∫|p − q| between two densities known in closed form (log-densities), in low dimension,
 * with an error estimate:
 * - on a grid (d ≤ 3): the trapezoid rule on `nodes` points per axis over a box (along the first axis, of the piecewise-
 *   linear interpolant of p − q, exact where it changes sign), its error estimated by the difference from the same rule
 *   on every other node (|T_h − T_2h|) plus the mass either density has outside the box (½|1 − ∫p| + ½|1 − ∫q|, from
 *   the same quadrature). KL(q ‖ p) comes from the same grid;
 * - by importance sampling (any d): TV = E_{x∼½(p+q)} |p − q| / (p + q) = E |tanh(½(log p − log q))|, with equal draws of
 *   p and q (a stratified draw of the equal mixture); the integrand lies in [0, 1] and its standard error is reported.
 * tvToDeclaredTruth picks the grid for d ≤ 2 and importance sampling for d = 3. The KDE-of-samples divergences of the
 * score-error diagnostics (main/models/score-error-metrics.ts) use the same grid.
 */

/** log-density at each row of x [n, d]. */
export type LogDensityFn = (x: Float64Array, n: number) => Float64Array;

/** An axis-aligned box: lo[i] … hi[i] on each axis. */
export interface GridBox {
  lo: number[];
  hi: number[];
}

export interface GridDivergences {
  /** TV(p, q) on the fine grid. */
  tv: number;
  /** Richardson estimate of the quadrature error plus the mass outside the box. */
  tvError: number;
  /** KL(q ‖ p) on the fine grid (clamped at 0). */
  kl: number;
  /** ∫ p and ∫ q over the box by the same quadrature (≈ 1 when the box holds both). */
  massP: number;
  massQ: number;
  /** Nodes per axis. */
  nodes: number;
}

/** TV(p, q) and KL(q ‖ p) by the trapezoid rule on nodes^d points of the box (nodes odd, ≥ 5; d ≤ 3). */
export function divergencesOnGrid(logP: LogDensityFn, logQ: LogDensityFn, box: GridBox, nodes: number): GridDivergences {
  const d = box.lo.length;
  if (d < 1 || d > 3 || box.hi.length !== d) throw new RangeError(`divergencesOnGrid: the box must have 1 to 3 axes, got ${d}`);
  if (!Number.isInteger(nodes) || nodes < 5 || nodes % 2 === 0)
    throw new RangeError(`divergencesOnGrid: nodes must be an odd integer ≥ 5, got ${nodes}`);
  for (let a = 0; a < d; a++) {
    if (!(box.hi[a] > box.lo[a])) throw new RangeError(`divergencesOnGrid: axis ${a} of the box is empty (${box.lo[a]} … ${box.hi[a]})`);
  }
  const step = box.lo.map((lo, a) => (box.hi[a] - lo) / (nodes - 1));
  // per-axis trapezoid weights on the fine grid (step h) and on every other node (step 2h; 0 off that grid)
  const fine = step.map((h) => Float64Array.from({ length: nodes }, (_, i) => (i === 0 || i === nodes - 1 ? 0.5 * h : h)));
  const coarse = step.map((h) =>
    Float64Array.from({ length: nodes }, (_, i) => (i % 2 === 1 ? 0 : i === 0 || i === nodes - 1 ? h : 2 * h)),
  );
  const total = nodes ** d;
  const points = new Float64Array(total * d);
  const index = new Int32Array(d);
  for (let g = 0; g < total; g++) {
    let r = g;
    for (let a = 0; a < d; a++) {
      index[a] = r % nodes;
      r = Math.floor(r / nodes);
      points[g * d + a] = box.lo[a] + index[a] * step[a];
    }
  }
  const lp = logP(points, total);
  const lq = logQ(points, total);
  const diff = new Float64Array(total);
  let kl = 0;
  let massP = 0;
  let massQ = 0;
  for (let g = 0; g < total; g++) {
    let w = 1;
    let r = g;
    for (let a = 0; a < d; a++) {
      w *= fine[a][r % nodes];
      r = Math.floor(r / nodes);
    }
    const p = Math.exp(lp[g]);
    const q = Math.exp(lq[g]);
    diff[g] = p - q;
    massP += w * p;
    massQ += w * q;
    if (q > 1e-300) kl += w * q * (lq[g] - lp[g]);
  }
  // ∫|p − q|: along axis 0 (one line of `nodes` points), the trapezoid rule of the piecewise-linear interpolant of
  // p − q, exact on a cell where it changes sign (h·(a² + b²) / (2(|a| + |b|)) instead of h·(|a| + |b|)/2, the kink);
  // the other axes by the trapezoid rule
  let tvFine = 0;
  let tvCoarse = 0;
  for (let line = 0; line < total / nodes; line++) {
    let wf = 1;
    let wc = 1;
    let r = line;
    for (let a = 1; a < d; a++) {
      wf *= fine[a][r % nodes];
      wc *= coarse[a][r % nodes];
      r = Math.floor(r / nodes);
    }
    const off = line * nodes;
    tvFine += wf * absLineIntegral(diff, off, nodes, 1, step[0]);
    if (wc > 0) tvCoarse += wc * absLineIntegral(diff, off, (nodes + 1) / 2, 2, 2 * step[0]);
  }
  tvFine *= 0.5;
  tvCoarse *= 0.5;
  // the coarse rule's difference, not a third of it: at the crossings of p and q the rule is only first-order accurate
  const tvError = Math.abs(tvFine - tvCoarse) + 0.5 * Math.abs(1 - massP) + 0.5 * Math.abs(1 - massQ);
  return { tv: tvFine, tvError, kl: Math.max(0, kl), massP, massQ, nodes };
}

/** ∫|f| over `count` nodes f[off], f[off + stride], … spaced h apart: the piecewise-linear interpolant, exactly. */
function absLineIntegral(f: Float64Array, off: number, count: number, stride: number, h: number): number {
  let s = 0;
  for (let i = 0; i + 1 < count; i++) {
    const a = f[off + i * stride];
    const b = f[off + (i + 1) * stride];
    const sa = Math.abs(a);
    const sb = Math.abs(b);
    s += a >= 0 === b >= 0 || sa + sb === 0 ? 0.5 * h * (sa + sb) : (0.5 * h * (a * a + b * b)) / (sa + sb);
  }
  return s;
}

/**
 * TV(p, q) by importance sampling from the equal mixture ½(p + q): draws of p (`fromP`, [nP, d]) and of q (`fromQ`),
 * TV = ½(mean over fromP + mean over fromQ) of |tanh(½(log p − log q))|, with its standard error.
 */
export function tvByImportanceSampling(
  logP: LogDensityFn,
  logQ: LogDensityFn,
  fromP: { x: Float64Array; n: number },
  fromQ: { x: Float64Array; n: number },
): { tv: number; stderr: number } {
  if (fromP.n < 2 || fromQ.n < 2) throw new RangeError('tvByImportanceSampling: needs at least 2 draws of each density');
  const side = (s: { x: Float64Array; n: number }) => {
    const a = logP(s.x, s.n);
    const b = logQ(s.x, s.n);
    let sum = 0;
    let sq = 0;
    for (let i = 0; i < s.n; i++) {
      const f = Math.abs(Math.tanh(0.5 * (a[i] - b[i])));
      sum += f;
      sq += f * f;
    }
    const mean = sum / s.n;
    return { mean, variance: Math.max(0, (sq - s.n * mean * mean) / (s.n - 1)) / s.n };
  };
  const p = side(fromP);
  const q = side(fromQ);
  return { tv: 0.5 * (p.mean + q.mean), stderr: 0.5 * Math.sqrt(p.variance + q.variance) };
}

/** The smallest box holding mean ± width·sd of every given (mean, per-axis sd). */
export function boxAround(regions: { mean: ArrayLike<number>; sd: ArrayLike<number> }[], width: number): GridBox {
  const d = regions[0].mean.length;
  const lo = new Array<number>(d).fill(Infinity);
  const hi = new Array<number>(d).fill(-Infinity);
  for (const r of regions) {
    for (let a = 0; a < d; a++) {
      const s = Math.max(r.sd[a], 1e-12);
      lo[a] = Math.min(lo[a], r.mean[a] - width * s);
      hi[a] = Math.max(hi[a], r.mean[a] + width * s);
    }
  }
  return { lo, hi };
}

/** Per-axis mean and standard deviation (n − 1) of rows of x [n, d]. */
export function axisMoments(x: ArrayLike<number>, n: number, d: number): { mean: Float64Array; sd: Float64Array } {
  const mean = new Float64Array(d);
  const sd = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let a = 0; a < d; a++) mean[a] += x[i * d + a];
  for (let a = 0; a < d; a++) mean[a] /= n;
  for (let i = 0; i < n; i++) for (let a = 0; a < d; a++) sd[a] += (x[i * d + a] - mean[a]) ** 2;
  for (let a = 0; a < d; a++) sd[a] = Math.sqrt(sd[a] / Math.max(1, n - 1));
  return { mean, sd };
}

/**
 * log-density of the Gaussian kernel density estimate of rows of `samples` [n, d] with a diagonal bandwidth, Scott's
 * rule per axis (h_a = sd_a · n^(−1/(d+4)), sd of the (biased) sample covariance's diagonal): the estimate the
 * score-error diagnostics compare samples with.
 */
export function sampleKdeLogDensity(samples: ArrayLike<number>, n: number, d: number): LogDensityFn {
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let a = 0; a < d; a++) mean[a] += samples[i * d + a];
  for (let a = 0; a < d; a++) mean[a] /= n;
  const h = Array.from({ length: d }, (_, a) => {
    let v = 0;
    for (let i = 0; i < n; i++) v += (samples[i * d + a] - mean[a]) ** 2;
    return Math.max(1e-12, Math.sqrt(v / n) * Math.pow(n, -1 / (d + 4)));
  });
  const logK = -d * 0.5 * Math.log(2 * Math.PI) - h.reduce((s, v) => s + Math.log(v), 0) - Math.log(n);
  return (x, m) => {
    const out = new Float64Array(m);
    const terms = new Float64Array(n);
    for (let r = 0; r < m; r++) {
      for (let i = 0; i < n; i++) {
        let q = 0;
        for (let a = 0; a < d; a++) {
          const z = (x[r * d + a] - samples[i * d + a]) / h[a];
          q += z * z;
        }
        terms[i] = logK - 0.5 * q;
      }
      out[r] = logSumExp(terms, n);
    }
    return out;
  };
}

/** A fitted model with a closed-form density (GenerativeModel.logDensity) and its sampler. */
export interface DensityModel {
  logDensity(x: ArrayLike<number>, n: number): Float64Array;
  sample(n: number, seed: number): Promise<Float32Array>;
}

export interface TvToTruth {
  tv: number;
  /** The grid's error estimate (d ≤ 2) or the importance-sampling standard error (d = 3). */
  error: number;
  method: 'grid' | 'importance-sampling';
}

export interface TvToTruthOptions {
  seed: number;
  /** Grid nodes per axis (odd): 2049 in one dimension, 129 in two by default. */
  nodes?: number;
  /** Draws of each side for importance sampling (d = 3) and model draws that place the grid's box (default 4000). */
  draws?: number;
  /** Half-width of the box in standard deviations of the truth and of the model's draws (default 6). */
  width?: number;
}

/** The largest dimension tvToDeclaredTruth handles. */
export const TV_MAX_DIM = 3;

/**
 * TV between a fitted model's density and the declared truth: the grid for d ≤ 2 (a box holding ±width sd of the truth
 * and of the model's draws), importance sampling with `draws` draws of each for d = 3. Undefined above 3 dimensions.
 */
export async function tvToDeclaredTruth(model: DensityModel, truth: DeclaredTruth, o: TvToTruthOptions): Promise<TvToTruth | undefined> {
  const d = truth.dim;
  if (d > TV_MAX_DIM) return undefined;
  const draws = o.draws ?? 4000;
  const logTruth: LogDensityFn = (x, n) => declaredTruthLogDensity(truth, x, n);
  const logModel: LogDensityFn = (x, n) => model.logDensity(x, n);
  const modelDraws = Float64Array.from(await model.sample(draws, o.seed));
  if (d <= 2) {
    const truthSd = Array.from({ length: d }, (_, a) => Math.sqrt(truth.cov[a * d + a]));
    const box = boxAround([{ mean: truth.mean, sd: truthSd }, axisMoments(modelDraws, draws, d)], o.width ?? 6);
    const g = divergencesOnGrid(logTruth, logModel, box, o.nodes ?? (d === 1 ? 2049 : 129));
    return { tv: g.tv, error: g.tvError, method: 'grid' };
  }
  const truthDraws = sampleDeclaredTruth(truth, draws, rngFor(o.seed, 'tv', 'truth'));
  const r = tvByImportanceSampling(logTruth, logModel, { x: Float64Array.from(truthDraws.x), n: draws }, { x: modelDraws, n: draws });
  return { tv: r.tv, error: r.stderr, method: 'importance-sampling' };
}
