/**
 * A tiny WebAssembly assembler for the project's hand-written SIMD kernels (main/ot/wasm-simd.ts,
 * main/models/*-simd.ts): the one table of the instructions they use, named after the WebAssembly text format
 * (`f32x4.add` is f32x4.add, `v128.load32Splat` is v128.load32_splat), each entry the instruction's bytes; a loop
 * helper; and the module encoding. Hand-assembled because the project has no WebAssembly toolchain.
 */

/** Unsigned LEB128, the encoding of wasm's indices, offsets and opcodes past 0x7f. */
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

/** Signed LEB128, the encoding of i32.const's operand. */
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

/** Value types (of locals and block results). */
export const I32 = 0x7f;
export const F32 = 0x7d;
export const F64 = 0x7c;
export const V128 = 0x7b;

/** A SIMD instruction: the 0xfd prefix and its opcode. */
const simd = (code: number) => [0xfd, ...uleb(code)];
/** A memory access's immediates: log2 of the alignment and the byte offset. */
const memarg = (alignLog2: number, offset: number) => [alignLog2, ...uleb(offset)];

/** Locals and control flow. */
export const op = {
  get: (i: number) => [0x20, ...uleb(i)],
  set: (i: number) => [0x21, ...uleb(i)],
  tee: (i: number) => [0x22, ...uleb(i)],
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  if: [0x04, 0x40],
  /** `if` whose two branches leave one value of `type` (e.g. F32) */
  ifResult: (type: number) => [0x04, type],
  else: [0x05],
  end: [0x0b],
  br: (d: number) => [0x0c, ...uleb(d)],
  brIf: (d: number) => [0x0d, ...uleb(d)],
  /** the first of two operands when the i32 on top is nonzero, else the second */
  select: [0x1b],
};

export const i32 = {
  const: (v: number) => [0x41, ...sleb(v)],
  ltU: [0x49],
  leS: [0x4c],
  geU: [0x4f],
  add: [0x6a],
  sub: [0x6b],
  mul: [0x6c],
  and: [0x71],
  shl: [0x74],
  shrU: [0x76],
};

export const f32 = {
  const: (v: number) => [0x43, ...new Uint8Array(new Float32Array([v]).buffer)],
  load: (offset = 0) => [0x2a, ...memarg(2, offset)],
  store: (offset = 0) => [0x38, ...memarg(2, offset)],
  demoteF64: [0xb6],
};

export const f64 = {
  const: (v: number) => [0x44, ...new Uint8Array(new Float64Array([v]).buffer)],
  load: (offset = 0) => [0x2b, ...memarg(3, offset)],
  store: (offset = 0) => [0x39, ...memarg(3, offset)],
  ne: [0x62],
  lt: [0x63],
  gt: [0x64],
  add: [0xa0],
  sub: [0xa1],
  mul: [0xa2],
  div: [0xa3],
  promoteF32: [0xbb],
};

export const v128 = {
  load: (offset = 0) => [...simd(0x00), ...memarg(4, offset)],
  /** v128.load32_splat / v128.load64_splat: one value from memory in every lane (one instruction, no shuffle) */
  load32Splat: (offset = 0) => [...simd(0x09), ...memarg(2, offset)],
  load64Splat: (offset = 0) => [...simd(0x0a), ...memarg(3, offset)],
  store: (offset = 0) => [...simd(0x0b), ...memarg(4, offset)],
  /** v128.const 0 */
  zero: [...simd(0x0c), ...new Array(16).fill(0)],
  bitselect: simd(0x52),
  /** v128.store64_lane 0: the low 8 bytes (two float32) of a v128 */
  store64Lane0: (offset = 0) => [...simd(0x5b), ...memarg(3, offset), 0],
  /** v128.load64_zero: two float32 (8 bytes) into lanes 0 and 1, zeros above */
  load64Zero: (offset = 0) => [...simd(0x5d), ...memarg(3, offset)],
};

export const i32x4 = {
  splat: simd(0x11),
  shl: simd(0xab),
  add: simd(0xae),
  /** i32x4.trunc_sat_f32x4_s */
  truncSatF32x4S: simd(0xf8),
};

export const f32x4 = {
  /** i8x16.shuffle moving lanes 2 and 3 of an f32x4 to lanes 0 and 1 */
  highHalf: [...simd(0x0d), 8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15],
  splat: simd(0x13),
  gt: simd(0x44),
  ge: simd(0x46),
  /** f32x4.demote_f64x2_zero: an f64x2 rounded to float32 in lanes 0 and 1 */
  demoteF64x2Zero: simd(0x5e),
  nearest: simd(0x6a),
  abs: simd(0xe0),
  neg: simd(0xe1),
  add: simd(0xe4),
  sub: simd(0xe5),
  mul: simd(0xe6),
  div: simd(0xe7),
  min: simd(0xe8),
  max: simd(0xe9),
};

