import { MAX_ARENA_BYTES, simdKernels, type SimdKernels } from './wasm-simd';

/**
 * Dense products in float64 for distance matrices and covariances. Hand-written: tfjs's wasm matMul is float32 only
 * and its transposed form measured about half the speed of the plain-JS loop here, and no maintained npm package
 * offers a fast float64 GEMM. The WebAssembly SIMD kernel (wasm-simd.ts) runs when available and the product is not
 * tiny; the plain-JS loop below is the fallback: 4 × 4 blocks of dot products between rows of A and rows of B (both
 * row-major, contiguous rows), with the shared dimension cut into L1-sized slices.
 */

const K_BLOCK = 256;
/** Below this many multiply-adds the copy into the SIMD arena does not pay. */
const SIMD_MIN_WORK = 32_768;

/** Rows of a row-major [rows, d] matrix as float64 (a copy for float32 input, the same array for float64). */
export function asFloat64(x: Float32Array | Float64Array): Float64Array {
  return x instanceof Float64Array ? x : Float64Array.from(x);
}

/**
 * C[i * ldc + j] = Σ_k A[i * d + k] · B[j * d + k] for i < n, j < m, i.e. C = A·Bᵀ.
 * `ldc` is C's row stride (m when absent). When `upper` is set (A and B the same matrix, n = m), only blocks with
 * j ≥ i are computed and then mirrored, halving the work of a Gram matrix.
 */
export function gemmABt(
  A: Float64Array,
  B: Float64Array,
  n: number,
  m: number,
  d: number,
  C: Float64Array = new Float64Array(n * m),
  ldc = m,
  upper = false,
): Float64Array {
  if (A.length < n * d) throw new RangeError(`gemmABt: A holds ${A.length} values, needs ${n} × ${d}`);
  if (B.length < m * d) throw new RangeError(`gemmABt: B holds ${B.length} values, needs ${m} × ${d}`);
  if (C.length < (n - 1) * ldc + m) throw new RangeError(`gemmABt: C is too small for ${n} × ${m}`);
  const simd = n * m * d >= SIMD_MIN_WORK ? simdKernels() : null;
  if (simd && gemmSimd(simd, A, B, n, m, d, C, ldc, upper)) return C;
  return gemmABtJs(A, B, n, m, d, C, ldc, upper);
}

/**
 * A·Bᵀ for immediate consumption: `C` is a view into the SIMD arena with row stride `ld` (valid only until the next
 * use of the arena, i.e. read it before calling anything else in this folder), or a fresh array without SIMD. Saves
 * the copy-out when the caller transforms the product anyway (distance matrices).
 */
export function gemmABtScratch(A: Float64Array, B: Float64Array, n: number, m: number, d: number): { C: Float64Array; ld: number } {
  const K = n * m * d >= SIMD_MIN_WORK ? simdKernels() : null;
  if (K) {
    const s = roundUp(d, 2);
    const n2 = roundUp(n, 2);
    const m4 = roundUp(m, 4);
    const same = A === B;
    const aRows = same ? Math.max(n2, m4) : n2;
    const bOff = same ? 0 : aRows * s * 8;
    const cOff = same ? aRows * s * 8 : bOff + m4 * s * 8;
    const total = cOff + n2 * m4 * 8;
    if (total <= MAX_ARENA_BYTES) {
      K.reserve(total);
      loadRows(K, 0, A, same ? Math.max(n, m) : n, aRows, d, s);
      if (!same) loadRows(K, bOff, B, m, m4, d, s);
      runSimd(K, 0, bOff, cOff, n2, m4, s, false);
      return { C: K.view(cOff, n2 * m4), ld: m4 };
    }
  }
  return { C: gemmABtJs(A, B, n, m, d), ld: m };
}

