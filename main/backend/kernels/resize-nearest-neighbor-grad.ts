import * as tf from '@tensorflow/tfjs';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { outputFloats, readFloats } from './js-kernel-io';

/**
 * `ResizeNearestNeighborGrad` for cpu and wasm, replacing the stock kernels: tfjs-backend-cpu 4.22 offsets dy by the
 * image's batch stride (every image after the first gets wrong gradients) and both ignore halfPixelCenters. This one
 * scatters each dy pixel onto the source pixel the forward kernel copies from (the cpu ResizeNearestNeighbor's
 * mapping, which wasm's forward kernel shares), so it is the forward op's exact transpose. Memory-bound; plain JS.
 */

function sourceIndex(i: number, ratio: number, oldSize: number, alignCorners: boolean, halfPixelCenters: boolean): number {
  const frac = halfPixelCenters ? ratio * (i + 0.5) : ratio * i;
  const nearest = Math.min(oldSize - 1, alignCorners ? Math.round(frac) : Math.floor(frac));
  return halfPixelCenters ? Math.max(0, nearest) : nearest;
}

function ratio(oldSize: number, newSize: number, alignCorners: boolean): number {
  return alignCorners && newSize > 1 ? (oldSize - 1) / (newSize - 1) : oldSize / newSize;
}

function resizeNearestNeighborGrad(args: {
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
  const rowRatio = ratio(oldHeight, newHeight, alignCorners);
  const colRatio = ratio(oldWidth, newWidth, alignCorners);
  const srcCol = new Int32Array(newWidth);
  for (let c = 0; c < newWidth; c++) srcCol[c] = sourceIndex(c, colRatio, oldWidth, alignCorners, halfPixelCenters);
  let k = 0;
  for (let b = 0; b < batch; b++) {
    for (let r = 0; r < newHeight; r++) {
      const rowBase = (b * oldHeight + sourceIndex(r, rowRatio, oldHeight, alignCorners, halfPixelCenters)) * oldWidth;
      for (let c = 0; c < newWidth; c++) {
        const o = (rowBase + srcCol[c]) * depth;
        for (let d = 0; d < depth; d++) out[o + d] += dyValues[k++];
      }
    }
  }
  return outputFloats(backend, images.shape, out);
}

const kernelFunc = resizeNearestNeighborGrad as unknown as KernelFunc;

export function registerResizeNearestNeighborGrad(): void {
  for (const backendName of ['cpu', 'wasm']) {
    const config = tf.getKernel('ResizeNearestNeighborGrad', backendName);
    if (config?.kernelFunc === kernelFunc) continue;
    if (config) tf.unregisterKernel('ResizeNearestNeighborGrad', backendName);
    tf.registerKernel({ kernelName: 'ResizeNearestNeighborGrad', backendName, kernelFunc });
  }
}
