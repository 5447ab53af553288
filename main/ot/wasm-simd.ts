import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import {
  addTo,
  assembleModule,
  constant,
  elementAt,
  f32,
  f32x4,
  f64,
  f64x2,
  type FunctionBody,
  i32,
  instantiate,
  type Kernel,
  localsAfter,
  mulTo,
  op,
  paramLocals,
  v128,
  whileBelow,
  whileLt,
} from '../util/wasm-simd';

/**
 * Kernels in WebAssembly SIMD (f64x2, f32x4), assembled with main/util/wasm-simd.ts: the dense product
 * C = A·Bᵀ behind every distance matrix, the Gram matrix XᵀX of a covariance (float64, or float32 sums) with the
 * pass that shifts the rows into place, and the fused row pass of Sinkhorn. Hand-assembled because
 * no npm package offers float64 SIMD kernels; measured about twice the
 * speed of the best plain-JS loop, since V8 neither vectorises nor drops bounds checks in typed-array loops.
 *
 * Memory: one imported WebAssembly.Memory used as a scratch arena. Callers copy inputs in, run, and copy results out
 * (nothing keeps a view across calls), so the arena can be reused and grown freely. When SIMD is unavailable
 * (`simdKernels()` returns null) callers fall back to their JS loops.
 */

/** acc = acc + x·y for v128 locals. */
const fma = (acc: number, x: number, y: number) => [...op.get(acc), ...op.get(x), ...op.get(y), ...f64x2.mul, ...f64x2.add, ...op.set(acc)];
/** the sum of the two lanes of a v128 local, on the stack */
const hsum = (v: number) => [...op.get(v), ...f64x2.extractLane(0), ...op.get(v), ...f64x2.extractLane(1), ...f64.add];

/** The parameters of gemm (see gemmBody). */
const gemmSignature = ['A', 'B', 'C', 'n', 'm', 'kLen', 'stride', 'ldc'] as const;

/**
 * gemm(A, B, C, n, m, kLen, stride, ldc): C[i·ldc + j] += Σ_{k<kLen} A[i·stride + k]·B[j·stride + k] (byte
 * addresses; n % 2 = 0, m % 4 = 0, kLen % 2 = 0, addresses 16-byte aligned). 2 × 4 blocks of f64x2 accumulators.
 */
function gemmBody(): FunctionBody {
  const { A, B, C, n, m, kLen, stride, ldc } = paramLocals(gemmSignature);
  const locals = localsAfter(gemmSignature);
  const [i, j, k, a0, a1, b0, b1, b2, b3, kB, c, ldcB, sB] = locals.i32s(13);
  const acc = locals.v128s(8); // acc[r*4 + q]
  const [x0, x1, y] = locals.v128s(3);
  const zeroAcc = acc.flatMap((a) => [...v128.zero, ...op.set(a)]);
  const kBody = [
    ...op.get(a0),
    ...op.get(k),
    ...i32.add,
    ...v128.load(),
    ...op.set(x0),
    ...op.get(a1),
    ...op.get(k),
    ...i32.add,
    ...v128.load(),
    ...op.set(x1),
    ...[b0, b1, b2, b3].flatMap((b, q) => [
      ...op.get(b),
      ...op.get(k),
      ...i32.add,
      ...v128.load(),
      ...op.set(y),
      ...fma(acc[q], x0, y),
      ...fma(acc[4 + q], x1, y),
    ]),
  ];
  const store = (r: number, q: number) => [
    ...op.get(c),
    ...op.get(c),
    ...f64.load(q * 8),
    ...hsum(acc[r * 4 + q]),
    ...f64.add,
    ...f64.store(q * 8),
  ];
  const jBody = [
    // b0 = B + j·sB, b1..b3 follow
    ...op.get(B),
    ...op.get(j),
    ...op.get(sB),
    ...i32.mul,
    ...i32.add,
    ...op.tee(b0),
    ...op.get(sB),
    ...i32.add,
    ...op.tee(b1),
    ...op.get(sB),
    ...i32.add,
    ...op.tee(b2),
    ...op.get(sB),
    ...i32.add,
    ...op.set(b3),
    ...zeroAcc,
    ...i32.const(0),
    ...op.set(k),
    ...whileLt(k, kB, 16, kBody),
    // c = C + (i·ldc + j)·8
    ...op.get(C),
    ...op.get(i),
    ...op.get(ldc),
    ...i32.mul,
    ...op.get(j),
    ...i32.add,
    ...i32.const(8),
    ...i32.mul,
    ...i32.add,
    ...op.set(c),
    ...store(0, 0),
    ...store(0, 1),
    ...store(0, 2),
    ...store(0, 3),
    ...addTo(c, c, ldcB),
    ...store(1, 0),
    ...store(1, 1),
    ...store(1, 2),
    ...store(1, 3),
  ];
  const iBody = [
    ...op.get(A),
    ...op.get(i),
    ...op.get(sB),
    ...i32.mul,
    ...i32.add,
    ...op.tee(a0),
    ...op.get(sB),
    ...i32.add,
    ...op.set(a1),
    ...i32.const(0),
    ...op.set(j),
    ...whileLt(j, m, 4, jBody),
  ];
  const code = [
    ...mulTo(kB, kLen, 8),
    ...mulTo(sB, stride, 8),
    ...mulTo(ldcB, ldc, 8),
    ...i32.const(0),
    ...op.set(i),
    ...whileLt(i, n, 2, iBody),
  ];
  return { locals: locals.declared(), code };
}

/** The parameters of syrk and syrk32 (see syrkBody, syrk32Body). */
export const syrkSignature = ['X', 'C', 'rows', 'ld', 'aStart', 'aEnd'] as const;