function loadRows(K: SimdKernels, off: number, src: Float64Array, rows: number, padRows: number, d: number, s: number): void {
  const v = K.view(off, padRows * s);
  if (s === d) {
    v.set(src.subarray(0, rows * d));
    v.fill(0, rows * d);
  } else {
    v.fill(0);
    for (let r = 0; r < rows; r++) v.set(src.subarray(r * d, r * d + d), r * s);
  }
}

/** {@link gemmABt} in plain JS (the fallback; exported for tests). */
export function gemmABtJs(
  A: Float64Array,
  B: Float64Array,
  n: number,
  m: number,
  d: number,
  C: Float64Array = new Float64Array(n * m),
  ldc = m,
  upper = false,
): Float64Array {
  for (let i = 0; i < n; i++) C.fill(0, i * ldc, i * ldc + m);
  if (d === 0) return C;
  for (let k0 = 0; k0 < d; k0 += K_BLOCK) {
    const k1 = Math.min(d, k0 + K_BLOCK);
    let i = 0;
    for (; i + 4 <= n; i += 4) {
      const a0 = i * d;
      const a1 = a0 + d;
      const a2 = a1 + d;
      const a3 = a2 + d;
      let j = upper ? i : 0;
      for (; j + 4 <= m; j += 4) {
        const b0 = j * d;
        const b1 = b0 + d;
        const b2 = b1 + d;
        const b3 = b2 + d;
        let c00 = 0,
          c01 = 0,
          c02 = 0,
          c03 = 0;
        let c10 = 0,
          c11 = 0,
          c12 = 0,
          c13 = 0;
        let c20 = 0,
          c21 = 0,
          c22 = 0,
          c23 = 0;
        let c30 = 0,
          c31 = 0,
          c32 = 0,
          c33 = 0;
        for (let k = k0; k < k1; k++) {
          const x0 = A[a0 + k];
          const x1 = A[a1 + k];
          const x2 = A[a2 + k];
          const x3 = A[a3 + k];
          const y0 = B[b0 + k];
          const y1 = B[b1 + k];
          const y2 = B[b2 + k];
          const y3 = B[b3 + k];
          c00 += x0 * y0;
          c01 += x0 * y1;
          c02 += x0 * y2;
          c03 += x0 * y3;
          c10 += x1 * y0;
          c11 += x1 * y1;
          c12 += x1 * y2;
          c13 += x1 * y3;
          c20 += x2 * y0;
          c21 += x2 * y1;
          c22 += x2 * y2;
          c23 += x2 * y3;
          c30 += x3 * y0;
          c31 += x3 * y1;
          c32 += x3 * y2;
          c33 += x3 * y3;
        }
        let o = i * ldc + j;
        C[o] += c00;
        C[o + 1] += c01;
        C[o + 2] += c02;
        C[o + 3] += c03;
        o += ldc;
        C[o] += c10;
        C[o + 1] += c11;
        C[o + 2] += c12;
        C[o + 3] += c13;
        o += ldc;
        C[o] += c20;
        C[o + 1] += c21;
        C[o + 2] += c22;
        C[o + 3] += c23;
        o += ldc;
        C[o] += c30;
        C[o + 1] += c31;
        C[o + 2] += c32;
        C[o + 3] += c33;
      }
      // leftover columns of this 4-row band
      for (; j < m; j++) {
        const b0 = j * d;
        let c0 = 0,
          c1 = 0,
          c2 = 0,
          c3 = 0;
        for (let k = k0; k < k1; k++) {
          const y = B[b0 + k];
          c0 += A[a0 + k] * y;
          c1 += A[a1 + k] * y;
          c2 += A[a2 + k] * y;
          c3 += A[a3 + k] * y;
        }
        const o = i * ldc + j;
        C[o] += c0;
        C[o + ldc] += c1;
        C[o + 2 * ldc] += c2;
        C[o + 3 * ldc] += c3;
      }
    }
    // leftover rows
    for (; i < n; i++) {
      const a0 = i * d;
      for (let j = upper ? i : 0; j < m; j++) {
        const b0 = j * d;
        let c = 0;
        for (let k = k0; k < k1; k++) c += A[a0 + k] * B[b0 + k];
        C[i * ldc + j] += c;
      }
    }
  }
  if (upper) {
    // mirror the computed upper part (blocks start on the diagonal, so a few entries below it exist too)
    for (let i = 1; i < n; i++) for (let j = 0; j < i; j++) C[i * ldc + j] = C[j * ldc + i];
  }
  return C;
}

