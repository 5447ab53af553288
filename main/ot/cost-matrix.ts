import { asFloat64, gemmABt, rowSquaredNorms } from './gemm';

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

/**
 * Squared Euclidean distances M[i·m + j] = ‖x_i − y_j‖², computed as POT's `ot.dist` does (‖x‖² + ‖y‖² − 2 x·y,
 * clamped at 0), with a blocked float64 product. Row-major [n, m].
 */
export function sqeuclideanCost(x: PointArray, y: PointArray, n: number, m: number, d: number): Float64Array {
  checkShapes(x, y, n, m, d);
  const X = asFloat64(x);
  const Y = x === y ? X : asFloat64(y);
  const same = X === Y && n === m;
  const M = gemmABt(X, Y, n, m, d, new Float64Array(n * m), m, same);
  const nx = rowSquaredNorms(X, n, d);
  const ny = same ? nx : rowSquaredNorms(Y, m, d);
  for (let i = 0; i < n; i++) {
    const o = i * m;
    const a = nx[i];
    for (let j = 0; j < m; j++) {
      const v = a + ny[j] - 2 * M[o + j];
      M[o + j] = v > 0 ? v : 0;
    }
  }
  if (same) for (let i = 0; i < n; i++) M[i * m + i] = 0;
  return M;
}

/** Euclidean distances M[i·m + j] = ‖x_i − y_j‖ (the square root of {@link sqeuclideanCost}). Row-major [n, m]. */
export function euclideanCost(x: PointArray, y: PointArray, n: number, m: number, d: number): Float64Array {
  const M = sqeuclideanCost(x, y, n, m, d);
  for (let i = 0; i < M.length; i++) M[i] = Math.sqrt(M[i]);
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
): Float64Array {
  if (cost === 'sqeuclidean') return sqeuclideanCost(x, y, n, m, d);
  if (cost === 'euclidean') return euclideanCost(x, y, n, m, d);
  throw new RangeError(`unknown ground cost "${String(cost)}" (expected sqeuclidean or euclidean)`);
}
