import { sqeuclideanCost, type PointArray } from './cost-matrix';
import { emd, weightsOrUniform } from './emd';

export interface BarycenterMeasure {
  /** Support points, row-major [n, d]. */
  x: PointArray;
  n: number;
  /** Weights of the support points (uniform when absent). */
  weights?: Float64Array;
}

export interface BarycenterOptions {
  /** Weights of the barycenter's own support points (uniform when absent). POT's `b`. */
  b?: Float64Array;
  /** Weights of the measures in the average (uniform when absent). POT's `weights`. */
  measureWeights?: Float64Array;
  /** POT's numItermax (default 100). */
  maxIter?: number;
  /** Stop when Σ‖X_new − X‖² ≤ tol (POT's stopThr, default 1e-7). */
  tol?: number;
}

export interface BarycenterResult {
  /** The support points, row-major [k, d]. */
  x: Float64Array;
  k: number;
  d: number;
  iterations: number;
  /** Σ‖X_new − X‖² of the last iteration. */
  displacement: number;
  /** Σ_i λ_i W2²(X, μ_i) at the returned support (exact OT, squared Euclidean cost). */
  cost: number;
}

/**
 * Free-support Wasserstein-2 barycenter, the fixed point of POT's `ot.lp.free_support_barycenter`: repeat
 * X ← Σ_i λ_i · diag(1/b) · T_i · Y_i, with T_i the exact OT plan (squared Euclidean cost) from X to measure i,
 * until Σ‖X_new − X‖² ≤ tol or maxIter iterations. `init` is X's starting support [k, d].
 */
export function freeSupportBarycenter(
  measures: BarycenterMeasure[],
  init: PointArray,
  k: number,
  d: number,
  opts: BarycenterOptions = {},
): BarycenterResult {
  if (measures.length === 0) throw new RangeError('barycenter: needs at least one measure');
  if (!(k > 0) || !(d > 0)) throw new RangeError(`barycenter: bad support size k=${k}, d=${d}`);
  if (init.length !== k * d) throw new RangeError(`barycenter: init holds ${init.length} values, expected ${k} × ${d}`);
  measures.forEach((mu, i) => {
    if (mu.x.length !== mu.n * d) {
      throw new RangeError(`barycenter: measure ${i} holds ${mu.x.length} values, expected ${mu.n} × ${d}`);
    }
  });
  const maxIter = opts.maxIter ?? 100;
  const tol = opts.tol ?? 1e-7;
  const b = weightsOrUniform(opts.b, k, 'barycenter b');
  const lambda = weightsOrUniform(opts.measureWeights, measures.length, 'barycenter measure weights');
  const ys = measures.map((mu) => Float64Array.from(mu.x));
  const ws = measures.map((mu, i) => weightsOrUniform(mu.weights, mu.n, `barycenter measure ${i} weights`));

  let X = Float64Array.from(init);
  // one cost-matrix buffer per measure, reused by every iteration
  const buffers = measures.map((mu) => new Float64Array(k * mu.n));
  let displacement = tol + 1;
  let iterations = 0;
  while (displacement > tol && iterations < maxIter) {
    const T = new Float64Array(k * d);
    measures.forEach((mu, i) => {
      const M = sqeuclideanCost(X, ys[i], k, mu.n, d, buffers[i]);
      const { support } = emd(b, ws[i], M, k, mu.n, { plan: false });
      const Y = ys[i];
      for (let e = 0; e < support.rows.length; e++) {
        const r = support.rows[e];
        const c = support.cols[e];
        const w = (lambda[i] * support.mass[e]) / b[r];
        const o = r * d;
        const oc = c * d;
        for (let q = 0; q < d; q++) T[o + q] += w * Y[oc + q];
      }
    });
    displacement = 0;
    for (let q = 0; q < T.length; q++) {
      const diff = T[q] - X[q];
      displacement += diff * diff;
    }
    X = T;
    iterations++;
  }
  let cost = 0;
  measures.forEach((mu, i) => {
    const M = sqeuclideanCost(X, ys[i], k, mu.n, d, buffers[i]);
    cost += lambda[i] * emd(b, ws[i], M, k, mu.n, { plan: false }).cost;
  });
  return { x: X, k, d, iterations, displacement, cost };
}