const roundUp = (x: number, q: number) => Math.ceil(x / q) * q;

/**
 * The row stride of the Gram kernels' X: d rounded up to the kernel's block, plus one block when the rows would then be
 * a multiple of 4 KB apart. The kernels read a column block down 64 rows; at such strides those rows fall in the same
 * L1 sets and evict each other (measured: 11 against 21–24 GFLOP/s in float64 at d = 512, 1,024, 2,048, 25–26 against
 * 40 in float32 at 1,024, 2,048). The padding columns are zero, so the Gram matrix's entries are the same.
 */
export function paddedStride(d: number, block: number, elementBytes: number): number {
  const ld = roundUp(d, block);
  return (ld * elementBytes) % 4096 === 0 ? ld + block : ld;
}

/** Rows of x copied into the arena at a time by shiftedGram (512 rows of 128 doubles: 512 KB, in L2). */
const PACK_ROWS = 512;

/** The SIMD path: copy A and B (zero-padded to the kernel's multiples) into the arena, run, copy C out. */
function gemmSimd(
  K: SimdKernels,
  A: Float64Array,
  B: Float64Array,
  n: number,
  m: number,
  d: number,
  C: Float64Array,
  ldc: number,
  upper: boolean,
): boolean {
  const same = A === B;
  const s = roundUp(d, 2);
  const n2 = roundUp(n, 2);
  const m4 = roundUp(m, 4);
  const aRows = same ? Math.max(n2, m4) : n2;
  const aOff = 0;
  const bOff = same ? 0 : aRows * s * 8;
  const cOff = bOff + (same ? 0 : m4 * s * 8) + (same ? aRows * s * 8 : 0);
  const total = cOff + n2 * m4 * 8;
  if (total > MAX_ARENA_BYTES) return false;
  K.reserve(total);
  loadRows(K, aOff, A, same ? Math.max(n, m) : n, aRows, d, s);
  if (!same) loadRows(K, bOff, B, m, m4, d, s);
  runSimd(K, aOff, bOff, cOff, n2, m4, s, upper);
  copyOut(K, cOff, n, m, m4, C, ldc, upper);
  return true;
}

/** C (at cOff, [n2, m4]) = A·Bᵀ from the arena, in B panels of 128 rows × 256 shared (upper: j ≥ i blocks only). */
function runSimd(K: SimdKernels, aOff: number, bOff: number, cOff: number, n2: number, m4: number, s: number, upper: boolean): void {
  K.view(cOff, n2 * m4).fill(0);
  K.bands(aOff, bOff, cOff, n2, m4, s, upper);
}

function copyOut(K: SimdKernels, cOff: number, n: number, m: number, m4: number, C: Float64Array, ldc: number, upper: boolean): void {
  const out = K.view(cOff, Math.ceil(n / 2) * 2 * m4);
  for (let i = 0; i < n; i++) C.set(out.subarray(i * m4, i * m4 + m), i * ldc);
  if (upper) for (let i = 1; i < n; i++) for (let j = 0; j < i; j++) C[i * ldc + j] = C[j * ldc + i];
}

