import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/**
 * Kernels in WebAssembly SIMD (f64x2, f32x4), assembled here from their instruction lists: the dense product
 * C = A·Bᵀ behind every distance matrix, the Gram matrix XᵀX of a covariance (float64, or float32 sums) with the
 * pass that shifts the rows into place, and the fused row pass of Sinkhorn. Hand-assembled because
 * the project has no WebAssembly toolchain and no npm package offers float64 SIMD kernels; measured about twice the
 * speed of the best plain-JS loop, since V8 neither vectorises nor drops bounds checks in typed-array loops.
 *
 * Memory: one imported WebAssembly.Memory used as a scratch arena. Callers copy inputs in, run, and copy results out
 * (nothing keeps a view across calls), so the arena can be reused and grown freely. When SIMD is unavailable
 * (`simdKernels()` returns null) callers fall back to their JS loops.
 */

// ---- a tiny assembler -------------------------------------------------------------------------------------------

/** Unsigned LEB128, the encoding of wasm's indices, offsets and opcodes past 0x7f (the other SIMD kernels' assemblers use it). */
export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

export const I32 = 0x7f;
export const F64 = 0x7c;
export const V128 = 0x7b;

/** Instruction helpers (each returns bytes). */
export const op = {
  get: (i: number) => [0x20, ...uleb(i)],
  set: (i: number) => [0x21, ...uleb(i)],
  tee: (i: number) => [0x22, ...uleb(i)],
  i32: (v: number) => [0x41, ...sleb(v)],
  add: [0x6a],
  mul: [0x6c],
  geU: [0x4f],
  and: [0x71],
  f64: (v: number) => {
    const b = new Uint8Array(new Float64Array([v]).buffer);
    return [0x44, ...b];
  },
  f64load: (offset = 0) => [0x2b, 3, ...uleb(offset)],
  f64store: (offset = 0) => [0x39, 3, ...uleb(offset)],
  f64add: [0xa0],
  f64div: [0xa3],
  f64gt: [0x64],
  f64lt: [0x63],
  f64ne: [0x62],
  v128load: (offset = 0) => [0xfd, 0x00, 4, ...uleb(offset)],
  v128store: (offset = 0) => [0xfd, 0x0b, 4, ...uleb(offset)],
  v128zero: [0xfd, 0x0c, ...new Array(16).fill(0)],
  splat: [0xfd, 0x14],
  lane: (l: number) => [0xfd, 0x21, l],
  vadd: [0xfd, ...uleb(240)],
  vmul: [0xfd, ...uleb(242)],
  f32load: (offset = 0) => [0x2a, 2, ...uleb(offset)],
  f32splat: [0xfd, 0x13],
  vadd32: [0xfd, ...uleb(228)],
  vmul32: [0xfd, ...uleb(230)],
  /** v128.load32_splat / v128.load64_splat: one value from memory in every lane (one instruction, no shuffle) */
  load32splat: (offset = 0) => [0xfd, 0x09, 2, ...uleb(offset)],
  load64splat: (offset = 0) => [0xfd, 0x0a, 3, ...uleb(offset)],
  /** v128.load64_zero: two float32 (8 bytes) into lanes 0 and 1, zeros above */
  load64zero: (offset = 0) => [0xfd, 0x5d, 3, ...uleb(offset)],
  /** v128.store64_lane 0: the low 8 bytes (two float32) of a v128 */
  store64low: (offset = 0) => [0xfd, 0x5b, 3, ...uleb(offset), 0],
  vsub: [0xfd, ...uleb(241)],
  /** f32x4.demote_f64x2_zero: an f64x2 rounded to float32 in lanes 0 and 1 */
  demote: [0xfd, 0x5e],
  f32store: (offset = 0) => [0x38, 2, ...uleb(offset)],
  f32zero: [0x43, 0, 0, 0, 0],
  f64sub: [0xa1],
  f32demoteF64: [0xb6],
  f64promoteF32: [0xbb],
  /** f64x2.promote_low_f32x4: lanes 0 and 1 of an f32x4 as an f64x2 */
  promoteLow: [0xfd, ...uleb(0x5f)],
  /** i8x16.shuffle moving lanes 2 and 3 of an f32x4 to lanes 0 and 1 */
  highHalf: [0xfd, 0x0d, 8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15],
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  if: [0x04, 0x40],
  else: [0x05],
  end: [0x0b],
  br: (d: number) => [0x0c, ...uleb(d)],
  brIf: (d: number) => [0x0d, ...uleb(d)],
};

/** `while (local[i] < limit) { body; local[i] += step }` with i, limit locals (unsigned compare). */
export function whileLt(i: number, limit: number, step: number, body: number[]): number[] {
  return [
    ...op.block,
    ...op.loop,
    ...op.get(i),
    ...op.get(limit),
    ...op.geU,
    ...op.brIf(1),
    ...body,
    ...op.get(i),
    ...op.i32(step),
    ...op.add,
    ...op.set(i),
    ...op.br(0),
    ...op.end,
    ...op.end,
  ];
}

