import type { MixtureState } from './gmm-em';

/**
 * W₂ between two one-dimensional Gaussian mixtures, to near double precision, for the closed-form references of the
 * exact diffusion model (main/models/truncation-recursion.ts). Its own normal CDF (series and continued fraction, no
 * fitted constants) and quantiles: the 1.2e-7 erfc of mixture-distances.ts is noise an adaptive quadrature cannot
 * converge through where the density is small (between separated modes).
 */

const SQRT_PI = Math.sqrt(Math.PI);

/** erfc(x) for x ≥ 0: e^(−x²)·2x/√π·Σ (2x²)^n/(1·3···(2n+1)) subtracted from 1 below 3, the Laplace continued fraction above. */
export function erfcAccurate(x: number): number {
  if (!(x >= 0)) throw new RangeError(`erfcAccurate takes x ≥ 0, got ${x}`);
  if (x < 3) {
    const x2 = x * x;
    let term = 1;
    let sum = 1;
    for (let n = 1; n < 200; n++) {
      term *= (2 * x2) / (2 * n + 1);
      sum += term;
      if (term < 1e-17 * sum) break;
    }
    return 1 - ((2 * x) / SQRT_PI) * Math.exp(-x2) * sum;
  }
  // erfc(x) = e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))), evaluated from the tail (converges fast for x ≥ 3)
  let t = x;
  for (let k = 120; k >= 1; k--) t = x + k / 2 / t;
  return Math.exp(-x * x) / (SQRT_PI * t);
}

/** Φ(z) and 1 − Φ(z), each with full relative precision. */
function normalTails(z: number): { lower: number; upper: number } {
  const e = 0.5 * erfcAccurate(Math.abs(z) / Math.SQRT2);
  return z < 0 ? { lower: e, upper: 1 - e } : { lower: 1 - e, upper: e };
}

function mixtureTails(m: MixtureState, x: number): { lower: number; upper: number; pdf: number } {
  let lower = 0;
  let upper = 0;
  let pdf = 0;
  for (let j = 0; j < m.k; j++) {
    const sd = Math.sqrt(m.covs[j]); // d = 1: one variance per component, full or diag alike
    const z = (x - m.means[j]) / sd;
    const t = normalTails(z);
    lower += m.weights[j] * t.lower;
    upper += m.weights[j] * t.upper;
    pdf += (m.weights[j] * Math.exp(-0.5 * z * z)) / (sd * Math.sqrt(2 * Math.PI));
  }
  return { lower, upper, pdf };
}

/**
 * The quantile x of a normalised 1-D mixture at lower-tail probability `lower` (= u) and upper-tail `upper` (= 1 − u),
 * both given so that neither tail loses precision: safeguarded Newton on the smaller tail from `start`, bisection when a
 * step leaves the bracket.
 */
function mixtureQuantileTails(m: MixtureState, lower: number, upper: number, start: number): number {
  let lo = Infinity;
  let hi = -Infinity;
  for (let j = 0; j < m.k; j++) {
    const sd = Math.sqrt(m.covs[j]);
    lo = Math.min(lo, m.means[j] - 40 * sd);
    hi = Math.max(hi, m.means[j] + 40 * sd);
  }
  const useLower = lower <= upper;
  // g(x) increasing in x, root at the quantile
  const g = (x: number) => {
    const t = mixtureTails(m, x);
    return { value: useLower ? t.lower - lower : upper - t.upper, slope: t.pdf };
  };
  let x = start > lo && start < hi ? start : 0.5 * (lo + hi);
  for (let it = 0; it < 300; it++) {
    const { value, slope } = g(x);
    if (value === 0) return x;
    if (value < 0) lo = x;
    else hi = x;
    let nx = slope > 0 ? x - value / slope : NaN;
    if (!(nx > lo && nx < hi)) nx = 0.5 * (lo + hi);
    if (Math.abs(nx - x) <= 1e-14 * (1 + Math.abs(x)) || hi - lo <= 1e-14 * (1 + Math.abs(lo) + Math.abs(hi))) return nx;
    x = nx;
  }
  return x;
}

