import { weightsOrUniform } from './emd';
import { SinkhornScalingState } from './sinkhorn-scaling-state';

export interface SinkhornOptions {
  /** Iteration limit (POT's numItermax; default 1000). */
  maxIter?: number;
  /** Stop when ‖Pᵀ1 − b‖₂ < tol, checked every 10th iteration as POT does (POT's stopThr; default 1e-9). */
  tol?: number;
  /** Return the dense plan P ([n, m], row-major). Default false. */
  plan?: boolean;
}

export interface SinkhornResult {
  /** ⟨P, M⟩, the transport cost of the entropic plan without the entropy term (POT's `sinkhorn2`). */
  cost: number;
  /** Dual potentials f = reg·log u and g = reg·log v (POT's log_u, log_v times reg). −∞ where a weight is 0. */
  f: Float64Array;
  g: Float64Array;
  /** Iterations performed (POT's log['niter'] + 1). */
  iterations: number;
  /** ‖Pᵀ1 − b‖₂ at the last check. */
  marginalError: number;
  converged: boolean;
  plan?: Float64Array;
}

/**
 * Entropic optimal transport, the iterations of POT's `ot.bregman.sinkhorn_log` with `reg` in the units of the
 * cost: log v ← log b − LSE_i(−M/reg + log u), log u ← log a − LSE_j(−M/reg + log v), starting from log u = log v = 0,
 * error ‖Pᵀ1 − b‖ checked when iteration % 10 = 0.
 *
 * Computed as stabilised scaling iterations (Schmitzer 2019; POT's `sinkhorn_stabilized`, in
 * sinkhorn-scaling-state.ts), which produce the same iterates as the log domain. Hand-written: no npm package does
 * entropic OT.
 */
export function sinkhornLog(
  a: Float64Array | null,
  b: Float64Array | null,
  M: Float64Array,
  n: number,
  m: number,
  reg: number,
  opts: SinkhornOptions = {},
): SinkhornResult {
  if (!(n > 0 && m > 0)) throw new RangeError(`sinkhorn: needs at least one point on each side (got ${n} × ${m})`);
  if (M.length !== n * m) throw new RangeError(`sinkhorn: cost matrix holds ${M.length} values, expected ${n} × ${m}`);
  if (!(reg > 0) || !Number.isFinite(reg)) throw new RangeError(`sinkhorn: reg must be a positive number, got ${reg}`);
  const maxIter = opts.maxIter ?? 1000;
  const tol = opts.tol ?? 1e-9;
  if (!Number.isInteger(maxIter) || maxIter < 1) throw new RangeError(`sinkhorn: maxIter must be an integer ≥ 1, got ${maxIter}`);
  if (!(tol >= 0)) throw new RangeError(`sinkhorn: tol must be ≥ 0, got ${tol}`);
  const wa = weightsOrUniform(a, n, 'sinkhorn a');
  const wb = weightsOrUniform(b, m, 'sinkhorn b');
  for (let k = 0; k < M.length; k++) {
    if (!Number.isFinite(M[k])) throw new RangeError(`sinkhorn: cost matrix entry ${k} is ${M[k]}`);
  }

  const state = new SinkhornScalingState(wa, wb, M, n, m, reg);
  // Iteration 0's v-update is done exactly in the log domain; it also builds K.
  state.exactColumnStep();
  let iterations = 0;
  let err = Infinity;
  let converged = false;
  for (let it = 0; it < maxIter; it++) {
    if (it > 0) state.updateV();
    state.updateUAndColumnSums();
    iterations = it + 1;
    if (it % 10 === 0) {
      err = state.marginalError();
      if (err < tol) {
        converged = true;
        break;
      }
    }
    state.absorbIfFar();
  }
  return { ...state.result(opts.plan === true), iterations, marginalError: err, converged };
}
