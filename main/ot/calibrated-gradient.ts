import { halfSqCost } from './cost-matrix';
import { anchoredSelfPotential } from './anchored-self-potential';
import { releaseSinkhornScratch, sinkhornAnnealed, type AnnealedSinkhornOptions, type AnnealedSinkhornResult } from './sinkhorn-annealed';

/**
 * The calibrated OT gradient of the selection schemes (LAVA, Just et al. 2023; the islands paper's Schemes I and II):
 * with f* the dual potential on the candidates X of entropic OT between X (uniform weights) and a reference Y,
 *   S(x_i) = f*(x_i) − (1/(N−1)) Σ_{j≠i} f*(x_j) = N/(N−1) · (f*(x_i) − mean f*),
 * the change of the transport cost when mass moves onto x_i from the other candidates. High S: x_i pushes the
 * candidates away from the reference; the schemes keep low scores. The cost is ½‖x − y‖² and ε = blur² (geomloss's
 * convention for p = 2; POT's reg = 2·blur² on the unhalved squared distance). S is unchanged by the constant shift
 * that potentials are defined up to.
 */
export type OtSolveSettings = { epsilon: number } & Pick<
  AnnealedSinkhornOptions,
  'ratio' | 'itersPerStage' | 'maxIter' | 'tol' | 'truncation' | 'startFraction'
> & {
    /** The self-transport uses at most this many anchor points (see anchored-self-potential.ts); absent: all n. */
    anchors?: number;
  };

/**
 * This thread's scratch cost matrix, reused by the functions below that return only scores or points (touching fresh
 * memory costs about 3 ms per MB here, more than a Sinkhorn iteration on it).
 */
let costScratch = new Float64Array(0);
function scratchCost(x: Float64Array, n: number, y: Float64Array, m: number, d: number): Float64Array {
  if (costScratch.length < n * m) costScratch = new Float64Array(n * m);
  return halfSqCost(x, n, y, m, d, costScratch).subarray(0, n * m);
}

/** Let go of this thread's scratch arrays. */
export function releaseOtScratch(): void {
  costScratch = new Float64Array(0);
  releaseSinkhornScratch();
}

/** An entropic OT solve in scratch memory: its result is valid until the next scratch solve on this thread. */
function solveScratch(
  x: Float64Array,
  n: number,
  y: Float64Array,
  m: number,
  d: number,
  s: OtSolveSettings,
  initG?: Float64Array,
): AnnealedSinkhornResult {
  return sinkhornAnnealed(scratchCost(x, n, y, m, d), n, m, s.epsilon, {
    ratio: s.ratio,
    itersPerStage: s.itersPerStage,
    maxIter: s.maxIter,
    tol: s.tol,
    truncation: s.truncation,
    startFraction: s.startFraction,
    initG,
    scratch: true,
  });
}

/** S_i = f_i − mean_{j≠i} f_j. */
export function calibrate(f: ArrayLike<number>): Float64Array {
  const n = f.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += f[i];
  const out = new Float64Array(n);
  if (n < 2) return out;
  for (let i = 0; i < n; i++) out[i] = f[i] - (sum - f[i]) / (n - 1);
  return out;
}

export interface GradientResult {
  scores: Float64Array;
  iterations: number;
  marginalError: number;
}

/** The calibrated gradient of X against Y. */
export function calibratedGradient(x: Float64Array, n: number, y: Float64Array, m: number, d: number, s: OtSolveSettings): GradientResult {
  const r = solveScratch(x, n, y, m, d, s);
  return { scores: calibrate(r.f), iterations: r.iterations, marginalError: r.marginalError };
}

/**
 * The calibrated gradient of X against the Wasserstein geodesic proxy η = (1−t)·X + t·T(X), T the barycentric map of
 * the entropic plan from X to Y (W2(X, η) = t·W2(X, Y) for an exact map). Exact, so n × n: each x_i's own image η_i is
 * what a subsample would miss.
 */
export function calibratedGradientGeodesic(
  x: Float64Array,
  n: number,
  y: Float64Array,
  m: number,
  d: number,
  t: number,
  s: OtSolveSettings,
): GradientResult {
  const first = solveScratch(x, n, y, m, d, s);
  const eta = interpolateTowards(x, first.barycentricMap(y, d), t);
  const r = solveScratch(x, n, eta, n, d, s);
  return {
    scores: calibrate(r.f),
    iterations: first.iterations + r.iterations,
    marginalError: Math.max(first.marginalError, r.marginalError),
  };
}

/** (1−t)·x + t·target, elementwise. */
export function interpolateTowards(x: Float64Array, target: Float64Array, t: number): Float64Array {
  const out = new Float64Array(x.length);
  for (let k = 0; k < x.length; k++) out[k] = (1 - t) * x[k] + t * target[k];
  return out;
}

/**
 * The debiasing term of a Sinkhorn divergence: the calibrated self-potential of X (OT of X with itself), solved in
 * its anchored form (anchored-self-potential.ts): each point's own atom exactly, the others through min(anchors, n)
 * anchors, O(anchors² + n·anchors). Without `s.anchors` every point is an anchor: the exact symmetric fixed point,
 * reached by symmetric averaged updates (geomloss's), which converge in tens of iterations where alternating
 * Sinkhorn on the n × n problem may not.
 */
export function calibratedSelfPotential(x: Float64Array, n: number, d: number, s: OtSolveSettings): GradientResult {
  const r = anchoredSelfPotential(x, n, d, s.epsilon, s.anchors ?? n, s);
  return { scores: calibrate(r.h), iterations: r.iterations, marginalError: r.marginalError };
}

/**
 * The step of a support X toward Y along the entropic OT map: (1−t)·X + t·T(X), T the barycentric map of the plan;
 * also the column potential (a warm start for the next step).
 */
export function stepAlongPlan(
  x: Float64Array,
  n: number,
  y: Float64Array,
  m: number,
  d: number,
  t: number,
  s: OtSolveSettings,
  initG?: Float64Array,
): { points: Float64Array; g: Float64Array; iterations: number; marginalError: number } {
  const r = solveScratch(x, n, y, m, d, s, initG);
  return { points: interpolateTowards(x, r.barycentricMap(y, d), t), g: r.g, iterations: r.iterations, marginalError: r.marginalError };
}
