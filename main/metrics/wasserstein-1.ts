import { euclideanCost } from '../ot/cost-matrix';
import { emd } from '../ot/emd';
import { Rng } from '../util/random';

/**
 * Exact Wasserstein-1 between two uniform point clouds (rows of [n, d] and [m, d]) with Euclidean ground cost:
 * POT's `ot.emd2(a, b, ot.dist(x, y, 'euclidean'))`.
 */
export function wasserstein1Exact(x: Float32Array | Float64Array, n: number, y: Float32Array | Float64Array, m: number, d: number): number {
  if (costBuffer.length < n * m) costBuffer = new Float64Array(n * m);
  const M = euclideanCost(x, y, n, m, d, costBuffer).subarray(0, n * m);
  return emd(null, null, M, n, m, { plan: false }).cost;
}

/** The cost matrix buffer, reused across calls (synchronous use only; fresh pages are slow to first touch). */
let costBuffer = new Float64Array(0);

/** W1 between two 1-D empirical distributions with uniform weights: ∫|F⁻¹(q) − G⁻¹(q)| dq, by merging quantiles. */
export function wasserstein1OneDim(u: Float64Array, v: Float64Array): number {
  const a = Float64Array.from(u).sort();
  const b = Float64Array.from(v).sort();
  const n = a.length;
  const m = b.length;
  let i = 0;
  let j = 0;
  let q = 0; // current quantile level
  let total = 0;
  while (i < n && j < m) {
    const qa = (i + 1) / n;
    const qb = (j + 1) / m;
    const next = Math.min(qa, qb);
    total += (next - q) * Math.abs(a[i] - b[j]);
    q = next;
    if (qa <= next) i++;
    if (qb <= next) j++;
  }
  return total;
}

/**
 * Sliced Wasserstein-1: the mean over `projections` random unit directions θ of W1(θᵀx, θᵀy), as POT's
 * `ot.sliced_wasserstein_distance(x, y, n_projections, p=1)` (directions: normalised Gaussian vectors, seeded).
 */
export function slicedWasserstein1(
  x: Float32Array | Float64Array,
  n: number,
  y: Float32Array | Float64Array,
  m: number,
  d: number,
  projections = 256,
  seed = 0,
): number {
  const rng = new Rng(seed);
  const theta = new Float64Array(d);
  const px = new Float64Array(n);
  const py = new Float64Array(m);
  let total = 0;
  for (let p = 0; p < projections; p++) {
    rng.fillNormal(theta);
    let s = 0;
    for (let k = 0; k < d; k++) s += theta[k] * theta[k];
    s = 1 / Math.sqrt(s);
    for (let k = 0; k < d; k++) theta[k] *= s;
    project(x, n, d, theta, px);
    project(y, m, d, theta, py);
    total += wasserstein1OneDim(px, py);
  }
  return total / projections;
}

function project(x: Float32Array | Float64Array, n: number, d: number, theta: Float64Array, out: Float64Array): void {
  for (let i = 0; i < n; i++) {
    const o = i * d;
    let s = 0;
    for (let k = 0; k < d; k++) s += x[o + k] * theta[k];
    out[i] = s;
  }
}