/**
 * The Gram matrix of the shifted columns of x ([n, d]): G[a, b] = Σ_i (x[i, a] − shift[a])·(x[i, b] − shift[b]),
 * [d, d], and the column sums of the shifted data: x is copied into the SIMD arena a block of rows at a time, a SIMD
 * pass (wasm-simd.ts pack) writes the shifted rows and accumulates the sums (the JS loop's values exactly, 3–4× faster
 * than that loop), and the syrk kernel forms XᵀX from them.
 *
 * `float32`: the shifted values are rounded to float32 (the sums are of the rounded values) and their products summed
 * in float32 over chunks of GRAM32_CHUNK rows, the chunks added in float64 (wasm-simd.ts syrk32): twice the SIMD lanes.
 * Each entry then carries a relative error of order GRAM32_CHUNK·2⁻²⁴ of Σ|products| (test/metrics/fid.test.ts
 * measures it against SciPy). Without the SIMD kernels it is the float64 computation.
 */
export function shiftedGram(
  x: Float32Array | Float64Array,
  n: number,
  d: number,
  shift: Float64Array,
  precision: 'float64' | 'float32' = 'float64',
): { gram: Float64Array; sums: Float64Array } {
  const G = new Float64Array(d * d);
  const sums = new Float64Array(d);
  const K = n * d * d >= SIMD_MIN_WORK ? simdKernels() : null;
  if (K) {
    // the arena: X (the shifted rows, row stride ld), C [ld, ld], then a block of x's rows, the shift and the sums
    const f32 = precision === 'float32';
    const eb = f32 ? 4 : 8;
    const ld = paddedStride(d, f32 ? 16 : 8, eb);
    const cOff = roundUp(n * ld * eb, 16);
    const srcOff = cOff + ld * ld * 8;
    const src32 = x instanceof Float32Array;
    const block = Math.min(n, PACK_ROWS);
    const shiftOff = srcOff + roundUp(block * d * (src32 ? 4 : 8), 16);
    const sumsOff = shiftOff + roundUp(d * 8, 16);
    const total = sumsOff + d * 8;
    if (total <= MAX_ARENA_BYTES) {
      K.reserve(total);
      // block copies into the arena, each followed by one SIMD pass that subtracts the shift (rounding to float32 for
      // `float32`) and sums the columns: the values of the JS loop `x[i·d + k] − shift[k]`, several times faster
      K.view(shiftOff, d).set(shift);
      K.view(sumsOff, d).fill(0);
      for (let r0 = 0; r0 < n; r0 += block) {
        const rows = Math.min(block, n - r0);
        const part = x.subarray(r0 * d, (r0 + rows) * d);
        if (src32) K.view32(srcOff, rows * d).set(part);
        else K.view(srcOff, rows * d).set(part);
        K.pack(srcOff, r0 * ld * eb, sumsOff, shiftOff, rows, d, ld, src32, f32);
      }
      sums.set(K.view(sumsOff, d));
      K.view(cOff, ld * ld).fill(0);
      if (f32) K.gram32(0, cOff, n, ld);
      else K.gram(0, cOff, n, ld);
      copyOut(K, cOff, d, d, ld, G, d, true);
      return { gram: G, sums };
    }
  }
  const transpose = (Xt: Float64Array, stride: number) => {
    // bands of 16 rows, so that each write run is 16 consecutive doubles
    for (let i0 = 0; i0 < n; i0 += 16) {
      const i1 = Math.min(n, i0 + 16);
      for (let k = 0; k < d; k++) {
        const sk = shift[k];
        const o = k * stride;
        let acc = 0;
        for (let i = i0; i < i1; i++) {
          const v = x[i * d + k] - sk;
          Xt[o + i] = v;
          acc += v;
        }
        sums[k] += acc;
      }
    }
  };
  const Xt = new Float64Array(d * n);
  transpose(Xt, n);
  gemmABtJs(Xt, Xt, d, d, n, G, d, true);
  return { gram: G, sums };
}

/** Squared Euclidean norm of each row of a row-major [n, d] matrix. */
export function rowSquaredNorms(A: Float64Array, n: number, d: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    const o = i * d;
    for (let k = 0; k < d; k++) {
      const v = A[o + k];
      s += v * v;
    }
    out[i] = s;
  }
  return out;
}