/** acc = acc + x·y for v128 locals. */
const fma = (acc: number, x: number, y: number) => [...op.get(acc), ...op.get(x), ...op.get(y), ...op.vmul, ...op.vadd, ...op.set(acc)];
/** the sum of the two lanes of a v128 local, on the stack */
const hsum = (v: number) => [...op.get(v), ...op.lane(0), ...op.get(v), ...op.lane(1), ...op.f64add];

/**
 * gemm(A, B, C, n, m, kLen, stride, ldc): C[i·ldc + j] += Σ_{k<kLen} A[i·stride + k]·B[j·stride + k] (byte
 * addresses; n % 2 = 0, m % 4 = 0, kLen % 2 = 0, addresses 16-byte aligned). 2 × 4 blocks of f64x2 accumulators.
 */
function gemmBody(): { locals: number[]; code: number[] } {
  // params 0..7
  const [A, B, C, n, m, kLen, stride, ldc] = [0, 1, 2, 3, 4, 5, 6, 7];
  // i32 locals 8..20
  const i = 8,
    j = 9,
    k = 10,
    a0 = 11,
    a1 = 12,
    b0 = 13,
    b1 = 14,
    b2 = 15,
    b3 = 16,
    kB = 17,
    c = 18,
    ldcB = 19,
    sB = 20;
  // v128 locals 21..31
  const acc = [21, 22, 23, 24, 25, 26, 27, 28]; // acc[r*4 + q]
  const x0 = 29,
    x1 = 30,
    y = 31;
  const zeroAcc = acc.flatMap((a) => [...op.v128zero, ...op.set(a)]);
  const kBody = [
    ...op.get(a0),
    ...op.get(k),
    ...op.add,
    ...op.v128load(),
    ...op.set(x0),
    ...op.get(a1),
    ...op.get(k),
    ...op.add,
    ...op.v128load(),
    ...op.set(x1),
    ...[b0, b1, b2, b3].flatMap((b, q) => [
      ...op.get(b),
      ...op.get(k),
      ...op.add,
      ...op.v128load(),
      ...op.set(y),
      ...fma(acc[q], x0, y),
      ...fma(acc[4 + q], x1, y),
    ]),
  ];
  const store = (r: number, q: number) => [
    ...op.get(c),
    ...op.get(c),
    ...op.f64load(q * 8),
    ...hsum(acc[r * 4 + q]),
    ...op.f64add,
    ...op.f64store(q * 8),
  ];
  const jBody = [
    // b0 = B + j·sB, b1..b3 follow
    ...op.get(B),
    ...op.get(j),
    ...op.get(sB),
    ...op.mul,
    ...op.add,
    ...op.tee(b0),
    ...op.get(sB),
    ...op.add,
    ...op.tee(b1),
    ...op.get(sB),
    ...op.add,
    ...op.tee(b2),
    ...op.get(sB),
    ...op.add,
    ...op.set(b3),
    ...zeroAcc,
    ...op.i32(0),
    ...op.set(k),
    ...whileLt(k, kB, 16, kBody),
    // c = C + (i·ldc + j)·8
    ...op.get(C),
    ...op.get(i),
    ...op.get(ldc),
    ...op.mul,
    ...op.get(j),
    ...op.add,
    ...op.i32(8),
    ...op.mul,
    ...op.add,
    ...op.set(c),
    ...store(0, 0),
    ...store(0, 1),
    ...store(0, 2),
    ...store(0, 3),
    ...op.get(c),
    ...op.get(ldcB),
    ...op.add,
    ...op.set(c),
    ...store(1, 0),
    ...store(1, 1),
    ...store(1, 2),
    ...store(1, 3),
  ];
  const iBody = [
    ...op.get(A),
    ...op.get(i),
    ...op.get(sB),
    ...op.mul,
    ...op.add,
    ...op.tee(a0),
    ...op.get(sB),
    ...op.add,
    ...op.set(a1),
    ...op.i32(0),
    ...op.set(j),
    ...whileLt(j, m, 4, jBody),
  ];
  const code = [
    ...op.get(kLen),
    ...op.i32(8),
    ...op.mul,
    ...op.set(kB),
    ...op.get(stride),
    ...op.i32(8),
    ...op.mul,
    ...op.set(sB),
    ...op.get(ldc),
    ...op.i32(8),
    ...op.mul,
    ...op.set(ldcB),
    ...op.i32(0),
    ...op.set(i),
    ...whileLt(i, n, 2, iBody),
  ];
  return { locals: [13, I32, 11, V128], code };
}

/**
 * syrk(X, C, rows, ld, aStart, aEnd): C[a, b] += Σ_{i<rows} X[i, a]·X[i, b] for a in [aStart, aEnd) (step 2) and
 * b ≥ a rounded down to 8, i.e. the upper part of XᵀX for row-major X with row stride ld (ld % 8 = 0, C is ld × ld).
 * 2 × 8 blocks: two splatted X[i, a] against four f64x2 of X[i, b..b+7].
 */
