import * as tf from '@tensorflow/tfjs';
import { registerComparisonGradients } from './comparison-gradients';
import { registerConv2DBackpropFilterGradient } from './conv2d-backprop-filter-gradient';
import { registerCpuConv2DBackpropFilter } from './cpu-conv2d-backprop-filter';
import { registerResizeBilinearGrad } from './resize-bilinear-grad';
import { registerResizeGradGradients } from './resize-grad-gradients';
import { registerResizeNearestNeighborGrad } from './resize-nearest-neighbor-grad';
import { registerWasmBroadcastArithmetic } from './wasm-broadcast-arithmetic';
import { registerWasmCpuFallbacks } from './wasm-cpu-fallbacks';
import { wasmConv2DBackpropFilterConfig } from './wasm-conv2d-backprop-filter';
import { registerWasmConv2DBackpropInput } from './wasm-conv2d-backprop-input';
import { registerWasmTransposeFreeMatMul } from './wasm-matmul-transpose-free';
import { registerWasmSharedIdentity } from './wasm-shared-identity';
import { registerWasmSplitConcat } from './wasm-split-concat';
import { registerWasmStridedReductions } from './wasm-strided-reductions';

/**
 * Every kernel and gradient the engine adds to TensorFlow.js 4.22 so that each model trains on each backend (see
 * ../../../shared/FIELD-NOTES.md for the gaps). Idempotent; called by initBackend before a backend is activated.
 *
 * wasm kernels:  Conv2DBackpropFilter and Conv2DBackpropInput as XNNPACK forward convolutions where the geometry
 *                allows (conv-gradients-as-convolutions.ts), else im2col + XNNPACK matmul (+ col2im),
 *                BatchMatMul / _FusedMatMul without the slow transposed path, Sum / Mean without a transpose
 *                (wasm-strided-reductions.ts), Identity / same-dtype Cast sharing data, Concat / SplitV as block
 *                copies, Add / Sub / Multiply / RealDiv broadcast between full axes, UnsortedSegmentSum / depthwise backprops / Einsum borrowed from cpu.
 * cpu kernels:   Conv2DBackpropFilter (a streaming loop; the stock one is ~70× slower).
 * cpu and wasm:  ResizeNearestNeighborGrad and ResizeBilinearGrad (the stock ones are wrong: cpu for batches > 1 /
 *                non-square images, both for halfPixelCenters).
 * gradients:     comparison and logical ops (zero), Conv2DBackpropFilter, ResizeNearestNeighborGrad, ResizeBilinearGrad.
 */
export function registerMissingKernels(): void {
  if (!tf.getKernel('Conv2DBackpropFilter', 'wasm')) tf.registerKernel(wasmConv2DBackpropFilterConfig);
  registerWasmTransposeFreeMatMul();
  registerWasmConv2DBackpropInput();
  registerWasmStridedReductions();
  registerWasmSharedIdentity();
  registerWasmSplitConcat();
  registerWasmBroadcastArithmetic();
  registerWasmCpuFallbacks();
  registerCpuConv2DBackpropFilter();
  registerResizeNearestNeighborGrad();
  registerResizeBilinearGrad();
  registerComparisonGradients();
  registerConv2DBackpropFilterGradient();
  registerResizeGradGradients();
}
