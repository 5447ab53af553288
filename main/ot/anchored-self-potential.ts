import { Rng } from '../util/random';
import { halfSqCost } from './cost-matrix';
import type { AnnealedSinkhornOptions } from './sinkhorn-annealed';

/**
 * The self-transport potential of n points (entropic OT of X with itself, cost ½‖x − y‖², uniform weights), the
 * debiasing term of a Sinkhorn divergence, at a cost linear in n. Written by hand: no library approximates this
 * fixed point; geomloss and POT solve the full n × n problem.
 *
 * The symmetric fixed point (weights in the measure, geomloss's convention) is, for every point i,
 *   e^{−h_i/ε} = (1/n)·e^{h_i/ε} + R_i,   R_i = (1/n)·Σ_{j≠i} e^{(h_j − C_ij)/ε},
 * a quadratic in v = e^{h_i/ε} once R_i is known: v = 2 / (R_i + √(R_i² + 4/n)). A point's own atom (C_ii = 0) is
 * what dominates when ε is small beside the distances between points, where the exact potential is nearly constant;
 * a plain subsample would leave it out for the points not in the subsample and bias them. So the own atom is kept
 * exactly for every point and only the others' sum R_i is estimated from k anchors (a seeded uniform subsample):
 * R_i ≈ (n−1)/n · mean over the anchors other than i of e^{(h_j − C_ij)/ε}. The anchors' potentials solve that
 * approximated fixed point (k × k, ε-annealed, symmetric averaging as geomloss does); every other point then gets its
 * value in one pass over the anchors. With k = n it is the exact problem. Cost O(k²·iterations + n·k·d).
 */
/** The ε-annealing settings, as the annealed Sinkhorn solver takes them. */
export type AnchoredSelfSettings = Pick<
  AnnealedSinkhornOptions,
  'ratio' | 'itersPerStage' | 'maxIter' | 'tol' | 'truncation' | 'startFraction'
>;

export interface AnchoredSelfPotential {
  /** The potential at every point (defined up to a constant). */
  h: Float64Array;
  /** The anchors' indices, ascending. */
  anchors: Int32Array;
  iterations: number;
  /** ‖P1 − a‖₁ of the anchors' approximated problem at the last iteration (total mass 1). */
  marginalError: number;
}

/** The anchors: k distinct indices of n, drawn uniformly with a fixed seed (a pool ordered by class is still sampled evenly), ascending. */
export function anchorIndices(n: number, k: number): Int32Array {
  if (!Number.isInteger(k) || k < 2) throw new RangeError(`anchors must be an integer ≥ 2, got ${k}`);
  if (k >= n) return Int32Array.from({ length: n }, (_, i) => i);
  return new Rng(0x0a11c405).choose(n, k).sort();
}

