import { registerOnCpuAndWasm, resizeGradKernelFunc, resizeRatio } from './resize-grad-kernel';
import type { ResizeGradGeometry } from './resize-grad-kernel';

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

function scatterNearest(dyValues: Float32Array, out: Float32Array, geometry: ResizeGradGeometry): void {
  const { batch, oldHeight, oldWidth, depth, newHeight, newWidth, alignCorners, halfPixelCenters } = geometry;
  const rowRatio = resizeRatio(oldHeight, newHeight, alignCorners);
  const colRatio = resizeRatio(oldWidth, newWidth, alignCorners);
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
}

const kernelFunc = resizeGradKernelFunc(scatterNearest);

export function registerResizeNearestNeighborGrad(): void {
  registerOnCpuAndWasm('ResizeNearestNeighborGrad', kernelFunc);
}
