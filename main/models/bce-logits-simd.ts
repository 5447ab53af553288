import {
  addTo,
  assembleModule,
  f32,
  f32x4,
  f64x2,
  type FunctionBody,
  i32,
  i32x4,
  instantiate,
  type Kernel,
  localsAfter,
  mulTo,
  op,
  paramLocals,
  v128,
  whileLt,
} from '../util/wasm-simd';

/**
 * The VAE-MLP's reconstruction term from its logits in one WebAssembly SIMD pass (f32x4), for vae-mlp-simd.ts: per
 * element l (logit) and x (pixel), with e = exp(−|l|),
 *   loss term  softplus(l) − x·l = max(l, 0) + log1p(e) − x·l
 *   gradient   (σ(l) − x) / divisor, σ(l) = (l ≥ 0 ? 1 : e) / (1 + e)
 * exp from 2ⁿ·(degree-7 Taylor polynomial on |r| ≤ ln2/2), log1p(e) = 2·atanh(e / (2 + e)) by its series to s¹³
 * (s ≤ 1/3): both within a few float32 ulps (tested against float64). |l| is clamped at 87 (e stays a normal
 * float; σ of a logit below −87 is then 1.6e−38 instead of smaller). The loss terms are summed per row in float32
 * lanes and the rows in float64.
 */

/** a float32 constant in every lane */
const splatF32 = (value: number) => [...f32.const(value), ...f32x4.splat];
const get = op.get;
const set = op.set;

/** Horner: c[0] + t·(c[1] + t·(… + t·c[n])) with t a local. */
function horner(t: number, c: number[]): number[] {
  const code = splatF32(c[c.length - 1]);
  for (let q = c.length - 2; q >= 0; q--) code.push(...get(t), ...f32x4.mul, ...splatF32(c[q]), ...f32x4.add);
  return code;
}

/** The parameters of bce (see bceBody). */
const bceSignature = ['L', 'X', 'D', 'rows', 'cols', 'ld', 'consts'] as const;

/**
 * bce(L, X, D, rows, cols, ld, consts): for i < rows, j < cols (a multiple of 4; row stride ld bytes): D[i, j] =
 * (σ(L[i, j]) − X[i, j]) / divisor, and the sum of the loss terms (float64) added into consts + 16 (two lanes);
 * divisor is the float32 at consts.
 */