/**
 * syrk(X, C, rows, ld, aStart, aEnd): C[a, b] += Σ_{i<rows} X[i, a]·X[i, b] for a in [aStart, aEnd) (step 2) and
 * b ≥ a rounded down to 8, i.e. the upper part of XᵀX for row-major X with row stride ld (ld % 8 = 0, C is ld × ld).
 * 2 × 8 blocks: two splatted X[i, a] against four f64x2 of X[i, b..b+7].
 *
 * `inOrder`: each block's accumulators start from C and are stored back, instead of starting from zero and being added
 * to C, so that every entry is C + X[0, a]·X[0, b] + X[1, a]·X[1, b] + … one product at a time in row order, however
 * the rows are split into calls: the sums of a plain loop over the rows (main/models/dense-gaussian.ts rowMoments).
 */
export function syrkBody(inOrder = false): FunctionBody {
  const { X, C, rows, ld, aStart, aEnd } = paramLocals(syrkSignature);
  const locals = localsAfter(syrkSignature);
  const [a, b, pA, pB, rowB, pEnd, cA, aOff, span] = locals.i32s(9);
  const acc = locals.v128s(8);
  const [xa0, xa1, y] = locals.v128s(3);
  // one row i: pA → X[i, a], pB → X[i, b]; both step by a row
  const iBody = [
    ...op.get(pA),
    ...v128.load64Splat(0),
    ...op.set(xa0),
    ...op.get(pA),
    ...v128.load64Splat(8),
    ...op.set(xa1),
    ...[0, 1, 2, 3].flatMap((q) => [...op.get(pB), ...v128.load(q * 16), ...op.set(y), ...fma(acc[q], xa0, y), ...fma(acc[4 + q], xa1, y)]),
    ...addTo(pA, pA, rowB),
    ...addTo(pB, pB, rowB),
  ];
  const iLoop = whileBelow(pA, pEnd, iBody);
  /** the address of C[a + r, b] */
  const cAt = (r: number) => [
    ...op.get(cA),
    ...(r ? [...op.get(rowB), ...i32.add] : []),
    ...op.get(b),
    ...i32.const(8),
    ...i32.mul,
    ...i32.add,
  ];
  // C[a, b..b+7] += acc[0..3], C[a + 1, b..b+7] += acc[4..7] (inOrder: C = acc)
  const flush = (r: number) =>
    [0, 1, 2, 3].flatMap((q) => [
      ...cAt(r),
      ...(inOrder ? [] : [...cAt(r), ...v128.load(q * 16)]),
      ...op.get(acc[r * 4 + q]),
      ...(inOrder ? [] : f64x2.add),
      ...v128.store(q * 16),
    ]);
  const start = inOrder
    ? [0, 1].flatMap((r) => [0, 1, 2, 3].flatMap((q) => [...cAt(r), ...v128.load(q * 16), ...op.set(acc[r * 4 + q])]))
    : acc.flatMap((x) => [...v128.zero, ...op.set(x)]);
  const bBody = [
    ...start,
    ...addTo(pA, X, aOff),
    ...elementAt(X, b, 8),
    ...op.set(pB),
    ...addTo(pEnd, pA, span),
    ...iLoop,
    ...flush(0),
    ...flush(1),
  ];
  const aBody = [
    ...mulTo(aOff, a, 8),
    // cA = C + a·rowB
    ...op.get(C),
    ...op.get(a),
    ...op.get(rowB),
    ...i32.mul,
    ...i32.add,
    ...op.set(cA),
    // b = a & ~7
    ...op.get(a),
    ...i32.const(-8),
    ...i32.and,
    ...op.set(b),
    ...whileLt(b, ld, 8, bBody),
  ];
  const code = [
    ...mulTo(rowB, ld, 8),
    ...op.get(rows),
    ...op.get(rowB),
    ...i32.mul,
    ...op.set(span),
    ...op.get(aStart),
    ...op.set(a),
    ...whileLt(a, aEnd, 2, aBody),
  ];
  return { locals: locals.declared(), code };
}

/**
 * syrk32(X, C, rows, ld, aStart, aEnd): C[a, b] += Σ_{i<rows} X[i, a]·X[i, b], the float32 twin of syrk: X is float32
 * (row stride ld, ld % 16 = 0), the products and their sum over the `rows` rows are float32 (f32x4), and that sum is
 * added to C in float64 (C is ld × ld float64). For a in [aStart, aEnd) (step 2) and b ≥ a rounded down to 16: 2 × 16
 * blocks, two splatted X[i, a] against four f32x4 of X[i, b..b+15]. Callers keep `rows` small (a chunk), so that each
 * float32 partial sum spans few rows.
 */
