import * as tf from '@tensorflow/tfjs';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { outputFloats, readFloats } from './js-kernel-io';

/**
 * `ResizeBilinearGrad` for cpu and wasm, replacing the stock kernels: tfjs-backend-cpu 4.22 returns a gradient of the
 * wrong shape for non-square images, and both ignore halfPixelCenters. This one is the exact transpose of the cpu
 * ResizeBilinear forward kernel (which wasm's forward kernel matches): each dy pixel is split over the four source
 * pixels with the forward pass's weights. Memory-bound; plain JS.
 */

function ratio(oldSize: number, newSize: number, alignCorners: boolean): number {
  return alignCorners && newSize > 1 ? (oldSize - 1) / (newSize - 1) : oldSize / newSize;
}

interface Taps {
  lo: Int32Array;
  hi: Int32Array;
  frac: Float64Array;
}

/** For each output coordinate: the floor and ceil source coordinates and the weight of the ceil one. */
function taps(newSize: number, oldSize: number, alignCorners: boolean, halfPixelCenters: boolean): Taps {
  const r = ratio(oldSize, newSize, alignCorners);
  const lo = new Int32Array(newSize);
  const hi = new Int32Array(newSize);
  const frac = new Float64Array(newSize);
  for (let i = 0; i < newSize; i++) {
    const src = halfPixelCenters ? r * (i + 0.5) - 0.5 : r * i;
    lo[i] = Math.max(0, Math.floor(src));
    hi[i] = Math.min(oldSize - 1, Math.ceil(src));
    frac[i] = src - lo[i];
  }
  return { lo, hi, frac };
}

function resizeBilinearGrad(args: {
  inputs: { images: TensorInfo; dy: TensorInfo };
  backend: unknown;
  attrs: { alignCorners: boolean; halfPixelCenters: boolean };
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { images, dy } = inputs;
  const alignCorners = Boolean(attrs.alignCorners);
  const halfPixelCenters = Boolean(attrs.halfPixelCenters);
  const [batch, oldHeight, oldWidth, depth] = images.shape;
  const [, newHeight, newWidth] = dy.shape;
  const dyValues = readFloats(backend, dy);
  const out = new Float32Array(batch * oldHeight * oldWidth * depth);
  const rows = taps(newHeight, oldHeight, alignCorners, halfPixelCenters);
  const cols = taps(newWidth, oldWidth, alignCorners, halfPixelCenters);
  let k = 0;
  for (let b = 0; b < batch; b++) {
    for (let r = 0; r < newHeight; r++) {
      const top = (b * oldHeight + rows.lo[r]) * oldWidth;
      const bottom = (b * oldHeight + rows.hi[r]) * oldWidth;
      const fr = rows.frac[r];
      for (let c = 0; c < newWidth; c++) {
        const fc = cols.frac[c];
        const tl = (top + cols.lo[c]) * depth;
        const tr = (top + cols.hi[c]) * depth;
        const bl = (bottom + cols.lo[c]) * depth;
        const br = (bottom + cols.hi[c]) * depth;
        const wtl = (1 - fr) * (1 - fc);
        const wtr = (1 - fr) * fc;
        const wbl = fr * (1 - fc);
        const wbr = fr * fc;
        for (let d = 0; d < depth; d++) {
          const g = dyValues[k++];
          out[tl + d] += g * wtl;
          out[tr + d] += g * wtr;
          out[bl + d] += g * wbl;
          out[br + d] += g * wbr;
        }
      }
    }
  }
  return outputFloats(backend, images.shape, out);
}

const kernelFunc = resizeBilinearGrad as unknown as KernelFunc;

export function registerResizeBilinearGrad(): void {
  for (const backendName of ['cpu', 'wasm']) {
    const config = tf.getKernel('ResizeBilinearGrad', backendName);
    if (config?.kernelFunc === kernelFunc) continue;
    if (config) tf.unregisterKernel('ResizeBilinearGrad', backendName);
    tf.registerKernel({ kernelName: 'ResizeBilinearGrad', backendName, kernelFunc });
  }
}
