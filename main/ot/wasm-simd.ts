/**
 * Two float64 kernels in WebAssembly SIMD (f64x2), assembled here from their instruction lists: the dense product
 * C = A·Bᵀ behind every distance matrix and covariance, and the fused row pass of Sinkhorn. Hand-assembled because
 * the project has no WebAssembly toolchain and no npm package offers float64 SIMD kernels; measured about twice the
 * speed of the best plain-JS loop, since V8 neither vectorises nor drops bounds checks in typed-array loops.
 *
 * Memory: one imported WebAssembly.Memory used as a scratch arena. Callers copy inputs in, run, and copy results out
 * (nothing keeps a view across calls), so the arena can be reused and grown freely. When SIMD is unavailable
 * (`simdKernels()` returns null) callers fall back to their JS loops.
 */

// ---- a tiny assembler -------------------------------------------------------------------------------------------

function uleb(n: number): number[] {
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

const I32 = 0x7f;
const F64 = 0x7c;
const V128 = 0x7b;

/** Instruction helpers (each returns bytes). */
const op = {
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
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  if: [0x04, 0x40],
  else: [0x05],
  end: [0x0b],
  br: (d: number) => [0x0c, ...uleb(d)],
  brIf: (d: number) => [0x0d, ...uleb(d)],
};

/** `while (local[i] < limit) { body; local[i] += step }` with i, limit locals (unsigned compare). */
function whileLt(i: number, limit: number, step: number, body: number[]): number[] {
  return [
    ...op.block,
    ...op.loop,
    ...op.get(i), ...op.get(limit), ...op.geU, ...op.brIf(1),
    ...body,
    ...op.get(i), ...op.i32(step), ...op.add, ...op.set(i),
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
  const i = 8, j = 9, k = 10, a0 = 11, a1 = 12, b0 = 13, b1 = 14, b2 = 15, b3 = 16, kB = 17, c = 18, ldcB = 19, sB = 20;
  // v128 locals 21..31
  const acc = [21, 22, 23, 24, 25, 26, 27, 28]; // acc[r*4 + q]
  const x0 = 29, x1 = 30, y = 31;
  const zeroAcc = acc.flatMap((a) => [...op.v128zero, ...op.set(a)]);
  const kBody = [
    ...op.get(a0), ...op.get(k), ...op.add, ...op.v128load(), ...op.set(x0),
    ...op.get(a1), ...op.get(k), ...op.add, ...op.v128load(), ...op.set(x1),
    ...[b0, b1, b2, b3].flatMap((b, q) => [
      ...op.get(b), ...op.get(k), ...op.add, ...op.v128load(), ...op.set(y),
      ...fma(acc[q], x0, y),
      ...fma(acc[4 + q], x1, y),
    ]),
  ];
  const store = (r: number, q: number) => [
    ...op.get(c), ...op.get(c), ...op.f64load(q * 8), ...hsum(acc[r * 4 + q]), ...op.f64add, ...op.f64store(q * 8),
  ];
  const jBody = [
    // b0 = B + j·sB, b1..b3 follow
    ...op.get(B), ...op.get(j), ...op.get(sB), ...op.mul, ...op.add, ...op.tee(b0),
    ...op.get(sB), ...op.add, ...op.tee(b1), ...op.get(sB), ...op.add, ...op.tee(b2), ...op.get(sB), ...op.add, ...op.set(b3),
    ...zeroAcc,
    ...op.i32(0), ...op.set(k),
    ...whileLt(k, kB, 16, kBody),
    // c = C + (i·ldc + j)·8
    ...op.get(C), ...op.get(i), ...op.get(ldc), ...op.mul, ...op.get(j), ...op.add, ...op.i32(8), ...op.mul, ...op.add, ...op.set(c),
    ...store(0, 0), ...store(0, 1), ...store(0, 2), ...store(0, 3),
    ...op.get(c), ...op.get(ldcB), ...op.add, ...op.set(c),
    ...store(1, 0), ...store(1, 1), ...store(1, 2), ...store(1, 3),
  ];
  const iBody = [
    ...op.get(A), ...op.get(i), ...op.get(sB), ...op.mul, ...op.add, ...op.tee(a0), ...op.get(sB), ...op.add, ...op.set(a1),
    ...op.i32(0), ...op.set(j),
    ...whileLt(j, m, 4, jBody),
  ];
  const code = [
    ...op.get(kLen), ...op.i32(8), ...op.mul, ...op.set(kB),
    ...op.get(stride), ...op.i32(8), ...op.mul, ...op.set(sB),
    ...op.get(ldc), ...op.i32(8), ...op.mul, ...op.set(ldcB),
    ...op.i32(0), ...op.set(i),
    ...whileLt(i, n, 2, iBody),
  ];
  return { locals: [13, I32, 11, V128], code };
}

/**
 * sinkhornRows(K, sv, t, a, su, n, m): for each row i of K ([n, m], m % 8 = 0): s = K_i·sv; if 0 < s < ∞ then
 * su_i = a_i / s and t += su_i·K_i, else su_i = −1 (the caller redoes that row). t is accumulated (the caller zeroes it).
 */
function sinkhornBody(): { locals: number[]; code: number[] } {
  const [K, sv, t, a, su, n, m] = [0, 1, 2, 3, 4, 5, 6];
  const i = 7, k = 8, row = 9, mB = 10; // i32
  const s = 11, ui = 12; // f64
  const acc = [13, 14, 15, 16], u = 17; // v128
  const dotBody = [0, 1, 2, 3].flatMap((q) => [
    ...op.get(acc[q]),
    ...op.get(row), ...op.get(k), ...op.add, ...op.v128load(q * 16),
    ...op.get(sv), ...op.get(k), ...op.add, ...op.v128load(q * 16),
    ...op.vmul, ...op.vadd, ...op.set(acc[q]),
  ]);
  const axpyBody = [0, 1, 2, 3].flatMap((q) => [
    ...op.get(t), ...op.get(k), ...op.add,
    ...op.get(t), ...op.get(k), ...op.add, ...op.v128load(q * 16),
    ...op.get(row), ...op.get(k), ...op.add, ...op.v128load(q * 16), ...op.get(u), ...op.vmul,
    ...op.vadd, ...op.v128store(q * 16),
  ]);
  const iBody = [
    ...op.get(K), ...op.get(i), ...op.get(mB), ...op.mul, ...op.add, ...op.set(row),
    ...acc.flatMap((x) => [...op.v128zero, ...op.set(x)]),
    ...op.i32(0), ...op.set(k),
    ...whileLt(k, mB, 64, dotBody),
    ...hsum(acc[0]), ...hsum(acc[1]), ...op.f64add, ...hsum(acc[2]), ...hsum(acc[3]), ...op.f64add, ...op.f64add, ...op.set(s),
    // if (s > 0 & s < ∞)
    ...op.get(s), ...op.f64(0), ...op.f64gt, ...op.get(s), ...op.f64(Infinity), ...op.f64lt, ...op.and,
    ...op.if,
    ...op.get(su), ...op.get(i), ...op.i32(8), ...op.mul, ...op.add,
    ...op.get(a), ...op.get(i), ...op.i32(8), ...op.mul, ...op.add, ...op.f64load(), ...op.get(s), ...op.f64div, ...op.tee(ui),
    ...op.f64store(),
    ...op.get(ui), ...op.f64(0), ...op.f64ne,
    ...op.if,
    ...op.get(ui), ...op.splat, ...op.set(u),
    ...op.i32(0), ...op.set(k),
    ...whileLt(k, mB, 64, axpyBody),
    ...op.end,
    ...op.else,
    ...op.get(su), ...op.get(i), ...op.i32(8), ...op.mul, ...op.add, ...op.f64(-1), ...op.f64store(),
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
  const funcs = [
    { name: 'gemm', params: 8, body: gemmBody() },
    { name: 'sinkhornRows', params: 7, body: sinkhornBody() },
  ];
  const types = vec(funcs.map((f) => [0x60, ...uleb(f.params), ...new Array(f.params).fill(I32), 0]));
  const imports = vec([[...str('env'), ...str('mem'), 0x02, 0x00, ...uleb(1)]]);
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
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, types),
    ...section(2, imports),
    ...section(3, fnSec),
    ...section(7, exports),
    ...section(10, codes),
  ]);
}

