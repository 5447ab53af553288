import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { PatchGeometry } from './conv-patch-geometry';

/**
 * Both gradients of a conv2d written as forward convolutions, so that they run through the wasm backend's Conv2D
 * kernel (XNNPACK's indirect-GEMM convolution, which unrolls patches through pointers instead of copying them):
 *
 * - input gradient, stride 1: dx = conv2d(dy, W′) with W′[a, b, o, i] = W[kh−1−a, kw−1−b, i, o] (the filter turned
 *   half a turn and its channel axes swapped) and padding kh−1−top above, kw−1−left on the left;
 * - filter gradient, any stride s: dW[fh, fw, i, o] = Σ_{b, oh, ow} x[b, oh·s + fh − top, ow·s + fw − left, i] ·
 *   dy[b, oh, ow, o], which is conv2d(X′, F) with X′[i, h, w, b] = x[b, h, w, i] (channels as the batch), the filter
 *   F[oh, ow, b, o] = dy[b, oh, ow, o] dilated by s, padding `top` / `left`, and the output [i, kh, kw, o] put back
 *   in [kh, kw, i, o] order.
 *
 * Measured on the DDPM U-Net's layers (batch 64, one wasm thread): the filter gradient of the 28×28×32 3×3 layer takes
 * 47 ms against 39 ms for its forward convolution and 128–168 ms for the im2col + matmul path (whose JS patch copy
 * took as long as the product); the input gradient 50 ms against 77–113 ms. Each returns null when the geometry does not fit (a stride > 1 input gradient, or
 * padding the formulas cannot express); the caller then uses the im2col path.
 */

let filterGradientChunkFloats = 1 << 20;

/** Floats of x and dy per filter-gradient convolution (default 1 Mi); tests lower it to exercise chunking. */
export function setFilterGradientChunkFloats(floats: number): number {
  const previous = filterGradientChunkFloats;
  filterGradientChunkFloats = Math.max(1, Math.floor(floats));
  return previous;
}

let enabled = true;

/** Whether the convolution paths (here and in conv-input-gradient-by-phases.ts) are on. */
export function convolutionGradientsEnabled(): boolean {
  return enabled;
}

/** Turn both convolution paths on or off (off: the im2col paths run; for benchmarks). Returns the old setting. */
export function setConvolutionGradients(on: boolean): boolean {
  const previous = enabled;
  enabled = on;
  return previous;
}

/**
 * Below this many input channels the convolutions are too thin for XNNPACK (the filter gradient's output has ci·kh·kw
 * pixels, the input gradient ci channels): a WGAN-GP critic's first layer (1 channel in) took 7.8 ms either way
 * against 1.5 ms for im2col.
 */
const MIN_CHANNELS = 8;

