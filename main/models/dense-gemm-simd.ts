import {
  addTo,
  assembleModule,
  constant,
  elementAt,
  F32,
  f32,
  f32x4,
  type FunctionBody,
  i32,
  instantiate,
  type Kernel,
  localsAfter,
  op,
  paramLocals,
  v128,
  whileBelow,
  whileLt,
} from '../util/wasm-simd';

/**
 * The three matrix products of a dense layer's training step in WebAssembly SIMD (f32x4), for the VAE-MLP's own step
 * (main/models/vae-mlp-simd.ts), over one imported memory (the Adam arena's, main/models/adam-simd.ts):
 *
 *   forward   Y = X·W (+ bias, LeakyReLU)         gemm(X, …, pack(W))
 *   data      dX = (dY·Wᵀ) ⊙ LeakyReLU′           gemm(dY, …, packT(W)), the derivative from the layer's input
 *   weights   dW = Xᵀ·dY                          gemmT(X, …, pack(dY)), the bias gradient summed while packing dY
 *
 * Every right-hand operand is first packed into panels of 8 columns ([N/8][K][8] floats, zero-padded), so the inner
 * loop reads it sequentially and no operand is ever transposed by a separate copy: W is packed twice per optimiser step
 * (as it is and transposed), dY once per layer. The kernel is register-blocked 4 rows × 8 columns (eight f32x4
 * accumulators; each k broadcasts four left-hand values and loads two right-hand vectors). Left-hand operands and
 * outputs are the caller's padded buffers: K a multiple of 4, M of 4, N of 8 (the caller pads with zeros).
 * Sums run in a fixed order, so a result never depends on anything but its inputs (no threads).
 */

const get = op.get;
const set = op.set;

/** The parameters of gemm and gemmT (see gemmBody). */
const gemmSignature = ['A', 'lda', 'Bp', 'C', 'ldc', 'M', 'N', 'K', 'bias', 'leaky', 'mask'] as const;

/**
 * gemm / gemmT (A, lda, Bp, C, ldc, M, N, K, bias, leaky, mask): for i < M, j < N (C row-major with row stride ldc
 * bytes): C[i, j] = Σ_{k<K} A(i, k)·Bp(k, j), where Bp is packed ([N/8][K][8]) and A(i, k) is A[i·lda + 4k] (gemm:
 * A row-major) or A[4i + k·lda] (gemmT: A stored transposed). Then, in this order: + bias[j] when bias ≠ 0 (a padded
 * vector), LeakyReLU(0.2) when leaky ≠ 0, × (mask[i, j] > 0 ? 1 : 0.2) when mask ≠ 0 (mask laid out as C).
 */
