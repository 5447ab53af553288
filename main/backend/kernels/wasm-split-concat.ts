import { backend_util, util } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { wrapWasmKernel } from './wrap-wasm-kernel';

/**
 * `Concat` and `SplitV` of float32 tensors on wasm as block copies inside the wasm heap (`copyWithin`, a memmove):
 * along any axis both are, for each index of the axes before it, one contiguous run per part. The stock kernels go
 * through the generic Slice / a JS concat with per-element index arithmetic; a U-Net skip connection
 * ([64, 28, 28, 32] twice along the channels) took 28–55 ms to concatenate and 68–129 ms to split in its gradient,
 * against 2–4 ms here. Other dtypes go to the stock kernels.
 */

/** The heap as one Float32Array and the float offset of a tensor in it. */
function heapOffset(backend: BackendWasm, t: TensorInfo): { heap: Float32Array; offset: number } {
  const view = backend.typedArrayFromHeap(t) as Float32Array;
  return { heap: new Float32Array(view.buffer), offset: view.byteOffset / 4 };
}

/** Copy runs: part p holds `widths[p]` consecutive floats of every one of `outer` rows of the joined tensor. */
function copyRuns(heap: Float32Array, joined: number, parts: number[], widths: number[], outer: number, toJoined: boolean): void {
  const total = widths.reduce((a, b) => a + b, 0);
  let start = 0;
  parts.forEach((part, p) => {
    const w = widths[p];
    for (let o = 0; o < outer; o++) {
      const j = joined + o * total + start;
      const q = part + o * w;
      if (toJoined) heap.copyWithin(j, q, q + w);
      else heap.copyWithin(q, j, j + w);
    }
    start += w;
  });
}

type ConcatArgs = { inputs: TensorInfo[]; backend: BackendWasm; attrs: { axis: number } };
type SplitArgs = { inputs: { x: TensorInfo }; backend: BackendWasm; attrs: { numOrSizeSplits: number | number[]; axis: number } };

function concat(original: KernelFunc): KernelFunc {
  return ((args: ConcatArgs) => {
    const { inputs, backend } = args;
    const parts = inputs.filter((t) => util.sizeFromShape(t.shape) > 0);
    if (parts.length < 2 || parts.some((t) => t.dtype !== 'float32')) return original(args as never);
    const axis = util.parseAxisParam(args.attrs.axis, parts[0].shape)[0];
    backend_util.assertParamsConsistent(
      parts.map((t) => t.shape),
      axis,
    );
    const outShape = backend_util.computeOutShape(
      parts.map((t) => t.shape),
      axis,
    );
    const out = backend.makeOutput(outShape, 'float32');
    // offsets after the allocation: an allocation can grow (and so detach) the wasm heap
    const { heap, offset } = heapOffset(backend, out);
    const outer = util.sizeFromShape(outShape.slice(0, axis));
    copyRuns(
      heap,
      offset,
      parts.map((t) => heapOffset(backend, t).offset),
      parts.map((t) => util.sizeFromShape(t.shape.slice(axis))),
      outer,
      true,
    );
    return out;
  }) as unknown as KernelFunc;
}

function splitV(original: KernelFunc): KernelFunc {
  return ((args: SplitArgs) => {
    const { inputs, backend, attrs } = args;
    const { x } = inputs;
    if (x.dtype !== 'float32') return original(args as never);
    const axis = util.parseAxisParam(attrs.axis, x.shape)[0];
    const sizes = backend_util.prepareSplitSize(x as never, attrs.numOrSizeSplits, axis) as number[];
    const outs = sizes.map((s) =>
      backend.makeOutput(
        x.shape.map((d, i) => (i === axis ? s : d)),
        'float32',
      ),
    );
    const inner = util.sizeFromShape(x.shape.slice(axis + 1));
    const outer = util.sizeFromShape(x.shape.slice(0, axis));
    const { heap, offset } = heapOffset(backend, x);
    copyRuns(
      heap,
      offset,
      outs.map((t) => heapOffset(backend, t).offset),
      sizes.map((s) => s * inner),
      outer,
      false,
    );
    return outs;
  }) as unknown as KernelFunc;
}

/** Replace the wasm Concat and SplitV kernels by the block-copy wrappers (once). */
export function registerWasmSplitConcat(): void {
  wrapWasmKernel('Concat', 'split-concat', concat);
  wrapWasmKernel('SplitV', 'split-concat', splitV);
}
