import { cholUpdateBody, cholUpdateSignature, simdAllowed, syrkBody, syrkSignature } from '../ot/wasm-simd';
import {
  addTo,
  assembleModule,
  constant,
  elementAt,
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
 * The Gaussian model's two n·d² loops in WebAssembly SIMD (f64x2): the scatter of its training rows, Σ cᵢcᵢᵀ
 * (main/models/dense-gaussian.ts rowMoments), and its draw, rows of mean + L·z (drawGaussianRows); and its d³/6
 * Cholesky factorisation (cholesky). Together they were most of a Collapse-or-Thrive run at d = 100. Hand-written in wasm because V8 neither vectorises typed-array loops
 * nor drops their bounds checks, and the project has no wasm toolchain (the kernels are assembled from their
 * instruction lists with main/util/wasm-simd.ts; the scatter is main/ot/wasm-simd.ts's syrk, in order).
 *
 * Each result is the JS loop's to the bit: every entry's sum runs in the loop's order, one product at a time (the two
 * lanes of a vector only hold two different entries), with the same float64 operations (wasm has no fused
 * multiply-add). The draw adds the zero entries of L above the diagonal too (a block of entries shares its k range),
 * which leaves every nonzero sum as it was.
 *
 * One memory of this process, grown to the largest (rows × d) asked for; rows go through it a block at a time.
 */

/** Below this dimension the JS loops are as fast (the blocks of 8 and 4 entries would be mostly padding). */
export const GAUSSIAN_SIMD_MIN_D = 8;
/** Below this dimension cholesky's JS loop is as fast (its columns are short, and each is a call). */
export const CHOLESKY_SIMD_MIN_D = 24;
/** Above it the JS loops run: the memory holds d × d matrices. */
const MAX_D = 2048;
/** Rows per block: a block of rows stays in the cache while every entry passes over it. */
const BLOCK_ROWS = 64;

/** The parameters of draw (see drawBody). */
const drawSignature = ['Lt', 'mu', 'Z', 'out', 'rows', 'd', 'ld'] as const;

/**
 * draw(Lt, mu, Z, out, rows, d, ld): out[r, i] = f32(mu[i] + Σ_{k ≤ i} L[i, k]·Z[r, k]) for r < rows (a multiple of
 * 4) and i < ld (ld a multiple of 4), the sum in k order from mu[i]; Lt is Lᵀ ([d][ld] float64, zero below the
 * diagonal and past d), mu [ld] float64 (zero past d), Z [rows][d] float64, out [rows][ld] float32 (byte addresses).
 * 4 rows × 4 entries a block (eight f64x2 accumulators): per k, two vectors of Lt's row k and four splatted z.
 */
function drawBody(): FunctionBody {
  const { Lt, mu, Z, out, rows, d, ld } = paramLocals(drawSignature);
  const locals = localsAfter(drawSignature);
  const [r, iB, pL] = locals.i32s(3);
  const p = locals.i32s(4);
  const [pEnd, zr, dB, ldB, q, kEndB, orow, ldB4, rowsB] = locals.i32s(9);
  const accs = locals.v128s(8);
  const acc = (row: number, half: number) => accs[2 * row + half];
  const [l0, l1, s] = locals.v128s(3);
  const get = op.get;
  const set = op.set;
  const kStep = [
    ...get(pL),
    ...v128.load(0),
    ...set(l0),
    ...get(pL),
    ...v128.load(16),
    ...set(l1),
    ...[0, 1, 2, 3].flatMap((row) => [
      ...get(p[row]),
      ...v128.load64Splat(0),
      ...set(s),
      ...get(acc(row, 0)),
      ...get(s),
      ...get(l0),
      ...f64x2.mul,
      ...f64x2.add,
      ...set(acc(row, 0)),
      ...get(acc(row, 1)),
      ...get(s),
      ...get(l1),
      ...f64x2.mul,
      ...f64x2.add,
      ...set(acc(row, 1)),
      ...get(p[row]),
      ...i32.const(8),
      ...i32.add,
      ...set(p[row]),
    ]),
    ...addTo(pL, pL, ldB),
  ];
  const kLoop = whileBelow(p[0], pEnd, kStep);
  const entryBlock = [
    // the accumulators start at mu[i..i+3]
    ...[0, 1].flatMap((half) => [
      ...get(mu),
      ...get(iB),
      ...i32.add,
      ...v128.load(16 * half),
      ...op.tee(acc(0, half)),
      ...op.tee(acc(1, half)),
      ...op.tee(acc(2, half)),
      ...set(acc(3, half)),
    ]),
    // k < min(i + 4, d)
    ...get(iB),
    ...i32.const(32),
    ...i32.add,
    ...get(dB),
    ...get(iB),
    ...i32.const(32),
    ...i32.add,
    ...get(dB),
    ...i32.ltU,
    ...op.select,
    ...set(kEndB),
    ...get(zr),
    ...op.tee(p[0]),
    ...get(kEndB),
    ...i32.add,
    ...set(pEnd),
    ...[1, 2, 3].flatMap((row) => [...get(p[row - 1]), ...get(dB), ...i32.add, ...set(p[row])]),
    ...addTo(pL, Lt, iB),
    ...kLoop,
    // out[r + row, i..i+3] as float32
    ...get(orow),
    ...get(iB),
    ...i32.const(1),
    ...i32.shrU,
    ...i32.add,
    ...set(q),
    ...[0, 1, 2, 3].flatMap((row) => [
      ...get(q),
      ...get(acc(row, 0)),
      ...f32x4.demoteF64x2Zero,
      ...v128.store64Lane0(0),
      ...get(q),
      ...get(acc(row, 1)),
      ...f32x4.demoteF64x2Zero,
      ...v128.store64Lane0(8),
      ...addTo(q, q, ldB4),
    ]),
  ];
  const rowBlock = [
    ...i32.const(0),
    ...set(iB),
    ...whileLt(iB, ldB, 32, entryBlock),
    ...elementAt(zr, dB, 4),
    ...set(zr),
    ...elementAt(orow, ldB4, 4),
    ...set(orow),
  ];
  const code = [
    ...mulTo(dB, d, 8),
    ...mulTo(ldB, ld, 8),
    ...mulTo(ldB4, ld, 4),
    ...mulTo(rowsB, rows, 4),
    ...get(Z),
    ...set(zr),
    ...get(out),
    ...set(orow),
    ...i32.const(0),
    ...set(r),
    // r counts bytes of 4 per row (rowsB = 4·rows), 16 per block of 4 rows
    ...whileLt(r, rowsB, 16, rowBlock),
  ];
  return { locals: locals.declared(), code };
}

/** The parameters of traceInverse (see traceInverseBody). */
const traceInverseSignature = ['Ls', 'diag', 'v', 'out', 'd', 'ld'] as const;

/**
 * traceInverse(Ls, diag, v, out, d, ld): out[0] = ‖L⁻¹‖²_F = tr((LLᵀ)⁻¹) for lower-triangular L given as its strictly
 * lower part by columns (Ls[k][i] = L[i, k] for i > k, else 0; [d][ld] float64, ld even) and its diagonal (diag [d]);
 * v [ld] is scratch. Column j of L⁻¹ by forward substitution, x = e_j: for k = j, j + 1, …: x_k = v_k / L[k, k], then
 * v_i −= L[i, k]·x_k for every i > k (two rows a vector; the rows at and above k subtract L's zeros). Each v_i thus
 * takes its terms in k order from 0 or 1, and out[0] adds the squares x_k² column after column: the operations of
 * the row-by-row loop s = δ − Σ_{k<i} L[i, k]·x_k, x_i = s / L[i, i] (main/models/gaussian.ts trainingNll).
 */
function traceInverseBody(): FunctionBody {
  const { Ls, diag, v, out, d, ld } = paramLocals(traceInverseSignature);
  const locals = localsAfter(traceInverseSignature);
  const [jB, kB, p, q, end, dB, ldB] = locals.i32s(7);
  const [xk, tr] = locals.f64s(2);
  const [s] = locals.v128s(1);
  const get = op.get;
  const set = op.set;
  const update = [
    ...get(p),
    ...get(p),
    ...v128.load(0),
    ...get(q),
    ...v128.load(0),
    ...get(s),
    ...f64x2.mul,
    ...f64x2.sub,
    ...v128.store(0),
    ...addTo(q, q, constant(16)),
  ];
  const kBody = [
    // x_k = v_k / L[k, k], kept in v_k, its square added to the trace
    ...get(v),
    ...get(kB),
    ...i32.add,
    ...get(v),
    ...get(kB),
    ...i32.add,
    ...f64.load(0),
    ...get(diag),
    ...get(kB),
    ...i32.add,
    ...f64.load(0),
    ...f64.div,
    ...op.tee(xk),
    ...f64.store(0),
    ...get(tr),
    ...get(xk),
    ...get(xk),
    ...f64.mul,
    ...f64.add,
    ...set(tr),
    ...get(xk),
    ...f64x2.splat,
    ...set(s),
    // rows from k + 1 rounded down to even: p → v there, q → Ls[k] there
    ...get(kB),
    ...i32.const(8),
    ...i32.add,
    ...i32.const(-16),
    ...i32.and,
    ...op.tee(q),
    ...get(v),
    ...i32.add,
    ...set(p),
    ...get(Ls),
    ...get(kB),
    ...get(ld),
    ...i32.mul,
    ...i32.add,
    ...get(q),
    ...i32.add,
    ...set(q),
    ...whileLt(p, end, 16, update),
  ];
  const jBody = [
    // v = e_j
    ...get(v),
    ...set(p),
    ...whileLt(p, end, 16, [...get(p), ...v128.zero, ...v128.store(0)]),
    ...get(v),
    ...get(jB),
    ...i32.add,
    ...f64.const(1),
    ...f64.store(0),
    ...get(jB),
    ...set(kB),
    ...whileLt(kB, dB, 8, kBody),
  ];
  const code = [
    ...mulTo(dB, d, 8),
    ...mulTo(ldB, ld, 8),
    ...addTo(end, v, ldB),
    ...f64.const(0),
    ...set(tr),
    ...i32.const(0),
    ...set(jB),
    ...whileLt(jB, dB, 8, jBody),
    ...get(out),
    ...get(tr),
    ...f64.store(0),
  ];
  return { locals: locals.declared(), code };
}

interface Exports {
  syrkInOrder: Kernel<typeof syrkSignature>;
  draw: Kernel<typeof drawSignature>;
  cholUpdate: Kernel<typeof cholUpdateSignature>;
  traceInverse: Kernel<typeof traceInverseSignature>;
}

let kernels: { ex: Exports; memory: WebAssembly.Memory } | null | undefined;

function instance(): { ex: Exports; memory: WebAssembly.Memory } | null {
  if (kernels !== undefined) return kernels;
  kernels = null;
  try {
    const bytes = assembleModule(
      [
        { name: 'syrkInOrder', signature: syrkSignature, body: syrkBody(true) },
        { name: 'draw', signature: drawSignature, body: drawBody() },
        { name: 'cholUpdate', signature: cholUpdateSignature, body: cholUpdateBody() },
        { name: 'traceInverse', signature: traceInverseSignature, body: traceInverseBody() },
      ],
      false,
    );
    if (!WebAssembly.validate(bytes)) return null;
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 2 ** 31 / 65536 });
    kernels = { ex: instantiate<Exports>(new WebAssembly.Module(bytes), memory), memory };
  } catch {
    kernels = null;
  }
  return kernels;
}