function syrk32Body(): FunctionBody {
  const { X, C, rows, ld, aStart, aEnd } = paramLocals(syrkSignature);
  const locals = localsAfter(syrkSignature);
  const [a, b, pA, pB, rowB, pEnd, cA, aOff, span, rowC, cB] = locals.i32s(11);
  const acc = locals.v128s(8);
  const [xa0, xa1, y] = locals.v128s(3);
  const fma32 = (s: number, x: number, v: number) => [...op.get(s), ...op.get(x), ...op.get(v), ...f32x4.mul, ...f32x4.add, ...op.set(s)];
  const iBody = [
    ...op.get(pA),
    ...v128.load32Splat(0),
    ...op.set(xa0),
    ...op.get(pA),
    ...v128.load32Splat(4),
    ...op.set(xa1),
    ...[0, 1, 2, 3].flatMap((q) => [
      ...op.get(pB),
      ...v128.load(q * 16),
      ...op.set(y),
      ...fma32(acc[q], xa0, y),
      ...fma32(acc[4 + q], xa1, y),
    ]),
    ...addTo(pA, pA, rowB),
    ...addTo(pB, pB, rowB),
  ];
  const iLoop = whileBelow(pA, pEnd, iBody);
  // C[a + r, b + 4q .. b + 4q + 3] (float64) += acc[4r + q] (float32, promoted)
  const flush = (r: number) => [
    ...op.get(cA),
    ...(r ? [...op.get(rowC), ...i32.add] : []),
    ...op.get(b),
    ...i32.const(8),
    ...i32.mul,
    ...i32.add,
    ...op.set(cB),
    ...[0, 1, 2, 3].flatMap((q) => [
      ...op.get(cB),
      ...op.get(cB),
      ...v128.load(q * 32),
      ...op.get(acc[r * 4 + q]),
      ...f64x2.promoteLowF32x4,
      ...f64x2.add,
      ...v128.store(q * 32),
      ...op.get(cB),
      ...op.get(cB),
      ...v128.load(q * 32 + 16),
      ...op.get(acc[r * 4 + q]),
      ...op.get(acc[r * 4 + q]),
      ...f32x4.highHalf,
      ...f64x2.promoteLowF32x4,
      ...f64x2.add,
      ...v128.store(q * 32 + 16),
    ]),
  ];
  const bBody = [
    ...acc.flatMap((x) => [...v128.zero, ...op.set(x)]),
    ...addTo(pA, X, aOff),
    ...elementAt(X, b, 4),
    ...op.set(pB),
    ...addTo(pEnd, pA, span),
    ...iLoop,
    ...flush(0),
    ...flush(1),
  ];
  const aBody = [
    ...mulTo(aOff, a, 4),
    ...op.get(C),
    ...op.get(a),
    ...op.get(rowC),
    ...i32.mul,
    ...i32.add,
    ...op.set(cA),
    ...op.get(a),
    ...i32.const(-16),
    ...i32.and,
    ...op.set(b),
    ...whileLt(b, ld, 16, bBody),
  ];
  const code = [
    ...mulTo(rowB, ld, 4),
    ...mulTo(rowC, ld, 8),
    ...op.get(rows),
    ...op.get(rowB),
    ...i32.mul,
    ...op.set(span),
    ...op.get(aStart),
    ...op.set(a),
    ...whileLt(a, aEnd, 2, aBody),
  ];
  return { locals: locals.declared(), code };
}

/** The parameters of the four pack kernels (see packBody). */
const packSignature = ['src', 'dst', 'sums', 'shift', 'n', 'd', 'ld'] as const;

/**
 * pack(src, dst, sums, shift, n, d, ld): dst[i, k] = src[i, k] − shift[k] for the n rows of src ([n, d] row-major,
 * float64 or float32 as `src32`), written with row stride ld (≥ d; columns d..ld−1 set to 0) as float64 or rounded to
 * float32 (`dst32`); sums[k] += dst[i, k] (the stored value, in float64, row after row). The arithmetic of the JS loop
 * `v = x[i·d + k] − shift[k]` (then Math.fround for float32) exactly, two columns per f64x2, eight per loop turn.
 */
function packBody(src32: boolean, dst32: boolean): FunctionBody {
  const { src, dst, sums, shift, n, d, ld } = paramLocals(packSignature);
  const locals = localsAfter(packSignature);
  const [i, ps, pd, kb, kEnd, rowS, rowD, padEnd, dStride, kEnd8, pShift, pSums] = locals.i32s(12);
  const [sv] = locals.f64s(1);
  const [v, r] = locals.v128s(2);
  const sb = src32 ? 4 : 8;
  const db = dst32 ? 4 : 8;
  // `pairs` consecutive column pairs from ps, pd, kb (memarg offsets), then the pointers advance past them
  const pairsBody = (pairs: number) => [
    ...addTo(pShift, shift, kb),
    ...addTo(pSums, sums, kb),
    ...Array.from({ length: pairs }, (_, u) => [
      ...op.get(ps),
      ...(src32 ? [...v128.load64Zero(u * 8), ...f64x2.promoteLowF32x4] : v128.load(u * 16)),
      ...op.get(pShift),
      ...v128.load(u * 16),
      ...f64x2.sub,
      ...op.set(v),
      ...(dst32
        ? [
            ...op.get(pd),
            ...op.get(v),
            ...f32x4.demoteF64x2Zero,
            ...op.tee(r),
            ...v128.store64Lane0(u * 8),
            ...op.get(r),
            ...f64x2.promoteLowF32x4,
            ...op.set(v),
          ]
        : [...op.get(pd), ...op.get(v), ...v128.store(u * 16)]),
      ...op.get(pSums),
      ...op.get(pSums),
      ...v128.load(u * 16),
      ...op.get(v),
      ...f64x2.add,
      ...v128.store(u * 16),
    ]).flat(),
    ...addTo(ps, ps, constant(2 * sb * pairs)),
    ...addTo(pd, pd, constant(2 * db * pairs)),
  ];
  // the last column when d is odd (kb = 8·(d − 1), ps and pd on it)
  const lastColumn = [
    ...op.get(d),
    ...i32.const(1),
    ...i32.and,
    ...op.if,
    ...op.get(ps),
    ...(src32 ? [...f32.load(), ...f64.promoteF32] : f64.load()),
    ...op.get(shift),
    ...op.get(kb),
    ...i32.add,
    ...f64.load(),
    ...f64.sub,
    ...(dst32 ? [...f32.demoteF64, ...f64.promoteF32] : []),
    ...op.set(sv),
    ...op.get(pd),
    ...op.get(sv),
    ...(dst32 ? [...f32.demoteF64, ...f32.store()] : f64.store()),
    ...op.get(sums),
    ...op.get(kb),
    ...i32.add,
    ...op.get(sums),
    ...op.get(kb),
    ...i32.add,
    ...f64.load(),
    ...op.get(sv),
    ...f64.add,
    ...f64.store(),
    ...addTo(pd, pd, constant(db)),
    ...op.end,
  ];
  const zero = dst32 ? [...op.get(pd), ...f32.const(0), ...f32.store()] : [...op.get(pd), ...f64.const(0), ...f64.store()];
  const rowBody = [
    ...op.get(rowS),
    ...op.set(ps),
    ...op.get(rowD),
    ...op.set(pd),
    ...i32.const(0),
    ...op.set(kb),
    ...whileLt(kb, kEnd8, 64, pairsBody(4)),
    ...whileLt(kb, kEnd, 16, pairsBody(1)),
    ...lastColumn,
    ...op.get(rowD),
    ...op.get(dStride),
    ...i32.add,
    ...op.tee(padEnd),
    ...op.set(rowD),
    ...whileLt(pd, padEnd, db, zero),
    ...elementAt(rowS, d, sb),
    ...op.set(rowS),
  ];
  const code = [
    ...op.get(d),
    ...i32.const(-2),
    ...i32.and,
    ...i32.const(8),
    ...i32.mul,
    ...op.set(kEnd),
    ...op.get(d),
    ...i32.const(-8),
    ...i32.and,
    ...i32.const(8),
    ...i32.mul,
    ...op.set(kEnd8),
    ...mulTo(dStride, ld, db),
    ...op.get(src),
    ...op.set(rowS),
    ...op.get(dst),
    ...op.set(rowD),
    ...i32.const(0),
    ...op.set(i),
    ...whileLt(i, n, 1, rowBody),
  ];
  return { locals: locals.declared(), code };
}

