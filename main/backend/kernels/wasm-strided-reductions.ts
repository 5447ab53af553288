import { util } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { wrapWasmKernel } from './wrap-wasm-kernel';

/**
 * `Sum` and `Mean` on wasm over axes that are not the innermost ones, without a transpose. The stock wasm kernels
 * first transpose the reduced axes to the end (tfjs's wasm Transpose runs at ~0.1 GB/s on 4-D and 5-D permutations:
 * 15–75 ms for 1.6–3.2 M floats), which made every bias gradient (a sum over batch and pixels) and every GroupNorm
 * moment cost several times the convolution around it. Here: reduced axes at the end go through the stock Sum (no
 * transpose for them), then one pass in memory order adds the rest into a float64 buffer the size of the output.
 * Reductions that are innermost only (no transpose needed) and non-float32 inputs go to the stock kernels.
 */

interface Run {
  size: number;
  reduced: boolean;
}

/** Adjacent axes of the same kind merged into runs (size-1 axes dropped). */
export function reductionRuns(shape: readonly number[], axes: readonly number[]): Run[] {
  const runs: Run[] = [];
  shape.forEach((size, axis) => {
    if (size === 1) return;
    const reduced = axes.includes(axis);
    const last = runs[runs.length - 1];
    if (last && last.reduced === reduced) last.size *= size;
    else runs.push({ size, reduced });
  });
  return runs;
}

/** True when the stock kernel reduces without a transpose: nothing to reduce, or only the innermost values. */
export function stockReducesInPlace(runs: readonly Run[]): boolean {
  return runs.length < 2 || (runs.length === 2 && !runs[0].reduced);
}

/**
 * out[kept index] += Σ over the reduced runs of x, for runs that end with a kept run (at least one reduced run before
 * it). The two innermost runs (reduced rows × kept columns) are summed in blocks of 128 rows, four columns at a time
 * in registers: about 1 ns per value, against 3 for the plain `out[j] += x[…]` loop (V8 keeps typed-array stores in
 * memory); the outer runs are walked.
 */
export function sumIntoKeptLast(x: Float32Array, runs: readonly Run[], out: Float64Array): void {
  const n = runs.length;
  if (n < 2 || runs[n - 1].reduced) throw new RangeError('sumIntoKeptLast: the runs must end with a kept run after a reduced one');
  const inStride = new Array<number>(n);
  const outStride = new Array<number>(n);
  let si = 1;
  let so = 1;
  for (let l = n - 1; l >= 0; l--) {
    inStride[l] = si;
    outStride[l] = runs[l].reduced ? 0 : so;
    si *= runs[l].size;
    if (!runs[l].reduced) so *= runs[l].size;
  }
  const rows = runs[n - 2].size;
  const cols = runs[n - 1].size;
  const walk = (level: number, inOff: number, outOff: number): void => {
    if (level === n - 2) {
      if (runs[level].reduced) sumRows(x, inOff, rows, cols, out, outOff);
      else for (let i = 0; i < cols * rows; i++) out[outOff + i] += x[inOff + i];
      return;
    }
    const r = runs[level];
    for (let i = 0; i < r.size; i++) walk(level + 1, inOff + i * inStride[level], outOff + i * outStride[level]);
  };
  walk(0, 0, 0);
}

/** out[outOff + j] += Σ_r x[off + r·cols + j] for j < cols. */
function sumRows(x: Float32Array, off: number, rows: number, cols: number, out: Float64Array, outOff: number): void {
  for (let r0 = 0; r0 < rows; r0 += 128) {
    const r1 = Math.min(rows, r0 + 128);
    let j = 0;
    for (; j + 3 < cols; j += 4) {
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let r = r0, o = off + r0 * cols + j; r < r1; r++, o += cols) {
        s0 += x[o];
        s1 += x[o + 1];
        s2 += x[o + 2];
        s3 += x[o + 3];
      }
      out[outOff + j] += s0;
      out[outOff + j + 1] += s1;
      out[outOff + j + 2] += s2;
      out[outOff + j + 3] += s3;
    }
    for (; j < cols; j++) {
      let s = 0;
      for (let r = r0, o = off + r0 * cols + j; r < r1; r++, o += cols) s += x[o];
      out[outOff + j] += s;
    }
  }
}

type Args = { inputs: { x: TensorInfo }; backend: BackendWasm; attrs: { axis: number | number[]; keepDims: boolean } };

let stockSum: KernelFunc | null = null;

function stridedReduction(kind: 'Sum' | 'Mean', original: KernelFunc): KernelFunc {
  return ((args: Args) => {
    const { inputs, backend, attrs } = args;
    const { x } = inputs;
    const axes = util.parseAxisParam(attrs.axis, x.shape);
    if (x.dtype !== 'float32' || stockReducesInPlace(reductionRuns(x.shape, axes)) || !stockSum) return original(args as never);
    const outShape = attrs.keepDims ? x.shape.map((s, i) => (axes.includes(i) ? 1 : s)) : x.shape.filter((_, i) => !axes.includes(i));
    // Reduced axes at the end (and size-1 axes there) go first through the stock Sum, which needs no transpose for them.
    let t = x.shape.length;
    while (t > 0 && (axes.includes(t - 1) || x.shape[t - 1] === 1)) t--;
    const trailing = x.shape.map((_, i) => i).filter((i) => i >= t);
    const partial =
      trailing.length > 0 ? (stockSum({ inputs: { x }, backend, attrs: { axis: trailing, keepDims: false } }) as TensorInfo) : x;
    const acc = new Float64Array(util.sizeFromShape(outShape));
    sumIntoKeptLast(
      backend.typedArrayFromHeap(partial) as Float32Array,
      reductionRuns(
        x.shape.slice(0, t),
        axes.filter((a) => a < t),
      ),
      acc,
    );
    if (partial !== x) backend.disposeData(partial.dataId);
    if (kind === 'Mean') {
      const count = axes.reduce((p, a) => p * x.shape[a], 1);
      for (let i = 0; i < acc.length; i++) acc[i] /= count;
    }
    const out = backend.makeOutput(outShape, 'float32');
    (backend.typedArrayFromHeap(out) as Float32Array).set(acc);
    return out;
  }) as unknown as KernelFunc;
}

/** Replace the wasm Sum and Mean kernels by the transpose-free wrappers (once). */
export function registerWasmStridedReductions(): void {
  for (const name of ['Sum', 'Mean'] as const) {
    wrapWasmKernel(name, 'strided-reduction', (original) => {
      if (name === 'Sum') stockSum = original;
      return stridedReduction(name, original);
    });
  }
}
