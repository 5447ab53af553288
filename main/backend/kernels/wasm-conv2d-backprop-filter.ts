import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { Conv2DBackpropFilterAttrs, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { filterGradientByConvolution } from './conv-gradients-as-convolutions';
import { dyRowsOfChunk, imagesPerChunk, patchGeometry, type PatchGeometry } from './conv-patch-geometry';

/**
 * `Conv2DBackpropFilter` for the wasm backend, which has none (so conv2d and conv2dTranspose could not train there).
 * The weight gradient is one matrix product: with the input unrolled into patches, colsᵀ [kh·kw·ci, rows] (rows =
 * batch·outH·outW, built here in JS straight on the wasm heap) times dy [rows, co] gives dW [kh·kw·ci, co]. The product
 * runs through the wasm backend's own BatchMatMul kernel, whose untransposed path is XNNPACK's SIMD fully-connected
 * operator (~20 GFLOP/s on one core, against ~1 for a JS loop). Very large inputs are processed in batch chunks so
 * the unrolled patches stay under ~64 MB.
 */

let maxPatchFloats = 16 * 1024 * 1024;

/** Cap on the unrolled patch buffer, in floats (default 16 Mi = 64 MB); tests lower it to exercise chunking. */
export function setPatchBufferLimit(floats: number): number {
  const previous = maxPatchFloats;
  maxPatchFloats = Math.max(1, Math.floor(floats));
  return previous;
}

function conv2dBackpropFilterWasm(args: {
  inputs: { x: TensorInfo; dy: TensorInfo };
  backend: BackendWasm;
  attrs: Conv2DBackpropFilterAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x, dy } = inputs;
  const { geometry: g, channelsLast } = patchGeometry(x.shape as [number, number, number, number], attrs.filterShape, attrs);
  if (!channelsLast) {
    throw new Error(`wasm Conv2DBackpropFilter supports only dataFormat NHWC, got ${attrs.dataFormat}`);
  }
  if (x.dtype !== 'float32' || dy.dtype !== 'float32') {
    throw new Error('wasm Conv2DBackpropFilter supports only float32 tensors');
  }
  const viaConvolution = filterGradientByConvolution(backend, x, dy, g);
  if (viaConvolution) return viaConvolution;
  const { batchSize, k, rowsPerImage } = g;
  const chunk = imagesPerChunk(g, maxPatchFloats);
  const matMul = tf.getKernel('BatchMatMul', 'wasm')!.kernelFunc as KernelFunc;

  let sum: Float32Array | null = null;
  let single: TensorInfo | null = null;
  for (let b0 = 0; b0 < batchSize; b0 += chunk) {
    const nb = Math.min(chunk, batchSize - b0);
    const rows = nb * rowsPerImage;
    const cols = backend.makeOutput([k, rows], 'float32');
    const whole = nb === batchSize;
    const { rows: dyPart, owned } = dyRowsOfChunk(backend, dy, g, b0, nb);
    // Views are taken after every allocation: an allocation can grow (and so detach) the wasm heap.
    const xv = backend.typedArrayFromHeap(x) as Float32Array;
    const cv = backend.typedArrayFromHeap(cols) as Float32Array;
    fillPatchesTransposed(xv, cv, g, b0, nb);
    const prod = matMul({ inputs: { a: cols, b: dyPart }, backend, attrs: { transposeA: false, transposeB: false } }) as TensorInfo;
    backend.disposeData(cols.dataId);
    if (owned) backend.disposeData(dyPart.dataId);
    if (whole) {
      single = prod;
    } else {
      const pv = backend.typedArrayFromHeap(prod) as Float32Array;
      if (sum === null) sum = Float32Array.from(pv);
      else for (let i = 0; i < sum.length; i++) sum[i] += pv[i];
      backend.disposeData(prod.dataId);
    }
  }
  if (single) return { dataId: single.dataId, shape: attrs.filterShape, dtype: 'float32' };
  return backend.makeOutput(attrs.filterShape, 'float32', undefined, sum!);
}

/** cols[(fh·kw + fw)·ci + c, r] = x[b, ih, iw, c] for output pixel r = (b − b0, oh, ow), 0 outside the input. */
function fillPatchesTransposed(x: Float32Array, cols: Float32Array, g: PatchGeometry, b0: number, nb: number): void {
  const { inHeight, inWidth, ci, outHeight, outWidth, kh, kw, sh, sw, top, left } = g;
  const rows = nb * outHeight * outWidth;
  for (let fh = 0; fh < kh; fh++) {
    for (let fw = 0; fw < kw; fw++) {
      const kBase = (fh * kw + fw) * ci;
      for (let b = 0; b < nb; b++) {
        const xImage = (b0 + b) * inHeight * inWidth * ci;
        for (let oh = 0; oh < outHeight; oh++) {
          const ih = oh * sh + fh - top;
          const rBase = (b * outHeight + oh) * outWidth;
          if (ih < 0 || ih >= inHeight) {
            for (let c = 0; c < ci; c++) cols.fill(0, (kBase + c) * rows + rBase, (kBase + c) * rows + rBase + outWidth);
            continue;
          }
          const xRow = xImage + ih * inWidth * ci;
          for (let ow = 0; ow < outWidth; ow++) {
            const iw = ow * sw + fw - left;
            const r = rBase + ow;
            if (iw < 0 || iw >= inWidth) {
              for (let c = 0; c < ci; c++) cols[(kBase + c) * rows + r] = 0;
            } else {
              const xOff = xRow + iw * ci;
              for (let c = 0; c < ci; c++) cols[(kBase + c) * rows + r] = x[xOff + c];
            }
          }
        }
      }
    }
  }
}

export const wasmConv2DBackpropFilterConfig: KernelConfig = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'wasm',
  kernelFunc: conv2dBackpropFilterWasm as unknown as KernelFunc,
};