function syrkBody(): { locals: number[]; code: number[] } {
  const [X, C, rows, ld, aStart, aEnd] = [0, 1, 2, 3, 4, 5];
  // i32 locals 6..14
  const a = 6,
    b = 7,
    pA = 8,
    pB = 9,
    rowB = 10,
    pEnd = 11,
    cA = 12,
    aOff = 13,
    span = 14;
  // v128 locals 15..25
  const acc = [15, 16, 17, 18, 19, 20, 21, 22];
  const xa0 = 23,
    xa1 = 24,
    y = 25;
  // one row i: pA → X[i, a], pB → X[i, b]; both step by a row
  const iBody = [
    ...op.get(pA),
    ...op.load64splat(0),
    ...op.set(xa0),
    ...op.get(pA),
    ...op.load64splat(8),
    ...op.set(xa1),
    ...[0, 1, 2, 3].flatMap((q) => [
      ...op.get(pB),
      ...op.v128load(q * 16),
      ...op.set(y),
      ...fma(acc[q], xa0, y),
      ...fma(acc[4 + q], xa1, y),
    ]),
    ...op.get(pA),
    ...op.get(rowB),
    ...op.add,
    ...op.set(pA),
    ...op.get(pB),
    ...op.get(rowB),
    ...op.add,
    ...op.set(pB),
  ];
  const iLoop = [
    ...op.block,
    ...op.loop,
    ...op.get(pA),
    ...op.get(pEnd),
    ...op.geU,
    ...op.brIf(1),
    ...iBody,
    ...op.br(0),
    ...op.end,
    ...op.end,
  ];
  // C[a, b..b+7] += acc[0..3], C[a + 1, b..b+7] += acc[4..7]
  const flush = (r: number) =>
    [0, 1, 2, 3].flatMap((q) => [
      ...op.get(cA),
      ...(r ? [...op.get(rowB), ...op.add] : []),
      ...op.get(b),
      ...op.i32(8),
      ...op.mul,
      ...op.add,
      ...op.get(cA),
      ...(r ? [...op.get(rowB), ...op.add] : []),
      ...op.get(b),
      ...op.i32(8),
      ...op.mul,
      ...op.add,
      ...op.v128load(q * 16),
      ...op.get(acc[r * 4 + q]),
      ...op.vadd,
      ...op.v128store(q * 16),
    ]);
  const bBody = [
    ...acc.flatMap((x) => [...op.v128zero, ...op.set(x)]),
    ...op.get(X),
    ...op.get(aOff),
    ...op.add,
    ...op.set(pA),
    ...op.get(X),
    ...op.get(b),
    ...op.i32(8),
    ...op.mul,
    ...op.add,
    ...op.set(pB),
    ...op.get(pA),
    ...op.get(span),
    ...op.add,
    ...op.set(pEnd),
    ...iLoop,
    ...flush(0),
    ...flush(1),
  ];
  const aBody = [
    ...op.get(a),
    ...op.i32(8),
    ...op.mul,
    ...op.set(aOff),
    // cA = C + a·rowB
    ...op.get(C),
    ...op.get(a),
    ...op.get(rowB),
    ...op.mul,
    ...op.add,
    ...op.set(cA),
    // b = a & ~7
    ...op.get(a),
    ...op.i32(-8),
    ...op.and,
    ...op.set(b),
    ...whileLt(b, ld, 8, bBody),
  ];
  const code = [
    ...op.get(ld),
    ...op.i32(8),
    ...op.mul,
    ...op.set(rowB),
    ...op.get(rows),
    ...op.get(rowB),
    ...op.mul,
    ...op.set(span),
    ...op.get(aStart),
    ...op.set(a),
    ...whileLt(a, aEnd, 2, aBody),
  ];
  return { locals: [9, I32, 11, V128], code };
}

/**
 * syrk32(X, C, rows, ld, aStart, aEnd): C[a, b] += Σ_{i<rows} X[i, a]·X[i, b], the float32 twin of syrk: X is float32
 * (row stride ld, ld % 16 = 0), the products and their sum over the `rows` rows are float32 (f32x4), and that sum is
 * added to C in float64 (C is ld × ld float64). For a in [aStart, aEnd) (step 2) and b ≥ a rounded down to 16: 2 × 16
 * blocks, two splatted X[i, a] against four f32x4 of X[i, b..b+15]. Callers keep `rows` small (a chunk), so that each
 * float32 partial sum spans few rows.
 */
