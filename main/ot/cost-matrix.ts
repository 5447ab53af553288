import { asFloat64, gemmABt, gemmABtScratch, rowSquaredNorms } from './gemm';

/** A point cloud given as a row-major [n, d] array. */
export type PointArray = Float32Array | Float64Array;

export type GroundCost = 'sqeuclidean' | 'euclidean';

function checkShapes(x: PointArray, y: PointArray, n: number, m: number, d: number): void {
  if (!Number.isInteger(n) || !Number.isInteger(m) || !Number.isInteger(d) || n < 0 || m < 0 || d < 0) {
    throw new RangeError(`cost matrix: bad sizes n=${n}, m=${m}, d=${d}`);
  }
  if (x.length !== n * d) throw new RangeError(`cost matrix: x holds ${x.length} values, expected ${n} × ${d}`);
  if (y.length !== m * d) throw new RangeError(`cost matrix: y holds ${y.length} values, expected ${m} × ${d}`);
}

/** Check (or make) the output array of a cost matrix. */
function output(out: Float64Array | undefined, n: number, m: number): Float64Array {
  if (!out) return new Float64Array(n * m);
  if (out.length < n * m) throw new RangeError(`cost matrix: out holds ${out.length} values, needs ${n} × ${m}`);
  return out;
}

/**
 * Squared Euclidean distances M[i·m + j] = ‖x_i − y_j‖², computed as POT's `ot.dist` does (‖x‖² + ‖y‖² − 2 x·y,
 * clamped at 0), with a blocked float64 product. Row-major [n, m].
 * `out` (optional) receives the result: reuse one buffer when computing many matrices, since first-touching fresh
 * memory costs about 3-4 ms per MB on the VMs this was measured on (more than the product itself).
 */
export function sqeuclideanCost(x: PointArray, y: PointArray, n: number, m: number, d: number, out?: Float64Array): Float64Array {
  checkShapes(x, y, n, m, d);
  const X = asFloat64(x);
  const Y = x === y ? X : asFloat64(y);
  const same = X === Y && n === m;
  const nx = rowSquaredNorms(X, n, d);
  const ny = same ? nx : rowSquaredNorms(Y, m, d);
  const M = output(out, n, m);
  if (same) {
    // the Gram matrix is symmetric: compute half (and keep the result exactly symmetric)
    gemmABt(X, X, n, n, d, M, n, true);
    for (let i = 0; i < n; i++) {
      const o = i * m;
      const a = nx[i];
      for (let j = 0; j < m; j++) {
        const v = a + ny[j] - 2 * M[o + j];
        M[o + j] = v > 0 ? v : 0;
      }
      M[o + i] = 0;
    }
    return M;
  }
  // read the product straight from the scratch arena, writing each distance once
  const { C, ld } = gemmABtScratch(X, Y, n, m, d);
  for (let i = 0; i < n; i++) {
    const o = i * m;
    const oc = i * ld;
    const a = nx[i];
    for (let j = 0; j < m; j++) {
      const v = a + ny[j] - 2 * C[oc + j];
      M[o + j] = v > 0 ? v : 0;
    }
  }
  return M;
}

/** Euclidean distances M[i·m + j] = ‖x_i − y_j‖ (the square root of {@link sqeuclideanCost}). Row-major [n, m]. */
export function euclideanCost(x: PointArray, y: PointArray, n: number, m: number, d: number, out?: Float64Array): Float64Array {
  const M = sqeuclideanCost(x, y, n, m, d, out);
  for (let i = 0; i < n * m; i++) M[i] = Math.sqrt(M[i]);
  return M;
}

/** The cost matrix for a named ground cost. */
export function costMatrix(
  cost: GroundCost,
  x: PointArray,
  y: PointArray,
  n: number,
  m: number,
  d: number,
  out?: Float64Array,
): Float64Array {
  if (cost === 'sqeuclidean') return sqeuclideanCost(x, y, n, m, d, out);
  if (cost === 'euclidean') return euclideanCost(x, y, n, m, d, out);
  throw new RangeError(`unknown ground cost "${String(cost)}" (expected sqeuclidean or euclidean)`);
}

/** ½‖x_i − y_j‖², row-major [n, m] (into `out` when given: its first n·m values). */
export function halfSqCost(x: Float64Array, n: number, y: Float64Array, m: number, d: number, out?: Float64Array): Float64Array {
  const C = sqeuclideanCost(x, y, n, m, d, out);
  for (let k = 0; k < n * m; k++) C[k] *= 0.5;
  return C;
}
