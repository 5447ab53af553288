import { solveAssignment } from './assignment';
import { centreDuals, solveTransport, type TransportSolution } from './transport-shortest-path';

export interface EmdOptions {
  /** Return the dense plan P ([n, m], row-major). Default true; its positive entries are always in `support`. */
  plan?: boolean;
}

export interface EmdResult {
  /** The transport cost ⟨P, M⟩ (POT's `ot.emd2`). */
  cost: number;
  /** The optimal plan, row-major [n, m], when asked for. */
  plan?: Float64Array;
  /** Dual potentials: u_i + v_j ≤ M_ij everywhere, with equality where P_ij > 0; centred as POT's `center_ot_dual`. */
  u: Float64Array;
  v: Float64Array;
  /** The plan's positive entries (at most about n + m of them). */
  support: { rows: Int32Array; cols: Int32Array; mass: Float64Array };
  /** Shortest augmenting paths the solver ran (its unit of work; 0 when the initial reductions solved it). */
  iterations: number;
}

/** Check a weight vector (or make the uniform one when `w` is null). */
export function weightsOrUniform(w: Float64Array | null | undefined, size: number, name: string): Float64Array {
  if (w == null || w.length === 0) return new Float64Array(size).fill(1 / size);
  if (w.length !== size) throw new RangeError(`${name}: ${w.length} weights for ${size} points`);
  let s = 0;
  for (let i = 0; i < size; i++) {
    const x = w[i];
    if (!(x >= 0) || !Number.isFinite(x)) throw new RangeError(`${name}: weight ${i} is ${x} (weights must be finite and ≥ 0)`);
    s += x;
  }
  if (!(s > 0)) throw new RangeError(`${name}: weights sum to 0`);
  return w;
}

/**
 * Exact optimal transport between weighted point sets with cost matrix M (row-major [n, m]), as POT's `ot.emd`:
 * `a` and `b` are the weights (null: uniform) with equal totals to 1.5e-7 (POT checks 7 decimals); b is rescaled to
 * a's total mass; the potentials are centred.
 * Equal sizes with uniform weights go to the assignment solver (LAPJV); anything else to successive shortest
 * augmenting paths (transport-shortest-path.ts). Both are exact.
 */
export function emd(
  a: Float64Array | null,
  b: Float64Array | null,
  M: Float64Array,
  n: number,
  m: number,
  opts: EmdOptions = {},
): EmdResult {
  if (!(n > 0 && m > 0)) throw new RangeError(`emd: needs at least one point on each side (got ${n} × ${m})`);
  if (M.length !== n * m) throw new RangeError(`emd: cost matrix holds ${M.length} values, expected ${n} × ${m}`);
  for (let k = 0; k < M.length; k++) {
    if (!Number.isFinite(M[k])) throw new RangeError(`emd: cost matrix entry ${k} is ${M[k]}`);
  }
  const wa = weightsOrUniform(a, n, 'emd a');
  let wb = weightsOrUniform(b, m, 'emd b');
  let sa = 0;
  let sb = 0;
  for (let i = 0; i < n; i++) sa += wa[i];
  for (let j = 0; j < m; j++) sb += wb[j];
  if (Math.abs(sa - sb) > 1.5e-7 * Math.max(sa, sb)) {
    throw new RangeError(`emd: a and b must have the same total mass (${sa} vs ${sb})`);
  }
  if (sa !== sb) {
    const s = sa / sb;
    wb = wb.map((x) => x * s);
  }
  const sol = n === m && isUniform(wa) && isUniform(wb) ? viaAssignment(wa[0], M, n) : solveTransport(wa, wb, M, n, m);
  centreDuals(sol.u, sol.v, wa, wb);
  const res: EmdResult = {
    cost: sol.cost,
    u: sol.u,
    v: sol.v,
    support: { rows: sol.rows, cols: sol.cols, mass: sol.mass },
    iterations: sol.augmentations,
  };
  if (opts.plan !== false) {
    const P = new Float64Array(n * m);
    for (let e = 0; e < sol.rows.length; e++) P[sol.rows[e] * m + sol.cols[e]] += sol.mass[e];
    res.plan = P;
  }
  return res;
}

function isUniform(w: Float64Array): boolean {
  for (let i = 1; i < w.length; i++) if (w[i] !== w[0]) return false;
  return true;
}

/** Equal sizes and uniform weights: the optimal plan is a permutation (Birkhoff), found by LAPJV. */
function viaAssignment(mass: number, M: Float64Array, n: number): TransportSolution {
  const s = solveAssignment(M, n);
  const rows = new Int32Array(n);
  const massArr = new Float64Array(n).fill(mass);
  for (let i = 0; i < n; i++) rows[i] = i;
  return { cost: s.total * mass, u: s.u, v: s.v, rows, cols: s.rowToCol, mass: massArr, augmentations: s.augmentations };
}