// ---- the kernels and their arena ---------------------------------------------------------------------------------

export interface SimdKernels {
  /** A Float64Array view of `count` doubles at the arena's byte offset `at` (valid until the next `reserve`). */
  view(at: number, count: number): Float64Array;
  /** Make the arena at least `bytes` long (invalidates earlier views). */
  reserve(bytes: number): void;
  gemm(A: number, B: number, C: number, n: number, m: number, kLen: number, stride: number, ldc: number): void;
  sinkhornRows(K: number, sv: number, t: number, a: number, su: number, n: number, m: number): void;
}

let kernels: SimdKernels | null | undefined;
let enabled = true;

/** Turn the SIMD kernels off (or back on) for this process, e.g. to test the JS fallbacks. */
export function setSimdEnabled(on: boolean): void {
  enabled = on;
}

/** The SIMD kernels, or null when this runtime lacks WebAssembly SIMD (or COLLAPSE_LAB_NO_SIMD is set). */
export function simdKernels(): SimdKernels | null {
  if (!enabled) return null;
  if (kernels !== undefined) return kernels;
  kernels = null;
  if (process.env.COLLAPSE_LAB_NO_SIMD) return null;
  try {
    const bytes = buildModule();
    if (!WebAssembly.validate(bytes)) return null;
    const memory = new WebAssembly.Memory({ initial: 1 });
    const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { mem: memory } });
    const ex = inst.exports as unknown as { gemm: SimdKernels['gemm']; sinkhornRows: SimdKernels['sinkhornRows'] };
    kernels = {
      view: (at, count) => new Float64Array(memory.buffer, at, count),
      reserve: (bytes) => {
        const have = memory.buffer.byteLength;
        if (bytes > have) memory.grow(Math.ceil((bytes - have) / 65536));
      },
      gemm: ex.gemm,
      sinkhornRows: ex.sinkhornRows,
    };
  } catch {
    kernels = null;
  }
  return kernels;
}

/** The largest arena the kernels may use (wasm32 addresses; past this the JS loops run). */
export const MAX_ARENA_BYTES = 2 ** 31;