function syrk32Body(): { locals: number[]; code: number[] } {
  const [X, C, rows, ld, aStart, aEnd] = [0, 1, 2, 3, 4, 5];
  // i32 locals 6..16
  const a = 6,
    b = 7,
    pA = 8,
    pB = 9,
    rowB = 10,
    pEnd = 11,
    cA = 12,
    aOff = 13,
    span = 14,
    rowC = 15,
    cB = 16;
  // v128 locals 17..27
  const acc = [17, 18, 19, 20, 21, 22, 23, 24];
  const xa0 = 25,
    xa1 = 26,
    y = 27;
  const fma32 = (s: number, x: number, v: number) => [...op.get(s), ...op.get(x), ...op.get(v), ...op.vmul32, ...op.vadd32, ...op.set(s)];
  const iBody = [
    ...op.get(pA),
    ...op.load32splat(0),
    ...op.set(xa0),
    ...op.get(pA),
    ...op.load32splat(4),
    ...op.set(xa1),
    ...[0, 1, 2, 3].flatMap((q) => [
      ...op.get(pB),
      ...op.v128load(q * 16),
      ...op.set(y),
      ...fma32(acc[q], xa0, y),
      ...fma32(acc[4 + q], xa1, y),
    ]),
    ...op.get(pA),
    ...op.get(rowB),
    ...op.add,
    ...op.set(pA),
    ...op.get(pB),
    ...op.get(rowB),
    ...op.add,
    ...op.set(pB),
  ];
  const iLoop = [
    ...op.block,
    ...op.loop,
    ...op.get(pA),
    ...op.get(pEnd),
    ...op.geU,
    ...op.brIf(1),
    ...iBody,
    ...op.br(0),
    ...op.end,
    ...op.end,
  ];
  // C[a + r, b + 4q .. b + 4q + 3] (float64) += acc[4r + q] (float32, promoted)
  const flush = (r: number) => [
    ...op.get(cA),
    ...(r ? [...op.get(rowC), ...op.add] : []),
    ...op.get(b),
    ...op.i32(8),
    ...op.mul,
    ...op.add,
    ...op.set(cB),
    ...[0, 1, 2, 3].flatMap((q) => [
      ...op.get(cB),
      ...op.get(cB),
      ...op.v128load(q * 32),
      ...op.get(acc[r * 4 + q]),
      ...op.promoteLow,
      ...op.vadd,
      ...op.v128store(q * 32),
      ...op.get(cB),
      ...op.get(cB),
      ...op.v128load(q * 32 + 16),
      ...op.get(acc[r * 4 + q]),
      ...op.get(acc[r * 4 + q]),
      ...op.highHalf,
      ...op.promoteLow,
      ...op.vadd,
      ...op.v128store(q * 32 + 16),
    ]),
  ];
  const bBody = [
    ...acc.flatMap((x) => [...op.v128zero, ...op.set(x)]),
    ...op.get(X),
    ...op.get(aOff),
    ...op.add,
    ...op.set(pA),
    ...op.get(X),
    ...op.get(b),
    ...op.i32(4),
    ...op.mul,
    ...op.add,
    ...op.set(pB),
    ...op.get(pA),
    ...op.get(span),
    ...op.add,
    ...op.set(pEnd),
    ...iLoop,
    ...flush(0),
    ...flush(1),
  ];
  const aBody = [
    ...op.get(a),
    ...op.i32(4),
    ...op.mul,
    ...op.set(aOff),
    ...op.get(C),
    ...op.get(a),
    ...op.get(rowC),
    ...op.mul,
    ...op.add,
    ...op.set(cA),
    ...op.get(a),
    ...op.i32(-16),
    ...op.and,
    ...op.set(b),
    ...whileLt(b, ld, 16, bBody),
  ];
  const code = [
    ...op.get(ld),
    ...op.i32(4),
    ...op.mul,
    ...op.set(rowB),
    ...op.get(ld),
    ...op.i32(8),
    ...op.mul,
    ...op.set(rowC),
    ...op.get(rows),
    ...op.get(rowB),
    ...op.mul,
    ...op.set(span),
    ...op.get(aStart),
    ...op.set(a),
    ...whileLt(a, aEnd, 2, aBody),
  ];
  return { locals: [11, I32, 11, V128], code };
}

/**
 * pack(src, dst, sums, shift, n, d, ld): dst[i, k] = src[i, k] − shift[k] for the n rows of src ([n, d] row-major,
 * float64 or float32 as `src32`), written with row stride ld (≥ d; columns d..ld−1 set to 0) as float64 or rounded to
 * float32 (`dst32`); sums[k] += dst[i, k] (the stored value, in float64, row after row). The arithmetic of the JS loop
 * `v = x[i·d + k] − shift[k]` (then Math.fround for float32) exactly, two columns per f64x2, eight per loop turn.
 */