export function anchoredSelfPotential(
  x: Float64Array,
  n: number,
  d: number,
  epsilon: number,
  anchorCount: number,
  s: AnchoredSelfSettings = {},
): AnchoredSelfPotential {
  if (x.length !== n * d) throw new RangeError(`anchoredSelfPotential: x holds ${x.length} values, expected ${n} × ${d}`);
  if (!(epsilon > 0) || !Number.isFinite(epsilon)) throw new RangeError(`anchoredSelfPotential: ε must be > 0, got ${epsilon}`);
  if (n < 2) return { h: new Float64Array(n), anchors: Int32Array.from({ length: n }, (_, i) => i), iterations: 0, marginalError: 0 };
  const ratio = s.ratio ?? 0.25;
  const perStage = s.itersPerStage ?? 5;
  const maxIter = s.maxIter ?? 1000;
  const tol = s.tol ?? 1e-6;
  const theta = s.truncation ?? 50;

  const idx = anchorIndices(n, anchorCount);
  const k = idx.length;
  const z = new Float64Array(k * d);
  for (let q = 0; q < k; q++) z.set(x.subarray(idx[q] * d, idx[q] * d + d), q * d);
  const C = halfSqCost(z, k, z, k, d);
  let cmax = 0;
  for (let q = 0; q < C.length; q++) if (C[q] > cmax) cmax = C[q];
  // log of the weight of one other anchor in R_i: for an anchor, the n − 1 others are stood for by k − 1 anchors
  const logOther = Math.log((n - 1) / n / (k - 1));
  const logTwoOverRootN = Math.log(2) - 0.5 * Math.log(n);

  const schedule: number[] = [];
  for (let e = Math.max(cmax * (s.startFraction ?? 1), epsilon); e > epsilon; e *= ratio) schedule.push(e);
  schedule.push(epsilon);

  const h = new Float64Array(k);
  const next = new Float64Array(k);
  let iterations = 0;
  let err = Infinity;
  for (let st = 0; st < schedule.length; st++) {
    const eps = schedule[st];
    const last = st === schedule.length - 1;
    const limit = last ? maxIter : perStage;
    for (let it = 0; it < limit; it++) {
      iterations++;
      err = 0;
      for (let i = 0; i < k; i++) {
        const a = logOther + lseRow(C, i * k, k, h, eps, theta, i);
        next[i] = solveOwnAtom(a, logTwoOverRootN, eps);
        // the row's mass at the current potentials, relative to its target 1/n: e^{h_i/ε}·(e^{h_i/ε}/n + R_i)
        const u = h[i] / eps;
        err += Math.abs(Math.expm1(u + lse2(u - Math.log(n), a))) / k;
      }
      for (let i = 0; i < k; i++) h[i] = 0.5 * (h[i] + next[i]);
      if (last && err < tol) break;
    }
  }

  // every point: the anchors keep theirs; the others get the fixed point's value against all k anchors
  const out = new Float64Array(n);
  const position = new Int32Array(n).fill(-1);
  for (let q = 0; q < k; q++) {
    position[idx[q]] = q;
    out[idx[q]] = h[q];
  }
  if (k < n) {
    const logAll = Math.log((n - 1) / n / k);
    const rest: number[] = [];
    for (let i = 0; i < n; i++) if (position[i] < 0) rest.push(i);
    const rows = Math.max(1, Math.floor(4_000_000 / k)); // cost blocks of ≤ 4M entries (32 MB)
    const xb = new Float64Array(rows * d);
    const Cb = new Float64Array(rows * k);
    for (let r0 = 0; r0 < rest.length; r0 += rows) {
      const b = Math.min(rows, rest.length - r0);
      for (let q = 0; q < b; q++) xb.set(x.subarray(rest[r0 + q] * d, rest[r0 + q] * d + d), q * d);
      const Cblock = halfSqCost(xb.subarray(0, b * d), b, z, k, d, Cb);
      for (let q = 0; q < b; q++)
        out[rest[r0 + q]] = solveOwnAtom(logAll + lseRow(Cblock, q * k, k, h, epsilon, theta, -1), logTwoOverRootN, epsilon);
    }
  }
  return { h: out, anchors: idx, iterations, marginalError: err };
}

/** LSE_j((h_j − C[o + j])/ε) over j ≠ skip, leaving out terms below e^−θ of the largest. */
function lseRow(C: Float64Array, o: number, k: number, h: Float64Array, eps: number, theta: number, skip: number): number {
  const inv = 1 / eps;
  let mx = -Infinity;
  for (let j = 0; j < k; j++) {
    if (j === skip) continue;
    const t = (h[j] - C[o + j]) * inv;
    if (t > mx) mx = t;
  }
  if (mx === -Infinity) return -Infinity;
  const lim = mx - theta;
  let sum = 0;
  for (let j = 0; j < k; j++) {
    if (j === skip) continue;
    const t = (h[j] - C[o + j]) * inv;
    if (t > lim) sum += Math.exp(t - mx);
  }
  return mx + Math.log(sum);
}

/** h = ε·log v with v = 2 / (R + √(R² + 4/n)), from log R = a and log(2/√n) = b, in the log domain. */
function solveOwnAtom(a: number, b: number, eps: number): number {
  const root = 0.5 * lse2(2 * a, 2 * b); // log √(R² + 4/n)
  return eps * (Math.LN2 - lse2(a, root));
}

function lse2(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  const m = Math.max(a, b);
  return m + Math.log(Math.exp(a - m) + Math.exp(b - m));
}