export const f64x2 = {
  splat: simd(0x14),
  extractLane: (lane: number) => [...simd(0x21), lane],
  /** f64x2.promote_low_f32x4: lanes 0 and 1 of an f32x4 as an f64x2 */
  promoteLowF32x4: simd(0x5f),
  sqrt: simd(0xef),
  add: simd(0xf0),
  sub: simd(0xf1),
  mul: simd(0xf2),
  div: simd(0xf3),
};

/** `while (local[p] < local[end]) body` (unsigned compare; the body moves p on). */
export function whileBelow(p: number, end: number, body: number[]): number[] {
  return [...op.block, ...op.loop, ...op.get(p), ...op.get(end), ...i32.geU, ...op.brIf(1), ...body, ...op.br(0), ...op.end, ...op.end];
}

/** `while (local[i] < limit) { body; local[i] += step }` with i, limit locals (unsigned compare). */
export function whileLt(i: number, limit: number, step: number, body: number[]): number[] {
  return whileBelow(i, limit, [...body, ...addTo(i, i, constant(step))]);
}

/** An i32 constant operand of addTo (a plain number there is a local's index). */
export const constant = (v: number) => ({ const: v });

/** local[dst] = local[a] + b, b a local or a constant(v) (i32). */
export function addTo(dst: number, a: number, b: number | { const: number }): number[] {
  return [...op.get(a), ...(typeof b === 'number' ? op.get(b) : i32.const(b.const)), ...i32.add, ...op.set(dst)];
}

/** local[dst] = local[a]·v, v a constant (i32). */
export function mulTo(dst: number, a: number, v: number): number[] {
  return [...op.get(a), ...i32.const(v), ...i32.mul, ...op.set(dst)];
}

/** local[base] + local[index]·bytes on the stack (i32): the address of element `index` of `bytes` each from base. */
export function elementAt(base: number, index: number, bytes: number): number[] {
  return [...op.get(base), ...op.get(index), ...i32.const(bytes), ...i32.mul, ...i32.add];
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

/**
 * A kernel's signature, written once: the names of its parameters in order, each an i32 (a byte address, a count or a
 * flag). The module takes the parameter count from it, the body each parameter's local index (`paramLocals`), the
 * caller the exported function's type (`Kernel`).
 */
export type KernelSignature = readonly string[];

/** The exported function of a kernel with signature S. */
export type Kernel<S extends KernelSignature> = (...args: { -readonly [K in keyof S]: number }) => void;

/** Each parameter's local index, by name (parameters are a function's first locals). */
export function paramLocals<const S extends KernelSignature>(signature: S): Record<S[number], number> {
  return Object.fromEntries(signature.map((name, i) => [name, i])) as Record<S[number], number>;
}

/**
 * The locals of a kernel after its parameters, numbered in the order they are asked for (`i32s(3)`: the next three
 * i32 locals); `declared()` is their declaration for FunctionBody.locals (runs of one type).
 */
export function localsAfter(signature: KernelSignature) {
  const types: number[] = [];
  const take = (type: number, count: number) => Array.from({ length: count }, () => signature.length + types.push(type) - 1);
  return {
    i32s: (count: number) => take(I32, count),
    f64s: (count: number) => take(F64, count),
    v128s: (count: number) => take(V128, count),
    declared(): number[] {
      const runs: number[] = [];
      for (const type of types) {
        if (runs.length > 0 && runs[runs.length - 1] === type) runs[runs.length - 2]++;
        else runs.push(1, type);
      }
      return runs;
    },
  };
}

/** A function's body: its locals as (count, type) pairs, then its code (without the final `end`). */
export interface FunctionBody {
  locals: number[];
  code: number[];
}

/**
 * A module of functions with i32 parameters and no results over one imported memory `env.mem` (shared: so that
 * a helper thread can work on the same memory; at most 2 GB).
 */
export function assembleModule(
  funcs: { name: string; signature: KernelSignature; body: FunctionBody }[],
  shared: boolean,
): Uint8Array<ArrayBuffer> {
  const types = vec(funcs.map((f) => [0x60, ...uleb(f.signature.length), ...new Array(f.signature.length).fill(I32), 0]));
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

/** The exports of `module` instantiated over `memory` (its import `env.mem`). */
export function instantiate<Exports>(module: WebAssembly.Module, memory: WebAssembly.Memory): Exports {
  return new WebAssembly.Instance(module, { env: { mem: memory } }).exports as unknown as Exports;
}