function packBody(src32: boolean, dst32: boolean): { locals: number[]; code: number[] } {
  const [src, dst, sums, shift, n, d, ld] = [0, 1, 2, 3, 4, 5, 6];
  // i32 locals 7..18, f64 local 19, v128 locals 20..21
  const i = 7,
    ps = 8,
    pd = 9,
    kb = 10,
    kEnd = 11,
    rowS = 12,
    rowD = 13,
    padEnd = 14,
    dStride = 15,
    kEnd8 = 16,
    pShift = 17,
    pSums = 18;
  const sv = 19;
  const v = 20,
    r = 21;
  const sb = src32 ? 4 : 8;
  const db = dst32 ? 4 : 8;
  // `pairs` consecutive column pairs from ps, pd, kb (memarg offsets), then the pointers advance past them
  const pairsBody = (pairs: number) => [
    ...op.get(shift),
    ...op.get(kb),
    ...op.add,
    ...op.set(pShift),
    ...op.get(sums),
    ...op.get(kb),
    ...op.add,
    ...op.set(pSums),
    ...Array.from({ length: pairs }, (_, u) => [
      ...op.get(ps),
      ...(src32 ? [...op.load64zero(u * 8), ...op.promoteLow] : op.v128load(u * 16)),
      ...op.get(pShift),
      ...op.v128load(u * 16),
      ...op.vsub,
      ...op.set(v),
      ...(dst32
        ? [...op.get(pd), ...op.get(v), ...op.demote, ...op.tee(r), ...op.store64low(u * 8), ...op.get(r), ...op.promoteLow, ...op.set(v)]
        : [...op.get(pd), ...op.get(v), ...op.v128store(u * 16)]),
      ...op.get(pSums),
      ...op.get(pSums),
      ...op.v128load(u * 16),
      ...op.get(v),
      ...op.vadd,
      ...op.v128store(u * 16),
    ]).flat(),
    ...op.get(ps),
    ...op.i32(2 * sb * pairs),
    ...op.add,
    ...op.set(ps),
    ...op.get(pd),
    ...op.i32(2 * db * pairs),
    ...op.add,
    ...op.set(pd),
  ];
  // the last column when d is odd (kb = 8·(d − 1), ps and pd on it)
  const lastColumn = [
    ...op.get(d),
    ...op.i32(1),
    ...op.and,
    ...op.if,
    ...op.get(ps),
    ...(src32 ? [...op.f32load(), ...op.f64promoteF32] : op.f64load()),
    ...op.get(shift),
    ...op.get(kb),
    ...op.add,
    ...op.f64load(),
    ...op.f64sub,
    ...(dst32 ? [...op.f32demoteF64, ...op.f64promoteF32] : []),
    ...op.set(sv),
    ...op.get(pd),
    ...op.get(sv),
    ...(dst32 ? [...op.f32demoteF64, ...op.f32store()] : op.f64store()),
    ...op.get(sums),
    ...op.get(kb),
    ...op.add,
    ...op.get(sums),
    ...op.get(kb),
    ...op.add,
    ...op.f64load(),
    ...op.get(sv),
    ...op.f64add,
    ...op.f64store(),
    ...op.get(pd),
    ...op.i32(db),
    ...op.add,
    ...op.set(pd),
    ...op.end,
  ];
  const zero = dst32 ? [...op.get(pd), ...op.f32zero, ...op.f32store()] : [...op.get(pd), ...op.f64(0), ...op.f64store()];
  const rowBody = [
    ...op.get(rowS),
    ...op.set(ps),
    ...op.get(rowD),
    ...op.set(pd),
    ...op.i32(0),
    ...op.set(kb),
    ...whileLt(kb, kEnd8, 64, pairsBody(4)),
    ...whileLt(kb, kEnd, 16, pairsBody(1)),
    ...lastColumn,
    ...op.get(rowD),
    ...op.get(dStride),
    ...op.add,
    ...op.tee(padEnd),
    ...op.set(rowD),
    ...whileLt(pd, padEnd, db, zero),
    ...op.get(rowS),
    ...op.get(d),
    ...op.i32(sb),
    ...op.mul,
    ...op.add,
    ...op.set(rowS),
  ];
  const code = [
    ...op.get(d),
    ...op.i32(-2),
    ...op.and,
    ...op.i32(8),
    ...op.mul,
    ...op.set(kEnd),
    ...op.get(d),
    ...op.i32(-8),
    ...op.and,
    ...op.i32(8),
    ...op.mul,
    ...op.set(kEnd8),
    ...op.get(ld),
    ...op.i32(db),
    ...op.mul,
    ...op.set(dStride),
    ...op.get(src),
    ...op.set(rowS),
    ...op.get(dst),
    ...op.set(rowD),
    ...op.i32(0),
    ...op.set(i),
    ...whileLt(i, n, 1, rowBody),
  ];
  return { locals: [12, I32, 1, F64, 2, V128], code };
}

/**
 * symvRows(M, v, p, m, m4, stride): p[i] = Σ_{j<m4} M[i·stride + j]·v[j] for i < m (byte addresses M, v, p; stride in
 * doubles; m4 % 4 = 0, the columns m..m4−1 of M and v zero): the product of a symmetric matrix held in full rows with
 * a vector, as dot products of contiguous rows (two f64x2 accumulators).
 */
function symvBody(): { locals: number[]; code: number[] } {
  const [M, v, p, m, m4, stride] = [0, 1, 2, 3, 4, 5];
  const i = 6,
    row = 7,
    jb = 8,
    jEnd = 9,
    sB = 10;
  const a0 = 11,
    a1 = 12;
  const step = (acc: number, off: number) => [
    ...op.get(acc),
    ...op.get(row),
    ...op.get(jb),
    ...op.add,
    ...op.v128load(off),
    ...op.get(v),
    ...op.get(jb),
    ...op.add,
    ...op.v128load(off),
    ...op.vmul,
    ...op.vadd,
    ...op.set(acc),
  ];
  const rowBody = [
    ...op.v128zero,
    ...op.set(a0),
    ...op.v128zero,
    ...op.set(a1),
    ...op.i32(0),
    ...op.set(jb),
    ...whileLt(jb, jEnd, 32, [...step(a0, 0), ...step(a1, 16)]),
    ...op.get(p),
    ...op.get(i),
    ...op.i32(8),
    ...op.mul,
    ...op.add,
    ...op.get(a0),
    ...op.get(a1),
    ...op.vadd,
    ...op.set(a0),
    ...hsum(a0),
    ...op.f64store(),
    ...op.get(row),
    ...op.get(sB),
    ...op.add,
    ...op.set(row),
  ];
  const code = [
    ...op.get(stride),
    ...op.i32(8),
    ...op.mul,
    ...op.set(sB),
    ...op.get(m4),
    ...op.i32(8),
    ...op.mul,
    ...op.set(jEnd),
    ...op.get(M),
    ...op.set(row),
    ...op.i32(0),
    ...op.set(i),
    ...whileLt(i, m, 1, rowBody),
  ];
  return { locals: [5, I32, 2, V128], code };
}