/** A mixture with weights summing to 1, checked one-dimensional, with its mean and standard deviation. */
function normalised(m: MixtureState, name: string): MixtureState & { mean: number; sd: number } {
  if (m.d !== 1) throw new RangeError(`w2BetweenMixtures1d: ${name} must be one-dimensional, got d = ${m.d}`);
  let total = 0;
  for (let j = 0; j < m.k; j++) {
    if (!(m.weights[j] >= 0) || !(m.covs[j] > 0))
      throw new RangeError(`w2BetweenMixtures1d: ${name} component ${j} needs a weight ≥ 0 and a variance > 0`);
    total += m.weights[j];
  }
  if (!(total > 0)) throw new RangeError(`w2BetweenMixtures1d: ${name} has no weight`);
  const weights = Float64Array.from(m.weights, (w) => w / total);
  let mean = 0;
  let second = 0;
  for (let j = 0; j < m.k; j++) {
    mean += weights[j] * m.means[j];
    second += weights[j] * (m.covs[j] + m.means[j] ** 2);
  }
  return { ...m, weights, mean, sd: Math.sqrt(Math.max(second - mean * mean, 1e-300)) };
}

/**
 * W₂ = √(∫₀¹ (F⁻¹(u) − G⁻¹(u))² du), with u = Φ(z): ∫ (F⁻¹(Φ(z)) − G⁻¹(Φ(z)))² φ(z) dz over z ∈ [−zMax, zMax] (the
 * mass beyond ±9 is below 3e-19), by adaptive Simpson from 64 panels to an absolute tolerance `tol` on W₂²: the
 * integrand has sharp bumps where a quantile crosses the gap between separated modes, which a fixed grid misses.
 */
export function w2BetweenMixtures1d(a: MixtureState, b: MixtureState, tol = 1e-9, zMax = 9): number {
  if (!(tol > 0)) throw new RangeError(`w2BetweenMixtures1d: tol must be > 0, got ${tol}`);
  const ma = normalised(a, 'the first mixture');
  const mb = normalised(b, 'the second mixture');
  const f = (z: number) => {
    const t = normalTails(z);
    const d =
      mixtureQuantileTails(ma, t.lower, t.upper, ma.mean + ma.sd * z) - mixtureQuantileTails(mb, t.lower, t.upper, mb.mean + mb.sd * z);
    return (d * d * Math.exp(-0.5 * z * z)) / Math.sqrt(2 * Math.PI);
  };
  const panels = 64;
  const h = (2 * zMax) / panels;
  let total = 0;
  for (let i = 0; i < panels; i++) {
    const lo = -zMax + i * h;
    const hi = lo + h;
    const fl = f(lo);
    const fh = f(hi);
    const fm = f(0.5 * (lo + hi));
    total += adaptiveSimpson(f, lo, hi, fl, fm, fh, simpson(lo, hi, fl, fm, fh), tol / panels, 24);
  }
  return Math.sqrt(Math.max(0, total));
}

function simpson(lo: number, hi: number, fl: number, fm: number, fh: number): number {
  return ((hi - lo) / 6) * (fl + 4 * fm + fh);
}

/**
 * Adaptive Simpson with Richardson's correction, to `tol` on [lo, hi], at most `depth` halvings; the tolerance stops
 * halving at 1e-16 (the integrand's rounding), so that the recursion always ends.
 */
function adaptiveSimpson(
  f: (z: number) => number,
  lo: number,
  hi: number,
  fl: number,
  fm: number,
  fh: number,
  whole: number,
  tol: number,
  depth: number,
): number {
  const mid = 0.5 * (lo + hi);
  const flm = f(0.5 * (lo + mid));
  const fmh = f(0.5 * (mid + hi));
  const left = simpson(lo, mid, fl, flm, fm);
  const right = simpson(mid, hi, fm, fmh, fh);
  const delta = left + right - whole;
  if (depth <= 0 || Math.abs(delta) <= 15 * Math.max(tol, 1e-16)) return left + right + delta / 15;
  const half = tol / 2;
  return adaptiveSimpson(f, lo, mid, fl, flm, fm, left, half, depth - 1) + adaptiveSimpson(f, mid, hi, fm, fmh, fh, right, half, depth - 1);
}