/** The parameters of symvRows (see symvBody). */
const symvSignature = ['M', 'v', 'p', 'm', 'm4', 'stride'] as const;

/**
 * symvRows(M, v, p, m, m4, stride): p[i] = Σ_{j<m4} M[i·stride + j]·v[j] for i < m (byte addresses M, v, p; stride in
 * doubles; m4 % 4 = 0, the columns m..m4−1 of M and v zero): the product of a symmetric matrix held in full rows with
 * a vector, as dot products of contiguous rows (two f64x2 accumulators).
 */
function symvBody(): FunctionBody {
  const { M, v, p, m, m4, stride } = paramLocals(symvSignature);
  const locals = localsAfter(symvSignature);
  const [i, row, jb, jEnd, sB] = locals.i32s(5);
  const [a0, a1] = locals.v128s(2);
  const step = (acc: number, off: number) => [
    ...op.get(acc),
    ...op.get(row),
    ...op.get(jb),
    ...i32.add,
    ...v128.load(off),
    ...op.get(v),
    ...op.get(jb),
    ...i32.add,
    ...v128.load(off),
    ...f64x2.mul,
    ...f64x2.add,
    ...op.set(acc),
  ];
  const rowBody = [
    ...v128.zero,
    ...op.set(a0),
    ...v128.zero,
    ...op.set(a1),
    ...i32.const(0),
    ...op.set(jb),
    ...whileLt(jb, jEnd, 32, [...step(a0, 0), ...step(a1, 16)]),
    ...elementAt(p, i, 8),
    ...op.get(a0),
    ...op.get(a1),
    ...f64x2.add,
    ...op.set(a0),
    ...hsum(a0),
    ...f64.store(),
    ...addTo(row, row, sB),
  ];
  const code = [
    ...mulTo(sB, stride, 8),
    ...mulTo(jEnd, m4, 8),
    ...op.get(M),
    ...op.set(row),
    ...i32.const(0),
    ...op.set(i),
    ...whileLt(i, m, 1, rowBody),
  ];
  return { locals: locals.declared(), code };
}

/** The parameters of rank2Rows (see rank2Body). */
const rank2Signature = ['M', 'v', 'w', 'm', 'm4', 'stride'] as const;

/**
 * rank2Rows(M, v, w, m, m4, stride): M[i·stride + j] −= v[i]·w[j] + w[i]·v[j] for i < m, j < m4 (the symmetric rank-2
 * update of a Householder step, on full rows; m4 % 4 = 0, v and w zero past m). Exactly symmetric: entry (j, i) sums
 * the same two products in the other order.
 */
function rank2Body(): FunctionBody {
  const { M, v, w, m, m4, stride } = paramLocals(rank2Signature);
  const locals = localsAfter(rank2Signature);
  const [i, row, jb, jEnd, sB] = locals.i32s(5);
  const [vi, wi] = locals.v128s(2);
  const step = (off: number) => [
    ...op.get(row),
    ...op.get(jb),
    ...i32.add,
    ...op.get(row),
    ...op.get(jb),
    ...i32.add,
    ...v128.load(off),
    ...op.get(vi),
    ...op.get(w),
    ...op.get(jb),
    ...i32.add,
    ...v128.load(off),
    ...f64x2.mul,
    ...op.get(wi),
    ...op.get(v),
    ...op.get(jb),
    ...i32.add,
    ...v128.load(off),
    ...f64x2.mul,
    ...f64x2.add,
    ...f64x2.sub,
    ...v128.store(off),
  ];
  const rowBody = [
    ...elementAt(v, i, 8),
    ...v128.load64Splat(),
    ...op.set(vi),
    ...elementAt(w, i, 8),
    ...v128.load64Splat(),
    ...op.set(wi),
    ...i32.const(0),
    ...op.set(jb),
    ...whileLt(jb, jEnd, 32, [...step(0), ...step(16)]),
    ...addTo(row, row, sB),
  ];
  const code = [
    ...mulTo(sB, stride, 8),
    ...mulTo(jEnd, m4, 8),
    ...op.get(M),
    ...op.set(row),
    ...i32.const(0),
    ...op.set(i),
    ...whileLt(i, m, 1, rowBody),
  ];
  return { locals: locals.declared(), code };
}