/**
 * rank2Rows(M, v, w, m, m4, stride): M[i·stride + j] −= v[i]·w[j] + w[i]·v[j] for i < m, j < m4 (the symmetric rank-2
 * update of a Householder step, on full rows; m4 % 4 = 0, v and w zero past m). Exactly symmetric: entry (j, i) sums
 * the same two products in the other order.
 */
function rank2Body(): { locals: number[]; code: number[] } {
  const [M, v, w, m, m4, stride] = [0, 1, 2, 3, 4, 5];
  const i = 6,
    row = 7,
    jb = 8,
    jEnd = 9,
    sB = 10;
  const vi = 11,
    wi = 12;
  const step = (off: number) => [
    ...op.get(row),
    ...op.get(jb),
    ...op.add,
    ...op.get(row),
    ...op.get(jb),
    ...op.add,
    ...op.v128load(off),
    ...op.get(vi),
    ...op.get(w),
    ...op.get(jb),
    ...op.add,
    ...op.v128load(off),
    ...op.vmul,
    ...op.get(wi),
    ...op.get(v),
    ...op.get(jb),
    ...op.add,
    ...op.v128load(off),
    ...op.vmul,
    ...op.vadd,
    ...op.vsub,
    ...op.v128store(off),
  ];
  const rowBody = [
    ...op.get(v),
    ...op.get(i),
    ...op.i32(8),
    ...op.mul,
    ...op.add,
    ...op.load64splat(),
    ...op.set(vi),
    ...op.get(w),
    ...op.get(i),
    ...op.i32(8),
    ...op.mul,
    ...op.add,
    ...op.load64splat(),
    ...op.set(wi),
    ...op.i32(0),
    ...op.set(jb),
    ...whileLt(jb, jEnd, 32, [...step(0), ...step(16)]),
    ...op.get(row),
    ...op.get(sB),
    ...op.add,
    ...op.set(row),
  ];
  const code = [
    ...op.get(stride),
    ...op.i32(8),
    ...op.mul,
    ...op.set(sB),
    ...op.get(m4),
    ...op.i32(8),
    ...op.mul,
    ...op.set(jEnd),
    ...op.get(M),
    ...op.set(row),
    ...op.i32(0),
    ...op.set(i),
    ...whileLt(i, m, 1, rowBody),
  ];
  return { locals: [5, I32, 2, V128], code };
}

/**
 * cholUpdate(L, v, lpOff, c, rowB, kEnd): for cc = 0 … c − 1 in order, with lp = L[cc, p] (byte offset lpOff in the
 * row) and lp ≠ 0: v[k] −= L[cc, k]·lp for k < kEnd/8 (rows rowB bytes apart, kEnd % 32 = 0). The column update of a
 * pivoted Cholesky factorisation, each v[k] the JS loop's `v -= L[cc·d + k] * lp` in the same order.
 */
function cholUpdateBody(): { locals: number[]; code: number[] } {
  const [L, v, lpOff, c, rowB, kEnd] = [0, 1, 2, 3, 4, 5];
  const cc = 6,
    row = 7,
    kb = 8;
  const lp = 9;
  const s = 10;
  const step = (off: number) => [
    ...op.get(v),
    ...op.get(kb),
    ...op.add,
    ...op.get(v),
    ...op.get(kb),
    ...op.add,
    ...op.v128load(off),
    ...op.get(row),
    ...op.get(kb),
    ...op.add,
    ...op.v128load(off),
    ...op.get(s),
    ...op.vmul,
    ...op.vsub,
    ...op.v128store(off),
  ];
  const ccBody = [
    ...op.get(row),
    ...op.get(lpOff),
    ...op.add,
    ...op.f64load(),
    ...op.tee(lp),
    ...op.f64(0),
    ...op.f64ne,
    ...op.if,
    ...op.get(lp),
    ...op.splat,
    ...op.set(s),
    ...op.i32(0),
    ...op.set(kb),
    ...whileLt(kb, kEnd, 32, [...step(0), ...step(16)]),
    ...op.end,
    ...op.get(row),
    ...op.get(rowB),
    ...op.add,
    ...op.set(row),
  ];
  const code = [...op.get(L), ...op.set(row), ...op.i32(0), ...op.set(cc), ...whileLt(cc, c, 1, ccBody)];
  return { locals: [3, I32, 1, F64, 1, V128], code };
}