function gemmBody(transposedA: boolean): FunctionBody {
  const { A, lda, Bp, C, ldc, M, N, K, bias, leaky, mask } = paramLocals(gemmSignature);
  const locals = localsAfter(gemmSignature);
  const [col, i, pPanel, pB, pBend] = locals.i32s(5);
  const a = locals.i32s(4);
  const [cRow, panelBytes, nBytes, mRow] = locals.i32s(4);
  const accs = locals.v128s(8);
  const acc = (r: number, q: number) => accs[2 * r + q];
  const [b0, b1, s, c02, h] = locals.v128s(5);
  const fma = (r: number, q: number, bv: number) => [
    ...get(acc(r, q)),
    ...get(s),
    ...get(bv),
    ...f32x4.mul,
    ...f32x4.add,
    ...set(acc(r, q)),
  ];
  const loadB = (u: number) => [...get(pB), ...v128.load(u * 32), ...set(b0), ...get(pB), ...v128.load(u * 32 + 16), ...set(b1)];
  const kStep: number[] = [];
  for (let u = 0; u < 4; u++) {
    kStep.push(...loadB(u));
    for (let r = 0; r < 4; r++) {
      kStep.push(...(transposedA ? [...get(a[0]), ...v128.load32Splat(r * 4)] : [...get(a[r]), ...v128.load32Splat(u * 4)]), ...set(s));
      kStep.push(...fma(r, 0, b0), ...fma(r, 1, b1));
    }
    if (transposedA) kStep.push(...addTo(a[0], a[0], lda));
  }
  if (!transposedA) for (let r = 0; r < 4; r++) kStep.push(...addTo(a[r], a[r], constant(16)));
  kStep.push(...addTo(pB, pB, constant(128)));
  const kLoop = whileBelow(pB, pBend, kStep);

  const all = (f: (r: number, q: number) => number[]) => [0, 1, 2, 3].flatMap((r) => [0, 1].flatMap((q) => f(r, q)));
  const epilogue = [
    // bias
    ...get(bias),
    ...op.if,
    ...all((r, q) => [...get(acc(r, q)), ...get(bias), ...get(col), ...i32.add, ...v128.load(q * 16), ...f32x4.add, ...set(acc(r, q))]),
    ...op.end,
    // LeakyReLU: max(v, 0.2·v)
    ...get(leaky),
    ...op.if,
    ...all((r, q) => [...get(acc(r, q)), ...get(acc(r, q)), ...get(c02), ...f32x4.mul, ...f32x4.max, ...set(acc(r, q))]),
    ...op.end,
    // its derivative from the mask: v where mask > 0, else 0.2·v
    ...get(mask),
    ...op.if,
    ...get(mask),
    ...get(i),
    ...get(ldc),
    ...i32.mul,
    ...i32.add,
    ...get(col),
    ...i32.add,
    ...set(mRow),
    ...[0, 1, 2, 3].flatMap((r) => [
      ...[0, 1].flatMap((q) => [
        ...get(mRow),
        ...v128.load(q * 16),
        ...set(h),
        ...get(acc(r, q)),
        ...get(acc(r, q)),
        ...get(c02),
        ...f32x4.mul,
        ...get(h),
        ...v128.zero,
        ...f32x4.gt,
        ...v128.bitselect,
        ...set(acc(r, q)),
      ]),
      ...addTo(mRow, mRow, ldc),
    ]),
    ...op.end,
    // store
    ...get(C),
    ...get(i),
    ...get(ldc),
    ...i32.mul,
    ...i32.add,
    ...get(col),
    ...i32.add,
    ...set(cRow),
    ...[0, 1, 2, 3].flatMap((r) => [
      ...get(cRow),
      ...get(acc(r, 0)),
      ...v128.store(0),
      ...get(cRow),
      ...get(acc(r, 1)),
      ...v128.store(16),
      ...addTo(cRow, cRow, ldc),
    ]),
  ];
  const rowBlock = [
    ...all((r, q) => [...v128.zero, ...set(acc(r, q))]),
    ...get(pPanel),
    ...set(pB),
    ...addTo(pBend, pPanel, panelBytes),
    ...(transposedA
      ? [...elementAt(A, i, 4), ...set(a[0])]
      : [
          ...get(A),
          ...get(i),
          ...get(lda),
          ...i32.mul,
          ...i32.add,
          ...set(a[0]),
          ...addTo(a[1], a[0], lda),
          ...addTo(a[2], a[1], lda),
          ...addTo(a[3], a[2], lda),
        ]),
    ...kLoop,
    ...epilogue,
  ];
  const panel = [...i32.const(0), ...set(i), ...whileLt(i, M, 4, rowBlock), ...addTo(pPanel, pPanel, panelBytes)];
  const code = [
    ...get(K),
    ...i32.const(5),
    ...i32.shl,
    ...set(panelBytes),
    ...get(N),
    ...i32.const(2),
    ...i32.shl,
    ...set(nBytes),
    ...f32.const(0.2),
    ...f32x4.splat,
    ...set(c02),
    ...get(Bp),
    ...set(pPanel),
    ...i32.const(0),
    ...set(col),
    ...whileLt(col, nBytes, 32, panel),
  ];
  return { locals: locals.declared(), code };
}

/** The parameters of pack (see packBody). */
const packSignature = ['src', 'ld', 'rows', 'cols', 'dst', 'rowsPad', 'colsPad', 'sums'] as const;

/**
 * pack(src, ld, rows, cols, dst, rowsPad, colsPad, sums): dst[j/8][k][j%8] = src[k·ld + 4j] for k < rows, j < cols,
 * else 0 (k < rowsPad, j < colsPad, a multiple of 8); when sums ≠ 0, sums[j] = Σ_k dst (the column sums, in row order).
 */
function packBody(): FunctionBody {
  const { src, ld, rows, cols, dst, rowsPad, colsPad, sums } = paramLocals(packSignature);
  const locals = localsAfter(packSignature);
  const [col, k, pS, pD, full] = locals.i32s(5);
  const [s0, s1] = locals.v128s(2);
  const zero2 = [...get(pD), ...v128.zero, ...v128.store(0), ...get(pD), ...v128.zero, ...v128.store(16)];
  const partial = [0, 1, 2, 3, 4, 5, 6, 7].flatMap((c) => [
    ...get(pD),
    ...get(col),
    ...i32.const(c),
    ...i32.add,
    ...get(cols),
    ...i32.ltU,
    ...op.ifResult(F32),
    ...get(pS),
    ...f32.load(4 * c),
    ...op.else,
    ...f32.const(0),
    ...op.end,
    ...f32.store(4 * c),
  ]);
  const row = [
    ...get(k),
    ...get(rows),
    ...i32.ltU,
    ...op.if,
    ...get(full),
    ...op.if,
    ...get(pD),
    ...get(pS),
    ...v128.load(0),
    ...v128.store(0),
    ...get(pD),
    ...get(pS),
    ...v128.load(16),
    ...v128.store(16),
    ...op.else,
    ...partial,
    ...op.end,
    ...op.else,
    ...zero2,
    ...op.end,
    ...get(s0),
    ...get(pD),
    ...v128.load(0),
    ...f32x4.add,
    ...set(s0),
    ...get(s1),
    ...get(pD),
    ...v128.load(16),
    ...f32x4.add,
    ...set(s1),
    ...addTo(pS, pS, ld),
    ...addTo(pD, pD, constant(32)),
  ];
  const panel = [
    ...v128.zero,
    ...set(s0),
    ...v128.zero,
    ...set(s1),
    ...get(col),
    ...i32.const(8),
    ...i32.add,
    ...get(cols),
    ...i32.leS,
    ...set(full),
    ...elementAt(src, col, 4),
    ...set(pS),
    ...i32.const(0),
    ...set(k),
    ...whileLt(k, rowsPad, 1, row),
    ...get(sums),
    ...op.if,
    ...elementAt(sums, col, 4),
    ...set(pS),
    ...get(pS),
    ...get(s0),
    ...v128.store(0),
    ...get(pS),
    ...get(s1),
    ...v128.store(16),
    ...op.end,
  ];
  const code = [...get(dst), ...set(pD), ...i32.const(0), ...set(col), ...whileLt(col, colsPad, 8, panel)];
  return { locals: locals.declared(), code };
}