/** The parameters of cholUpdate (see cholUpdateBody). */
export const cholUpdateSignature = ['L', 'v', 'lpOff', 'c', 'rowB', 'kEnd'] as const;

/**
 * cholUpdate(L, v, lpOff, c, rowB, kEnd): for cc = 0 … c − 1 in order, with lp = L[cc, p] (byte offset lpOff in the
 * row) and lp ≠ 0: v[k] −= L[cc, k]·lp for k < kEnd/8 (rows rowB bytes apart, kEnd % 32 = 0). The column update of a
 * pivoted Cholesky factorisation, each v[k] the JS loop's `v -= L[cc·d + k] * lp` in the same order.
 */
export function cholUpdateBody(): FunctionBody {
  const { L, v, lpOff, c, rowB, kEnd } = paramLocals(cholUpdateSignature);
  const locals = localsAfter(cholUpdateSignature);
  const [cc, row, kb] = locals.i32s(3);
  const [lp] = locals.f64s(1);
  const [s] = locals.v128s(1);
  const step = (off: number) => [
    ...op.get(v),
    ...op.get(kb),
    ...i32.add,
    ...op.get(v),
    ...op.get(kb),
    ...i32.add,
    ...v128.load(off),
    ...op.get(row),
    ...op.get(kb),
    ...i32.add,
    ...v128.load(off),
    ...op.get(s),
    ...f64x2.mul,
    ...f64x2.sub,
    ...v128.store(off),
  ];
  const ccBody = [
    ...op.get(row),
    ...op.get(lpOff),
    ...i32.add,
    ...f64.load(),
    ...op.tee(lp),
    ...f64.const(0),
    ...f64.ne,
    ...op.if,
    ...op.get(lp),
    ...f64x2.splat,
    ...op.set(s),
    ...i32.const(0),
    ...op.set(kb),
    ...whileLt(kb, kEnd, 32, [...step(0), ...step(16)]),
    ...op.end,
    ...addTo(row, row, rowB),
  ];
  const code = [...op.get(L), ...op.set(row), ...i32.const(0), ...op.set(cc), ...whileLt(cc, c, 1, ccBody)];
  return { locals: locals.declared(), code };
}

/** The parameters of sinkhornRows (see sinkhornBody). */
const sinkhornSignature = ['K', 'sv', 't', 'a', 'su', 'n', 'm'] as const;

/**
 * sinkhornRows(K, sv, t, a, su, n, m): for each row i of K ([n, m], m % 8 = 0): s = K_i·sv; if 0 < s < ∞ then
 * su_i = a_i / s and t += su_i·K_i, else su_i = −1 (the caller redoes that row). t is accumulated (the caller zeroes it).
 */
function sinkhornBody(): FunctionBody {
  const { K, sv, t, a, su, n, m } = paramLocals(sinkhornSignature);
  const locals = localsAfter(sinkhornSignature);
  const [i, k, row, mB] = locals.i32s(4);
  const [s, ui] = locals.f64s(2);
  const acc = locals.v128s(4);
  const [u] = locals.v128s(1);
  const dotBody = [0, 1, 2, 3].flatMap((q) => [
    ...op.get(acc[q]),
    ...op.get(row),
    ...op.get(k),
    ...i32.add,
    ...v128.load(q * 16),
    ...op.get(sv),
    ...op.get(k),
    ...i32.add,
    ...v128.load(q * 16),
    ...f64x2.mul,
    ...f64x2.add,
    ...op.set(acc[q]),
  ]);
  const axpyBody = [0, 1, 2, 3].flatMap((q) => [
    ...op.get(t),
    ...op.get(k),
    ...i32.add,
    ...op.get(t),
    ...op.get(k),
    ...i32.add,
    ...v128.load(q * 16),
    ...op.get(row),
    ...op.get(k),
    ...i32.add,
    ...v128.load(q * 16),
    ...op.get(u),
    ...f64x2.mul,
    ...f64x2.add,
    ...v128.store(q * 16),
  ]);
  const iBody = [
    ...op.get(K),
    ...op.get(i),
    ...op.get(mB),
    ...i32.mul,
    ...i32.add,
    ...op.set(row),
    ...acc.flatMap((x) => [...v128.zero, ...op.set(x)]),
    ...i32.const(0),
    ...op.set(k),
    ...whileLt(k, mB, 64, dotBody),
    ...hsum(acc[0]),
    ...hsum(acc[1]),
    ...f64.add,
    ...hsum(acc[2]),
    ...hsum(acc[3]),
    ...f64.add,
    ...f64.add,
    ...op.set(s),
    // if (s > 0 & s < ∞)
    ...op.get(s),
    ...f64.const(0),
    ...f64.gt,
    ...op.get(s),
    ...f64.const(Infinity),
    ...f64.lt,
    ...i32.and,
    ...op.if,
    ...elementAt(su, i, 8),
    ...elementAt(a, i, 8),
    ...f64.load(),
    ...op.get(s),
    ...f64.div,
    ...op.tee(ui),
    ...f64.store(),
    ...op.get(ui),
    ...f64.const(0),
    ...f64.ne,
    ...op.if,
    ...op.get(ui),
    ...f64x2.splat,
    ...op.set(u),
    ...i32.const(0),
    ...op.set(k),
    ...whileLt(k, mB, 64, axpyBody),
    ...op.end,
    ...op.else,
    ...elementAt(su, i, 8),
    ...f64.const(-1),
    ...f64.store(),
    ...op.end,
  ];
  const code = [...mulTo(mB, m, 8), ...i32.const(0), ...op.set(i), ...whileLt(i, n, 1, iBody)];
  return { locals: locals.declared(), code };
}