/** The kernels for dimension d, or null where the JS loops run (small or huge d, no SIMD, SIMD turned off). */
function kernelsFor(d: number): { ex: Exports; memory: WebAssembly.Memory } | null {
  if (d < GAUSSIAN_SIMD_MIN_D || d > MAX_D || !simdAllowed()) return null;
  return instance();
}

function reserve(memory: WebAssembly.Memory, bytes: number): void {
  const have = memory.buffer.byteLength;
  if (bytes > have) memory.grow(Math.ceil((bytes - have) / 65536));
}

const roundUp = (v: number, m: number) => Math.ceil(v / m) * m;

/**
 * m [d×d] += the lower triangle of Σ_{i<n} (x_i − mean)(x_i − mean)ᵀ, each entry's products added one row at a time
 * in row order, as rowMoments' loop adds them (m is read as it is: zero for a fresh scatter); the upper triangle of m
 * is left as it was. False (m untouched) where the kernels do not run.
 */
export function scatterLowerSimd(x: ArrayLike<number>, n: number, d: number, mean: Float64Array, m: Float64Array): boolean {
  const k = kernelsFor(d);
  if (!k) return false;
  const ld = roundUp(d, 8);
  const block = Math.min(n, BLOCK_ROWS);
  // the arena: C [ld, ld], then a block of centred rows [block, ld]
  const cOff = 0;
  const xOff = ld * ld * 8;
  reserve(k.memory, xOff + block * ld * 8);
  const buf = k.memory.buffer;
  const C = new Float64Array(buf, cOff, ld * ld);
  // C holds m's lower triangle transposed (the kernel forms the upper part: C[b, a] for b ≤ a)
  C.fill(0);
  for (let a = 0; a < d; a++) for (let b = 0; b <= a; b++) C[b * ld + a] = m[a * d + b];
  const X = new Float64Array(buf, xOff, block * ld);
  X.fill(0);
  for (let r0 = 0; r0 < n; r0 += block) {
    const rows = Math.min(block, n - r0);
    for (let r = 0; r < rows; r++) {
      const o = (r0 + r) * d;
      const t = r * ld;
      for (let j = 0; j < d; j++) X[t + j] = x[o + j] - mean[j];
    }
    k.ex.syrkInOrder(xOff, cOff, rows, ld, 0, ld);
  }
  for (let a = 0; a < d; a++) for (let b = 0; b <= a; b++) m[a * d + b] = C[b * ld + a];
  return true;
}