/**
 * sinkhornRows(K, sv, t, a, su, n, m): for each row i of K ([n, m], m % 8 = 0): s = K_i·sv; if 0 < s < ∞ then
 * su_i = a_i / s and t += su_i·K_i, else su_i = −1 (the caller redoes that row). t is accumulated (the caller zeroes it).
 */
function sinkhornBody(): { locals: number[]; code: number[] } {
  const [K, sv, t, a, su, n, m] = [0, 1, 2, 3, 4, 5, 6];
  const i = 7,
    k = 8,
    row = 9,
    mB = 10; // i32
  const s = 11,
    ui = 12; // f64
  const acc = [13, 14, 15, 16],
    u = 17; // v128
  const dotBody = [0, 1, 2, 3].flatMap((q) => [
    ...op.get(acc[q]),
    ...op.get(row),
    ...op.get(k),
    ...op.add,
    ...op.v128load(q * 16),
    ...op.get(sv),
    ...op.get(k),
    ...op.add,
    ...op.v128load(q * 16),
    ...op.vmul,
    ...op.vadd,
    ...op.set(acc[q]),
  ]);
  const axpyBody = [0, 1, 2, 3].flatMap((q) => [
    ...op.get(t),
    ...op.get(k),
    ...op.add,
    ...op.get(t),
    ...op.get(k),
    ...op.add,
    ...op.v128load(q * 16),
    ...op.get(row),
    ...op.get(k),
    ...op.add,
    ...op.v128load(q * 16),
    ...op.get(u),
    ...op.vmul,
    ...op.vadd,
    ...op.v128store(q * 16),
  ]);
  const iBody = [
    ...op.get(K),
    ...op.get(i),
    ...op.get(mB),
    ...op.mul,
    ...op.add,
    ...op.set(row),
    ...acc.flatMap((x) => [...op.v128zero, ...op.set(x)]),
    ...op.i32(0),
    ...op.set(k),
    ...whileLt(k, mB, 64, dotBody),
    ...hsum(acc[0]),
    ...hsum(acc[1]),
    ...op.f64add,
    ...hsum(acc[2]),
    ...hsum(acc[3]),
    ...op.f64add,
    ...op.f64add,
    ...op.set(s),
    // if (s > 0 & s < ∞)
    ...op.get(s),
    ...op.f64(0),
    ...op.f64gt,
    ...op.get(s),
    ...op.f64(Infinity),
    ...op.f64lt,
    ...op.and,
    ...op.if,
    ...op.get(su),
    ...op.get(i),
    ...op.i32(8),
    ...op.mul,
    ...op.add,
    ...op.get(a),
    ...op.get(i),
    ...op.i32(8),
    ...op.mul,
    ...op.add,
    ...op.f64load(),
    ...op.get(s),
    ...op.f64div,
    ...op.tee(ui),
    ...op.f64store(),
    ...op.get(ui),
    ...op.f64(0),
    ...op.f64ne,
    ...op.if,
    ...op.get(ui),
    ...op.splat,
    ...op.set(u),
    ...op.i32(0),
    ...op.set(k),
    ...whileLt(k, mB, 64, axpyBody),
    ...op.end,
    ...op.else,
    ...op.get(su),
    ...op.get(i),
    ...op.i32(8),
    ...op.mul,
    ...op.add,
    ...op.f64(-1),
    ...op.f64store(),
    ...op.end,
  ];
  const code = [...op.get(m), ...op.i32(8), ...op.mul, ...op.set(mB), ...op.i32(0), ...op.set(i), ...whileLt(i, n, 1, iBody)];
  return { locals: [4, I32, 2, F64, 5, V128], code };
}

function section(id: number, content: number[]): number[] {
  return [id, ...uleb(content.length), ...content];
}

function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function str(s: string): number[] {
  const b = [...Buffer.from(s, 'utf8')];
  return [...uleb(b.length), ...b];
}

function buildModule(): Uint8Array<ArrayBuffer> {
  return assembleModule(
    [
      { name: 'gemm', params: 8, body: gemmBody() },
      { name: 'sinkhornRows', params: 7, body: sinkhornBody() },
      { name: 'syrk', params: 6, body: syrkBody() },
      { name: 'syrk32', params: 6, body: syrk32Body() },
      { name: 'pack64to64', params: 7, body: packBody(false, false) },
      { name: 'pack32to64', params: 7, body: packBody(true, false) },
      { name: 'pack64to32', params: 7, body: packBody(false, true) },
      { name: 'pack32to32', params: 7, body: packBody(true, true) },
      { name: 'symvRows', params: 6, body: symvBody() },
      { name: 'rank2Rows', params: 6, body: rank2Body() },
      { name: 'cholUpdate', params: 6, body: cholUpdateBody() },
    ],
    true,
  );
}

/**
 * A module of functions with i32 parameters and no results over one imported memory `env.mem` (shared: so that
 * a helper thread can work on the same memory; at most 2 GB).
 */