function buildModule(): Uint8Array<ArrayBuffer> {
  return assembleModule(
    [
      { name: 'gemm', signature: gemmSignature, body: gemmBody() },
      { name: 'sinkhornRows', signature: sinkhornSignature, body: sinkhornBody() },
      { name: 'syrk', signature: syrkSignature, body: syrkBody() },
      { name: 'syrk32', signature: syrkSignature, body: syrk32Body() },
      { name: 'pack64to64', signature: packSignature, body: packBody(false, false) },
      { name: 'pack32to64', signature: packSignature, body: packBody(true, false) },
      { name: 'pack64to32', signature: packSignature, body: packBody(false, true) },
      { name: 'pack32to32', signature: packSignature, body: packBody(true, true) },
      { name: 'symvRows', signature: symvSignature, body: symvBody() },
      { name: 'rank2Rows', signature: rank2Signature, body: rank2Body() },
      { name: 'cholUpdate', signature: cholUpdateSignature, body: cholUpdateBody() },
    ],
    true,
  );
}

// ---- the kernels, their arena and a helper thread ----------------------------------------------------------------

export interface SimdKernels {
  /** A Float64Array view of `count` doubles at the arena's byte offset `at` (valid until the next `reserve`). */
  view(at: number, count: number): Float64Array;
  /** Make the arena at least `bytes` long (invalidates earlier views). */
  reserve(bytes: number): void;
  gemm: Kernel<typeof gemmSignature>;
  sinkhornRows: Kernel<typeof sinkhornSignature>;
  /**
   * C (cOff, [ld, ld], zeroed by the caller) += the upper part of XᵀX for X at xOff ([n, ld] row-major, ld % 8 = 0),
   * in row chunks; the rows a of C split between this thread and the helper thread when it is up.
   */
  gram(xOff: number, cOff: number, n: number, ld: number): void;
  /** A Float32Array view of `count` floats at the arena's byte offset `at` (valid until the next `reserve`). */
  view32(at: number, count: number): Float32Array;
  /**
   * `gram` for float32 X ([n, ld] row-major, ld % 16 = 0, at xOff) into float64 C: the products summed in float32 over
   * chunks of GRAM32_CHUNK rows, the chunks' sums added in float64 (syrk32).
   */
  gram32(xOff: number, cOff: number, n: number, ld: number): void;
  /** p = M·v over full rows (see symvBody; byte addresses, stride in doubles). */
  symvRows: Kernel<typeof symvSignature>;
  /** M −= v·wᵀ + w·vᵀ over full rows (see rank2Body). */
  rank2Rows: Kernel<typeof rank2Signature>;
  /** v −= Σ_{cc<c} L[cc, :]·L[cc, p], term by term in order (see cholUpdateBody). */
  cholUpdate: Kernel<typeof cholUpdateSignature>;
  /**
   * Shifted rows for gram/gram32 (see packBody): X (xOff, [n, ld], float64 or float32 as `dst32`) = the rows of src
   * (srcOff, [n, d], float32 when `src32`) − shift (shiftOff, d float64); sums (sumsOff, d float64) += X's columns.
   */
  pack(
    srcOff: number,
    xOff: number,
    sumsOff: number,
    shiftOff: number,
    n: number,
    d: number,
    ld: number,
    src32: boolean,
    dst32: boolean,
  ): void;
  /**
   * C (cOff, [n2, m4], zeroed by the caller) += A·Bᵀ over the shared dimension s (row stride s), in cache-sized
   * panels; rows split between this thread and the helper thread when it is up. Identical arithmetic either way.
   */
  bands(aOff: number, bOff: number, cOff: number, n2: number, m4: number, s: number, upper: boolean): void;
  /**
   * One Sinkhorn row pass over rows [0, n) in two fixed halves: rows [0, h) accumulate into t1, rows [h, n) into
   * t2 (h = ⌈n/2⌉), the second half on the helper thread when it is up. The caller zeroes t1, t2 and adds them.
   */
  sinkhornHalves(K: number, sv: number, t1: number, t2: number, a: number, su: number, n: number, m: number): void;
}

/** Shared-dimension slice and B-panel rows: a 128 × 256 panel (256 KB) stays in L2. */
const K_BLOCK = 256;
const J_BLOCK = 128;
/** Below this many multiply-adds a product stays on one thread (a hand-over costs tens of microseconds). */
const PARALLEL_MIN_WORK = 2_000_000;

/**
 * Rows [i0, i1) of C += A·Bᵀ in panels. Plain JS without outside references: its source is also run by the helper
 * thread (see helperSource).
 */
function runBands(
  gemm: Kernel<typeof gemmSignature>,
  aOff: number,
  bOff: number,
  cOff: number,
  i0: number,
  i1: number,
  m4: number,
  s: number,
  upper: boolean,
  kBlock: number,
  jBlock: number,
): void {
  for (let jb = 0; jb < m4; jb += jBlock) {
    const je = Math.min(m4, jb + jBlock);
    for (let k0 = 0; k0 < s; k0 += kBlock) {
      const kl = Math.min(kBlock, s - k0);
      if (!upper) {
        gemm(aOff + (i0 * s + k0) * 8, bOff + (jb * s + k0) * 8, cOff + (i0 * m4 + jb) * 8, i1 - i0, je - jb, kl, s, m4);
        continue;
      }
      for (let i = i0; i < i1; i += 2) {
        const j0 = Math.max(jb, Math.floor(i / 4) * 4);
        if (j0 >= je) break;
        gemm(aOff + (i * s + k0) * 8, bOff + (j0 * s + k0) * 8, cOff + (i * m4 + j0) * 8, 2, je - j0, kl, s, m4);
      }
    }
  }
}