/** The parameters of packT (see packTBody). */
const packTSignature = ['src', 'ld', 'rows', 'cols', 'dst', 'kPad', 'nPad'] as const;

/**
 * packT(src, ld, rows, cols, dst, kPad, nPad): the transpose of src ([rows, cols], row stride ld bytes) packed as
 * gemm's right-hand operand: dst[i/8][o][i%8] = src[i·ld + 4o] for i < rows, o < cols, else 0 (o < kPad, i < nPad).
 */
function packTBody(): FunctionBody {
  const { src, ld, rows, cols, dst, kPad, nPad } = paramLocals(packTSignature);
  const locals = localsAfter(packTSignature);
  const [ib, c, i, o, pS, pD, pPanel, panelBytes, c8] = locals.i32s(9);
  const zeroFrom = whileLt(o, kPad, 1, [...get(pD), ...f32.const(0), ...f32.store(0), ...addTo(pD, pD, constant(32))]);
  const copyRow = [
    ...get(src),
    ...get(i),
    ...get(ld),
    ...i32.mul,
    ...i32.add,
    ...set(pS),
    ...whileLt(o, cols, 1, [
      ...get(pD),
      ...get(pS),
      ...f32.load(0),
      ...f32.store(0),
      ...addTo(pS, pS, constant(4)),
      ...addTo(pD, pD, constant(32)),
    ]),
  ];
  const lane = [
    ...addTo(i, ib, c),
    ...elementAt(pPanel, c, 4),
    ...set(pD),
    ...i32.const(0),
    ...set(o),
    ...get(i),
    ...get(rows),
    ...i32.ltU,
    ...op.if,
    ...copyRow,
    ...op.end,
    ...zeroFrom,
  ];
  const code = [
    ...i32.const(8),
    ...set(c8),
    ...get(kPad),
    ...i32.const(5),
    ...i32.shl,
    ...set(panelBytes),
    ...get(dst),
    ...set(pPanel),
    ...i32.const(0),
    ...set(ib),
    ...whileLt(ib, nPad, 8, [...i32.const(0), ...set(c), ...whileLt(c, c8, 1, lane), ...addTo(pPanel, pPanel, panelBytes)]),
  ];
  return { locals: locals.declared(), code };
}

export interface DenseGemmKernels {
  gemm: Kernel<typeof gemmSignature>;
  gemmT: Kernel<typeof gemmSignature>;
  pack: Kernel<typeof packSignature>;
  packT: Kernel<typeof packTSignature>;
}

let compiled: WebAssembly.Module | null | undefined;

/** The compiled module, or null where WebAssembly SIMD is unavailable (or COLLAPSE_LAB_NO_SIMD is set). */
export function denseGemmModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  compiled = null;
  if (process.env.COLLAPSE_LAB_NO_SIMD) return null;
  try {
    const bytes = assembleModule(
      [
        { name: 'gemm', signature: gemmSignature, body: gemmBody(false) },
        { name: 'gemmT', signature: gemmSignature, body: gemmBody(true) },
        { name: 'pack', signature: packSignature, body: packBody() },
        { name: 'packT', signature: packTSignature, body: packTBody() },
      ],
      true,
    );
    if (WebAssembly.validate(bytes)) compiled = new WebAssembly.Module(bytes);
  } catch {
    compiled = null;
  }
  return compiled;
}

/** The kernels over `memory` (shared; byte addresses into it), or null without SIMD. */
export function denseGemmKernels(memory: WebAssembly.Memory): DenseGemmKernels | null {
  const module = denseGemmModule();
  if (!module) return null;
  return instantiate<DenseGemmKernels>(module, memory);
}

/** n rounded up to a multiple of m. */
export function padTo(n: number, m: number): number {
  return Math.ceil(n / m) * m;
}