function bceBody(): FunctionBody {
  const { L, X, D, rows, cols, ld, consts } = paramLocals(bceSignature);
  const locals = localsAfter(bceSignature);
  const [i, j, rowOff, pL, pX, pD, cB] = locals.i32s(7);
  const [l, a, r, n, e, s, z, xv, rowAcc, total, divisor, onePlus] = locals.v128s(12);
  const LN2_HI = 0.693359375;
  const LN2_LO = -2.1219444e-4;
  const element = [
    ...get(pL),
    ...get(j),
    ...i32.add,
    ...v128.load(0),
    ...set(l),
    ...get(pX),
    ...get(j),
    ...i32.add,
    ...v128.load(0),
    ...set(xv),
    // a = min(|l|, 87); n = nearest(−a·log2 e); r = −a − n·ln2 (in two parts)
    ...get(l),
    ...f32x4.abs,
    ...splatF32(87),
    ...f32x4.min,
    ...set(a),
    ...get(a),
    ...splatF32(-Math.LOG2E),
    ...f32x4.mul,
    ...f32x4.nearest,
    ...set(n),
    ...get(a),
    ...f32x4.neg,
    ...get(n),
    ...splatF32(LN2_HI),
    ...f32x4.mul,
    ...f32x4.sub,
    ...get(n),
    ...splatF32(LN2_LO),
    ...f32x4.mul,
    ...f32x4.sub,
    ...set(r),
    // e = p(r)·2ⁿ (2ⁿ built in the exponent bits: n ≥ −126)
    ...horner(r, [1, 1, 1 / 2, 1 / 6, 1 / 24, 1 / 120, 1 / 720, 1 / 5040]),
    ...get(n),
    ...i32x4.truncSatF32x4S,
    ...i32.const(127),
    ...i32x4.splat,
    ...i32x4.add,
    ...i32.const(23),
    ...i32x4.shl,
    ...f32x4.mul,
    ...set(e),
    ...get(e),
    ...splatF32(1),
    ...f32x4.add,
    ...set(onePlus),
    // D = ((l ≥ 0 ? 1 : e) / (1 + e) − x) / divisor
    ...get(pD),
    ...get(j),
    ...i32.add,
    ...splatF32(1),
    ...get(e),
    ...get(l),
    ...v128.zero,
    ...f32x4.ge,
    ...v128.bitselect,
    ...get(onePlus),
    ...f32x4.div,
    ...get(xv),
    ...f32x4.sub,
    ...get(divisor),
    ...f32x4.div,
    ...v128.store(0),
    // log1p(e) = 2s·(1 + z/3 + z²/5 + …), s = e / (2 + e), z = s²
    ...get(e),
    ...get(onePlus),
    ...splatF32(1),
    ...f32x4.add,
    ...f32x4.div,
    ...set(s),
    ...get(s),
    ...get(s),
    ...f32x4.mul,
    ...set(z),
    // rowAcc += max(l, 0) + 2s·series(z) − x·l
    ...get(rowAcc),
    ...get(l),
    ...v128.zero,
    ...f32x4.max,
    ...get(s),
    ...get(s),
    ...f32x4.add,
    ...horner(z, [1, 1 / 3, 1 / 5, 1 / 7, 1 / 9, 1 / 11, 1 / 13]),
    ...f32x4.mul,
    ...f32x4.add,
    ...get(xv),
    ...get(l),
    ...f32x4.mul,
    ...f32x4.sub,
    ...f32x4.add,
    ...set(rowAcc),
  ];
  const row = [
    ...get(i),
    ...get(ld),
    ...i32.mul,
    ...set(rowOff),
    ...addTo(pL, L, rowOff),
    ...addTo(pX, X, rowOff),
    ...addTo(pD, D, rowOff),
    ...v128.zero,
    ...set(rowAcc),
    ...i32.const(0),
    ...set(j),
    ...whileLt(j, cB, 16, element),
    // total += the row's four lanes, in float64
    ...get(total),
    ...get(rowAcc),
    ...f64x2.promoteLowF32x4,
    ...f64x2.add,
    ...get(rowAcc),
    ...get(rowAcc),
    ...f32x4.highHalf,
    ...f64x2.promoteLowF32x4,
    ...f64x2.add,
    ...set(total),
  ];
  const code = [
    ...get(consts),
    ...f32.load(0),
    ...f32x4.splat,
    ...set(divisor),
    ...get(consts),
    ...v128.load(16),
    ...set(total),
    ...mulTo(cB, cols, 4),
    ...i32.const(0),
    ...set(i),
    ...whileLt(i, rows, 1, row),
    ...get(consts),
    ...get(total),
    ...v128.store(16),
  ];
  return { locals: locals.declared(), code };
}

export type BceLogitsKernel = Kernel<typeof bceSignature>;

let compiled: WebAssembly.Module | null | undefined;

/** The compiled module (its function `bce`), or null where WebAssembly SIMD is unavailable. */
export function bceLogitsModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    compiled = null;
    try {
      const bytes = assembleModule([{ name: 'bce', signature: bceSignature, body: bceBody() }], true);
      if (!process.env.COLLAPSE_LAB_NO_SIMD && WebAssembly.validate(bytes)) compiled = new WebAssembly.Module(bytes);
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

/** The kernel over `memory` (shared; byte addresses into it), or null where WebAssembly SIMD is unavailable. */
export function bceLogitsKernel(memory: WebAssembly.Memory): BceLogitsKernel | null {
  const module = bceLogitsModule();
  if (!module) return null;
  return instantiate<{ bce: BceLogitsKernel }>(module, memory).bce;
}