/** Rows a in [aStart, aEnd) of C += XᵀX over all n rows of X, chunk by chunk. Plain JS (also run by the helper). */
function runSyrk(
  syrk: Kernel<typeof syrkSignature>,
  xOff: number,
  cOff: number,
  n: number,
  ld: number,
  aStart: number,
  aEnd: number,
  chunk: number,
  elementBytes = 8,
): void {
  for (let r0 = 0; r0 < n; r0 += chunk) syrk(xOff + r0 * ld * elementBytes, cOff, Math.min(chunk, n - r0), ld, aStart, aEnd);
}

/** Rows per float32 partial sum of gram32: each covariance entry's float32 rounding spans at most this many products. */
export const GRAM32_CHUNK = 32;

/** Rows of X per syrk call: 64 rows of up to 128 doubles (64 KB) stay in L1/L2 while every block passes over them. */
const SYRK_CHUNK = 64;

// control block of the helper thread (Int32 slots)
const SEQ = 0;
const DONE = 1;
const READY = 2;
const FAILED = 3;
const STOP = 4;
const KIND = 5;
const ARGS = 6;

/** The helper thread's program: instantiate the same module on the same shared memory, then serve requests. */
function helperSource(): string {
  return `
const { workerData } = require('node:worker_threads');
const { module, memory, ctrl } = workerData;
const ex = new WebAssembly.Instance(module, { env: { mem: memory } }).exports;
const c = new Int32Array(ctrl);
const runBands = (${runBands.toString()});
const runSyrk = (${runSyrk.toString()});
Atomics.store(c, ${READY}, 1);
Atomics.notify(c, ${READY});
let seq = 0;
for (;;) {
  Atomics.wait(c, ${SEQ}, seq);
  seq = Atomics.load(c, ${SEQ});
  if (Atomics.load(c, ${STOP}) === 1) break;
  const a = c.slice(${ARGS}, ${ARGS} + 12);
  try {
    if (c[${KIND}] === 1) runBands(ex.gemm, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7] === 1, a[8], a[9]);
    else if (c[${KIND}] === 3) runSyrk(ex.syrk, a[0], a[1], a[2], a[3], a[4], a[5], a[6]);
    else if (c[${KIND}] === 4) runSyrk(ex.syrk32, a[0], a[1], a[2], a[3], a[4], a[5], a[6], 4);
    else ex.sinkhornRows(a[0], a[1], a[2], a[3], a[4], a[5], a[6]);
  } catch (e) {
    Atomics.store(c, ${FAILED}, 1);
  }
  Atomics.store(c, ${DONE}, seq);
  Atomics.notify(c, ${DONE});
}`;
}

let kernels: SimdKernels | null | undefined;
let enabled = true;
let threads = true;

/** Turn the SIMD kernels off (or back on) for this process, e.g. to test the JS fallbacks. */
export function setSimdEnabled(on: boolean): void {
  enabled = on;
}

/** Whether the SIMD kernels may run in this process (not turned off by setSimdEnabled or COLLAPSE_LAB_NO_SIMD). */
export function simdAllowed(): boolean {
  return enabled && !process.env.COLLAPSE_LAB_NO_SIMD;
}

/** Turn the helper thread off (or back on); results are identical either way. */
export function setSimdThreads(on: boolean): void {
  threads = on;
}

/**
 * The SIMD kernels, or null when this runtime lacks WebAssembly SIMD (or COLLAPSE_LAB_NO_SIMD is set). On machines
 * with more than one core a helper thread (unref'd: it never keeps the process alive) shares the large products and
 * the Sinkhorn passes; COLLAPSE_LAB_SIMD_THREADS=1 keeps everything on the calling thread.
 */