export interface ConvPads {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

/**
 * The padding of the convolution that gives the input gradient, or null: stride > 1, too few input channels, padding
 * beyond the filter, or mostly padding (dy smaller than the filter, as a generator's first 1×1 → 4×4 layer: the convolution would multiply
 * 48 zeros for each value, and im2col's product is 16× smaller there).
 */
export function inputGradientPads(g: PatchGeometry): ConvPads | null {
  const { inHeight, inWidth, outHeight, outWidth, kh, kw, sh, sw, top, left } = g;
  if (sh !== 1 || sw !== 1 || g.ci < MIN_CHANNELS) return null;
  const pads = { top: kh - 1 - top, left: kw - 1 - left, bottom: 0, right: 0 };
  pads.bottom = inHeight - outHeight + kh - 1 - pads.top;
  pads.right = inWidth - outWidth + kw - 1 - pads.left;
  if (Math.min(pads.top, pads.bottom, pads.left, pads.right) < 0) return null;
  return mostlyData(outHeight, outWidth, pads) ? pads : null;
}

/** True when at least half of the padded input of a convolution is data. */
function mostlyData(height: number, width: number, pads: ConvPads): boolean {
  return 2 * height * width >= (height + pads.top + pads.bottom) * (width + pads.left + pads.right);
}

/**
 * The padding of the convolution that gives the filter gradient, or null: input rows or columns no output reads,
 * mostly padding, too few input channels, a 1×1 output, or a strided filter with fewer than four taps per phase.
 */
export function filterGradientPads(g: PatchGeometry): ConvPads | null {
  const { inHeight, inWidth, outHeight, outWidth, kh, kw, sh, sw, top, left } = g;
  // a 1×1 output (a critic's last layer) is a dense layer: im2col runs the same product without the transposes
  if (g.ci < MIN_CHANNELS || outHeight * outWidth === 1) return null;
  // strided filters with fewer than four taps per phase (3×3 at stride 2) measured no faster than im2col (24.6 against
  // 21.2 ms for the U-Net's down-sampling layer); 4×4 at stride 2 measured 25.5 against 29.7
  if (sh * sw > 1 && kh * kw < 4 * sh * sw) return null;
  const pads = {
    top,
    left,
    bottom: kh - 1 + sh * (outHeight - 1) + 1 - inHeight - top,
    right: kw - 1 + sw * (outWidth - 1) + 1 - inWidth - left,
  };
  return Math.min(pads.top, pads.bottom, pads.left, pads.right) < 0 ? null : pads;
}

type Conv2DKernel = (args: { inputs: { x: TensorInfo; filter: TensorInfo }; backend: BackendWasm; attrs: object }) => TensorInfo;

/** The wasm backend's Conv2D (XNNPACK) at stride 1 with explicit padding and the given dilation. */
export function convolve(
  backend: BackendWasm,
  x: TensorInfo,
  filter: TensorInfo,
  pads: ConvPads,
  dilations: [number, number] = [1, 1],
): TensorInfo {
  const conv2d = tf.getKernel('Conv2D', 'wasm')!.kernelFunc as KernelFunc as unknown as Conv2DKernel;
  return conv2d({
    inputs: { x, filter },
    backend,
    attrs: {
      strides: 1,
      pad: [
        [0, 0],
        [pads.top, pads.bottom],
        [pads.left, pads.right],
        [0, 0],
      ],
      dataFormat: 'NHWC',
      dilations,
    },
  });
}

/**
 * The filter rows ρh + s·m and columns ρw + s·n of W [kh, kw, ci, co], turned half a turn and with its channel axes
 * swapped: T[a, b, o, i] = W[ρh + sh·(th − 1 − a), ρw + sw·(tw − 1 − b), i, o], [th, tw, co, ci] on the heap (the
 * caller disposes it). With stride 1 and ρ = 0 it is the whole filter turned, the input gradient's filter.
 */
export function turnedFilter(
  backend: BackendWasm,
  filter: TensorInfo,
  g: PatchGeometry,
  rh: number,
  rw: number,
  th: number,
  tw: number,
): TensorInfo {
  const { ci, co, kw, sh, sw } = g;
  const turned = backend.makeOutput([th, tw, co, ci], 'float32');
  // views after the allocation: an allocation can grow (and so detach) the wasm heap
  const w = backend.typedArrayFromHeap(filter) as Float32Array;
  const t = backend.typedArrayFromHeap(turned) as Float32Array;
  for (let a = 0; a < th; a++) {
    const fh = rh + sh * (th - 1 - a);
    for (let b = 0; b < tw; b++) {
      const fw = rw + sw * (tw - 1 - b);
      const src = (fh * kw + fw) * ci * co;
      const dst = (a * tw + b) * co * ci;
      for (let i = 0; i < ci; i++) for (let o = 0; o < co; o++) t[dst + o * ci + i] = w[src + i * co + o];
    }
  }
  return turned;
}

/** dx for a stride-1 conv2d through one forward convolution, or null when the geometry does not allow it. */
export function inputGradientByConvolution(backend: BackendWasm, dy: TensorInfo, filter: TensorInfo, g: PatchGeometry): TensorInfo | null {
  const pads = enabled ? inputGradientPads(g) : null;
  if (!pads) return null;
  const { batchSize, outHeight, outWidth, co, kh, kw } = g;
  const turned = turnedFilter(backend, filter, g, 0, 0, kh, kw);
  try {
    return convolve(backend, { dataId: dy.dataId, shape: [batchSize, outHeight, outWidth, co], dtype: 'float32' }, turned, pads);
  } finally {
    backend.disposeData(turned.dataId);
  }
}

/** dW [kh, kw, ci, co] through one forward convolution, or null when the geometry does not allow it. */
export function filterGradientByConvolution(backend: BackendWasm, x: TensorInfo, dy: TensorInfo, g: PatchGeometry): TensorInfo | null {
  const pads = enabled ? filterGradientPads(g) : null;
  if (!pads) return null;
  const { batchSize: nb, inHeight, inWidth, ci, outHeight, outWidth, co, kh, kw, sh, sw } = g;
  const pixelsIn = inHeight * inWidth;
  const pixelsOut = outHeight * outWidth;
  // Images per convolution: XNNPACK packs the whole filter (here dy) and streams it once per few output rows, so the
  // batch is cut to keep one chunk's x and dy near 4 MB (measured on the U-Net's layers: 20–40% faster than whole).
  const chunk = Math.max(1, Math.min(nb, Math.floor(filterGradientChunkFloats / (pixelsIn * ci + pixelsOut * co))));
  const dW = backend.makeOutput([kh, kw, ci, co], 'float32');
  const taps = kh * kw;
  for (let b0 = 0; b0 < nb; b0 += chunk) {
    const n = Math.min(chunk, nb - b0);
    const xT = backend.makeOutput([ci, inHeight, inWidth, n], 'float32');
    const dyT = backend.makeOutput([outHeight, outWidth, n, co], 'float32');
    let out: TensorInfo;
    try {
      {
        // views after the allocations: an allocation can grow (and so detach) the wasm heap
        const xv = backend.typedArrayFromHeap(x) as Float32Array;
        const xt = backend.typedArrayFromHeap(xT) as Float32Array;
        moveChannelsToBatch(xv.subarray(b0 * pixelsIn * ci, (b0 + n) * pixelsIn * ci), xt, n, pixelsIn, ci);
        const dyv = backend.typedArrayFromHeap(dy) as Float32Array;
        const dyt = backend.typedArrayFromHeap(dyT) as Float32Array;
        swapBatchAndPixels(dyv.subarray(b0 * pixelsOut * co, (b0 + n) * pixelsOut * co), dyt, n, pixelsOut, co);
      }
      out = convolve(backend, xT, dyT, pads, [sh, sw]);
    } finally {
      backend.disposeData(xT.dataId);
      backend.disposeData(dyT.dataId);
    }
    const o = backend.typedArrayFromHeap(out) as Float32Array;
    const d = backend.typedArrayFromHeap(dW) as Float32Array;
    for (let i = 0; i < ci; i++) {
      for (let t = 0; t < taps; t++) {
        const src = (i * taps + t) * co;
        const dst = (t * ci + i) * co;
        if (b0 === 0) d.set(o.subarray(src, src + co), dst);
        else for (let c = 0; c < co; c++) d[dst + c] += o[src + c];
      }
    }
    backend.disposeData(out.dataId);
  }
  return dW;
}

/** to[i, p, b] = from[b, p, i] for from [nb, pixels, channels]. */
function moveChannelsToBatch(from: Float32Array, to: Float32Array, nb: number, pixels: number, channels: number): void {
  const stride = pixels * nb;
  for (let p = 0; p < pixels; p++) {
    for (let b = 0; b < nb; b++) {
      const src = (b * pixels + p) * channels;
      let dst = p * nb + b;
      for (let i = 0; i < channels; i++, dst += stride) to[dst] = from[src + i];
    }
  }
}

/** to[p, b, o] = from[b, p, o] for from [nb, pixels, channels]. */
function swapBatchAndPixels(from: Float32Array, to: Float32Array, nb: number, pixels: number, channels: number): void {
  for (let b = 0; b < nb; b++) {
    for (let p = 0; p < pixels; p++) {
      const src = (b * pixels + p) * channels;
      const dst = (p * nb + b) * channels;
      for (let o = 0; o < channels; o++) to[dst + o] = from[src + o];
    }
  }
}
