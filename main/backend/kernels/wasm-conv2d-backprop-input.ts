import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { Conv2DBackpropInputAttrs, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { wrapWasmKernel } from './wrap-wasm-kernel';
import { inputGradientByConvolution } from './conv-gradients-as-convolutions';
import { inputGradientByPhases } from './conv-input-gradient-by-phases';
import { dyRowsOfChunk, imagesPerChunk, patchGeometry, type PatchGeometry } from './conv-patch-geometry';

/**
 * A fast `Conv2DBackpropInput` for the wasm backend (the input gradient of conv2d and the forward pass of
 * conv2dTranspose). The stock wasm kernel is a scalar loop and dominated conv training there (6.2 of 8.6 s of a
 * width-64 WGAN-GP critic step). The input gradient is one matrix product and a scatter: cols [rows, kh·kw·ci] =
 * dy [rows, co] · Wᵀ [co, kh·kw·ci] (rows = batch·outH·outW) through the wasm BatchMatMul kernel (XNNPACK's SIMD
 * fully-connected path; the transposed filter is made by the transpose-free wrapper, see wasm-matmul-transpose-free),
 * then each row of cols is added back onto the input pixels its patch covers (col2im, in JS on the wasm heap).
 * Large batches are processed in chunks so cols stays under ~64 MB. NCHW or non-float32 calls go to the stock kernel.
 */

let maxColFloats = 16 * 1024 * 1024;

/** Cap on the columns buffer, in floats (default 16 Mi = 64 MB); tests lower it to exercise chunking. */
export function setColumnBufferLimit(floats: number): number {
  const previous = maxColFloats;
  maxColFloats = Math.max(1, Math.floor(floats));
  return previous;
}

let fastPathEnabled = true;

/** Turn the fast path on or off (off: every call goes to the stock kernel; for benchmarks). Returns the old setting. */
export function setFastConv2DBackpropInput(enabled: boolean): boolean {
  const previous = fastPathEnabled;
  fastPathEnabled = enabled;
  return previous;
}

type Args = { inputs: { dy: TensorInfo; filter: TensorInfo }; backend: BackendWasm; attrs: Conv2DBackpropInputAttrs };

function conv2dBackpropInputWasm(args: Args, original: KernelFunc): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { dy, filter } = inputs;
  const {
    geometry: g,
    channelsLast,
    inShape,
  } = patchGeometry(attrs.inputShape as [number, number, number, number], filter.shape as [number, number, number, number], attrs);
  if (!fastPathEnabled || !channelsLast || dy.dtype !== 'float32' || filter.dtype !== 'float32') {
    return original(args as never) as TensorInfo;
  }
  const viaConvolution = inputGradientByConvolution(backend, dy, filter, g) ?? inputGradientByPhases(backend, dy, filter, g);
  if (viaConvolution) return viaConvolution;
  const { batchSize, k, co } = g;
  const chunk = imagesPerChunk(g, maxColFloats);
  const matMul = tf.getKernel('BatchMatMul', 'wasm')!.kernelFunc as KernelFunc;
  const transpose = tf.getKernel('Transpose', 'wasm')!.kernelFunc as KernelFunc;

  // Wᵀ [co, k] once per call: a fresh tensor, so XNNPACK's weight cache (keyed by tensor id) never sees a stale shape.
  const filterMatrix: TensorInfo = { dataId: filter.dataId, shape: [k, co], dtype: 'float32' };
  const filterT = transpose({ inputs: { x: filterMatrix }, backend, attrs: { perm: [1, 0] } }) as TensorInfo;
  const dx = backend.makeOutput(inShape, 'float32');
  (backend.typedArrayFromHeap(dx) as Float32Array).fill(0);
  try {
    for (let b0 = 0; b0 < batchSize; b0 += chunk) {
      const nb = Math.min(chunk, batchSize - b0);
      const { rows: dyPart, owned } = dyRowsOfChunk(backend, dy, g, b0, nb);
      const cols = matMul({ inputs: { a: dyPart, b: filterT }, backend, attrs: { transposeA: false, transposeB: false } }) as TensorInfo;
      if (owned) backend.disposeData(dyPart.dataId);
      // Views are taken after every allocation: an allocation can grow (and so detach) the wasm heap.
      const cv = backend.typedArrayFromHeap(cols) as Float32Array;
      const dxv = backend.typedArrayFromHeap(dx) as Float32Array;
      scatterColumns(cv, dxv, g, b0, nb);
      backend.disposeData(cols.dataId);
    }
  } finally {
    backend.disposeData(filterT.dataId);
  }
  return dx;
}

/** dx[b, oh·sh + fh − top, ow·sw + fw − left, c] += cols[r, (fh·kw + fw)·ci + c] for r = (b − b0, oh, ow), inside dx. */
function scatterColumns(cols: Float32Array, dx: Float32Array, g: PatchGeometry, b0: number, nb: number): void {
  const { inHeight, inWidth, ci, outHeight, outWidth, kh, kw, sh, sw, top, left } = g;
  const k = g.k;
  for (let b = 0; b < nb; b++) {
    const dxImage = (b0 + b) * inHeight * inWidth * ci;
    for (let oh = 0; oh < outHeight; oh++) {
      for (let ow = 0; ow < outWidth; ow++) {
        const colRow = ((b * outHeight + oh) * outWidth + ow) * k;
        for (let fh = 0; fh < kh; fh++) {
          const ih = oh * sh + fh - top;
          if (ih < 0 || ih >= inHeight) continue;
          const dxRow = dxImage + ih * inWidth * ci;
          for (let fw = 0; fw < kw; fw++) {
            const iw = ow * sw + fw - left;
            if (iw < 0 || iw >= inWidth) continue;
            const src = colRow + (fh * kw + fw) * ci;
            const dst = dxRow + iw * ci;
            for (let c = 0; c < ci; c++) dx[dst + c] += cols[src + c];
          }
        }
      }
    }
  }
}

/** Replace the wasm Conv2DBackpropInput kernel by the matmul + col2im one (once); the stock one stays as fallback. */
export function registerWasmConv2DBackpropInput(): void {
  wrapWasmKernel(
    'Conv2DBackpropInput',
    'fast-conv2d-backprop-input',
    (original) => ((args: Args) => conv2dBackpropInputWasm(args, original)) as unknown as KernelFunc,
  );
}
