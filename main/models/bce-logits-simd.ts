import { assembleModule, I32, op, uleb, V128, whileLt } from '../ot/wasm-simd';

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

const simd = (code: number) => [0xfd, ...uleb(code)];
const v = {
  load: (offset = 0) => [0xfd, 0x00, 4, ...uleb(offset)],
  store: (offset = 0) => [0xfd, 0x0b, 4, ...uleb(offset)],
  f32splat: (value: number) => [0x43, ...new Uint8Array(new Float32Array([value]).buffer), ...simd(0x13)],
  abs: simd(0xe0),
  neg: simd(0xe1),
  add: simd(0xe4),
  sub: simd(0xe5),
  mul: simd(0xe6),
  div: simd(0xe7),
  min: simd(0xe8),
  max: simd(0xe9),
  ge: simd(0x46),
  nearest: simd(0x6a),
  toInt: simd(0xf8), // i32x4.trunc_sat_f32x4_s
  iadd: simd(0xae),
  ishl: simd(0xab),
  bitselect: simd(0x52),
  f64add: simd(0xf0),
  promoteLow: simd(0x5f),
  highHalf: [0xfd, 0x0d, 8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15],
};
const get = op.get;
const set = op.set;

/** Horner: c[0] + t·(c[1] + t·(… + t·c[n])) with t a local. */
function horner(t: number, c: number[]): number[] {
  const code = v.f32splat(c[c.length - 1]);
  for (let q = c.length - 2; q >= 0; q--) code.push(...get(t), ...v.mul, ...v.f32splat(c[q]), ...v.add);
  return code;
}

/**
 * bce(L, X, D, rows, cols, ld, consts): for i < rows, j < cols (a multiple of 4; row stride ld bytes): D[i, j] =
 * (σ(L[i, j]) − X[i, j]) / divisor, and the sum of the loss terms (float64) added into consts + 16 (two lanes);
 * divisor is the float32 at consts.
 */
function bceBody(): { locals: number[]; code: number[] } {
  const [L, X, D, rows, cols, ld, consts] = [0, 1, 2, 3, 4, 5, 6];
  const i = 7,
    j = 8,
    rowOff = 9,
    pL = 10,
    pX = 11,
    pD = 12,
    cB = 13;
  const l = 14,
    a = 15,
    r = 16,
    n = 17,
    e = 18,
    s = 19,
    z = 20,
    xv = 21,
    rowAcc = 22,
    total = 23,
    divisor = 24,
    onePlus = 25;
  const LN2_HI = 0.693359375;
  const LN2_LO = -2.1219444e-4;
  const element = [
    ...get(pL),
    ...get(j),
    ...op.add,
    ...v.load(0),
    ...set(l),
    ...get(pX),
    ...get(j),
    ...op.add,
    ...v.load(0),
    ...set(xv),
    // a = min(|l|, 87); n = nearest(−a·log2 e); r = −a − n·ln2 (in two parts)
    ...get(l),
    ...v.abs,
    ...v.f32splat(87),
    ...v.min,
    ...set(a),
    ...get(a),
    ...v.f32splat(-Math.LOG2E),
    ...v.mul,
    ...v.nearest,
    ...set(n),
    ...get(a),
    ...v.neg,
    ...get(n),
    ...v.f32splat(LN2_HI),
    ...v.mul,
    ...v.sub,
    ...get(n),
    ...v.f32splat(LN2_LO),
    ...v.mul,
    ...v.sub,
    ...set(r),
    // e = p(r)·2ⁿ (2ⁿ built in the exponent bits: n ≥ −126)
    ...horner(r, [1, 1, 1 / 2, 1 / 6, 1 / 24, 1 / 120, 1 / 720, 1 / 5040]),
    ...get(n),
    ...v.toInt,
    ...op.i32(127),
    ...simd(0x11), // i32x4.splat
    ...v.iadd,
    ...op.i32(23),
    ...v.ishl,
    ...v.mul,
    ...set(e),
    ...get(e),
    ...v.f32splat(1),
    ...v.add,
    ...set(onePlus),
    // D = ((l ≥ 0 ? 1 : e) / (1 + e) − x) / divisor
    ...get(pD),
    ...get(j),
    ...op.add,
    ...v.f32splat(1),
    ...get(e),
    ...get(l),
    ...op.v128zero,
    ...v.ge,
    ...v.bitselect,
    ...get(onePlus),
    ...v.div,
    ...get(xv),
    ...v.sub,
    ...get(divisor),
    ...v.div,
    ...v.store(0),
    // log1p(e) = 2s·(1 + z/3 + z²/5 + …), s = e / (2 + e), z = s²
    ...get(e),
    ...get(onePlus),
    ...v.f32splat(1),
    ...v.add,
    ...v.div,
    ...set(s),
    ...get(s),
    ...get(s),
    ...v.mul,
    ...set(z),
    // rowAcc += max(l, 0) + 2s·series(z) − x·l
    ...get(rowAcc),
    ...get(l),
    ...op.v128zero,
    ...v.max,
    ...get(s),
    ...get(s),
    ...v.add,
    ...horner(z, [1, 1 / 3, 1 / 5, 1 / 7, 1 / 9, 1 / 11, 1 / 13]),
    ...v.mul,
    ...v.add,
    ...get(xv),
    ...get(l),
    ...v.mul,
    ...v.sub,
    ...v.add,
    ...set(rowAcc),
  ];
  const row = [
    ...get(i),
    ...get(ld),
    ...op.mul,
    ...set(rowOff),
    ...get(L),
    ...get(rowOff),
    ...op.add,
    ...set(pL),
    ...get(X),
    ...get(rowOff),
    ...op.add,
    ...set(pX),
    ...get(D),
    ...get(rowOff),
    ...op.add,
    ...set(pD),
    ...op.v128zero,
    ...set(rowAcc),
    ...op.i32(0),
    ...set(j),
    ...whileLt(j, cB, 16, element),
    // total += the row's four lanes, in float64
    ...get(total),
    ...get(rowAcc),
    ...v.promoteLow,
    ...v.f64add,
    ...get(rowAcc),
    ...get(rowAcc),
    ...v.highHalf,
    ...v.promoteLow,
    ...v.f64add,
    ...set(total),
  ];
  const code = [
    ...get(consts),
    ...op.f32load(0),
    ...simd(0x13),
    ...set(divisor),
    ...get(consts),
    ...v.load(16),
    ...set(total),
    ...get(cols),
    ...op.i32(4),
    ...op.mul,
    ...set(cB),
    ...op.i32(0),
    ...set(i),
    ...whileLt(i, rows, 1, row),
    ...get(consts),
    ...get(total),
    ...v.store(16),
  ];
  return { locals: [7, I32, 12, V128], code };
}

export type BceLogitsKernel = (L: number, X: number, D: number, rows: number, cols: number, ld: number, consts: number) => void;

let compiled: WebAssembly.Module | null | undefined;

/** The compiled module (its function `bce`), or null where WebAssembly SIMD is unavailable. */
export function bceLogitsModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    compiled = null;
    try {
      const bytes = assembleModule([{ name: 'bce', params: 7, body: bceBody() }], true);
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
  return (new WebAssembly.Instance(module, { env: { mem: memory } }).exports as { bce: BceLogitsKernel }).bce;
}