/**
 * drawGaussianRows into a Float32Array: n rows of mu + L·z, z d standard normals each from `normal`, drawn row after
 * row (or `fill`, the next z.length of them at once); the same draws, sums and float32 rounding as the JS loop. False
 * (nothing drawn) where the kernels do not run.
 */
export function drawGaussianRowsSimd(
  l: Float64Array,
  d: number,
  mu: ArrayLike<number>,
  normal: () => number,
  out: Float32Array,
  n: number,
  fill?: (z: Float64Array) => void,
): boolean {
  const k = kernelsFor(d);
  if (!k) return false;
  const ld = roundUp(d, 4);
  const block = Math.min(roundUp(n, 4), BLOCK_ROWS);
  // the arena: Lt [d, ld], mu [ld], Z [block, d] (float64), out [block, ld] (float32)
  const ltOff = 0;
  const muOff = ltOff + d * ld * 8;
  const zOff = muOff + ld * 8;
  const outOff = zOff + block * d * 8;
  reserve(k.memory, outOff + block * ld * 4);
  const buf = k.memory.buffer;
  const Lt = new Float64Array(buf, ltOff, d * ld);
  Lt.fill(0);
  for (let i = 0; i < d; i++) for (let c = 0; c <= i; c++) Lt[c * ld + i] = l[i * d + c];
  const M = new Float64Array(buf, muOff, ld);
  M.fill(0);
  for (let i = 0; i < d; i++) M[i] = mu[i];
  const Z = new Float64Array(buf, zOff, block * d);
  const O = new Float32Array(buf, outOff, block * ld);
  for (let r0 = 0; r0 < n; r0 += block) {
    const rows = Math.min(block, n - r0);
    const count = rows * d;
    if (fill) fill(Z.subarray(0, count));
    else for (let t = 0; t < count; t++) Z[t] = normal();
    // a last block of rows short of 4 computes rows of zeros (or of the block before) it never copies out
    const rows4 = roundUp(rows, 4);
    k.ex.draw(ltOff, muOff, zOff, outOff, rows4, d, ld);
    if (ld === d) out.set(O.subarray(0, count), r0 * d);
    else for (let r = 0; r < rows; r++) out.set(O.subarray(r * ld, r * ld + d), (r0 + r) * d);
  }
  return true;
}