export function simdKernels(): SimdKernels | null {
  if (!enabled) return null;
  if (kernels !== undefined) return kernels;
  kernels = null;
  if (process.env.COLLAPSE_LAB_NO_SIMD) return null;
  try {
    const bytes = buildModule();
    if (!WebAssembly.validate(bytes)) return null;
    const memory = new WebAssembly.Memory({ initial: 1, maximum: MAX_PAGES, shared: true });
    const module = new WebAssembly.Module(bytes);
    const ex = instantiate<
      Pick<SimdKernels, 'gemm' | 'sinkhornRows' | 'symvRows' | 'rank2Rows' | 'cholUpdate'> &
        Record<'syrk' | 'syrk32', Kernel<typeof syrkSignature>> &
        Record<`pack${32 | 64}to${32 | 64}`, Kernel<typeof packSignature>>
    >(module, memory);
    const ctrl = new Int32Array(new SharedArrayBuffer(4 * 32));
    let seq = 0;
    let helperStarted = false;
    const startHelper = () => {
      helperStarted = true;
      if (process.env.COLLAPSE_LAB_SIMD_THREADS === '1' || availableParallelism() < 2) return;
      try {
        const w = new Worker(helperSource(), { eval: true, workerData: { module, memory, ctrl: ctrl.buffer } });
        w.unref();
        w.on('error', () => Atomics.store(ctrl, FAILED, 1));
        w.on('exit', () => Atomics.store(ctrl, READY, 0));
      } catch {
        // no helper: everything runs on this thread
      }
    };
    const helperReady = () => {
      if (!threads) return false;
      if (!helperStarted) startHelper();
      return Atomics.load(ctrl, READY) === 1 && Atomics.load(ctrl, FAILED) === 0;
    };
    const post = (kind: number, args: number[]) => {
      ctrl[KIND] = kind;
      for (let q = 0; q < args.length; q++) ctrl[ARGS + q] = args[q];
      seq++;
      Atomics.store(ctrl, SEQ, seq);
      Atomics.notify(ctrl, SEQ);
    };
    /** Wait for the helper; false when it failed (it is then retired and the caller redoes its share). */
    const join = (): boolean => {
      const t0 = Date.now();
      for (;;) {
        const d = Atomics.load(ctrl, DONE);
        if (d === seq) break;
        Atomics.wait(ctrl, DONE, d, 1000);
        if (Date.now() - t0 > 600_000) {
          // a helper that vanished (its exit event cannot reach this blocked thread): retire it
          Atomics.store(ctrl, FAILED, 1);
          return false;
        }
      }
      return Atomics.load(ctrl, FAILED) === 0;
    };
    if (threads) startHelper(); // early: it needs a turn of this thread's event loop to come up
    /**
     * gram (syrk over float64 X, the helper's request 3) or gram32 (syrk32 over float32 X, request 4): rows `chunk` at a
     * time; from `minLd` columns and enough work on, the rows a of C split between this thread and the helper.
     */
    const gramWith =
      (syrk: Kernel<typeof syrkSignature>, request: 3 | 4, chunk: number, elementBytes: 4 | 8, minLd: number) =>
      (xOff: number, cOff: number, n: number, ld: number): void => {
        const work = (n * ld * ld) / 2;
        if (work < PARALLEL_MIN_WORK || ld < minLd || !helperReady()) {
          runSyrk(syrk, xOff, cOff, n, ld, 0, ld, chunk, elementBytes);
          return;
        }
        // row a of the upper triangle costs ∝ ld − a: split where both halves hold about the same work
        const split = Math.min(ld - 2, Math.max(2, Math.round((ld * (1 - Math.SQRT1_2)) / 2) * 2));
        post(request, [xOff, cOff, n, ld, split, ld, chunk]);
        runSyrk(syrk, xOff, cOff, n, ld, 0, split, chunk, elementBytes);
        if (!join()) {
          new Float64Array(memory.buffer, cOff + split * ld * 8, (ld - split) * ld).fill(0);
          runSyrk(syrk, xOff, cOff, n, ld, split, ld, chunk, elementBytes);
        }
      };
    kernels = {
      view: (at, count) => new Float64Array(memory.buffer, at, count),
      view32: (at, count) => new Float32Array(memory.buffer, at, count),
      reserve: (want) => {
        const have = memory.buffer.byteLength;
        if (want > have) memory.grow(Math.ceil((want - have) / 65536));
      },
      gemm: ex.gemm,
      sinkhornRows: ex.sinkhornRows,
      symvRows: ex.symvRows,
      rank2Rows: ex.rank2Rows,
      cholUpdate: ex.cholUpdate,
      pack: (srcOff, xOff, sumsOff, shiftOff, n, d, ld, src32, dst32) =>
        ex[`pack${src32 ? 32 : 64}to${dst32 ? 32 : 64}`](srcOff, xOff, sumsOff, shiftOff, n, d, ld),
      bands: (aOff, bOff, cOff, n2, m4, s, upper) => {
        const work = (n2 * m4 * s) / (upper ? 2 : 1);
        if (work < PARALLEL_MIN_WORK || n2 < 4 || !helperReady()) {
          runBands(ex.gemm, aOff, bOff, cOff, 0, n2, m4, s, upper, K_BLOCK, J_BLOCK);
          return;
        }
        // split the rows so that both threads get about half the work (upper: band i costs ∝ m4 − i)
        let split = Math.round(n2 / 4) * 2;
        if (upper && n2 === m4) split = Math.round((n2 * (1 - Math.SQRT1_2)) / 2) * 2;
        split = Math.min(n2 - 2, Math.max(2, split));
        post(1, [aOff, bOff, cOff, split, n2, m4, s, upper ? 1 : 0, K_BLOCK, J_BLOCK]);
        runBands(ex.gemm, aOff, bOff, cOff, 0, split, m4, s, upper, K_BLOCK, J_BLOCK);
        if (!join()) {
          new Float64Array(memory.buffer, cOff + split * m4 * 8, (n2 - split) * m4).fill(0);
          runBands(ex.gemm, aOff, bOff, cOff, split, n2, m4, s, upper, K_BLOCK, J_BLOCK);
        }
      },
      gram: gramWith(ex.syrk, 3, SYRK_CHUNK, 8, 16),
      gram32: gramWith(ex.syrk32, 4, GRAM32_CHUNK, 4, 32),
      sinkhornHalves: (K, sv, t1, t2, a, su, n, m) => {
        const h = Math.ceil(n / 2);
        const rows = n - h;
        const second = [K + h * m * 8, sv, t2, a + h * 8, su + h * 8, rows, m];
        if (rows > 0 && n * m >= PARALLEL_MIN_WORK / 4 && helperReady()) {
          post(2, second);
          ex.sinkhornRows(K, sv, t1, a, su, h, m);
          if (!join()) {
            new Float64Array(memory.buffer, t2, m).fill(0);
            ex.sinkhornRows(K + h * m * 8, sv, t2, a + h * 8, su + h * 8, rows, m);
          }
        } else {
          ex.sinkhornRows(K, sv, t1, a, su, h, m);
          if (rows > 0) ex.sinkhornRows(K + h * m * 8, sv, t2, a + h * 8, su + h * 8, rows, m);
        }
      },
    };
  } catch {
    kernels = null;
  }
  return kernels;
}

/** The largest arena the kernels may use (wasm32 addresses; past this the JS loops run). */
export const MAX_ARENA_BYTES = 2 ** 31;
const MAX_PAGES = MAX_ARENA_BYTES / 65536;
