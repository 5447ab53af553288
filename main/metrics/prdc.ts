import { asFloat64, gemmABt, rowSquaredNorms } from '../ot/gemm';

export interface Prdc {
  precision: number;
  recall: number;
  density: number;
  coverage: number;
}

/** Rows per block of the distance computations (bounds memory at BLOCK × n doubles). */
const BLOCK = 256;

/** One block buffer reused across calls (the functions here are synchronous; fresh pages are slow to first touch). */
let scratch = new Float64Array(0);
function blockBuffer(size: number): Float64Array {
  if (scratch.length < size) scratch = new Float64Array(size);
  return scratch;
}

/**
 * Euclidean distances from rows [r0, r1) of X to all rows of Y, into out ([r1 − r0, m]), as sklearn's
 * `euclidean_distances` (‖x‖² − 2x·y + ‖y‖², clamped at 0, square root).
 */
function distanceBlock(
  X: Float64Array,
  nx: Float64Array,
  r0: number,
  r1: number,
  Y: Float64Array,
  ny: Float64Array,
  m: number,
  d: number,
  out: Float64Array,
): void {
  const rows = r1 - r0;
  gemmABt(X.subarray(r0 * d, r1 * d), Y, rows, m, d, out, m);
  for (let i = 0; i < rows; i++) {
    const o = i * m;
    const a = nx[r0 + i];
    for (let j = 0; j < m; j++) {
      const v = a - 2 * out[o + j] + ny[j];
      out[o + j] = v > 0 ? Math.sqrt(v) : 0;
    }
  }
}

/**
 * Distance from each row of X to its k-th nearest neighbour within X, self excluded: the (k+1)-th smallest entry of
 * its row of the distance matrix, self (0) included, as the `prdc` package's `get_kth_value(distances, k + 1)`.
 */
export function kthNeighbourRadii(X: Float64Array, n: number, d: number, k: number): Float64Array {
  if (!(k >= 1) || k >= n) throw new RangeError(`k-nearest-neighbour radius needs 1 ≤ k < n (k=${k}, n=${n})`);
  const norms = rowSquaredNorms(X, n, d);
  const radii = new Float64Array(n);
  const block = blockBuffer(Math.min(BLOCK, n) * n);
  const best = new Float64Array(k + 1); // the k+1 smallest, ascending
  for (let r0 = 0; r0 < n; r0 += BLOCK) {
    const r1 = Math.min(n, r0 + BLOCK);
    distanceBlock(X, norms, r0, r1, X, norms, n, d, block);
    for (let i = r0; i < r1; i++) {
      const o = (i - r0) * n;
      block[o + i] = 0; // sklearn zeroes the diagonal when X is Y
      best.fill(Infinity);
      for (let j = 0; j < n; j++) {
        const v = block[o + j];
        if (v < best[k]) {
          let p = k;
          while (p > 0 && best[p - 1] > v) {
            best[p] = best[p - 1];
            p--;
          }
          best[p] = v;
        }
      }
      radii[i] = best[k];
    }
  }
  return radii;
}

/**
 * Precision, recall, density and coverage (Naeem et al. 2020) exactly as the `prdc` package computes them: radii are
 * k-th nearest-neighbour distances within each set (self excluded), membership is strict (<).
 * precision: share of fakes inside some real ball; recall: share of reals inside some fake ball;
 * density: (1/k)·mean over fakes of the number of real balls containing it; coverage: share of reals whose own ball
 * contains some fake.
 */
export function prdc(
  real: Float32Array | Float64Array,
  nReal: number,
  fake: Float32Array | Float64Array,
  nFake: number,
  d: number,
  k = 3,
): Prdc {
  checkPrdcArgs(real, nReal, fake, nFake, d, k);
  const R = asFloat64(real);
  return prdcWithRealRadii(R, nReal, kthNeighbourRadii(R, nReal, d, k), fake, nFake, d, k);
}

function checkPrdcArgs(real: ArrayLike<number>, nReal: number, fake: ArrayLike<number>, nFake: number, d: number, k: number): void {
  if (real.length !== nReal * d) throw new RangeError(`prdc: real features hold ${real.length} values, expected ${nReal} × ${d}`);
  if (fake.length !== nFake * d) throw new RangeError(`prdc: fake features hold ${fake.length} values, expected ${nFake} × ${d}`);
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`prdc: k must be an integer ≥ 1, got ${k}`);
  if (nReal <= k || nFake <= k) throw new RangeError(`prdc: each set needs more than k = ${k} samples (real ${nReal}, fake ${nFake})`);
}

/** {@link prdc} with the real set's k-NN radii given (they depend on the real set only: compute them once). */
export function prdcWithRealRadii(
  real: Float32Array | Float64Array,
  nReal: number,
  realRadii: Float64Array,
  fake: Float32Array | Float64Array,
  nFake: number,
  d: number,
  k = 3,
): Prdc {
  checkPrdcArgs(real, nReal, fake, nFake, d, k);
  if (realRadii.length !== nReal) throw new RangeError(`prdc: ${realRadii.length} real radii for ${nReal} real samples`);
  const R = asFloat64(real);
  const Fk = asFloat64(fake);
  const fakeRadii = kthNeighbourRadii(Fk, nFake, d, k);
  const nr = rowSquaredNorms(R, nReal, d);
  const nf = rowSquaredNorms(Fk, nFake, d);

  const fakeInReal = new Uint8Array(nFake);
  const densityCount = new Float64Array(nFake);
  let recallHits = 0;
  let coverageHits = 0;
  const block = blockBuffer(Math.min(BLOCK, nReal) * nFake);
  for (let r0 = 0; r0 < nReal; r0 += BLOCK) {
    const r1 = Math.min(nReal, r0 + BLOCK);
    distanceBlock(R, nr, r0, r1, Fk, nf, nFake, d, block);
    for (let i = r0; i < r1; i++) {
      const o = (i - r0) * nFake;
      const ri = realRadii[i];
      let inSomeFake = false;
      let minD = Infinity;
      for (let j = 0; j < nFake; j++) {
        const v = block[o + j];
        if (v < ri) {
          fakeInReal[j] = 1;
          densityCount[j]++;
        }
        if (v < fakeRadii[j]) inSomeFake = true;
        if (v < minD) minD = v;
      }
      if (inSomeFake) recallHits++;
      if (minD < ri) coverageHits++;
    }
  }
  let precisionHits = 0;
  let densitySum = 0;
  for (let j = 0; j < nFake; j++) {
    precisionHits += fakeInReal[j];
    densitySum += densityCount[j];
  }
  return {
    precision: precisionHits / nFake,
    recall: recallHits / nReal,
    density: densitySum / (k * nFake),
    coverage: coverageHits / nReal,
  };
}