/**
 * cholesky's factor, column by column (left-looking) with each column's update in SIMD (main/ot/wasm-simd.ts
 * cholUpdate): entry (i, j) is a[i, j] − l[i, 0]·l[j, 0] − l[i, 1]·l[j, 1] − … in k order, then divided by l[j, j] (or
 * its square root on the diagonal), the row-by-row loop's operations. Null where the kernels do not run; throws as
 * cholesky does when a pivot is not positive.
 */
export function choleskySimd(a: Float64Array, d: number, what: string): Float64Array | null {
  const k = d >= CHOLESKY_SIMD_MIN_D ? kernelsFor(d) : null;
  if (!k) return null;
  const ld = roundUp(d, 4);
  // the arena: the columns of L as rows (Lc[j][i] = l[i, j]), then the column being updated
  const vOff = d * ld * 8;
  reserve(k.memory, vOff + ld * 8);
  const buf = k.memory.buffer;
  const Lc = new Float64Array(buf, 0, d * ld);
  const v = new Float64Array(buf, vOff, ld);
  v.fill(0);
  for (let j = 0; j < d; j++) {
    // v = column j of a's lower triangle (rows i ≥ j), less Σ_{c < j} Lc[c]·l[j, c]
    for (let i = 0; i < j; i++) v[i] = 0;
    for (let i = j; i < d; i++) v[i] = a[i * d + j];
    // only rows i ≥ j0 (j rounded down to 4) of the columns: L and v from there on
    const j0 = j & ~3;
    k.ex.cholUpdate(j0 * 8, vOff + j0 * 8, (j - j0) * 8, j, ld * 8, (ld - j0) * 8);
    const s = v[j];
    if (!(s > 0)) throw new RangeError(`${what} is not positive definite (pivot ${j} = ${s}); raise the ridge`);
    const ljj = Math.sqrt(s);
    const row = j * ld;
    Lc.fill(0, row, row + j);
    Lc[row + j] = ljj;
    for (let i = j + 1; i < d; i++) Lc[row + i] = v[i] / ljj;
    Lc.fill(0, row + d, row + ld);
  }
  const l = new Float64Array(d * d);
  for (let j = 0; j < d; j++) {
    const row = j * ld;
    for (let i = j; i < d; i++) l[i * d + j] = Lc[row + i];
  }
  return l;
}