export function assembleModule(
  funcs: { name: string; params: number; body: { locals: number[]; code: number[] } }[],
  shared: boolean,
): Uint8Array<ArrayBuffer> {
  const types = vec(funcs.map((f) => [0x60, ...uleb(f.params), ...new Array(f.params).fill(I32), 0]));
  // limits flag 3: minimum, maximum, shared; 1: minimum, maximum
  const imports = vec([[...str('env'), ...str('mem'), 0x02, shared ? 0x03 : 0x01, ...uleb(1), ...uleb(2 ** 31 / 65536)]]);
  const fnSec = vec(funcs.map((_, i) => uleb(i)));
  const exports = vec(funcs.map((f, i) => [...str(f.name), 0x00, ...uleb(i)]));
  const codes = vec(
    funcs.map((f) => {
      const { locals, code } = f.body;
      const decl: number[][] = [];
      for (let q = 0; q < locals.length; q += 2) decl.push([...uleb(locals[q]), locals[q + 1]]);
      const body = [...vec(decl), ...code, ...op.end];
      return [...uleb(body.length), ...body];
    }),
  );
  return Uint8Array.from([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, types),
    ...section(2, imports),
    ...section(3, fnSec),
    ...section(7, exports),
    ...section(10, codes),
  ]);
}

// ---- the kernels, their arena and a helper thread ----------------------------------------------------------------

export interface SimdKernels {
  /** A Float64Array view of `count` doubles at the arena's byte offset `at` (valid until the next `reserve`). */
  view(at: number, count: number): Float64Array;
  /** Make the arena at least `bytes` long (invalidates earlier views). */
  reserve(bytes: number): void;
  gemm(A: number, B: number, C: number, n: number, m: number, kLen: number, stride: number, ldc: number): void;
  sinkhornRows(K: number, sv: number, t: number, a: number, su: number, n: number, m: number): void;
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
  symvRows(M: number, v: number, p: number, m: number, m4: number, stride: number): void;
  /** M −= v·wᵀ + w·vᵀ over full rows (see rank2Body). */
  rank2Rows(M: number, v: number, w: number, m: number, m4: number, stride: number): void;
  /** v −= Σ_{cc<c} L[cc, :]·L[cc, p], term by term in order (see cholUpdateBody). */
  cholUpdate(L: number, v: number, lpOff: number, c: number, rowB: number, kEnd: number): void;
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
  gemm: (A: number, B: number, C: number, n: number, m: number, kLen: number, stride: number, ldc: number) => void,
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
  syrk: (X: number, C: number, rows: number, ld: number, aStart: number, aEnd: number) => void,
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
    const inst = new WebAssembly.Instance(module, { env: { mem: memory } });
    const ex = inst.exports as unknown as {
      gemm: SimdKernels['gemm'];
      sinkhornRows: SimdKernels['sinkhornRows'];
      syrk: (X: number, C: number, rows: number, ld: number, aStart: number, aEnd: number) => void;
      syrk32: (X: number, C: number, rows: number, ld: number, aStart: number, aEnd: number) => void;
      symvRows: SimdKernels['symvRows'];
      rank2Rows: SimdKernels['rank2Rows'];
      cholUpdate: SimdKernels['cholUpdate'];
    } & Record<
      `pack${32 | 64}to${32 | 64}`,
      (src: number, dst: number, sums: number, shift: number, n: number, d: number, ld: number) => void
    >;
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
      gram: (xOff, cOff, n, ld) => {
        const work = (n * ld * ld) / 2;
        if (work < PARALLEL_MIN_WORK || ld < 16 || !helperReady()) {
          runSyrk(ex.syrk, xOff, cOff, n, ld, 0, ld, SYRK_CHUNK);
          return;
        }
        // row a of the upper triangle costs ∝ ld − a: split where both halves hold about the same work
        const split = Math.min(ld - 2, Math.max(2, Math.round((ld * (1 - Math.SQRT1_2)) / 2) * 2));
        post(3, [xOff, cOff, n, ld, split, ld, SYRK_CHUNK]);
        runSyrk(ex.syrk, xOff, cOff, n, ld, 0, split, SYRK_CHUNK);
        if (!join()) {
          new Float64Array(memory.buffer, cOff + split * ld * 8, (ld - split) * ld).fill(0);
          runSyrk(ex.syrk, xOff, cOff, n, ld, split, ld, SYRK_CHUNK);
        }
      },
      gram32: (xOff, cOff, n, ld) => {
        const work = (n * ld * ld) / 2;
        if (work < PARALLEL_MIN_WORK || ld < 32 || !helperReady()) {
          runSyrk(ex.syrk32, xOff, cOff, n, ld, 0, ld, GRAM32_CHUNK, 4);
          return;
        }
        const split = Math.min(ld - 2, Math.max(2, Math.round((ld * (1 - Math.SQRT1_2)) / 2) * 2));
        post(4, [xOff, cOff, n, ld, split, ld, GRAM32_CHUNK]);
        runSyrk(ex.syrk32, xOff, cOff, n, ld, 0, split, GRAM32_CHUNK, 4);
        if (!join()) {
          new Float64Array(memory.buffer, cOff + split * ld * 8, (ld - split) * ld).fill(0);
          runSyrk(ex.syrk32, xOff, cOff, n, ld, split, ld, GRAM32_CHUNK, 4);
        }
      },
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
