import {
  assembleModule,
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
  whileLt,
} from '../util/wasm-simd';
import { adamStep, type AdamConfig } from './adam-flat';

/**
 * adamStep (main/models/adam-flat.ts) in WebAssembly SIMD, bit for bit: the same float64 arithmetic in the same order
 * on two elements at a time (f64x2; wasm has no fused multiply-add, and its add, multiply, divide and square root
 * round as JS's do), stored as float32 with the same rounding. Parameters, moments and gradients live in the
 * module's own memory, so a step copies nothing: a trainer keeps its flat arrays there (`AdamArena`). About three
 * times faster than the JS loop (1.1 M parameters: about 1.5 ms instead of 4.5).
 */

/** Byte offset of the six float64 step constants at the start of the memory. */
const CONSTS = 0;
const FIRST = 64;

/** The parameters of adam (see adamBody). */
const adamSignature = ['P', 'M', 'V', 'G0', 'G1', 'count'] as const;

/**
 * adam(p, m, v, g0, g1, count): for i < count (even), with constants β1, 1 − β1, β2, 1 − β2, stepSize, ε̂ at CONSTS:
 * g = g0[i] (+ g1[i] when g1 ≠ 0); m ← β1·m + (1 − β1)·g; v ← β2·v + ((1 − β2)·g)·g; p ← p − (stepSize·m)/(√v + ε̂).
 */
function adamBody(): FunctionBody {
  const { P, M, V, G0, G1, count } = paramLocals(adamSignature);
  const locals = localsAfter(adamSignature);
  const [i, end] = locals.i32s(2);
  const [b1, a1, b2, a2, step, eps, g, mi, vi] = locals.v128s(9);
  /** two float32 at base + i as an f64x2 */
  const load2 = (base: number) => [...op.get(base), ...op.get(i), ...i32.add, ...v128.load64Zero(), ...f64x2.promoteLowF32x4];
  /** an f64x2 local rounded to two float32 at base + i */
  const store2 = (base: number, value: number) => [
    ...op.get(base),
    ...op.get(i),
    ...i32.add,
    ...op.get(value),
    ...f32x4.demoteF64x2Zero,
    ...v128.store64Lane0(),
  ];
  const body = [
    ...load2(G0),
    ...op.set(g),
    ...op.get(G1),
    ...op.if,
    ...op.get(g),
    ...load2(G1),
    ...f64x2.add,
    ...op.set(g),
    ...op.end,
    // mi = β1·m + (1 − β1)·g
    ...op.get(b1),
    ...load2(M),
    ...f64x2.mul,
    ...op.get(a1),
    ...op.get(g),
    ...f64x2.mul,
    ...f64x2.add,
    ...op.set(mi),
    // vi = β2·v + ((1 − β2)·g)·g
    ...op.get(b2),
    ...load2(V),
    ...f64x2.mul,
    ...op.get(a2),
    ...op.get(g),
    ...f64x2.mul,
    ...op.get(g),
    ...f64x2.mul,
    ...f64x2.add,
    ...op.set(vi),
    ...store2(M, mi),
    ...store2(V, vi),
    // p − (stepSize·mi)/(√vi + ε̂)
    ...load2(P),
    ...op.get(step),
    ...op.get(mi),
    ...f64x2.mul,
    ...op.get(vi),
    ...f64x2.sqrt,
    ...op.get(eps),
    ...f64x2.add,
    ...f64x2.div,
    ...f64x2.sub,
    ...op.set(g),
    ...store2(P, g),
  ];
  const splatConst = (k: number, local: number) => [...i32.const(CONSTS), ...f64.load(8 * k), ...f64x2.splat, ...op.set(local)];
  const code = [
    ...[b1, a1, b2, a2, step, eps].flatMap((local, k) => splatConst(k, local)),
    ...mulTo(end, count, 4),
    ...i32.const(0),
    ...op.set(i),
    ...whileLt(i, end, 8, body),
  ];
  return { locals: locals.declared(), code };
}

let compiled: WebAssembly.Module | null | undefined;

function adamModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  compiled = null;
  if (process.env.COLLAPSE_LAB_NO_SIMD) return null;
  try {
    const bytes = assembleModule([{ name: 'adam', signature: adamSignature, body: adamBody() }], true);
    if (WebAssembly.validate(bytes)) compiled = new WebAssembly.Module(bytes);
  } catch {
    compiled = null;
  }
  return compiled;
}

/**
 * The flat parameters, Adam moments and gradient shards of one trainer, in the memory of its own instance of the
 * SIMD kernel (plain Float32Arrays when SIMD is unavailable); `step` is adamStep over all of them.
 */
export class AdamArena {
  readonly params: Float32Array;
  readonly m: Float32Array;
  readonly v: Float32Array;
  readonly grads: Float32Array[];
  /** The kernel's memory (null without SIMD) and the byte offset of the `scratchBytes` left free for other kernels. */
  readonly memory: WebAssembly.Memory | null = null;
  readonly scratch: number = 0;
  private readonly kernel: Kernel<typeof adamSignature> | null = null;
  private readonly consts: Float64Array | null = null;

  constructor(
    readonly count: number,
    shards: number,
    scratchBytes = 0,
  ) {
    const module = adamModule();
    const bytes = 4 * count;
    const stride = Math.ceil(bytes / 16) * 16;
    if (!module) {
      this.params = new Float32Array(count);
      this.m = new Float32Array(count);
      this.v = new Float32Array(count);
      this.grads = Array.from({ length: shards }, () => new Float32Array(count));
      return;
    }
    this.scratch = FIRST + stride * (3 + shards);
    const total = this.scratch + Math.ceil(scratchBytes / 16) * 16;
    const memory = new WebAssembly.Memory({ initial: Math.ceil(total / 65536), maximum: 2 ** 31 / 65536, shared: true });
    this.memory = memory;
    this.kernel = instantiate<{ adam: Kernel<typeof adamSignature> }>(module, memory).adam;
    const at = (k: number) => new Float32Array(memory.buffer, FIRST + k * stride, count);
    this.params = at(0);
    this.m = at(1);
    this.v = at(2);
    this.grads = Array.from({ length: shards }, (_, s) => at(3 + s));
    this.consts = new Float64Array(memory.buffer, CONSTS, 6);
  }

  /** One Adam step (t is 1-based) with the sum of the first `shards` gradient shards, over every parameter. */
  step(cfg: AdamConfig, t: number, shards = this.grads.length): void {
    const grads = this.grads.slice(0, shards);
    if (!this.kernel || shards > 2) {
      adamStep(cfg, t, this.params, this.m, this.v, grads);
      return;
    }
    const { lr, beta1, beta2, eps } = cfg;
    // the constants exactly as adamStep computes them
    const bc1 = 1 - Math.pow(beta1, t);
    const sqrtBc2 = Math.sqrt(1 - Math.pow(beta2, t));
    this.consts!.set([beta1, 1 - beta1, beta2, 1 - beta2, (lr * sqrtBc2) / bc1, eps * sqrtBc2]);
    const even = this.count & ~1;
    const g1 = shards === 2 ? grads[1].byteOffset : 0;
    this.kernel(this.params.byteOffset, this.m.byteOffset, this.v.byteOffset, grads[0].byteOffset, g1, even);
    // an odd last element in JS, the same arithmetic
    if (even < this.count) adamStep(cfg, t, this.params, this.m, this.v, grads, even, this.count);
  }
}