/**
 * ‖L⁻¹‖²_F of a lower-triangular L [d×d] (row-major) with a positive diagonal, as the row-by-row forward substitution
 * of main/models/gaussian.ts computes it (the same operations in the same order; see traceInverseBody). Null where the
 * kernels do not run.
 */
export function traceInverseSimd(l: Float64Array, d: number): number | null {
  const k = d >= CHOLESKY_SIMD_MIN_D ? kernelsFor(d) : null;
  if (!k) return null;
  const ld = roundUp(d, 4);
  // the arena: Ls [d, ld], diag [ld], v [ld], out
  const diagOff = d * ld * 8;
  const vOff = diagOff + ld * 8;
  const outOff = vOff + ld * 8;
  reserve(k.memory, outOff + 16);
  const buf = k.memory.buffer;
  const Ls = new Float64Array(buf, 0, d * ld);
  Ls.fill(0);
  const diag = new Float64Array(buf, diagOff, ld);
  for (let i = 0; i < d; i++) {
    diag[i] = l[i * d + i];
    for (let c = 0; c < i; c++) Ls[c * ld + i] = l[i * d + c];
  }
  k.ex.traceInverse(0, diagOff, vOff, outOff, d, ld);
  return new Float64Array(buf, outOff, 1)[0];
}
